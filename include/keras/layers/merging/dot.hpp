#pragma once
// Dot (keras/src/layers/merging/dot.py): the batched dot product of two inputs along `axes`
// (one axis for both, or one per input; the batch axis 0 is not allowed), optionally of the
// L2-normalized inputs (cosine proximity).
#include "keras/core/ints.hpp"
#include "keras/layers/merging/base_merge.hpp"

namespace keras::layers {

struct DotOptions {
  Ints axes;  // required: `.axes = 1` or `.axes = {1, 2}`
  bool normalize = false;
  std::string name;
  std::optional<DType> dtype;
  bool trainable = true;
};

class DotImpl : public MergeImpl {
 public:
  using Options = DotOptions;
  explicit DotImpl(DotOptions options);
  std::string class_name() const override { return "Dot"; }
  void build(const std::vector<Shape>& input_shapes) override;
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& context) override;
  Tensor compute_mask(const std::vector<Tensor>&, const Tensor&) const override { return Tensor(); }
  Config get_config() const override;
  const Options& options() const { return options_; }

 protected:
  Tensor merge_function(const std::vector<Tensor>& inputs) override;

 private:
  std::pair<int64_t, int64_t> resolve_axes(int rank1, int rank2) const;
  Options options_;
};
KERAS_LAYER(Dot);

// Keras's ops-level batch_dot (keras/src/layers/merging/dot.py): x and y of rank >= 2 with equal
// batch sizes, contracted along axes (neither 0).
Tensor batch_dot(const Tensor& x, const Tensor& y, std::pair<int64_t, int64_t> axes);

// `layers::dot({a, b}, {.axes = 1})`; Keras's functional default is axes = -1.
Tensor dot(const std::vector<Tensor>& inputs, DotOptions options = {.axes = -1});

}  // namespace keras::layers
