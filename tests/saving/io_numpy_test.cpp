// .npy / .npz (keras/saving/numpy.hpp) against files written by NumPy
// (tests/saving/make_npy_fixtures.py -> tests/saving/data/) and against NumPy itself at test time
// (tests/saving/check_npz.py, skipped when /usr/bin/python3 has no NumPy).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "keras/core/errors.hpp"
#include "keras/ops/core.hpp"
#include "keras/saving/numpy.hpp"
#include "keras/saving/zip_archive.hpp"
#include "saving/io_test_util.hpp"
#include "testing/backends.hpp"

namespace keras::saving {
namespace {

using testing::io::read_bytes;
using testing::io::ScratchDir;
using testing::io::write_bytes;

std::string data(const std::string& name) { return KERAS_IO_DATA_DIR "/" + name; }

template <class T>
std::vector<T> arange(int n, double scale = 1, double offset = 0) {
  std::vector<T> out;
  for (int i = 0; i < n; ++i) out.push_back(static_cast<T>(i * scale + offset));
  return out;
}

class NumpyReadTest : public testing::BackendTest {};

TEST_P(NumpyReadTest, LittleEndianCOrderFloat32) {
  NpyArray a = load_npy(data("f32_c.npy"));
  EXPECT_EQ(a.descr, "<f4");
  EXPECT_EQ(a.shape, (Shape{3, 4}));
  EXPECT_FALSE(a.fortran_order);
  EXPECT_EQ(a.size(), 12);
  EXPECT_EQ(a.itemsize(), 4u);
  EXPECT_EQ(a.dtype(), DType::Float32);
  Tensor t = a.to_tensor();
  EXPECT_EQ(t.backend_name(), backend_name());
  EXPECT_EQ(t.shape(), (Shape{3, 4}));
  EXPECT_EQ(t.dtype(), DType::Float32);
  EXPECT_EQ(t.to_vector<float>(), arange<float>(12, 0.5, -1));
}

TEST_P(NumpyReadTest, FortranOrderIsTransposedIntoPlace) {
  NpyArray a = load_npy(data("f64_fortran.npy"));
  EXPECT_TRUE(a.fortran_order);
  EXPECT_EQ(a.shape, (Shape{2, 3, 4}));
  Tensor t = a.to_tensor();
  EXPECT_EQ(t.shape(), (Shape{2, 3, 4}));
  EXPECT_EQ(t.to_vector<double>(), arange<double>(24));
  NpyArray n = a.normalized();
  EXPECT_FALSE(n.fortran_order);
  EXPECT_EQ(n.descr, "<f8");
}

TEST_P(NumpyReadTest, BigEndianIsConvertedToNative) {
  NpyArray a = load_npy(data("i64_be.npy"));
  EXPECT_EQ(a.descr, ">i8");
  EXPECT_EQ(a.to_tensor().to_vector<int64_t>(), arange<int64_t>(6, 1000000007, -3000000021));
  NpyArray f = load_npy(data("f32_be.npy"));
  EXPECT_EQ(f.descr, ">f4");
  EXPECT_EQ(f.to_tensor().to_vector<float>(), arange<float>(5, -1.25));
  NpyArray b = load_npy(data("u16_be_fortran.npy"));
  EXPECT_EQ(b.descr, ">u2");
  EXPECT_TRUE(b.fortran_order);
  Tensor t = b.to_tensor();
  EXPECT_EQ(t.dtype(), DType::UInt16);
  EXPECT_EQ(t.shape(), (Shape{2, 3}));
  EXPECT_EQ(t.to_vector<int64_t>(), arange<int64_t>(6, 4099));
  EXPECT_EQ(b.normalized().descr, "<u2");
}

TEST_P(NumpyReadTest, EveryIntegerAndBoolDtype) {
  EXPECT_EQ(load_npy(data("i8.npy")).to_tensor().to_vector<int64_t>(),
            (std::vector<int64_t>{-128, -1, 0, 127}));
  EXPECT_EQ(load_npy(data("i8.npy")).to_tensor().dtype(), DType::Int8);
  EXPECT_EQ(load_npy(data("u8.npy")).to_tensor().to_vector<int64_t>(),
            (std::vector<int64_t>{0, 1, 255}));
  EXPECT_EQ(load_npy(data("u8.npy")).to_tensor().dtype(), DType::UInt8);
  EXPECT_EQ(load_npy(data("i16.npy")).to_tensor().to_vector<int64_t>(),
            (std::vector<int64_t>{-32768, 7, 32767}));
  Tensor i32 = load_npy(data("i32.npy")).to_tensor();
  EXPECT_EQ(i32.dtype(), DType::Int32);
  EXPECT_EQ(i32.to_vector<int64_t>(), (std::vector<int64_t>{-2147483648, 5, 2147483647, 0}));
  EXPECT_EQ(load_npy(data("u32.npy")).to_tensor().to_vector<int64_t>(),
            (std::vector<int64_t>{4294967295, 1}));
  Tensor u64 = load_npy(data("u64.npy")).to_tensor();
  EXPECT_EQ(u64.dtype(), DType::UInt64);
  EXPECT_EQ(u64.to_vector<uint64_t>(), (std::vector<uint64_t>{18446744073709551615ull, 2}));
  NpyArray b = load_npy(data("bool.npy"));
  EXPECT_EQ(b.descr, "|b1");
  Tensor bt = b.to_tensor();
  EXPECT_EQ(bt.dtype(), DType::Bool);
  EXPECT_EQ(bt.to_vector<bool>(), (std::vector<bool>{true, false, true, false, false, true}));
}

TEST_P(NumpyReadTest, Float16ScalarsAndEmptyArrays) {
  Tensor h = load_npy(data("f16.npy")).to_tensor();
  EXPECT_EQ(h.dtype(), DType::Float16);
  std::vector<float> hv = h.to_vector<float>();
  EXPECT_EQ(hv, (std::vector<float>{0.5f, -2.0f, 65504.0f, 0.0009765625f, -0.0f}));
  EXPECT_TRUE(std::signbit(hv[4]));
  NpyArray s = load_npy(data("f64_scalar.npy"));
  EXPECT_EQ(s.shape, Shape{});
  EXPECT_EQ(s.to_tensor().item<double>(), 3.25);
  Tensor e = load_npy(data("f32_empty.npy")).to_tensor();
  EXPECT_EQ(e.shape(), (Shape{0, 3}));
  EXPECT_EQ(e.size(), 0);
}

TEST_P(NumpyReadTest, HeaderVersions2And3) {
  for (const char* name : {"f32_v2.npy", "f32_v3.npy"}) {
    SCOPED_TRACE(name);
    std::string bytes = read_bytes(data(name));
    EXPECT_EQ(bytes[6], name[5] - '0');  // the fixture really has that version
    EXPECT_EQ(load_npy(data(name)).to_tensor().to_vector<float>(), arange<float>(4));
  }
}

TEST_P(NumpyReadTest, NpzStoredAndDeflatedKeepOrder) {
  for (const char* name : {"mixed.npz", "mixed_compressed.npz"}) {
    SCOPED_TRACE(name);
    auto arrays = load_npz(data(name));
    ASSERT_EQ(arrays.size(), 4u);
    EXPECT_EQ(arrays[0].first, "weights");
    EXPECT_EQ(arrays[1].first, "labels");
    EXPECT_EQ(arrays[2].first, "name");
    EXPECT_EQ(arrays[3].first, "layers/dense/kernel");
    EXPECT_EQ(arrays[0].second.to_tensor().to_vector<float>(), arange<float>(6, 0.25));
    EXPECT_EQ(arrays[1].second.to_tensor().to_vector<int64_t>(), (std::vector<int64_t>{3, 1, 2}));
    EXPECT_EQ(arrays[2].second.as_string(), "model \u2713");
    EXPECT_EQ(arrays[3].second.descr, ">f8");
    EXPECT_EQ(arrays[3].second.to_tensor().to_vector<double>(), arange<double>(6));
    auto tensors = load_npz_tensors(data(name));
    EXPECT_EQ(tensors.size(), 3u);  // the string member is left out
    EXPECT_EQ(tensors.count("name"), 0u);
    EXPECT_EQ(tensors.at("layers/dense/kernel").shape(), (Shape{3, 2}));
    EXPECT_EQ(tensors.at("weights").backend_name(), backend_name());
  }
}

TEST_P(NumpyReadTest, KerasFixtureNpz) {
  // The fixtures of Python Keras: float32 inputs/outputs and 0-d '<U' strings.
  auto arrays = load_npz(KERAS_FIXTURES_DIR "/dense_mlp.npz");
  std::map<std::string, NpyArray> by_name(arrays.begin(), arrays.end());
  EXPECT_EQ(by_name.at("keras_version").as_string(), "3.15.1");
  EXPECT_EQ(by_name.at("keras_backend").as_string(), "numpy");
  EXPECT_EQ(by_name.at("input_0").to_tensor().dtype(), DType::Float32);
}

KERAS_INSTANTIATE_BACKEND_TEST(NumpyReadTest);

TEST(NumpyStringsTest, UnicodeAndBytes) {
  NpyArray s = load_npy(data("str_0d.npy"));
  EXPECT_EQ(s.shape, Shape{});
  EXPECT_TRUE(s.is_string());
  EXPECT_EQ(s.dtype(), std::nullopt);
  EXPECT_EQ(s.as_string(), "h\u00e9llo \u2713 \U0001F600");
  EXPECT_THROW_ALL(s.to_tensor(), ValueError, "string array", "as_string()");
  NpyArray m = load_npy(data("str_2d.npy"));
  EXPECT_EQ(m.shape, (Shape{2, 2}));
  EXPECT_EQ(m.as_strings(), (std::vector<std::string>{"a", "bcd", "", "xyz\u20ac"}));
  EXPECT_THROW_ALL(m.as_string(), ValueError, "(2, 2)", "as_strings()");
  EXPECT_EQ(load_npy(data("str_be.npy")).as_strings(), (std::vector<std::string>{"ab", "\u00e9"}));
  EXPECT_EQ(load_npy(data("bytes.npy")).as_strings(), (std::vector<std::string>{"ab", "c"}));
  NpyArray f = load_npy(data("f32_c.npy"));
  EXPECT_THROW_ALL(f.as_string(), ValueError, "numeric dtype '<f4'", "to_tensor()");
  EXPECT_THROW_ALL(f.as_strings(), ValueError, "numeric dtype '<f4'");
}

TEST(NumpyReadErrorsTest, ComplexHasNoTensorDtype) {
  NpyArray c = load_npy(data("c64.npy"));
  EXPECT_EQ(c.descr, "<c8");
  EXPECT_THROW_ALL(c.to_tensor(), TypeError, "'<c8'", "complex");
}

TEST(NumpyReadErrorsTest, PicklesAndObjectArraysAreRefused) {
  EXPECT_THROW_ALL(load_npy(data("object.npy")), ValueError, "object.npy", "'|O'",
                   "allow_pickle=False");
  EXPECT_THROW_ALL(load_npy(data("pickle.npy")), ValueError, "pickle.npy", "Python pickle");
}

TEST(NumpyReadErrorsTest, MissingFileIsAnOSError) {
  EXPECT_THROW_ALL(load_npy("/nonexistent/x.npy"), OSError, "/nonexistent/x.npy");
  EXPECT_THROW_ALL(load_npz("/nonexistent/x.npz"), OSError, "/nonexistent/x.npz");
  EXPECT_THROW_ALL(load_npy(KERAS_IO_DATA_DIR), OSError, "is a directory");
  NpyArray huge;
  huge.descr = "<f4";
  huge.shape = Shape{1 << 30, 1 << 30, 1 << 30};
  EXPECT_THROW_ALL(huge.serialize(), ValueError, "absurdly large");
  huge.shape = Shape{-1};
  EXPECT_THROW_ALL(huge.to_tensor(), ValueError, "negative dimension");
}

// A .npy file with this header text (padded like NumPy's) and data.
std::string npy_file(const std::string& dict, const std::string& body, int major = 1) {
  std::string header = dict;
  int len_bytes = major == 1 ? 2 : 4;
  while ((6 + 2 + len_bytes + header.size() + 1) % 64) header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY";
  out += static_cast<char>(major);
  out += '\0';
  for (int k = 0; k < len_bytes; ++k) out += static_cast<char>((header.size() >> (8 * k)) & 0xff);
  return out + header + body;
}

TEST(NumpyReadErrorsTest, MalformedHeaders) {
  const std::string ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
  const std::string eight(8, '\0');
  EXPECT_EQ(NpyArray::parse(npy_file(ok, eight)).shape, Shape{2});
  EXPECT_EQ(NpyArray::parse(npy_file(ok, eight, 2)).shape, Shape{2});
  // Python 2 writers: "2L" dimensions; double quotes; any key order.
  EXPECT_EQ(NpyArray::parse(npy_file("{\"shape\": (2L,), \"fortran_order\": False, \"descr\": "
                                     "\"<f4\"}",
                                     eight))
                .shape,
            Shape{2});
  struct Case {
    std::string bytes;
    std::vector<std::string> parts;
  };
  std::vector<Case> cases = {
      {"PK\x03\x04 not npy at all", {"bad.npy", "bad magic"}},
      {"\x93NUMPY", {"bad magic"}},
      {std::string("\x93NUMPY\x04\x00\x10\x00", 10) + std::string(16, ' '), {"version 4.0"}},
      {std::string("\x93NUMPY\x01\x05\x10\x00", 10) + std::string(16, ' '), {"version 1.5"}},
      {std::string("\x93NUMPY\x01\x00\xff\x7f{}", 12), {"truncated .npy file", "32767"}},
      {std::string("\x93NUMPY\x02\x00\x01\x00", 10), {"truncated .npy header"}},
      {npy_file("{'descr': '<f4', 'shape': (2,), }", eight), {"'descr', 'fortran_order'"}},
      {npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", eight),
       {"unexpected or repeated key 'x'"}},
      {npy_file("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", eight),
       {"repeated key 'descr'"}},
      {npy_file("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }", eight), {"True or False"}},
      {npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", eight),
       {"negative dimension"}},
      {npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", eight),
       {"expected an integer"}},
      {npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': 2, }", eight), {"expected '('"}},
      {npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } junk", eight),
       {"text after the dictionary"}},
      {npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), ", eight),
       {"malformed .npy header"}},
      {npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)", eight), {"expected '}'"}},
      {npy_file("{'descr': '<f\\x34', 'fortran_order': False, 'shape': (2,), }", eight),
       {"escape"}},
      {npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (1048576, 1048576, 2), }",
                eight),
       {"absurdly large"}},
      {npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }",
                eight),
       {"dimension too large"}},
      {npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", eight),
       {"truncated .npy data", "(3,)", "needs 12 bytes", "has 8"}},
      {npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", eight),
       {"4 unexpected bytes after the data"}},
      {npy_file("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", eight),
       {"structured dtypes"}},
      {npy_file("{'descr': '<M8[ns]', 'fortran_order': False, 'shape': (1,), }", eight),
       {"unsupported dtype '<M8[ns]'", "datetime"}},
      {npy_file("{'descr': '|V8', 'fortran_order': False, 'shape': (1,), }", eight),
       {"unsupported dtype '|V8'"}},
      {npy_file("{'descr': '<f3', 'fortran_order': False, 'shape': (1,), }", eight),
       {"unsupported dtype '<f3'"}},
      {npy_file("{'descr': '<U0', 'fortran_order': False, 'shape': (1,), }", ""),
       {"unsupported dtype '<U0'"}},
      {npy_file("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", eight),
       {"allow_pickle=False"}},
      {npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), '\xe9': 1}", eight),
       {"non-ASCII"}},
  };
  std::string many = "(";
  for (int i = 0; i < 65; ++i) many += "1, ";
  cases.push_back({npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': " + many + ")}",
                            std::string(4, '\0')),
                   {"more than 64 dimensions"}});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.parts.front());
    std::vector<std::string> parts = c.parts;
    parts.push_back("bad.npy");
    try {
      NpyArray::parse(c.bytes, "bad.npy");
      ADD_FAILURE() << "expected a ValueError";
    } catch (const ValueError& e) {
      for (const std::string& part : parts)
        EXPECT_NE(std::string(e.what()).find(part), std::string::npos)
            << "message \"" << e.what() << "\" lacks \"" << part << "\"";
    }
  }
}

TEST(NumpyReadErrorsTest, BadStringData) {
  std::string bad_cp(4, '\0');
  bad_cp[2] = 0x11;  // U+110000
  NpyArray a = NpyArray::parse(
      npy_file("{'descr': '<U1', 'fortran_order': False, 'shape': (), }", bad_cp), "s.npy");
  EXPECT_THROW_ALL(a.as_string(), ValueError, "invalid unicode code point");
  EXPECT_THROW_ALL(NpyArray::from_string("\xff"), ValueError, "invalid UTF-8");
  EXPECT_THROW_ALL(NpyArray::from_string("\xe2\x82"), ValueError, "invalid UTF-8");
  EXPECT_THROW_ALL(NpyArray::from_string("\xc0\x80"), ValueError, "invalid UTF-8");
}

TEST(NumpyReadErrorsTest, NpzMembers) {
  ScratchDir dir;
  ZipWriter zip(dir.file("odd.npz"));
  zip.add("a.npy", read_bytes(data("f32_c.npy")));
  zip.add("readme.txt", "hello");
  zip.commit();
  EXPECT_THROW_ALL(load_npz(dir.file("odd.npz")), ValueError, "odd.npz",
                   "\"readme.txt\" is not a .npy file");
  ZipWriter bad(dir.file("bad.npz"));
  bad.add("x.npy", "\x93NUMPY garbage");
  bad.commit();
  EXPECT_THROW_ALL(load_npz(dir.file("bad.npz")), ValueError, "bad.npz member \"x.npy\"");
  write_bytes(dir.file("text.npz"), "not a zip");
  EXPECT_THROW_ALL(load_npz(dir.file("text.npz")), ValueError, "not a zip archive");
}

// ---- writing ----

class NumpyWriteTest : public testing::BackendTest {};

TEST_P(NumpyWriteTest, SaveNpyWritesTheBytesNumpyWrites) {
  ScratchDir dir;
  auto same_as = [&](const Tensor& x, const std::string& fixture) {
    SCOPED_TRACE(fixture);
    save_npy(dir.file("out.npy"), x);
    EXPECT_EQ(read_bytes(dir.file("out.npy")), read_bytes(data(fixture)));
  };
  same_as(ops::convert_to_tensor(arange<float>(12, 0.5, -1), Shape{3, 4}), "f32_c.npy");
  same_as(ops::convert_to_tensor(arange<int64_t>(6, 1000000007, -3000000021), Shape{2, 3}),
          "i64_le.npy");
  same_as(
      ops::convert_to_tensor(std::vector<bool>{true, false, true, false, false, true}, Shape{2, 3}),
      "bool.npy");
  same_as(ops::convert_to_tensor(std::vector<double>{3.25}, Shape{}), "f64_scalar.npy");
  same_as(ops::convert_to_tensor(std::vector<float>{}, Shape{0, 3}), "f32_empty.npy");
  same_as(ops::convert_to_tensor(std::vector<float>{0.5f, -2.0f, 65504.0f, 0.0009765625f, -0.0f},
                                 {.dtype = DType::Float16}),
          "f16.npy");
  same_as(ops::convert_to_tensor(std::vector<int64_t>{-128, -1, 0, 127}, {.dtype = DType::Int8}),
          "i8.npy");
  same_as(ops::convert_to_tensor(std::vector<int64_t>{0, 1, 255}, {.dtype = DType::UInt8}),
          "u8.npy");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"out.npy"});
}

TEST_P(NumpyWriteTest, TensorRoundTripEveryDtype) {
  ScratchDir dir;
  for (DType dtype : {DType::Bool, DType::Int8, DType::Int16, DType::Int32, DType::Int64,
                      DType::UInt8, DType::UInt16, DType::UInt32, DType::UInt64, DType::Float16,
                      DType::Float32, DType::Float64}) {
    SCOPED_TRACE(std::string(dtype_name(dtype)));
    Tensor x = ops::convert_to_tensor(std::vector<int64_t>{0, 1, 1, 0, 1, 1}, Shape{3, 1, 2},
                                      {.dtype = dtype});
    save_npy(dir.file("x.npy"), x);
    Tensor y = load_npy(dir.file("x.npy")).to_tensor();
    EXPECT_EQ(y.dtype(), dtype);
    EXPECT_EQ(y.shape(), x.shape());
    EXPECT_EQ(y.to_vector<double>(), x.to_vector<double>());
  }
  EXPECT_THROW_ALL(NpyArray::from_tensor(
                       ops::convert_to_tensor(std::vector<float>{1}, {.dtype = DType::BFloat16})),
                   ValueError, "bfloat16", "float32");
  EXPECT_THROW_ALL(NpyArray::from_tensor(Tensor::symbolic({2}, DType::Float32)), ValueError,
                   "symbolic");
}

TEST_P(NumpyWriteTest, ParseSerializeIsTheIdentityOnNumpyFiles) {
  for (const auto& entry : std::filesystem::directory_iterator(KERAS_IO_DATA_DIR)) {
    std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".npy" || name == "object.npy" || name == "pickle.npy" ||
        name == "f32_v2.npy" || name == "f32_v3.npy")
      continue;
    SCOPED_TRACE(name);
    std::string bytes = read_bytes(entry.path().string());
    EXPECT_EQ(NpyArray::parse(bytes, name).serialize(), bytes);
  }
}

TEST(NumpyWriteStringsTest, StringsAsNumpyWritesThem) {
  EXPECT_EQ(NpyArray::from_string("h\u00e9llo \u2713 \U0001F600").serialize(),
            read_bytes(data("str_0d.npy")));
  EXPECT_EQ(NpyArray::from_strings({"a", "bcd", "", "xyz\u20ac"}, Shape{2, 2}).serialize(),
            read_bytes(data("str_2d.npy")));
  NpyArray e = NpyArray::from_string("");
  EXPECT_EQ(e.descr, "<U1");
  EXPECT_EQ(e.as_string(), "");
  EXPECT_THROW_ALL(NpyArray::from_strings({"a", "b"}, Shape{3}), ValueError,
                   "2 strings do not fill shape (3,)");
  NpyArray broken = NpyArray::from_string("abc");
  broken.data.pop_back();
  EXPECT_THROW_ALL(broken.serialize(), ValueError, "needs 12 bytes", "it has 11");
}

TEST_P(NumpyWriteTest, NpzRoundTripStoredAndCompressed) {
  ScratchDir dir;
  Tensor w = ops::convert_to_tensor(arange<float>(6, 0.25), Shape{2, 3});
  Tensor l = ops::convert_to_tensor(std::vector<int64_t>{3, 1, 2});
  for (bool compressed : {false, true}) {
    SCOPED_TRACE(compressed);
    std::string path = dir.file(compressed ? "c.npz" : "s.npz");
    save_npz(path, {{"weights", w}, {"labels", l}}, compressed);
    auto back = load_npz(path);
    ASSERT_EQ(back.size(), 2u);
    EXPECT_EQ(back[0].first, "weights");
    EXPECT_EQ(back[1].first, "labels");
    EXPECT_EQ(back[0].second.to_tensor().to_vector<float>(), w.to_vector<float>());
    EXPECT_EQ(back[1].second.to_tensor().to_vector<int64_t>(), l.to_vector<int64_t>());
    ZipReader zip = ZipReader::open(path);
    EXPECT_EQ(zip.names(), (std::vector<std::string>{"weights.npy", "labels.npy"}));
  }
  // NpyArray entries keep strings and foreign byte orders exactly.
  auto fixture = load_npz(data("mixed.npz"));
  save_npz(dir.file("copy.npz"), fixture);
  auto copy = load_npz(dir.file("copy.npz"));
  ASSERT_EQ(copy.size(), fixture.size());
  for (size_t i = 0; i < copy.size(); ++i) {
    EXPECT_EQ(copy[i].first, fixture[i].first);
    EXPECT_EQ(copy[i].second.serialize(), fixture[i].second.serialize());
  }
  EXPECT_THROW_ALL(save_npz(dir.file("dup.npz"), {{"a", w}, {"a", l}}), ValueError,
                   "duplicate member name \"a.npy\"");
  EXPECT_THROW_ALL(save_npz(dir.file("bad.npz"), {{"../a", w}}), ValueError, "traversal");
  EXPECT_FALSE(std::filesystem::exists(dir.file("dup.npz")));
  EXPECT_FALSE(std::filesystem::exists(dir.file("bad.npz")));
  // A failed save leaves the previous file as it was, and no temporary file behind.
  NpyArray broken = NpyArray::from_tensor(w);
  broken.data.pop_back();
  EXPECT_THROW_ALL(
      save_npz(dir.file("s.npz"), {{"ok", NpyArray::from_tensor(l)}, {"broken", broken}}),
      ValueError, "needs 24 bytes");
  EXPECT_THROW_ALL(save_npy(dir.file("s.npz"), broken), ValueError, "needs 24 bytes");
  EXPECT_EQ(load_npz(dir.file("s.npz")).size(), 2u);
  EXPECT_EQ(dir.entries(), (std::vector<std::string>{"c.npz", "copy.npz", "s.npz"}));
}

KERAS_INSTANTIATE_BACKEND_TEST(NumpyWriteTest);

// NumPy itself reads what we write: tests/saving/check_npz.py prints "name dtype shape values".
bool python_numpy_available() {
  return std::system("/usr/bin/python3 -c 'import numpy' > /dev/null 2>&1") == 0;
}

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

TEST(NumpyInteropTest, NumpyLoadsWhatWeWrite) {
  if (!python_numpy_available()) GTEST_SKIP() << "/usr/bin/python3 with NumPy is not installed";
  ScratchDir dir;
  Tensor w = ops::convert_to_tensor(arange<float>(6, 0.25), Shape{2, 3});
  Tensor h = ops::convert_to_tensor(std::vector<float>{0.5f, -2.0f}, {.dtype = DType::Float16});
  Tensor b = ops::convert_to_tensor(std::vector<bool>{true, false});
  Tensor u = ops::convert_to_tensor(std::vector<int64_t>{7}, {.dtype = DType::UInt64});
  NpyArray f = load_npy(data("f64_fortran.npy"));
  NpyArray be = load_npy(data("i64_be.npy"));
  std::vector<std::pair<std::string, NpyArray>> entries = {
      {"w", NpyArray::from_tensor(w)},
      {"h", NpyArray::from_tensor(h)},
      {"b", NpyArray::from_tensor(b)},
      {"u", NpyArray::from_tensor(u)},
      {"fortran", f},
      {"big_endian", be},
      {"name", NpyArray::from_string("model \u2713")}};
  std::string expected =
      "w <f4 (2, 3) [0.0, 0.25, 0.5, 0.75, 1.0, 1.25]\n"
      "h <f2 (2,) [0.5, -2.0]\n"
      "b |b1 (2,) [True, False]\n"
      "u <u8 (1,) [7]\n"
      "fortran <f8 (2, 3, 4) [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, "
      "12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0]\n"
      "big_endian >i8 (2, 3) [-3000000021, -2000000014, -1000000007, 0, 1000000007, "
      "2000000014]\n"
      "name <U7 () model \u2713\n";
  for (bool compressed : {false, true}) {
    SCOPED_TRACE(compressed);
    std::string path = dir.file("ours.npz");
    save_npz(path, entries, compressed);
    EXPECT_EQ(
        run("/usr/bin/python3 " KERAS_SOURCE_DIR "/tests/saving/check_npz.py " + path + " 2>&1"),
        expected);
  }
  save_npy(dir.file("one.npy"), w);
  EXPECT_EQ(run("/usr/bin/python3 " KERAS_SOURCE_DIR "/tests/saving/check_npz.py " +
                dir.file("one.npy") + " 2>&1"),
            "- <f4 (2, 3) [0.0, 0.25, 0.5, 0.75, 1.0, 1.25]\n");
}

}  // namespace
}  // namespace keras::saving
