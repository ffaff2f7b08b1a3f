#include "keras/layers/rnn/rnn_cell.hpp"

#include "keras/ops/ops.hpp"
#include "keras/random/random.hpp"

namespace keras::layers {

std::vector<Tensor> RNNCellImpl::get_initial_state(int64_t batch_size) const {
  std::vector<Tensor> out;
  for (int64_t d : state_size()) out.push_back(ops::zeros({batch_size, d}, compute_dtype()));
  return out;
}

void RNNCellImpl::begin_sequence(const Tensor&, const std::vector<Tensor>&, bool) {}
void RNNCellImpl::end_sequence() {}

Tensor RNNCellImpl::project_inputs(const Tensor&) {
  throw NotImplementedError(class_name() + " '" + name() + "' has no input projection");
}

std::pair<Tensor, std::vector<Tensor>> RNNCellImpl::step_projected(const Tensor&,
                                                                   const std::vector<Tensor>&) {
  throw NotImplementedError(class_name() + " '" + name() + "' has no input projection");
}

void RNNCellImpl::build(const std::vector<Shape>& input_shapes) {
  if (!input_shapes.empty()) LayerImpl::build(std::vector<Shape>{input_shapes[0]});
}

std::vector<Tensor> RNNCellImpl::call(const std::vector<Tensor>& inputs,
                                      const CallContext& context) {
  size_t n = state_size().size();
  if (inputs.size() != n + 1)
    throw ValueError(class_name() + " '" + name() + "': expected the step input and " +
                     std::to_string(n) + " state(s), got " + std::to_string(inputs.size()) +
                     " tensors");
  std::vector<Tensor> states(inputs.begin() + 1, inputs.end());
  auto [y, new_states] = call_cell(inputs[0], states, context);
  std::vector<Tensor> out{y};
  out.insert(out.end(), new_states.begin(), new_states.end());
  return out;
}

// ---- DropoutCellState ----

DropoutCellState::DropoutCellState(double dropout, double recurrent_dropout,
                                   std::optional<int64_t> seed)
    : dropout_(dropout), recurrent_dropout_(recurrent_dropout), seed_generator_(seed) {}

void DropoutCellState::begin(const Tensor& step_input, const Tensor& state, bool training) {
  end();
  if (!training || step_input.is_symbolic()) return;
  if (dropout_ > 0.0 && dropout_ < 1.0)
    input_mask_ = random::dropout(ops::ones_like(step_input), dropout_, {.seed = seed_generator_});
  if (recurrent_dropout_ > 0.0 && recurrent_dropout_ < 1.0 && state.defined())
    recurrent_mask_ =
        random::dropout(ops::ones_like(state), recurrent_dropout_, {.seed = seed_generator_});
}

void DropoutCellState::end() {
  input_mask_ = Tensor();
  recurrent_mask_ = Tensor();
}

Tensor DropoutCellState::apply_input(const Tensor& x) const {
  if (!input_mask_.defined()) return x;
  // x may hold several timesteps stacked on the first axis (the fused projection).
  if (x.shape()[0] != input_mask_.shape()[0]) {
    int64_t steps = x.shape()[0] / input_mask_.shape()[0];
    std::vector<int64_t> s{steps, input_mask_.shape()[0]};
    s.insert(s.end(), x.shape().begin() + 1, x.shape().end());
    Tensor xs = ops::reshape(x, Shape(s));
    return ops::reshape(ops::multiply(xs, input_mask_), x.shape());
  }
  return ops::multiply(x, input_mask_);
}

Tensor DropoutCellState::apply_recurrent(const Tensor& h) const {
  return recurrent_mask_.defined() ? ops::multiply(h, recurrent_mask_) : h;
}

}  // namespace keras::layers
