// CpuStorage: 64-byte aligned buffers (a cache line, and the alignment AVX-512 loads like).
//
// Large buffers are recycled through a small cache. Without it every op on a big tensor gets
// fresh pages from mmap (glibc serves blocks above 32 MiB, and often above 128 KiB, that way)
// and pays a page fault plus kernel zeroing per 4 KiB on first touch, which measured at 2-3x the
// cost of the arithmetic itself for a 64 MiB float32 add. Training loops allocate the same sizes
// over and over, so an exact-size free list catches nearly all of them.
#include <cstdlib>
#include <map>
#include <mutex>
#include <new>

#include "backends/cpu/cpu_common.hpp"

namespace keras::backend::cpu {

namespace {

constexpr size_t kCacheMinBytes = size_t{1} << 20;  // smaller blocks: malloc is fast enough
constexpr size_t kCacheMaxBytes = size_t{1} << 30;  // total bytes kept for reuse
constexpr size_t kGranularity = size_t{1} << 16;    // sizes are rounded up to 64 KiB

class BufferCache {
 public:
  void* get(size_t bytes) {
    std::lock_guard lock(mutex_);
    auto [first, last] = free_.equal_range(bytes);
    if (first == last) return nullptr;
    // The most recently freed block of this size (equal keys keep insertion order): in a
    // training step it is often the one the previous op just released, still in the caches.
    auto it = std::prev(last);
    void* p = it->second;
    free_.erase(it);
    cached_ -= bytes;
    return p;
  }
  // Keeps p for reuse, or returns false if the cache is full.
  bool put(void* p, size_t bytes) {
    std::lock_guard lock(mutex_);
    if (cached_ + bytes > kCacheMaxBytes) {
      // Evict the largest blocks first: they are the least likely to be asked for again.
      while (!free_.empty() && cached_ + bytes > kCacheMaxBytes) {
        auto last = std::prev(free_.end());
        cached_ -= last->first;
        std::free(last->second);
        free_.erase(last);
      }
      if (bytes > kCacheMaxBytes) return false;
    }
    free_.emplace(bytes, p);
    cached_ += bytes;
    return true;
  }

 private:
  std::mutex mutex_;
  std::multimap<size_t, void*> free_;
  size_t cached_ = 0;
};

// Never destroyed: tensors may be freed during static destruction.
BufferCache& cache() {
  static BufferCache* c = new BufferCache();
  return *c;
}

size_t rounded_size(size_t n) {
  if (n >= kCacheMinBytes) return (n + kGranularity - 1) / kGranularity * kGranularity;
  size_t r = (n + 63) / 64 * 64;
  return r == 0 ? 64 : r;
}

}  // namespace

CpuStorage::CpuStorage(size_t n) : bytes(n) {
  size_t rounded = rounded_size(n);
  if (rounded >= kCacheMinBytes) data = cache().get(rounded);
  if (!data) data = std::aligned_alloc(64, rounded);
  if (!data) throw RuntimeError("cpu backend: could not allocate " + std::to_string(n) + " bytes");
}

CpuStorage::~CpuStorage() {
  size_t rounded = rounded_size(bytes);
  if (rounded >= kCacheMinBytes && cache().put(data, rounded)) return;
  std::free(data);
}

Tensor CpuBackend::empty(const Shape& shape, DType dtype) {
  size_t bytes = static_cast<size_t>(shape.num_elements()) * dtype_size(dtype);
  return make_tensor(shape, dtype, std::make_shared<CpuStorage>(bytes));
}

Tensor CpuBackend::alias(const Tensor& x, const Shape& shape) {
  return make_tensor(shape, x.dtype(), x.impl()->storage);
}

}  // namespace keras::backend::cpu
