#pragma once
// Automatic object names as Keras makes them (keras/src/utils/naming.py): the snake_case class
// name, then "_1", "_2", ... for repeats, with one counter per prefix per thread.
#include <string>

namespace keras {

// "dense", then "dense_1", "dense_2", ...
std::string auto_name(const std::string& prefix);
// keras.backend.get_uid: increments and returns the counter of `prefix` (1 on first use).
int get_uid(const std::string& prefix);
// keras.backend.clear_session: resets the name counters of this thread.
void clear_session();

}  // namespace keras
