#include "keras/utils/naming.hpp"

#include <unordered_map>

namespace keras {
namespace {
thread_local std::unordered_map<std::string, int> uids;
}

int get_uid(const std::string& prefix) { return ++uids[prefix]; }

std::string auto_name(const std::string& prefix) {
  int n = get_uid(prefix);
  return n == 1 ? prefix : prefix + "_" + std::to_string(n - 1);
}

void clear_session() { uids.clear(); }

}  // namespace keras
