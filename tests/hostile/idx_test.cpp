// IDX data files (src/datasets/idx.cpp) read by the Fashion-MNIST examples from
// KERAS_FASHION_MNIST_DIR: a header declaring billions of values is checked against the file's
// size (plain files) or the bytes actually inflated (gzip) before memory is committed to it, and
// every message names the file.
#include <gtest/gtest.h>
#include <zlib.h>

#include "hostile_runner.hpp"

namespace keras::hostile {
namespace {

std::string idx_header(uint8_t type, const std::vector<uint32_t>& dims) {
  std::string b = {0, 0, static_cast<char>(type), static_cast<char>(dims.size())};
  for (uint32_t d : dims)
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<char>(d >> s));
  return b;
}

std::string gzip(const std::string& bytes) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, bytes.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

class IdxFiles : public ::testing::Test {
 protected:
  std::string dir = test_dir();
  // The first file the examples read.
  std::string images = dir + "/train-images-idx3-ubyte.gz";

  void SetUp() override {
    if (example("fashion_mnist_convnet").empty()) GTEST_SKIP() << "examples not built";
  }
  RunResult run_example(const std::string& program = "fashion_mnist_convnet") {
    return run_process({example(program), "--epochs", "1", "--limit", "16"},
                       {.timeout_s = 60, .env = {{"KERAS_FASHION_MNIST_DIR", dir}}});
  }
};

TEST_F(IdxFiles, HeaderDeclaringBillionsInASmallPlainFile) {
  // 57 bytes declaring 65535 * 65535 * 2 (8.6 GB) of uint8: refused from the file's size.
  std::string bytes = idx_header(0x08, {65535, 65535, 2}) + std::string(41, '\x07');
  ASSERT_EQ(bytes.size(), 57u);
  write_file(images, bytes);
  for (const char* program :
       {"fashion_mnist_convnet", "fashion_mnist_lstm", "transformer_encoder"}) {
    RunResult r = run_example(program);
    expect_clean_error(r, 1, {images, "declares"});
    expect_memory_under(r, 64ull << 20);
  }
}

TEST_F(IdxFiles, HeaderDeclaringMoreThanAGzipInflatesTo) {
  // 16 MiB of zeros (a few KiB compressed) under a header declaring 8.6 GB: the memory used
  // follows the bytes inflated, not the header.
  write_file(images, gzip(idx_header(0x08, {65535, 65535, 2}) + std::string(16 << 20, '\0')));
  RunResult r = run_example();
  expect_clean_error(r, 1, {images, "fewer values"});
  expect_memory_under(r, 96ull << 20);
  // 512 MiB declared (under the absolute cap), 1 MiB present.
  write_file(images, gzip(idx_header(0x08, {8192, 65536}) + std::string(1 << 20, '\0')));
  r = run_example();
  expect_clean_error(r, 1, {images, "fewer values"});
  expect_memory_under(r, 64ull << 20);
}

TEST_F(IdxFiles, DeclaredSizesPast64BitsNameTheFile) {
  for (const std::string& header : {
           idx_header(0x0E, {0x80000000u, 0x40000000u}),  // float64: 2^61 values, 2^64 bytes
           idx_header(0x0C, {0xffffffffu, 0xffffffffu, 0xffffffffu}),
           idx_header(0x08, std::vector<uint32_t>(8, 0xffffffffu)),
           idx_header(0x0D, {0x10000u, 0x10000u, 0x10000u, 0x10000u}),
       }) {
    for (const std::string& bytes : {header, gzip(header)}) {
      write_file(images, bytes);
      RunResult r = run_example();
      expect_clean_error(r, 1, {images, "too large"});
      expect_memory_under(r, 64ull << 20);
    }
  }
}

TEST_F(IdxFiles, TruncatedAndTrailingPlainFiles) {
  write_file(images, idx_header(0x08, {4, 4}) + std::string(15, '\1'));
  expect_clean_error(run_example(), 1, {images, "fewer values"});
  write_file(images, idx_header(0x08, {4, 4}) + std::string(17, '\1'));
  expect_clean_error(run_example(), 1, {images, "trailing data"});
  write_file(images, idx_header(0x08, {4, 4}).substr(0, 9));
  expect_clean_error(run_example(), 1, {images, "header"});
}

}  // namespace
}  // namespace keras::hostile
