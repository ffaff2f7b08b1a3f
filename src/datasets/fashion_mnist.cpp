#include "keras/datasets/fashion_mnist.hpp"

#include <cstdlib>
#include <filesystem>

#include "keras/datasets/idx.hpp"

namespace keras::datasets::fashion_mnist {

TrainTest load_data(const std::string& directory) {
  std::string dir = directory;
  if (dir.empty()) {
    const char* env = std::getenv("KERAS_FASHION_MNIST_DIR");
    dir = env && *env ? env : kDefaultDirectory;
  }
  auto file = [&](const char* name) {
    std::filesystem::path p = std::filesystem::path(dir) / name;
    std::error_code ec;
    if (!std::filesystem::exists(p, ec))
      throw OSError("fashion_mnist::load_data: \"" + p.string() +
                    "\" does not exist. Install Debian's package with `apt-get install "
                    "dataset-fashion-mnist`, or pass the directory holding the IDX files.");
    return load_idx(p.string());
  };
  TrainTest out;
  out.train.x = file("train-images-idx3-ubyte.gz");
  out.train.y = file("train-labels-idx1-ubyte.gz");
  out.test.x = file("t10k-images-idx3-ubyte.gz");
  out.test.y = file("t10k-labels-idx1-ubyte.gz");
  auto check = [](const Split& s, const char* which) {
    if (s.x.ndim() != 3 || s.y.ndim() != 1 || s.x.shape()[0] != s.y.shape()[0])
      throw ValueError(std::string("fashion_mnist::load_data: ") + which + " images " +
                       s.x.shape().to_string() + " and labels " + s.y.shape().to_string() +
                       " do not match");
  };
  check(out.train, "train");
  check(out.test, "test");
  return out;
}

}  // namespace keras::datasets::fashion_mnist
