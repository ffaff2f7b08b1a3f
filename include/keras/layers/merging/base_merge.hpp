#pragma once
// The base of the merging layers (keras/src/layers/merging/base_merge.py): layers called on a
// list of tensors, `layers::Add()({a, b})`. Elementwise merges broadcast the per-example shapes
// (an input of lower rank gets size-1 axes inserted after the batch axis) and reject different
// batch sizes or incompatible shapes with ValueError.
#include <optional>
#include <string>
#include <vector>

#include "keras/layers/layer.hpp"

namespace keras::layers {

class MergeImpl : public LayerImpl {
 public:
  explicit MergeImpl(LayerOptions options);
  void build(const std::vector<Shape>& input_shapes) override;
  using LayerImpl::call;
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& context) override;
  // The logical OR of the input masks; none unless every input has one (Keras's Merge).
  std::vector<Tensor> compute_masks(const std::vector<Tensor>& inputs,
                                    const std::vector<Tensor>& masks) const override;

 protected:
  // The merge of inputs of equal rank.
  virtual Tensor merge_function(const std::vector<Tensor>& inputs) = 0;
  std::string where() const;
  // "[(None, 3), (None, 4)]"
  static std::string shapes_str(const std::vector<Shape>& shapes);

 private:
  bool reshape_required_ = false;
};

}  // namespace keras::layers
