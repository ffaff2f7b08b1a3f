#pragma once
// keras.layers.Bidirectional (keras/src/layers/rnn/bidirectional.py): runs an RNN layer forwards
// and a copy of it backwards and merges the outputs.
//
//   auto y = layers::Bidirectional(layers::LSTM({.units = 64, .return_sequences = true}))(x);
//
// The forward layer is rebuilt from the given layer's config and named "forward_<name>"; the
// backward layer is `backward_layer` or another copy with go_backwards = true named
// "backward_<name>". merge_mode: "concat" (default), "sum", "mul", "ave" or std::nullopt (the
// two outputs are returned separately). With return_state the outputs are
// [output(s)..., forward states..., backward states...]; initial states are extra inputs
// (forward ones then backward ones). The backward sequence output is flipped back to the input's
// time order. Sub-layers are tracked as `forward_layer` and `backward_layer`.
#include "keras/layers/option_groups.hpp"
#include "keras/layers/rnn/rnn.hpp"

namespace keras::layers {

struct BidirectionalOptions {
  std::optional<std::string> merge_mode = "concat";
  Layer backward_layer{};
  KERAS_BASE_LAYER_OPTIONS;
};

class BidirectionalImpl : public LayerImpl {
 public:
  BidirectionalImpl(const Layer& layer, BidirectionalOptions options = {});
  std::string class_name() const override { return "Bidirectional"; }
  void build(const std::vector<Shape>& input_shapes) override;
  using LayerImpl::call;
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& context) override;
  Config get_config() const override;
  // Keras's Bidirectional.compute_mask: the input mask for sequence outputs (twice without a
  // merge mode), none for the last output and the states.
  std::vector<Tensor> compute_masks(const std::vector<Tensor>& inputs,
                                    const std::vector<Tensor>& masks) const override;
  void reset_states();
  void reset_state() { reset_states(); }

  const std::shared_ptr<RNNImpl>& forward_layer() const { return forward_; }
  const std::shared_ptr<RNNImpl>& backward_layer() const { return backward_; }
  const std::optional<std::string>& merge_mode() const { return merge_mode_; }

 private:
  std::optional<std::string> merge_mode_;
  std::shared_ptr<RNNImpl> forward_, backward_;
};

class Bidirectional : public LayerHolder<BidirectionalImpl> {
 public:
  explicit Bidirectional(std::shared_ptr<BidirectionalImpl> impl)
      : LayerHolder<BidirectionalImpl>(std::move(impl)) {}
  explicit Bidirectional(const Layer& layer, BidirectionalOptions options = {})
      : LayerHolder<BidirectionalImpl>(
            std::make_shared<BidirectionalImpl>(layer, std::move(options))) {}
};

}  // namespace keras::layers
