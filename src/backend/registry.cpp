#include <algorithm>
#include <map>
#include <mutex>

#include "keras/backend/backend.hpp"
#include "keras/core/config.hpp"

namespace keras::backend {

// Each built backend provides register_<name>_backend() (src/backends/<name>/register.cpp);
// keras_backends.inc, written by CMake from KERAS_BACKENDS, lists them as KERAS_BACKEND(name).
// Registration is explicit rather than through static initializers, which a static library
// would drop.
#define KERAS_BACKEND(name) void register_##name##_backend();
#include "keras_backends.inc"
#undef KERAS_BACKEND

namespace {

struct Entry {
  BackendFactory factory;
  std::unique_ptr<Backend> instance;
};

struct Registry {
  std::mutex mutex;
  std::vector<std::string> order;
  std::map<std::string, Entry> entries;
};

// The registry object itself; never destroyed, since tensors may outlive static destruction.
Registry& storage() {
  static Registry* r = new Registry();
  return *r;
}

// The registry with every built backend registered.
Registry& registry() {
  static std::once_flag once;
  std::call_once(once, [] {
#define KERAS_BACKEND(name) register_##name##_backend();
#include "keras_backends.inc"
#undef KERAS_BACKEND
  });
  return storage();
}

std::string list_names(const Registry& r) {
  std::string s;
  for (const auto& n : r.order) s += (s.empty() ? "" : ", ") + std::string("\"") + n + "\"";
  return s;
}

}  // namespace

void register_backend(const std::string& name, BackendFactory factory) {
  Registry& r = storage();
  std::lock_guard lock(r.mutex);
  if (r.entries.count(name))
    throw ValueError("register_backend: \"" + name + "\" is already registered");
  r.order.push_back(name);
  r.entries[name] = Entry{std::move(factory), nullptr};
}

std::vector<std::string> available_backends() {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  return r.order;
}

Backend& get_backend(const std::string& name) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  auto it = r.entries.find(name);
  if (it == r.entries.end())
    throw ValueError("Unknown backend \"" + name + "\". Built backends: " + list_names(r) +
                     ". Choose one with KERAS_BACKEND, the \"backend\" key of keras.json or "
                     "keras::config::set_backend().");
  if (!it->second.instance) it->second.instance = it->second.factory();
  return *it->second.instance;
}

Backend& default_backend() {
  // Cached per thread and refreshed when the configuration changes: ops that make scalars and
  // creation ops ask for it on every call.
  thread_local uint64_t seen_generation = 0;
  thread_local Backend* cached = nullptr;
  uint64_t gen = config::generation();
  if (cached && gen == seen_generation) return *cached;
  Backend& be = get_backend(config::backend());
  cached = &be;
  seen_generation = gen;
  return be;
}

}  // namespace keras::backend
