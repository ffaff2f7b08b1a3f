#pragma once
// Self-attention (query = value = x) as a single-input layer, so the generic layer harness
// (testing/layer_harness.hpp) can drive MultiHeadAttention and GroupedQueryAttention, whose
// attend() takes a query and a value.
#include <string>
#include <utility>

#include "keras/keras.hpp"

namespace keras::testing {

template <class Holder>
class SelfAttendImpl : public LayerImpl {
 public:
  // `tracked_as`: the name the attention layer is tracked under; `class_name`: this layer's.
  SelfAttendImpl(Holder layer, bool causal, const std::string& tracked_as, std::string class_name)
      : layer_(std::move(layer)), causal_(causal), class_name_(std::move(class_name)) {
    track_layer(tracked_as, layer_.ptr());
  }
  std::string class_name() const override { return class_name_; }
  void build(const Shape& s) override { layer_->maybe_build({s, s}); }
  Tensor call(const Tensor& x, const CallContext& ctx) override {
    return layer_->attend(x, x, {.use_causal_mask = causal_, .training = ctx.training})[0];
  }

 private:
  Holder layer_;
  bool causal_;
  std::string class_name_;
};

}  // namespace keras::testing
