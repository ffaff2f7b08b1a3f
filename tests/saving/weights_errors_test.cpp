// Bad weights files give clear exceptions naming the object path, the layer and the shapes;
// hostile HDF5 files (links, shape bombs, garbage, truncation) are refused without crashing; a
// failed load leaves the model unchanged.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "saving/weights_test_util.hpp"
#include "testing/expect_error.hpp"

namespace keras::testing::weights {
namespace {

namespace h5 = saving::h5;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

// One dataset to put into a hand-made file.
struct Item {
  std::string path;  // "layers/dense/vars/0"
  Shape shape;
  DType dtype = DType::Float32;
};

// Writes a file with the given `vars` datasets (groups get a `name` attribute) for
// Sequential([Input((4,)), Dense(3)]): "layers/dense/vars/{0,1}" is the correct content.
void write_custom(const std::string& path, const std::vector<Item>& items) {
  std::lock_guard lock(h5::lock());
  auto file = h5::File::create(path);
  auto root = file.root();
  root.create_group("vars").set_string_attribute("name", "sequential");
  for (const Item& item : items) {
    std::optional<h5::Group> g;
    std::stringstream ss(item.path);
    std::vector<std::string> parts;
    for (std::string p; std::getline(ss, p, '/');) parts.push_back(p);
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
      const h5::Group& parent = g ? *g : root;
      g = parent.has(parts[i]) ? parent.open_group(parts[i]) : parent.create_group(parts[i]);
      if (parts[i] == "vars" && !g->string_attribute("name")) g->set_string_attribute("name", "x");
    }
    std::vector<uint8_t> zeros(item.shape.num_elements() * dtype_size(item.dtype));
    g->write_dataset(parts.back(), zeros.data(), item.shape, item.dtype);
  }
  file.close();
}

Model small() { return Sequential({Input({4}), L::Dense({.units = 3})}); }

class WeightsErrorsTest : public ::testing::Test {
 protected:
  void SetUp() override { clear_session(); }
  TempDir dir;
};

TEST_F(WeightsErrorsTest, FileNameMustEndInWeightsH5AndModelMustBeBuilt) {
  auto model = small();
  EXPECT_CONTAINS(error_of<ValueError>([&] { model.save_weights(dir.file("m.h5")); }),
                  "The filename must end in `.weights.h5`");
  auto unbuilt = Sequential({L::Dense({.units = 3})});
  EXPECT_CONTAINS(error_of<ValueError>([&] { unbuilt.save_weights(dir.file("m.weights.h5")); }),
                  "has not yet been built");
  model.save_weights(dir.file("m.weights.h5"));
  EXPECT_CONTAINS(error_of<ValueError>([&] { unbuilt.load_weights(dir.file("m.weights.h5")); }),
                  "has not yet been built");
  EXPECT_CONTAINS(error_of<ValueError>([&] { model.load_weights(dir.file("m.txt")); }),
                  "File format not supported");
  EXPECT_CONTAINS(error_of<NotImplementedError>([&] { model.load_weights(dir.file("m.h5")); }),
                  "legacy Keras 2");
}

TEST_F(WeightsErrorsTest, MissingFileIsOSError) {
  auto model = small();
  EXPECT_CONTAINS(error_of<OSError>([&] { model.load_weights(dir.file("none.weights.h5")); }),
                  "none.weights.h5");
}

TEST_F(WeightsErrorsTest, NotHdf5AndTruncatedFiles) {
  auto model = small();
  std::string path = dir.file("text.weights.h5");
  write_file(path, "this is not an HDF5 file");
  EXPECT_CONTAINS(error_of<ValueError>([&] { model.load_weights(path); }), "not an HDF5 file");
  EXPECT_CONTAINS(
      error_of<ValueError>([&] { saving::load_weights_from_h5_bytes(*model, "garbage", true); }),
      "not an HDF5 file");
  EXPECT_THROW(saving::load_weights_from_h5_bytes(*model, "", true), ValueError);

  // Every truncation of a real file is refused with an exception.
  std::string good = read_file(fixture("dense_mlp", ".weights.h5"));
  auto mlp = dense_mlp();
  for (size_t cut : {size_t{8}, size_t{100}, size_t{600}, good.size() / 2, good.size() - 1}) {
    std::string cut_path = dir.file("cut.weights.h5");
    write_file(cut_path, good.substr(0, cut));
    EXPECT_THROW(mlp.load_weights(cut_path), Error) << "cut at " << cut;
    EXPECT_THROW(saving::load_weights_from_h5_bytes(*mlp, good.substr(0, cut), true), Error)
        << "cut at " << cut;
  }
}

TEST_F(WeightsErrorsTest, WrongShapeNamesThePathAndBothShapes) {
  auto model = small();
  std::string path = dir.file("m.weights.h5");
  write_custom(path, {{"layers/dense/vars/0", {4, 5}}, {"layers/dense/vars/1", {3}}});
  std::string msg = error_of<ValueError>([&] { model.load_weights(path); });
  EXPECT_CONTAINS(msg, "layers/dense/vars/0");
  EXPECT_CONTAINS(msg, "(4, 3)");
  EXPECT_CONTAINS(msg, "(4, 5)");
  EXPECT_CONTAINS(msg, "dense/kernel");
}

TEST_F(WeightsErrorsTest, MissingAndExtraDatasets) {
  auto model = small();
  std::string path = dir.file("m.weights.h5");
  write_custom(path, {{"layers/dense/vars/0", {4, 3}}});
  std::string msg = error_of<ValueError>([&] { model.load_weights(path); });
  EXPECT_CONTAINS(msg, "expected 2 variables, but received 1");
  EXPECT_CONTAINS(msg, "/layers/dense/vars");

  write_custom(path, {{"layers/dense/vars/0", {4, 3}},
                      {"layers/dense/vars/1", {3}},
                      {"layers/dense/vars/2", {3}}});
  EXPECT_CONTAINS(error_of<ValueError>([&] { model.load_weights(path); }),
                  "expected 2 variables, but received 3");

  write_custom(path, {{"layers/dense/vars/0", {4, 3}}, {"layers/dense/vars/kernel", {3}}});
  EXPECT_CONTAINS(error_of<ValueError>([&] { model.load_weights(path); }),
                  "no dataset '/layers/dense/vars/1'");

  // No group at all for a layer with variables.
  write_custom(path, {{"layers/other/vars/0", {4, 3}}});
  msg = error_of<ValueError>([&] { model.load_weights(path); });
  EXPECT_CONTAINS(msg, "missing in the file");
  EXPECT_CONTAINS(msg, "layers/other/vars");  // and the unread group is reported too
}

TEST_F(WeightsErrorsTest, WrongDtypeKindIsRefusedButFloatWidthsConvert) {
  auto model = small();
  std::string path = dir.file("m.weights.h5");
  write_custom(path, {{"layers/dense/vars/0", {4, 3}, DType::Int32}, {"layers/dense/vars/1", {3}}});
  std::string msg = error_of<ValueError>([&] { model.load_weights(path); });
  EXPECT_CONTAINS(msg, "float32");
  EXPECT_CONTAINS(msg, "int32");
  // float64 / float16 data load into float32 variables, as Keras's assign converts them.
  write_custom(path, {{"layers/dense/vars/0", {4, 3}, DType::Float64},
                      {"layers/dense/vars/1", {3}, DType::Float16}});
  EXPECT_NO_THROW(model.load_weights(path));
}

TEST_F(WeightsErrorsTest, OtherArchitectureIsAClearError) {
  auto conv = conv2d();
  std::string msg =
      error_of<ValueError>([&] { conv.load_weights(fixture("dense_mlp", ".weights.h5")); });
  EXPECT_CONTAINS(msg, "could not be loaded");
  EXPECT_CONTAINS(msg, "layers/conv2d");
  EXPECT_CONTAINS(msg, "different architecture");
  // A model with fewer layers than the file: the file's extra layers are reported.
  auto shorter = Sequential({Input({10}), L::Dense({.units = 16, .activation = "relu"})});
  msg = error_of<ValueError>([&] { shorter.load_weights(fixture("dense_mlp", ".weights.h5")); });
  EXPECT_CONTAINS(msg, "/layers/dense_1/vars");
}

TEST_F(WeightsErrorsTest, FailedLoadLeavesTheModelUnchangedAndSkipMismatchLoadsTheRest) {
  auto model = Sequential({Input({4}), L::Dense({.units = 3}), L::Dense({.units = 2})});
  auto before = model.get_weights();
  std::string path = dir.file("m.weights.h5");
  write_custom(path, {{"layers/dense/vars/0", {4, 3}},
                      {"layers/dense/vars/1", {3}},
                      {"layers/dense_1/vars/0", {3, 7}},
                      {"layers/dense_1/vars/1", {2}}});
  EXPECT_THROW(model.load_weights(path), ValueError);
  auto after = model.get_weights();
  for (size_t i = 0; i < before.size(); ++i)
    EXPECT_EQ(before[i].to_vector<float>(), after[i].to_vector<float>()) << i;

  model.load_weights(path, /*skip_mismatch=*/true);
  EXPECT_EQ(model.get_weights()[0].to_vector<float>(), std::vector<float>(12, 0.0f));
  EXPECT_EQ(model.get_weights()[2].to_vector<float>(), before[2].to_vector<float>());
}

// Files made with HDF5's C API directly: links and storage Keras refuses.
class HostileFileTest : public WeightsErrorsTest {
 protected:
  // A correct file for small(), then `edit` adds something to /layers/dense/vars.
  template <class Edit>
  std::string make(Edit edit) {
    std::string path = dir.file("hostile.weights.h5");
    std::lock_guard lock(h5::lock());
    hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t layers = H5Gcreate2(f, "layers", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hid_t dense = H5Gcreate2(layers, "dense", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hid_t vars = H5Gcreate2(dense, "vars", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    edit(f, vars);
    H5Gclose(vars);
    H5Gclose(dense);
    H5Gclose(layers);
    H5Fclose(f);
    return path;
  }
  static void write_f32(hid_t loc, const char* name, std::vector<hsize_t> dims) {
    hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
    hid_t ds = H5Dcreate2(loc, name, H5T_IEEE_F32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    size_t n = 1;
    for (auto d : dims) n *= d;
    std::vector<float> zeros(n);
    H5Dwrite(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, zeros.data());
    H5Dclose(ds);
    H5Sclose(space);
  }
};

TEST_F(HostileFileTest, SoftAndExternalLinksAreRefused) {
  auto model = small();
  std::string path = make([](hid_t f, hid_t vars) {
    write_f32(f, "kernel", {4, 3});
    H5Lcreate_soft("/kernel", vars, "0", H5P_DEFAULT, H5P_DEFAULT);
    write_f32(vars, "1", {3});
  });
  EXPECT_CONTAINS(error_of<ValueError>([&] { model.load_weights(path); }),
                  "Not allowed: H5 file with SoftLink");
  path = make([](hid_t, hid_t vars) {
    H5Lcreate_external("/etc/other.h5", "/data", vars, "0", H5P_DEFAULT, H5P_DEFAULT);
    write_f32(vars, "1", {3});
  });
  EXPECT_CONTAINS(error_of<ValueError>([&] { model.load_weights(path); }),
                  "Not allowed: H5 file with ExternalLink");
}

TEST_F(HostileFileTest, ShapeBombAndStringDatasetsAreRefused) {
  auto model = small();
  // Declares 4 TiB, stores nothing (chunked, never written).
  std::string path = make([](hid_t, hid_t vars) {
    hsize_t dims[2] = {hsize_t{1} << 20, hsize_t{1} << 20};
    hsize_t chunk[2] = {64, 64};
    hid_t space = H5Screate_simple(2, dims, nullptr);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, 2, chunk);
    hid_t ds = H5Dcreate2(vars, "0", H5T_IEEE_F32LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    H5Dclose(ds);
    H5Pclose(dcpl);
    H5Sclose(space);
    write_f32(vars, "1", {3});
  });
  EXPECT_CONTAINS(error_of<ValueError>([&] { model.load_weights(path); }),
                  "decompression/shape bomb");

  path = make([](hid_t, hid_t vars) {
    hid_t str = H5Tcopy(H5T_C_S1);
    H5Tset_size(str, 8);
    hsize_t dims[1] = {12};
    hid_t space = H5Screate_simple(1, dims, nullptr);
    hid_t ds = H5Dcreate2(vars, "0", str, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dclose(ds);
    H5Sclose(space);
    H5Tclose(str);
    write_f32(vars, "1", {3});
  });
  EXPECT_CONTAINS(error_of<ValueError>([&] { model.load_weights(path); }), "non-numeric");
}

TEST_F(HostileFileTest, DatasetWhereAGroupBelongs) {
  auto model = small();
  std::string path = dir.file("odd.weights.h5");
  {
    std::lock_guard lock(h5::lock());
    hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    write_f32(f, "layers", {2});
    H5Fclose(f);
  }
  // `layers` is a dataset: the layer's group is missing (count mismatch), not a crash.
  EXPECT_CONTAINS(error_of<ValueError>([&] { model.load_weights(path); }), "layers/dense");
}

}  // namespace
}  // namespace keras::testing::weights
