// The bounds-checked HDF5 reader (src/saving/h5/reader.hpp) against libhdf5: every fixture and
// files written by libhdf5 in the layouts the reader supports read the same through both; the
// layouts it does not support, and corrupted files, give a keras::Error and never a crash.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "keras/saving/zip_archive.hpp"
#include "saving/h5/reader.hpp"
#include "saving/weights_test_util.hpp"
#include "testing/expect_error.hpp"

namespace keras::testing::weights {
namespace {

namespace h5 = saving::h5;
namespace fs = std::filesystem;

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Reads one dataset by path, through the reader (h5::ReadFile) or libhdf5 (h5::File).
template <class File>
std::vector<uint8_t> data_at(const File& f, const std::string& path) {
  std::optional<decltype(f.root())> g = f.root();
  std::vector<std::string> parts;
  for (size_t s = 1; s < path.size();) {
    size_t e = path.find('/', s);
    if (e == std::string::npos) e = path.size();
    parts.push_back(path.substr(s, e - s));
    s = e + 1;
  }
  for (size_t i = 0; i + 1 < parts.size(); ++i) g = g->open_group(parts[i]);
  auto d = g->open_dataset(parts.back());
  std::vector<uint8_t> out(d.shape().num_elements() * h5::element_size(d.dtype()));
  d.read(out.data(), out.size());
  return out;
}

// Structure, attributes and every dataset's bytes agree between the reader and libhdf5.
void expect_same(const h5::File& theirs, const h5::ReadFile& ours, const std::string& what) {
  auto tree = h5::describe(theirs);
  ASSERT_EQ(tree_text(h5::describe(ours)), tree_text(tree)) << what;
  for (const auto& e : tree) {
    if (e.is_group) continue;
    EXPECT_EQ(data_at(ours, e.path), data_at(theirs, e.path)) << what << " " << e.path;
  }
}

// An image in memory.
void expect_same_as_libhdf5(const std::string& bytes, const std::string& what) {
  std::lock_guard lock(h5::lock());
  expect_same(h5::File::open_image(bytes, what), h5::ReadFile::from_image(bytes, what), what);
}

// A file on disk (the reader reads it with pread).
void expect_same_as_libhdf5_on_disk(const std::string& path) {
  std::lock_guard lock(h5::lock());
  expect_same(h5::File::open(path), h5::ReadFile::open(path), path);
}

TEST(H5Reader, EveryFixtureReadsLikeLibhdf5) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(KERAS_FIXTURES_DIR)) {
    std::string p = entry.path().string();
    if (p.ends_with(".weights.h5")) {
      expect_same_as_libhdf5_on_disk(p);
      ++files;
    } else if (p.ends_with(".keras")) {
      expect_same_as_libhdf5(saving::ZipReader::open(p).read("model.weights.h5"), p);
      ++files;
    }
  }
  EXPECT_GE(files, 40);
}

// A file written with libhdf5 by `write` (given the file id), with the given property lists.
template <class Write>
std::string make_file(const std::string& path, hid_t fcpl, hid_t fapl, Write write) {
  std::lock_guard lock(h5::lock());
  hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl, fapl);
  EXPECT_GE(f, 0);
  write(f);
  H5Fclose(f);
  return read_bytes(path);
}

void write_array(hid_t loc, const char* name, hid_t file_type, hid_t mem_type,
                 std::vector<hsize_t> dims, const void* data, hid_t dcpl = H5P_DEFAULT) {
  hid_t space = dims.empty()
                    ? H5Screate(H5S_SCALAR)
                    : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
  hid_t ds = H5Dcreate2(loc, name, file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  if (data) H5Dwrite(ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
  H5Dclose(ds);
  H5Sclose(space);
}

void string_attribute(hid_t obj, const char* name, const char* value, size_t fixed_size,
                      H5T_str_t pad) {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, fixed_size ? fixed_size : H5T_VARIABLE);
  H5Tset_strpad(t, pad);
  hid_t space = H5Screate(H5S_SCALAR);
  hid_t a = H5Acreate2(obj, name, t, space, H5P_DEFAULT, H5P_DEFAULT);
  if (fixed_size) {
    std::string buf(fixed_size, pad == H5T_STR_SPACEPAD ? ' ' : '\0');
    std::memcpy(buf.data(), value, std::min(fixed_size, std::strlen(value)));
    H5Awrite(a, t, buf.data());
  } else {
    H5Awrite(a, t, &value);
  }
  H5Aclose(a);
  H5Sclose(space);
  H5Tclose(t);
}

// Groups, numbers of several types and both byte orders, scalars, empty arrays, attributes.
void write_sample(hid_t f) {
  hid_t layers = H5Gcreate2(f, "layers", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  hid_t vars = H5Gcreate2(layers, "vars", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  string_attribute(vars, "name", "dense", 0, H5T_STR_NULLTERM);
  string_attribute(vars, "fixed", "abc", 8, H5T_STR_NULLPAD);
  std::vector<float> f32(12);
  for (size_t i = 0; i < f32.size(); ++i) f32[i] = 0.25f * static_cast<float>(i) - 1.0f;
  std::vector<double> f64 = {1.5, -2.25, 1e300};
  std::vector<int32_t> i32 = {1, -2, 1 << 30};
  int64_t scalar = -7;
  write_array(vars, "0", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, {3, 4}, f32.data());
  write_array(vars, "1", H5T_IEEE_F64BE, H5T_NATIVE_DOUBLE, {3}, f64.data());
  write_array(vars, "2", H5T_STD_I32BE, H5T_NATIVE_INT32, {3}, i32.data());
  write_array(vars, "3", H5T_STD_I64LE, H5T_NATIVE_INT64, {}, &scalar);
  write_array(vars, "4", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, {0, 5}, nullptr);
  hid_t empty = H5Gcreate2(layers, "no_vars", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Gclose(empty);
  H5Gclose(vars);
  H5Gclose(layers);
}

class H5ReaderFiles : public ::testing::Test {
 protected:
  TempDir dir;
};

TEST_F(H5ReaderFiles, OldAndNewFileFormatsReadLikeLibhdf5) {
  // libhdf5's defaults (what h5py and Keras write): superblock 0, symbol-table groups.
  expect_same_as_libhdf5(make_file(dir.file("v0.h5"), H5P_DEFAULT, H5P_DEFAULT, write_sample),
                         "v0");
  // The newest format: superblock 3, version 2 object headers with checksums, compact groups.
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  H5Pset_libver_bounds(fapl, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
  std::string latest = make_file(dir.file("latest.h5"), H5P_DEFAULT, fapl, write_sample);
  H5Pclose(fapl);
  ASSERT_EQ(latest[8], 3);  // superblock version
  expect_same_as_libhdf5(latest, "latest");
  // A user block before the superblock.
  hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
  H5Pset_userblock(fcpl, 1024);
  make_file(dir.file("ub.h5"), fcpl, H5P_DEFAULT, write_sample);
  H5Pclose(fcpl);
  expect_same_as_libhdf5_on_disk(dir.file("ub.h5"));
}

TEST_F(H5ReaderFiles, CompactAndUnwrittenDatasets) {
  std::string bytes = make_file(dir.file("c.h5"), H5P_DEFAULT, H5P_DEFAULT, [](hid_t f) {
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_layout(dcpl, H5D_COMPACT);
    std::vector<int16_t> v = {1, -2, 3, -4};
    write_array(f, "compact", H5T_STD_I16LE, H5T_NATIVE_INT16, {2, 2}, v.data(), dcpl);
    H5Pclose(dcpl);
    // Contiguous, never written: reads as the fill value.
    dcpl = H5Pcreate(H5P_DATASET_CREATE);
    float fill = 2.5f;
    H5Pset_fill_value(dcpl, H5T_NATIVE_FLOAT, &fill);
    H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_LATE);
    write_array(f, "unwritten", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, {5}, nullptr, dcpl);
    H5Pclose(dcpl);
  });
  expect_same_as_libhdf5(bytes, "compact");
  // libhdf5's wrapper keeps the padding of space-padded strings; the reader removes it.
  std::string spaced = make_file(dir.file("s.h5"), H5P_DEFAULT, H5P_DEFAULT, [](hid_t f) {
    string_attribute(f, "spaced", "xy", 6, H5T_STR_SPACEPAD);
  });
  EXPECT_EQ(h5::ReadFile::from_image(spaced, "s").root().string_attribute("spaced"), "xy");
  auto f = h5::ReadFile::from_image(bytes, "compact");
  std::vector<uint8_t> got = data_at(f, "/unwritten");
  std::vector<float> values(5);
  std::memcpy(values.data(), got.data(), got.size());
  EXPECT_EQ(values, std::vector<float>(5, 2.5f));
}

TEST_F(H5ReaderFiles, LayoutsOutsideTheSubsetAreClearErrors) {
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  H5Pset_libver_bounds(fapl, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
  std::string dense = make_file(dir.file("dense.h5"), H5P_DEFAULT, fapl, [](hid_t f) {
    for (int i = 0; i < 20; ++i) {
      float v = static_cast<float>(i);
      write_array(f, std::to_string(i).c_str(), H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, {}, &v);
    }
  });
  H5Pclose(fapl);
  EXPECT_CONTAINS(error_of<ValueError>([&] { h5::ReadFile::from_image(dense, "d").root(); }),
                  "dense storage");

  std::string chunked = make_file(dir.file("chunked.h5"), H5P_DEFAULT, H5P_DEFAULT, [](hid_t f) {
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hsize_t chunk[1] = {4};
    H5Pset_chunk(dcpl, 1, chunk);
    H5Pset_deflate(dcpl, 4);
    std::vector<float> v(16, 1.0f);
    write_array(f, "zipped", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, {16}, v.data(), dcpl);
    H5Pclose(dcpl);
    hid_t ext = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_external(ext, "/etc/passwd", 0, 64);
    write_array(f, "external", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, {16}, nullptr, ext);
    H5Pclose(ext);
  });
  auto root = h5::ReadFile::from_image(chunked, "c").root();
  EXPECT_CONTAINS(error_of<ValueError>([&] { root.open_dataset("zipped"); }), "chunked storage");
  EXPECT_CONTAINS(error_of<ValueError>([&] { root.open_dataset("external"); }),
                  "Not allowed: H5 file with external Dataset");

  EXPECT_CONTAINS(error_of<ValueError>([] { h5::ReadFile::from_image("not hdf5", "x"); }),
                  "is not an HDF5 file");
  EXPECT_CONTAINS(error_of<OSError>([&] { h5::ReadFile::open(dir.file("missing.h5")); }),
                  "Cannot open");
}

// Reads everything a loader could touch: members, kinds, attributes, datasets up to 1 MiB.
void walk_everything(const h5::ReadGroup& g, int depth) {
  if (depth > 16) return;
  for (const std::string& a : g.attribute_names()) (void)g.string_attribute(a);
  for (const std::string& name : g.member_names()) {
    try {
      if (g.link_kind(name) != h5::LinkKind::Hard) continue;
      if (g.object_kind(name) == h5::ObjectKind::Group) {
        walk_everything(g.open_group(name), depth + 1);
      } else if (g.object_kind(name) == h5::ObjectKind::Dataset) {
        h5::ReadDataset d = g.open_dataset(name);
        uint64_t bytes = d.shape().num_elements() * h5::element_size(d.dtype());
        if (bytes <= (1u << 20)) {
          std::vector<uint8_t> buf(bytes);
          d.read(buf.data(), buf.size());
        }
      }
    } catch (const Error&) {
    }
  }
}

// Only keras::Error may come out of the reader for damaged input (the sanitizer builds of
// fuzz/h5_fuzzer.cpp check the same far more thoroughly).
TEST(H5Reader, TruncatedAndMutatedFilesGiveErrors) {
  std::string good = read_bytes(fixture("dense_mlp", ".weights.h5"));
  auto attempt = [](const std::string& bytes) {
    try {
      walk_everything(h5::ReadFile::from_image(bytes, "damaged").root(), 0);
    } catch (const Error&) {
    }
  };
  for (size_t n = 0; n < good.size(); n += 97) attempt(good.substr(0, n));
  std::mt19937_64 rng(7);
  for (int i = 0; i < 3000; ++i) {
    std::string bytes = good;
    int flips = 1 + static_cast<int>(rng() % 8);
    for (int k = 0; k < flips; ++k) bytes[rng() % bytes.size()] = static_cast<char>(rng());
    attempt(bytes);
  }
  // Truncating the end of a valid file is noticed from the superblock's end address.
  EXPECT_CONTAINS(error_of<ValueError>(
                      [&] { h5::ReadFile::from_image(good.substr(0, good.size() - 100), "cut"); }),
                  "truncated");
}

}  // namespace
}  // namespace keras::testing::weights
