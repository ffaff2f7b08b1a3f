#include "saving/h5/h5_types.hpp"

namespace keras::saving::h5 {

std::string Location::describe() const {
  return "'" + (path.empty() ? std::string("/") : path) + "' in file '" + file + "'";
}

std::string Location::child(const std::string& name) const {
  return (path == "/" || path.empty() ? "/" : path + "/") + name;
}

}  // namespace keras::saving::h5
