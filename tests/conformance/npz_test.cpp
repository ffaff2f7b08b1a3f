// The .npy/.npz reader used by the fixture tests: real Keras fixtures, hand-made archives (stored
// members) and malformed files.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "keras/backend/backend.hpp"
#include "testing/npz.hpp"

namespace keras::testing {
namespace {

std::vector<uint8_t> npy_bytes(const std::string& header_dict, const std::vector<uint8_t>& data,
                               int version = 1) {
  std::string header = header_dict;
  size_t prefix = version == 1 ? 10 : 12;
  while ((prefix + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::vector<uint8_t> b = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<uint8_t>(version), 0};
  for (int k = 0; k < (version == 1 ? 2 : 4); ++k)
    b.push_back(static_cast<uint8_t>(header.size() >> (8 * k)));
  b.insert(b.end(), header.begin(), header.end());
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

template <class T>
std::vector<uint8_t> raw(std::vector<T> values) {
  std::vector<uint8_t> out(values.size() * sizeof(T));
  if (!out.empty()) std::memcpy(out.data(), values.data(), out.size());
  return out;
}

void put(std::vector<uint8_t>& b, uint64_t v, int bytes) {
  for (int k = 0; k < bytes; ++k) b.push_back(static_cast<uint8_t>(v >> (8 * k)));
}

// A zip with stored (uncompressed) members, written by hand. crc_ok=false corrupts the CRC.
std::vector<uint8_t> stored_zip(
    const std::vector<std::pair<std::string, std::vector<uint8_t>>>& files, bool crc_ok = true);

uint32_t crc32_of(const std::vector<uint8_t>& data) {
  uint32_t crc = 0xffffffffu;
  for (uint8_t byte : data) {
    crc ^= byte;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

std::vector<uint8_t> stored_zip(
    const std::vector<std::pair<std::string, std::vector<uint8_t>>>& files, bool crc_ok) {
  std::vector<uint8_t> zip, central;
  for (const auto& [name, data] : files) {
    uint32_t crc = crc32_of(data) ^ (crc_ok ? 0u : 1u);
    uint64_t offset = zip.size();
    put(zip, 0x04034b50, 4), put(zip, 20, 2), put(zip, 0, 2), put(zip, 0, 2), put(zip, 0, 4);
    put(zip, crc, 4), put(zip, data.size(), 4), put(zip, data.size(), 4);
    put(zip, name.size(), 2), put(zip, 0, 2);
    zip.insert(zip.end(), name.begin(), name.end());
    zip.insert(zip.end(), data.begin(), data.end());
    put(central, 0x02014b50, 4), put(central, 20, 2), put(central, 20, 2), put(central, 0, 2);
    put(central, 0, 2), put(central, 0, 4), put(central, crc, 4), put(central, data.size(), 4);
    put(central, data.size(), 4), put(central, name.size(), 2), put(central, 0, 2);
    put(central, 0, 2), put(central, 0, 2), put(central, 0, 2), put(central, 0, 4);
    put(central, offset, 4);
    central.insert(central.end(), name.begin(), name.end());
  }
  uint64_t cd_offset = zip.size();
  zip.insert(zip.end(), central.begin(), central.end());
  put(zip, 0x06054b50, 4), put(zip, 0, 2), put(zip, 0, 2), put(zip, files.size(), 2);
  put(zip, files.size(), 2), put(zip, central.size(), 4), put(zip, cd_offset, 4), put(zip, 0, 2);
  return zip;
}

std::string write_temp(const std::string& name, const std::vector<uint8_t>& bytes) {
  std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  return path;
}

template <class F>
std::string value_error(F&& f) {
  try {
    f();
  } catch (const ValueError& e) {
    return e.what();
  }
  return "(no ValueError)";
}

TEST(Npz, ReadsTheKerasOpsFixture) {
  auto arrays = load_npz(KERAS_FIXTURES_DIR "/ops.npz");
  EXPECT_EQ(arrays.at("keras_version").str(), "3.15.1");
  EXPECT_EQ(arrays.at("keras_backend").str(), "numpy");
  EXPECT_EQ(arrays.at("sum__zero_size_axis_neg1__call").str(), "ops.sum(x0, axis=-1)");
  const NpyArray& a = arrays.at("add__broadcast_size1__input_0");
  EXPECT_EQ(a.descr, "<f4");
  EXPECT_EQ(a.dtype, DType::Float32);
  EXPECT_EQ(a.shape, Shape({3, 1, 4}));
  EXPECT_EQ(a.data.size(), 12u * 4u);
  EXPECT_EQ(arrays.at("sum__zero_size_axis_neg1__input_0").shape, Shape({2, 0}));
  EXPECT_EQ(arrays.at("argmax__ties__output").dtype, DType::Int32);
  EXPECT_EQ(arrays.at("where__broadcast__input_0").dtype, DType::Bool);
  EXPECT_EQ(arrays.at("std__all__output").shape, Shape{});
  // Every numeric array becomes a tensor on every backend with the same values.
  for (const std::string& be : backend::available_backends()) {
    Tensor t = to_tensor(a, be);
    EXPECT_EQ(t.backend_name(), be);
    EXPECT_EQ(t.shape(), a.shape);
    EXPECT_EQ(t.to_vector<double>(), a.to_doubles());
  }
  EXPECT_NE(value_error([&] { to_tensor(arrays.at("keras_version")); }).find("unicode"),
            std::string::npos);
}

TEST(Npz, ReadsEveryFixtureArchive) {
  for (const char* name : {"dense_mlp", "conv2d", "losses", "metrics", "pooling"}) {
    auto arrays = load_npz(std::string(KERAS_FIXTURES_DIR "/") + name + ".npz");
    EXPECT_FALSE(arrays.empty()) << name;
  }
}

TEST(Npz, StoredArchiveAndDTypes) {
  auto f2 = npy_bytes("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }",
                      raw(std::vector<uint16_t>{0x3c00, 0xc000}));  // 1.0, -2.0
  auto i8 = npy_bytes("{'descr': '<i8', 'fortran_order': False, 'shape': (), }",
                      raw(std::vector<int64_t>{-7}), 2);
  auto u1 = npy_bytes("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", {1, 2, 255});
  auto b1 = npy_bytes("{'descr': '|b1', 'fortran_order': False, 'shape': (2, 1), }", {1, 0});
  auto f8 = npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 3), }", {});
  auto u = npy_bytes("{'descr': '<U3', 'fortran_order': False, 'shape': (2,), }",
                     raw(std::vector<uint32_t>{'a', 0xe9, 0, 0x1f600, 'z', 'q'}));
  std::string path = write_temp("stored.npz", stored_zip({{"f2.npy", f2},
                                                          {"i8.npy", i8},
                                                          {"u1.npy", u1},
                                                          {"b1.npy", b1},
                                                          {"f8.npy", f8},
                                                          {"u.npy", u}}));
  auto arrays = load_npz(path);
  ASSERT_EQ(arrays.size(), 6u);
  EXPECT_EQ(arrays.at("f2").to_doubles(), (std::vector<double>{1.0, -2.0}));
  EXPECT_EQ(arrays.at("i8").dtype, DType::Int64);
  EXPECT_EQ(arrays.at("i8").to_doubles(), std::vector<double>{-7.0});
  EXPECT_EQ(arrays.at("u1").to_doubles(), (std::vector<double>{1, 2, 255}));
  EXPECT_EQ(to_tensor(arrays.at("b1")).to_vector<bool>(), (std::vector<bool>{true, false}));
  EXPECT_EQ(to_tensor(arrays.at("f8")).shape(), Shape({0, 3}));
  EXPECT_EQ(arrays.at("u").strings, (std::vector<std::string>{"a\xc3\xa9", "\xf0\x9f\x98\x80zq"}));
}

TEST(Npz, BadFilesThrowValueErrorWithTheReason) {
  const std::string hdr = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
  auto good = npy_bytes(hdr, raw(std::vector<float>{1, 2}));
  EXPECT_NO_THROW(parse_npy(good, "good"));
  auto truncated = good;
  truncated.pop_back();
  EXPECT_NE(value_error([&] { parse_npy(truncated, "t.npy"); }).find("t.npy: truncated .npy data"),
            std::string::npos);
  auto magic = good;
  magic[1] = 'X';
  EXPECT_NE(value_error([&] { parse_npy(magic, "m"); }).find("bad magic"), std::string::npos);
  // Fortran order and big-endian data are converted to C order and the host's byte order.
  auto fortran = npy_bytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }",
                           raw(std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(parse_npy(fortran, "f").to_doubles(), (std::vector<double>{1, 3, 2, 4}));
  auto big = npy_bytes("{'descr': '>i2', 'fortran_order': False, 'shape': (2,), }",
                       {0x01, 0x02, 0xff, 0xfe});
  EXPECT_EQ(parse_npy(big, "b").to_doubles(), (std::vector<double>{258, -2}));
  auto complex = npy_bytes("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }",
                           raw(std::vector<float>{1, 2}));
  EXPECT_NE(value_error([&] { parse_npy(complex, "c"); }).find("unsupported dtype '<c8'"),
            std::string::npos);
  auto header = npy_bytes("{'descr': '<f4', 'shape': [2], }", raw(std::vector<float>{1, 2}));
  EXPECT_NE(value_error([&] { parse_npy(header, "h"); }).find("malformed"), std::string::npos);

  std::string crc = write_temp("crc.npz", stored_zip({{"a.npy", good}}, false));
  EXPECT_NE(value_error([&] { load_npz(crc); }).find("CRC"), std::string::npos);
  std::string notzip = write_temp("not.npz", good);
  EXPECT_NE(value_error([&] { load_npz(notzip); }).find("not a zip archive"), std::string::npos);
  auto zip = stored_zip({{"a.npy", good}});
  zip.resize(zip.size() / 2);
  std::string cut = write_temp("cut.npz", zip);
  EXPECT_NE(value_error([&] { load_npz(cut); }).find(cut), std::string::npos);
  EXPECT_THROW(load_npz(::testing::TempDir() + "does-not-exist.npz"), OSError);
}

TEST(Npz, DeflatedMembersCorruptedAreRejected) {
  std::ifstream in(KERAS_FIXTURES_DIR "/dense_mlp.npz", std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  ASSERT_GT(bytes.size(), 200u);
  // Flip bytes inside the first member's deflate stream (after its local header).
  size_t start = 30 + bytes[26] + (bytes[27] << 8) + bytes[28] + (bytes[29] << 8);
  size_t compressed = bytes[18] + (bytes[19] << 8);
  ASSERT_EQ(bytes[8], 8) << "expected a deflated member";
  for (size_t k = start + 1; k < start + std::min<size_t>(compressed, 12); ++k) bytes[k] ^= 0x5a;
  std::string path = write_temp("corrupt.npz", bytes);
  std::string msg = value_error([&] { load_npz(path); });
  EXPECT_TRUE(msg.find("deflate") != std::string::npos || msg.find("CRC") != std::string::npos ||
              msg.find("corrupt") != std::string::npos)
      << msg;
}

}  // namespace
}  // namespace keras::testing
