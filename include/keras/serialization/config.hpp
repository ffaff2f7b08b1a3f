#pragma once
// keras::Config: the JSON value of get_config() / from_config(), ordered like Python dicts so files
// we write list keys in Keras's order.
#include <nlohmann/json.hpp>

namespace keras {
using Config = nlohmann::ordered_json;
}  // namespace keras
