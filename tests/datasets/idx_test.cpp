// IDX reader and fashion_mnist::load_data.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>

#include "keras/datasets/fashion_mnist.hpp"
#include "keras/datasets/idx.hpp"

namespace keras::datasets {
namespace {

namespace fs = std::filesystem;

fs::path temp_dir() {
  fs::path d = fs::temp_directory_path() / ("keras_idx_test_" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}

void write_gz(const fs::path& p, const std::vector<unsigned char>& bytes) {
  gzFile f = gzopen(p.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(f);
}

std::vector<unsigned char> idx_bytes(uint8_t type, std::vector<uint32_t> dims,
                                     std::vector<unsigned char> payload) {
  std::vector<unsigned char> b = {0, 0, type, static_cast<unsigned char>(dims.size())};
  for (uint32_t d : dims)
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<unsigned char>(d >> s));
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(IdxTest, ReadsUint8AndBigEndianInt32) {
  fs::path d = temp_dir();
  write_gz(d / "a.gz", idx_bytes(0x08, {2, 3}, {1, 2, 3, 4, 5, 250}));
  Tensor a = load_idx((d / "a.gz").string());
  EXPECT_EQ(a.dtype(), DType::UInt8);
  EXPECT_EQ(a.shape(), Shape({2, 3}));
  EXPECT_EQ(a.to_vector<int>(), (std::vector<int>{1, 2, 3, 4, 5, 250}));
  // Plain (uncompressed) files work too.
  auto raw = idx_bytes(0x0C, {2}, {0, 0, 1, 2, 0xff, 0xff, 0xff, 0xfe});
  std::ofstream(d / "b.idx", std::ios::binary)
      .write(reinterpret_cast<char*>(raw.data()), raw.size());
  Tensor b = load_idx((d / "b.idx").string());
  EXPECT_EQ(b.to_vector<int32_t>(), (std::vector<int32_t>{258, -2}));
  fs::remove_all(d);
}

TEST(IdxTest, MalformedFilesAreErrors) {
  fs::path d = temp_dir();
  write_gz(d / "magic.gz", {1, 2, 8, 1, 0, 0, 0, 1, 7});
  EXPECT_NE(error_of([&] { load_idx((d / "magic.gz").string()); }).find("bad magic"),
            std::string::npos);
  write_gz(d / "short.gz", idx_bytes(0x08, {4}, {1, 2}));
  EXPECT_NE(error_of([&] { load_idx((d / "short.gz").string()); }).find("fewer values"),
            std::string::npos);
  write_gz(d / "long.gz", idx_bytes(0x08, {1}, {1, 2}));
  EXPECT_NE(error_of([&] { load_idx((d / "long.gz").string()); }).find("trailing"),
            std::string::npos);
  write_gz(d / "type.gz", idx_bytes(0x42, {1}, {1}));
  EXPECT_NE(error_of([&] { load_idx((d / "type.gz").string()); }).find("type code"),
            std::string::npos);
  write_gz(d / "huge.gz", idx_bytes(0x08, {0xffffffff, 0xffffffff}, {}));
  EXPECT_NE(error_of([&] { load_idx((d / "huge.gz").string()); }).find("too large"),
            std::string::npos);
  EXPECT_THROW(load_idx((d / "missing.gz").string()), OSError);
  fs::remove_all(d);
}

TEST(IdxTest, DeclaredSizesAreCheckedBeforeAllocating) {
  fs::path d = temp_dir();
  auto write_raw = [&](const fs::path& p, const std::vector<unsigned char>& bytes) {
    std::ofstream(p, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
    return p.string();
  };
  // 57 bytes declaring 8.6 GB: the file's size says no before anything is allocated.
  std::string plain = write_raw(d / "plain.idx",
                                idx_bytes(0x08, {65535, 65535, 2}, std::vector<unsigned char>(41)));
  std::string msg = error_of([&] { load_idx(plain); });
  EXPECT_NE(msg.find(plain), std::string::npos) << msg;
  EXPECT_NE(msg.find("8589672450 bytes"), std::string::npos) << msg;
  EXPECT_NE(msg.find("holds 41"), std::string::npos) << msg;
  // Past 64 bits (float64: 2^61 values) and past 2^34 bytes: "too large", naming the file.
  for (std::vector<uint32_t> dims :
       {std::vector<uint32_t>{0x80000000u, 0x40000000u}, std::vector<uint32_t>(8, 0xffffffffu)}) {
    std::string p = write_raw(d / "huge.idx", idx_bytes(0x0E, dims, {}));
    msg = error_of([&] { load_idx(p); });
    EXPECT_NE(msg.find(p), std::string::npos) << msg;
    EXPECT_NE(msg.find("too large"), std::string::npos) << msg;
    write_gz(d / "huge.gz", idx_bytes(0x0E, dims, {}));
    msg = error_of([&] { load_idx((d / "huge.gz").string()); });
    EXPECT_NE(msg.find("huge.gz"), std::string::npos) << msg;
    EXPECT_NE(msg.find("too large"), std::string::npos) << msg;
  }
  // Compressed: read in pieces, the shortfall found at the end of the data.
  write_gz(d / "short.gz", idx_bytes(0x08, {8192, 65536}, std::vector<unsigned char>(1 << 20)));
  msg = error_of([&] { load_idx((d / "short.gz").string()); });
  EXPECT_NE(msg.find("short.gz"), std::string::npos) << msg;
  EXPECT_NE(msg.find("fewer values"), std::string::npos) << msg;
  // Not a regular file.
  fs::create_directory(d / "dir.gz");
  EXPECT_THROW(load_idx((d / "dir.gz").string()), OSError);
  fs::remove_all(d);
}

TEST(FashionMnistTest, MissingDirectoryNamesThePackage) {
  std::string msg = error_of([] { fashion_mnist::load_data("/nonexistent/dir"); });
  EXPECT_NE(msg.find("dataset-fashion-mnist"), std::string::npos) << msg;
}

TEST(FashionMnistTest, LoadsTheDebianPackage) {
  if (!fs::exists(std::string(fashion_mnist::kDefaultDirectory) + "/t10k-labels-idx1-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  auto [train, test] = fashion_mnist::load_data();
  EXPECT_EQ(train.x.shape(), Shape({60000, 28, 28}));
  EXPECT_EQ(train.y.shape(), Shape({60000}));
  EXPECT_EQ(test.x.shape(), Shape({10000, 28, 28}));
  EXPECT_EQ(test.x.dtype(), DType::UInt8);
  auto labels = test.y.to_vector<int>();
  EXPECT_EQ(*std::max_element(labels.begin(), labels.end()), 9);
}

}  // namespace
}  // namespace keras::datasets
