#include "keras/version.hpp"

#ifndef KERAS_VERSION
#error "KERAS_VERSION is defined by CMakeLists.txt for the library"
#endif

namespace keras {

std::string version() { return KERAS_VERSION; }

}  // namespace keras
