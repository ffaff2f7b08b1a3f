#pragma once
// keras.layers.RNN (keras/src/layers/rnn/rnn.py): runs a cell over the time axis of
// (batch, timesteps, features) inputs.
//
//   auto rnn = layers::RNN(make_layer<MyCellImpl>(...), {.return_sequences = true});
//   auto outs = rnn.invoke({x, h0});          // initial states are extra inputs
//
// Options as in Keras: return_sequences, return_state (outputs [output, states...]),
// go_backwards (the sequence is processed in reverse; returned sequences are in processing
// order), stateful (the last states of a batch are the initial states of the next; reset_states()),
// unroll (accepted; every step runs eagerly either way), zero_output_for_mask.
//
// Masks (CallArgs.mask or the input's keras_mask(), (batch, timesteps) booleans): at a masked step
// the states keep their previous values and the output repeats the previous output (zeros with
// zero_output_for_mask), as Keras's backend rnn does. As in Keras 3.15 the RNN layers do not attach
// a mask to their outputs (supports_masking is false); compute_mask() gives the mask Keras would.
//
// The built-in layers (SimpleRNN, LSTM, GRU) run a fused path: one GEMM projects every timestep
// through the input kernel, then a short recurrent loop (RNNCellImpl::step_projected). Other
// cells, or `set_fused(false)`, run the generic per-step cell loop; both give the same numbers.
#include <optional>

#include "keras/layers/option_groups.hpp"
#include "keras/layers/rnn/rnn_cell.hpp"

namespace keras::layers {

struct RNNOptions {
  KERAS_RNN_OPTIONS;
  saving::ObjectRef<regularizers::Regularizer> activity_regularizer{};
  KERAS_BASE_LAYER_OPTIONS;
};

class RNNImpl : public LayerImpl {
 public:
  using Options = RNNOptions;
  RNNImpl(std::shared_ptr<RNNCellImpl> cell, RNNOptions options = {});
  template <class Cell>
  RNNImpl(const LayerHolder<Cell>& cell, RNNOptions options = {})
      : RNNImpl(std::static_pointer_cast<RNNCellImpl>(cell.ptr()), std::move(options)) {}

  std::string class_name() const override { return "RNN"; }
  void build(const std::vector<Shape>& input_shapes) override;
  using LayerImpl::call;
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& context) override;
  Tensor compute_mask(const std::vector<Tensor>& inputs, const Tensor& mask) const override;
  Config get_config() const override;

  const std::shared_ptr<RNNCellImpl>& cell() const { return cell_; }
  const RNNOptions& rnn_options() const { return options_; }
  // Keras's reset_state(s): zeroes the states of a stateful layer.
  void reset_states();
  void reset_state() { reset_states(); }
  // The current states of a stateful layer (empty before the first call).
  const std::vector<Tensor>& states() const { return states_; }
  // Whether the fused path may be used (default true); false forces the generic cell loop.
  void set_fused(bool fused) { fused_ = fused; }
  bool fused() const { return fused_; }
  // Bidirectional forces this to return_sequences, as Keras does.
  void set_zero_output_for_mask(bool value) { options_.zero_output_for_mask = value; }

  // The loop: sequences (batch, time, features), initial states, optional mask (batch, time).
  // Returns the last output, the outputs (batch, time, units) when return_sequences (else
  // undefined) and the final states.
  struct LoopResult {
    Tensor last_output;
    Tensor outputs;
    std::vector<Tensor> states;
  };
  LoopResult run(const Tensor& sequences, const std::vector<Tensor>& initial_state,
                 const Tensor& mask, bool training);

 protected:
  // Keys of RNN's own config (return_sequences ... zero_output_for_mask) merged on `base`.
  Config rnn_config(Config base) const;

 private:
  LoopResult loop(const std::vector<Tensor>& steps_in, bool projected,
                  const std::vector<Tensor>& initial_state, const std::vector<Tensor>& step_masks,
                  const CallContext& context);

  std::shared_ptr<RNNCellImpl> cell_;
  RNNOptions options_;
  std::vector<Tensor> states_;  // stateful only
  bool fused_ = true;
};
class RNN : public LayerHolder<RNNImpl> {
 public:
  explicit RNN(std::shared_ptr<RNNImpl> impl) : LayerHolder<RNNImpl>(std::move(impl)) {}
  template <class Cell>
  requires std::derived_from<Cell, RNNCellImpl>
  explicit RNN(const LayerHolder<Cell>& cell, RNNOptions options = {})
      : LayerHolder<RNNImpl>(std::make_shared<RNNImpl>(cell, std::move(options))) {}
};

}  // namespace keras::layers
