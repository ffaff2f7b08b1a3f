// The HDF5 layout of weights files: Keras's tree walk (paths of nested layers, sub-layers under
// their attribute names, subclassed models, shared layers), groups, attributes and dtypes, and
// bit-exact save -> load round trips.
#include <gtest/gtest.h>

#include "saving/weights_test_util.hpp"
#include "testing/backends.hpp"
#include "testing/fresh_session.hpp"

namespace keras::testing::weights {
namespace {

// A layer with its own variable and two sub-layers: a public and a private attribute.
class BlockImpl : public LayerImpl {
 public:
  using Options = LayerOptions;
  explicit BlockImpl(LayerOptions options = {})
      : LayerImpl(std::move(options)),
        inner_(track("_inner", L::Dense({.units = 3}))),
        proj_(track("proj", L::Dense({.units = 2, .use_bias = false}))) {}
  std::string class_name() const override { return "Block"; }
  void build(const Shape& input_shape) override {
    scale_ = add_weight({.shape = {1}, .initializer = "ones", .name = "scale"});
    inner_->maybe_build({input_shape});
    proj_->maybe_build({Shape{input_shape[0], 3}});
  }
  Tensor call(const Tensor& x, const CallContext&) override {
    return proj_(inner_(x)) * scale_.value();
  }

 private:
  L::Dense inner_;
  L::Dense proj_;
  Variable scale_;
};
KERAS_LAYER(Block);

// A subclassed model: attributes "encoder", "decoder" and a private "_head".
class TwoTowerImpl : public ModelImpl {
 public:
  TwoTowerImpl()
      : encoder_(track("encoder", L::Dense({.units = 4, .activation = "relu"}))),
        head_(track("_head", L::Dense({.units = 2}))),
        decoder_(track("decoder", L::Dense({.units = 3}))) {}
  std::string class_name() const override { return "TwoTower"; }
  Tensor call(const Tensor& x, const CallContext&) override { return head_(decoder_(encoder_(x))); }

 private:
  L::Dense encoder_, head_, decoder_;
};
KERAS_MODEL(TwoTower);

std::vector<std::string> group_paths(const std::vector<saving::h5::TreeEntry>& tree) {
  std::vector<std::string> out;
  for (const auto& e : tree)
    if (e.is_group) out.push_back(e.path);
  return out;
}

const saving::h5::TreeEntry& entry(const std::vector<saving::h5::TreeEntry>& tree,
                                   const std::string& path) {
  for (const auto& e : tree)
    if (e.path == path) return e;
  throw std::runtime_error("no " + path + " in\n" + tree_text(tree));
}

void randomize(LayerImpl& model, int64_t seed) {
  std::vector<Tensor> values;
  int64_t i = 0;
  for (const Variable& v : model.weights())
    values.push_back(ops::cast(random::normal(v.shape(), {.seed = seed + i++}), v.dtype()));
  model.set_weights(values);
}

void expect_same_weights(const LayerImpl& a, const LayerImpl& b) {
  auto wa = a.get_weights(), wb = b.get_weights();
  ASSERT_EQ(wa.size(), wb.size());
  for (size_t i = 0; i < wa.size(); ++i) {
    ASSERT_EQ(wa[i].dtype(), wb[i].dtype());
    ASSERT_EQ(wa[i].shape(), wb[i].shape());
    std::vector<uint8_t> ba(wa[i].size() * dtype_size(wa[i].dtype())), bb(ba.size());
    wa[i].copy_to_host(ba.data(), ba.size());
    wb[i].copy_to_host(bb.data(), bb.size());
    EXPECT_EQ(ba, bb) << "weight " << i;
  }
}

class WeightsFormatTest : public testing::FreshSessionTest<> {};

TEST_P(WeightsFormatTest, SequentialLayoutMatchesKerasWorkedExample) {
  // The spec's worked example (§11.4): Sequential([Input((8,)), Dense(4)]).
  auto model = Sequential({Input({8}), L::Dense({.units = 4, .activation = "relu"})});
  auto tree = tree_of_bytes(saving::weights_to_h5_bytes(*model, true));
  EXPECT_EQ(tree_text(tree),
            "/ group\n"
            "/layers group\n"
            "/layers/dense group\n"
            "/layers/dense/vars group @name=dense\n"
            "/layers/dense/vars/0 dataset (8, 4) float32\n"
            "/layers/dense/vars/1 dataset (4,) float32\n"
            "/vars group @name=sequential\n");
}

TEST_P(WeightsFormatTest, FunctionalKeepsInputLayersAndWeightlessLayers) {
  Tensor x = Input({8});
  Tensor y = L::Dense({.units = 4})(L::Flatten()(x));
  auto model = Model(x, y);
  auto tree = tree_of_bytes(saving::weights_to_h5_bytes(*model, true));
  EXPECT_EQ(group_paths(tree),
            (std::vector<std::string>{"/", "/layers", "/layers/dense", "/layers/dense/vars",
                                      "/layers/flatten", "/layers/flatten/vars",
                                      "/layers/input_layer", "/layers/input_layer/vars", "/vars"}));
  EXPECT_EQ(entry(tree, "/vars").attributes,
            (std::vector<std::pair<std::string, std::string>>{{"name", model->name()}}));
  EXPECT_EQ(entry(tree, "/layers/flatten/vars").attributes.size(), 1u);
}

TEST_P(WeightsFormatTest, SubLayersUseAttributeNamesPublicFirst) {
  auto block = Block();
  auto model = Sequential({Input({5}), block});
  auto tree = tree_of_bytes(saving::weights_to_h5_bytes(*model, true));
  EXPECT_EQ(group_paths(tree),
            (std::vector<std::string>{"/", "/layers", "/layers/block", "/layers/block/_inner",
                                      "/layers/block/_inner/vars", "/layers/block/proj",
                                      "/layers/block/proj/vars", "/layers/block/vars", "/vars"}));
  // The block's own vars hold only its own variable; sub-layers have their own groups.
  EXPECT_EQ(entry(tree, "/layers/block/vars/0").shape, Shape({1}));
  EXPECT_THROW(entry(tree, "/layers/block/vars/1"), std::runtime_error);
  EXPECT_EQ(entry(tree, "/layers/block/_inner/vars/0").shape, Shape({5, 3}));
  EXPECT_EQ(entry(tree, "/layers/block/proj/vars/0").shape, Shape({3, 2}));
}

TEST_P(WeightsFormatTest, SubclassedModelAttributesAndLayersContainer) {
  // Keras visits public attributes alphabetically (decoder, encoder, layers), then private
  // ones. `_head` is first reached through the `layers` list (tracking order: encoder, _head,
  // decoder), as its second Dense: `layers/dense_1` (the counter also advances for encoder,
  // already saved).
  auto model = TwoTower();
  model->maybe_build({Shape{Shape::kNone, 6}});
  auto tree = tree_of_bytes(saving::weights_to_h5_bytes(*model, true));
  EXPECT_EQ(group_paths(tree), (std::vector<std::string>{
                                   "/", "/decoder", "/decoder/vars", "/encoder", "/encoder/vars",
                                   "/layers", "/layers/dense_1", "/layers/dense_1/vars", "/vars"}));
  EXPECT_EQ(entry(tree, "/layers/dense_1/vars/0").shape, Shape({3, 2}));
  EXPECT_EQ(entry(tree, "/encoder/vars/0").shape, Shape({6, 4}));
  EXPECT_EQ(entry(tree, "/vars").attributes[0].second, "two_tower");

  auto copy = TwoTower();
  copy->maybe_build({Shape{Shape::kNone, 6}});
  randomize(*model, 3);
  saving::load_weights_from_h5_bytes(*copy, saving::weights_to_h5_bytes(*model, true), true);
  expect_same_weights(*model, *copy);
}

TEST_P(WeightsFormatTest, SharedLayerIsSavedOnceAtItsFirstPath) {
  auto shared = L::Dense({.units = 3});
  auto inner = Sequential({Input({3}), shared});
  Tensor x = Input({3});
  Tensor y = inner(shared(x));
  auto model = Model(x, y);
  auto tree = tree_of_bytes(saving::weights_to_h5_bytes(*model, true));
  // Functional layers: input_layer, dense (shared), sequential; the nested Sequential's
  // `layers/dense` is the same object, already saved.
  EXPECT_EQ(group_paths(tree),
            (std::vector<std::string>{"/", "/layers", "/layers/dense", "/layers/dense/vars",
                                      "/layers/input_layer", "/layers/input_layer/vars",
                                      "/layers/sequential", "/layers/sequential/vars", "/vars"}));
}

TEST_P(WeightsFormatTest, RoundTripIsBitExactForEveryFloatDtype) {
  for (DType dtype : {DType::Float32, DType::Float64, DType::Float16, DType::BFloat16}) {
    SCOPED_TRACE(std::string(dtype_name(dtype)));
    auto make = [&] {
      return Sequential({Input({4}), L::Dense({.units = 3, .dtype = dtype}),
                         L::BatchNormalization({.dtype = dtype})});
    };
    auto model = make();
    randomize(*model, 11);
    TempDir dir;
    std::string path = dir.file("m.weights.h5");
    model.save_weights(path);
    auto tree = tree_of_file(path);
    EXPECT_EQ(entry(tree, "/layers/dense/vars/0").dtype, dtype);
    if (dtype == DType::BFloat16) {
      EXPECT_EQ(entry(tree, "/layers/dense/vars/0").attributes,
                (std::vector<std::pair<std::string, std::string>>{{"dtype", "bfloat16"}}));
    } else {
      EXPECT_TRUE(entry(tree, "/layers/dense/vars/0").attributes.empty());
    }
    auto copy = make();
    copy.load_weights(path);
    expect_same_weights(*model, *copy);
  }
}

TEST_P(WeightsFormatTest, FileAndBytesHaveTheSameContent) {
  auto model = nested_model();
  randomize(*model, 5);
  TempDir dir;
  std::string path = dir.file("m.weights.h5");
  model.save_weights(path);
  EXPECT_EQ(tree_text(tree_of_file(path)),
            tree_text(tree_of_bytes(saving::weights_to_h5_bytes(*model, true))));
  auto copy = nested_model();
  saving::load_weights_from_h5_bytes(*copy, saving::weights_to_h5_bytes(*model, false), false);
  expect_same_weights(*model, *copy);
}

TEST_P(WeightsFormatTest, SaveOverwritesAtomicallyAndLeavesNoTemporaryFiles) {
  auto model = dense_mlp();
  TempDir dir;
  std::string path = dir.file("m.weights.h5");
  model.save_weights(path);
  randomize(*model, 9);
  model.save_weights(path);
  auto copy = dense_mlp();
  copy.load_weights(path);
  expect_same_weights(*model, *copy);
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1);
}

KERAS_INSTANTIATE_BACKEND_TEST(WeightsFormatTest);

// The wrapper writes every dtype the way h5py does and reads it back unchanged.
TEST(H5Wrapper, EveryDtypeScalarAndNdRoundTrip) {
  namespace h5 = saving::h5;
  std::lock_guard lock(h5::lock());
  auto file = h5::File::create_in_memory("dtypes");
  auto root = file.root();
  std::vector<DType> dtypes = {DType::Bool,   DType::Int8,    DType::Int16,    DType::Int32,
                               DType::Int64,  DType::UInt8,   DType::UInt16,   DType::UInt32,
                               DType::UInt64, DType::Float16, DType::BFloat16, DType::Float32,
                               DType::Float64};
  for (DType dt : dtypes) {
    int k = 0;
    for (Shape shape : {Shape{}, Shape{2, 3}, Shape{0, 4}}) {
      std::vector<uint8_t> data(shape.num_elements() * dtype_size(dt));
      for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 37 + 1);
      if (dt == DType::Bool)
        for (auto& b : data) b &= 1;
      std::string name = std::string(dtype_name(dt)) + "_" + std::to_string(k++);
      root.write_dataset(name, data.data(), shape, dt);
      auto ds = root.open_dataset(name);
      EXPECT_EQ(ds.dtype(), dt) << name;
      EXPECT_EQ(ds.shape(), shape) << name;
      std::vector<uint8_t> back(data.size());
      ds.read(back.data(), back.size());
      EXPECT_EQ(back, data) << name;
    }
  }
  // And through a file image.
  auto image = h5::File::open_image(file.image(), "image");
  EXPECT_EQ(image.root().open_dataset("float16_1").dtype(), DType::Float16);
  EXPECT_EQ(image.root().open_dataset("bfloat16_0").string_attribute("dtype"), "bfloat16");
}

}  // namespace
}  // namespace keras::testing::weights
