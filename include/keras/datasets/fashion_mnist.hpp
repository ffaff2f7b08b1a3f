#pragma once
// keras::datasets::fashion_mnist and mnist: load_data() as in Keras, read from local files.
// Keras downloads them; here nothing is downloaded at run time: Debian's `dataset-fashion-mnist`
// package installs Fashion-MNIST under /usr/share/datasets/fashion-mnist/.
#include <string>

#include "keras/core/tensor.hpp"

namespace keras::datasets {

// x: uint8 (samples, 28, 28); y: uint8 (samples,), as Keras returns them.
struct Split {
  Tensor x;
  Tensor y;
};
struct TrainTest {
  Split train;
  Split test;
};

namespace fashion_mnist {
inline constexpr const char* kDefaultDirectory = "/usr/share/datasets/fashion-mnist";
// Reads train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and
// t10k-labels-idx1-ubyte.gz from `directory` (default: $KERAS_FASHION_MNIST_DIR, else
// kDefaultDirectory). Missing files give keras::OSError naming the path and the Debian package.
TrainTest load_data(const std::string& directory = "");
}  // namespace fashion_mnist

}  // namespace keras::datasets
