#pragma once
// Keras's readable_memory_size (keras/src/utils/summary_utils.py): 1024-based units with two
// decimals, "12.50 KB". Used by model summaries and by the sharded weights store's messages.
#include <string>

namespace keras::utils {

std::string readable_memory_size(double bytes);

}  // namespace keras::utils
