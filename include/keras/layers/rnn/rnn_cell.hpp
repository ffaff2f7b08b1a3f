#pragma once
// The RNN cell contract (Keras: any layer with `state_size` and `call(inputs, states)`).
//
// A cell processes one timestep: call_cell(x_t, states) -> (output_t, new_states). The RNN layer
// (keras/layers/rnn/rnn.hpp) runs it over a sequence. A user cell derives from RNNCellImpl and
// overrides state_size() and call_cell() (plus build() to create its weights):
//
//   class MinimalCellImpl : public keras::layers::RNNCellImpl {
//    public:
//     std::vector<int64_t> state_size() const override { return {units_}; }
//     std::pair<Tensor, std::vector<Tensor>> call_cell(const Tensor& x,
//         const std::vector<Tensor>& states, const CallContext&) override { ... }
//   };
//
// Built-in cells (SimpleRNNCell, LSTMCell, GRUCell) also implement the projection interface:
// project_inputs() maps all timesteps through the input kernel in one GEMM and step_projected()
// does the recurrent part; the RNN layers use it as their fused path.
#include <optional>
#include <utility>
#include <vector>

#include "keras/layers/layer.hpp"
#include "keras/random/seed_generator.hpp"

namespace keras::layers {

class RNNCellImpl : public LayerImpl {
 public:
  using LayerImpl::LayerImpl;

  // The size of each state (Keras's state_size; one entry per state tensor).
  virtual std::vector<int64_t> state_size() const = 0;
  // The size of the output (Keras's output_size); default state_size()[0].
  virtual int64_t output_size() const { return state_size().at(0); }
  // One timestep: x (batch, features) and the states -> output and new states.
  virtual std::pair<Tensor, std::vector<Tensor>> call_cell(const Tensor& x,
                                                           const std::vector<Tensor>& states,
                                                           const CallContext& context) = 0;
  // Which state holds the previous output (what a masked step repeats); StackedRNNCells: the
  // first state of the last cell.
  virtual size_t output_state_index() const { return 0; }
  // Zeros of shape (batch, size) per state, in the cell's compute dtype.
  virtual std::vector<Tensor> get_initial_state(int64_t batch_size) const;

  // Called by the RNN layer around a whole sequence (Keras's DropoutRNNCell: the dropout masks
  // are drawn once per sequence and reused at every step).
  virtual void begin_sequence(const Tensor& step_input, const std::vector<Tensor>& states,
                              bool training);
  virtual void end_sequence();

  // ---- fused path (optional) ----
  virtual bool supports_projection() const { return false; }
  // (n, features) -> (n, projection) with input dropout applied (the same mask for every step).
  virtual Tensor project_inputs(const Tensor& x);
  // One step from the projected input of that step.
  virtual std::pair<Tensor, std::vector<Tensor>> step_projected(const Tensor& projected,
                                                                const std::vector<Tensor>& states);

  // ---- sequence kernel (optional) ----
  // The whole sequence in one kernel (LSTMCell, GRUCell: Backend::lstm / gru where the backend
  // has one and the options fit it, as Keras's layers use backend.lstm / gru). x is time-major
  // (time, batch, features) in processing order; returns the outputs (time, batch, output), the
  // last output and the last states, or nullopt when the kernel cannot run (the RNN layer then runs
  // its step loop).
  struct SequenceResult {
    Tensor outputs;
    Tensor last_output;
    std::vector<Tensor> states;
  };
  virtual std::optional<SequenceResult> call_sequence(const Tensor& x,
                                                      const std::vector<Tensor>& states) {
    (void)x;
    (void)states;
    return std::nullopt;
  }

  // As a layer: inputs [x, states...] -> [output, new states...]; builds on x's shape.
  void build(const std::vector<Shape>& input_shapes) override;
  using LayerImpl::call;
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& context) override;
};
using RNNCell = LayerHolder<RNNCellImpl>;

// The dropout part of Keras's DropoutRNNCell, shared by the built-in cells: one input mask and
// one recurrent mask per sequence (shared by the gates).
class DropoutCellState {
 public:
  DropoutCellState(double dropout, double recurrent_dropout, std::optional<int64_t> seed);
  void begin(const Tensor& step_input, const Tensor& state, bool training);
  void end();
  // x * mask when a mask is active, else x.
  Tensor apply_input(const Tensor& x) const;
  Tensor apply_recurrent(const Tensor& h) const;
  bool input_active() const { return input_mask_.defined(); }
  bool recurrent_active() const { return recurrent_mask_.defined(); }

 private:
  double dropout_, recurrent_dropout_;
  random::SeedGenerator seed_generator_;
  Tensor input_mask_, recurrent_mask_;
};

}  // namespace keras::layers
