// keras::data throughput: one pass of from_tensor_slices -> shuffle -> batch(128) over the main
// job's training data (54000 x 28 x 28 x 1 float32 and labels), next to the batches fit cuts from
// the same tensors (a shuffled gather per batch), in one process. Prints batches/s of each and the
// ratio; the main job itself is compared end to end with `fashion_mnist_convnet --pipeline 1`.
//   data_pipeline [--passes N] [--backend NAME]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <random>
#include <string>

#include "keras/keras.hpp"

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  namespace data = keras::data;
  namespace ops = keras::ops;
  int passes = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--passes")) passes = std::stoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--backend")) keras::config::set_backend(argv[i + 1]);
  }
  const int64_t n = 54000, batch = 128;
  keras::Tensor x = keras::random::uniform({n, 28, 28, 1}, {.seed = 1});
  keras::Tensor y = keras::random::randint({n}, 0, 10, {.seed = 2});

  auto ds = data::Dataset::from_tensor_slices({x, y}).shuffle(n, 1).batch(batch);
  int64_t batches = 0;
  auto t0 = Clock::now();
  for (int p = 0; p < passes; ++p)
    for (const data::Element& e : ds) batches += e[0].shape()[0] > 0;
  double pipeline = static_cast<double>(batches) / seconds_since(t0);

  std::mt19937_64 rng(1);
  std::vector<int32_t> order(static_cast<size_t>(n));
  batches = 0;
  t0 = Clock::now();
  for (int p = 0; p < passes; ++p) {
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    for (int64_t b = 0; b < n; b += batch) {
      int64_t e = std::min(n, b + batch);
      keras::Tensor idx =
          ops::convert_to_tensor(std::vector<int32_t>(order.begin() + b, order.begin() + e));
      batches += ops::take(x, idx, 0).shape()[0] > 0 && ops::take(y, idx, 0).shape()[0] > 0;
    }
  }
  double tensors = static_cast<double>(batches) / seconds_since(t0);
  std::printf("backend %s, %d passes of %lld samples in batches of %lld\n",
              keras::config::backend().c_str(), passes, static_cast<long long>(n),
              static_cast<long long>(batch));
  std::printf("keras::data from_tensor_slices.shuffle.batch: %8.0f batches/s\n", pipeline);
  std::printf("fit's shuffled gather from tensors:           %8.0f batches/s\n", tensors);
  std::printf("ratio pipeline / tensors: %.2fx\n", pipeline / tensors);
  return 0;
}
