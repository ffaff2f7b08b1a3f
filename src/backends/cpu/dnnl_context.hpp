#pragma once
// The oneDNN engine and stream of the cpu backend, and a cache of primitives keyed by what
// defines them (shapes, strides, padding, ...): building a primitive descriptor costs tens of
// microseconds, executing a cached one for a small tensor a few.
#include <memory>
#include <mutex>
#include <oneapi/dnnl/dnnl.hpp>
#include <string>
#include <unordered_map>

#include "backends/cpu/cpu_common.hpp"

namespace keras::backend::cpu {

struct CpuBackend::Caches {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  std::mutex mutex;
  std::unordered_map<std::string, std::shared_ptr<void>> entries;

  // A stream per calling thread: a oneDNN stream is not meant to be shared by threads that
  // execute concurrently. (There is one CpuBackend per process, so a thread_local is enough.)
  dnnl::stream& stream() {
    thread_local dnnl::stream s(engine);
    return s;
  }

  // The cached object for `key`, made by make() (returning std::shared_ptr<V>) on first use.
  template <class V, class Make>
  std::shared_ptr<V> get(const std::string& key, Make&& make) {
    {
      std::lock_guard lock(mutex);
      auto it = entries.find(key);
      if (it != entries.end()) return std::static_pointer_cast<V>(it->second);
    }
    std::shared_ptr<V> v = make();
    std::lock_guard lock(mutex);
    if (entries.size() > 4096) entries.clear();  // bound memory for shape-varying workloads
    entries.emplace(key, v);
    return v;
  }
};

inline CpuBackend::Caches& caches(CpuBackend& be) { return *be.caches_; }

// "tag:1,2,3;4,5" style keys.
inline void key_append(std::string& k, int64_t v) {
  k += std::to_string(v);
  k += ',';
}
template <class C>
inline void key_append_all(std::string& k, const C& c) {
  for (auto v : c) key_append(k, static_cast<int64_t>(v));
  k += ';';
}

// Runs a oneDNN call, turning its exceptions into keras::RuntimeError naming the kernel.
template <class F>
inline auto dnnl_call(const char* op, F&& f) {
  try {
    return f();
  } catch (const dnnl::error& e) {
    throw RuntimeError(std::string("cpu backend: ") + op + ": oneDNN failed: " + e.what());
  }
}

}  // namespace keras::backend::cpu
