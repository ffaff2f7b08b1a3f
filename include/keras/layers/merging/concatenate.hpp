#pragma once
// Concatenate (keras/src/layers/merging/concatenate.py): joins its inputs along `axis`; every
// other dimension must match.
#include "keras/layers/merging/base_merge.hpp"

namespace keras::layers {

struct ConcatenateOptions {
  int64_t axis = -1;
  std::string name;
  std::optional<DType> dtype;
  bool trainable = true;
};

class ConcatenateImpl : public MergeImpl {
 public:
  using Options = ConcatenateOptions;
  explicit ConcatenateImpl(ConcatenateOptions options = {});
  std::string class_name() const override { return "Concatenate"; }
  void build(const std::vector<Shape>& input_shapes) override;
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& context) override;
  Config get_config() const override;
  // Unmasked inputs count as all-true; the masks are concatenated along `axis` and reduced with
  // any() over the last axis (Keras's Concatenate.compute_mask).
  std::vector<Tensor> compute_masks(const std::vector<Tensor>& inputs,
                                    const std::vector<Tensor>& masks) const override;
  const Options& options() const { return options_; }

 protected:
  Tensor merge_function(const std::vector<Tensor>& inputs) override;

 private:
  Options options_;
};
KERAS_LAYER(Concatenate);

Tensor concatenate(const std::vector<Tensor>& inputs, ConcatenateOptions options = {});

}  // namespace keras::layers
