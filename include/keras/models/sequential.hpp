#pragma once
// keras::Sequential (keras/src/models/sequential.py): a plain stack of layers.
//
//   auto model = keras::Sequential({
//       keras::Input({28, 28, 1}),
//       layers::Conv2D({.filters = 32, .kernel_size = 3, .activation = "relu"}),
//       layers::Flatten(),
//       layers::Dense({.units = 10, .activation = "softmax"}),
//   });
#include <initializer_list>
#include <string>
#include <unordered_set>

#include "keras/layers/core/input_layer.hpp"
#include "keras/models/model.hpp"

namespace keras {

struct SequentialOptions {
  std::string name;  // default "sequential", "sequential_1", ...
  bool trainable = true;
};

// One entry of the list given to Sequential: a layer, or a keras::Input tensor (which must come
// first and fixes the input shape).
class SequentialItem {
 public:
  SequentialItem(const Tensor& input) : input_(input) {}  // NOLINT
  template <class Impl>
  SequentialItem(const LayerHolder<Impl>& layer) : layer_(layer.ptr()) {}  // NOLINT
  const Tensor& input() const { return input_; }
  const std::shared_ptr<LayerImpl>& layer() const { return layer_; }

 private:
  Tensor input_;
  std::shared_ptr<LayerImpl> layer_;
};

class SequentialImpl : public ModelImpl {
 public:
  using Options = SequentialOptions;
  explicit SequentialImpl(std::vector<SequentialItem> items = {}, SequentialOptions options = {});

  std::string class_name() const override { return "Sequential"; }
  std::string module() const override { return "keras"; }
  std::string registered_name() const override { return ""; }

  // Appends a layer (or sets the input with a keras::Input tensor). Layer names must be unique.
  void add(const SequentialItem& item);
  // Removes the last layer.
  void pop();
  std::vector<Layer> layers() const override;
  // The InputLayer, if the model has one.
  std::shared_ptr<layers::InputLayerImpl> input_layer() const { return input_layer_; }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& context) override;
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  void build(const Shape& input_shape) override;
  // One input: builds every layer in turn (not the subclassed-model symbolic call).
  void build(const std::vector<Shape>& input_shapes) override;
  Config get_config() const override;

 protected:
  std::vector<SummaryRow> summary_rows() const override;

 private:
  std::shared_ptr<layers::InputLayerImpl> input_layer_;
  std::vector<std::shared_ptr<LayerImpl>> stack_;
  // Names in stack_, and the stack's symbolic output when the model starts with an Input: add()
  // checks and extends them in constant time (a 20,000-layer config loads in linear time).
  std::unordered_set<std::string> names_;
  Tensor symbolic_output_;
};

class Sequential : public ModelHolder<SequentialImpl> {
 public:
  using ModelHolder<SequentialImpl>::ModelHolder;
  Sequential(std::initializer_list<SequentialItem> items = {}, SequentialOptions options = {});
  Sequential(std::vector<SequentialItem> items, SequentialOptions options = {});
  void add(const SequentialItem& item) const { this->checked().add(item); }
  void pop() const { this->checked().pop(); }
};

}  // namespace keras
