#pragma once
// The library's version, as the CMake project declares it ("0.1.0").
#include <string>

namespace keras {

std::string version();

}  // namespace keras
