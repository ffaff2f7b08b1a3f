#include "keras/layers/rnn/rnn.hpp"

#include "keras/graph/graph.hpp"

#include "keras/layers/registration.hpp"
#include "keras/layers/rnn/conv_lstm.hpp"
#include "keras/ops/ops.hpp"
#include "layers/layer_utils.hpp"
#include "layers/rnn/rnn_utils.hpp"

namespace keras::layers {

RNNImpl::RNNImpl(std::shared_ptr<RNNCellImpl> cell, RNNOptions options)
    : LayerImpl(LayerOptions{.name = options.name,
                             .dtype = options.dtype,
                             .trainable = options.trainable,
                             .activity_regularizer = options.activity_regularizer}),
      cell_(std::move(cell)),
      options_(std::move(options)) {
  if (!cell_) throw ValueError("RNN: the `cell` argument is required (got an empty cell)");
  if (cell_->state_size().empty())
    throw ValueError("RNN: state_size must be specified as property on the RNN cell (cell " +
                     cell_->class_name() + " has no states)");
  track_layer("cell", cell_);
  // Keras 3.15.1: the output sequence carries the input mask (compute_mask); later versions
  // (keras-team/keras#23235) stop propagating it.
  set_supports_masking(true);
}

void RNNImpl::build(const std::vector<Shape>& input_shapes) {
  const Shape& s = input_shapes.at(0);
  if (s.rank() < 3)
    throw ValueError(class_name() + " '" + name() +
                     "': expected inputs of shape (batch, timesteps, features...), got " +
                     s.to_string());
  std::vector<int64_t> step(s.begin(), s.end());
  step.erase(step.begin() + 1);
  if (!cell_->built()) cell_->maybe_build({Shape(step)});
  if (options_.stateful && s[0] < 0)
    throw ValueError(
        "When using `stateful=True` in a RNN, the batch size must be static. Found dynamic batch "
        "size: sequence.shape=" +
        s.to_string());
}

Tensor RNNImpl::compute_mask(const std::vector<Tensor>&, const Tensor& mask) const {
  return options_.return_sequences ? mask : Tensor();
}

void RNNImpl::reset_states() {
  for (Tensor& s : states_) s = ops::zeros_like(s);
}

std::vector<Tensor> RNNImpl::call(const std::vector<Tensor>& inputs, const CallContext& context) {
  const Tensor& x = inputs.at(0);
  const Shape& shape = x.shape();
  if (shape.rank() < 3)
    throw ValueError(class_name() + " '" + name() +
                     "': expected inputs of shape (batch, timesteps, features...), got " +
                     shape.to_string());
  std::vector<int64_t> sizes = cell_->state_size();
  std::vector<Tensor> initial(inputs.begin() + 1, inputs.end());
  if (!initial.empty() && initial.size() != sizes.size())
    throw ValueError(class_name() + " '" + name() + "': expected " + std::to_string(sizes.size()) +
                     " initial state(s), got " + std::to_string(initial.size()));
  if (options_.unroll && shape[1] < 0)
    throw ValueError(
        "Cannot unroll a RNN if the time dimension is undefined. Pass an Input with a known "
        "number of timesteps.");
  const int64_t batch = shape[0];
  const int64_t units = cell_->output_size();

  if (x.is_symbolic()) {
    std::vector<Tensor> out;
    out.push_back(options_.return_sequences
                      ? Tensor::symbolic({batch, shape[1], units}, compute_dtype())
                      : Tensor::symbolic({batch, units}, compute_dtype()));
    if (options_.return_state)
      for (int64_t d : sizes) out.push_back(Tensor::symbolic({batch, d}, compute_dtype()));
    return out;
  }

  if (initial.empty()) {
    if (options_.stateful) {
      graph::check_traceable(
          "a stateful RNN (its states are kept between calls outside variables)");
      if (states_.empty() || states_[0].shape()[0] != batch) {
        if (!states_.empty())
          throw ValueError(
              "If an RNN is stateful, the batch size of the input sequences must be the same as "
              "the batch size of the initial state. Expected batch size: " +
              std::to_string(states_[0].shape()[0]) +
              ", received batch size: " + std::to_string(batch));
        states_ = cell_->get_initial_state(batch);
      }
      initial = states_;
    } else {
      initial = cell_->get_initial_state(batch);
    }
  }
  for (size_t i = 0; i < initial.size(); ++i) {
    if (initial[i].dtype() != cell_->compute_dtype())
      initial[i] = ops::cast(initial[i], cell_->compute_dtype());
    if (initial[i].shape().rank() != 2 || initial[i].shape()[1] != sizes[i])
      throw ValueError(class_name() + " '" + name() + "': initial state " + std::to_string(i) +
                       " must have shape (batch, " + std::to_string(sizes[i]) + "), got " +
                       initial[i].shape().to_string());
  }

  LoopResult r = run(x, initial, context.mask, context.training);
  if (options_.stateful) {
    states_.clear();
    for (const Tensor& s : r.states) states_.push_back(ops::stop_gradient(s));
  }
  std::vector<Tensor> out{options_.return_sequences ? r.outputs : r.last_output};
  if (options_.return_state) out.insert(out.end(), r.states.begin(), r.states.end());
  return out;
}

RNNImpl::LoopResult RNNImpl::run(const Tensor& sequences, const std::vector<Tensor>& initial_state,
                                 const Tensor& mask, bool training) {
  const Shape& shape = sequences.shape();
  const int64_t batch = shape[0], steps = shape[1];
  if (steps == 0) throw ValueError(class_name() + " '" + name() + "': the input has 0 timesteps");
  if (mask.defined() &&
      (mask.shape().rank() < 2 || mask.shape()[0] != batch || mask.shape()[1] != steps))
    throw ValueError(class_name() + " '" + name() + "': the mask must have shape (" +
                     std::to_string(batch) + ", " + std::to_string(steps) + "), got " +
                     mask.shape().to_string());
  CallContext context;
  context.training = training;

  // Time-major steps, in processing order.
  std::vector<int64_t> perm(shape.rank());
  for (int i = 0; i < shape.rank(); ++i) perm[i] = i;
  std::swap(perm[0], perm[1]);
  Tensor time_major = ops::transpose(sequences, perm);  // (time, batch, ...)
  std::vector<Tensor> step_masks;
  if (mask.defined()) {
    Tensor m = ops::cast(mask, DType::Bool);
    while (m.shape().rank() > 2) m = ops::any(m, {.axis = -1});
    step_masks = ops::unstack(ops::expand_dims(ops::transpose(m, {1, 0}), -1), 0);  // (batch, 1)
  }
  std::vector<int64_t> start(shape.rank(), 0);
  std::vector<int64_t> first_shape(shape.begin(), shape.end());
  first_shape[1] = 1;
  Tensor first = ops::squeeze(ops::slice(sequences, start, Shape(first_shape)), 1);
  cell_->begin_sequence(first, initial_state, training);
  LoopResult r;
  try {
    if (fused_ && !mask.defined() && shape.rank() == 3) {
      auto seq = cell_->call_sequence(options_.go_backwards ? ops::flip(time_major, 0) : time_major,
                                      initial_state);
      if (seq) {
        r.last_output = seq->last_output;
        if (options_.return_sequences) r.outputs = ops::transpose(seq->outputs, {1, 0, 2});
        r.states = std::move(seq->states);
        cell_->end_sequence();
        return r;
      }
    }
    // Inputs of rank > 3 only for cells whose projection is a convolution (ConvLSTM).
    const bool spatial_cell = dynamic_cast<const ConvLSTMCellImpl*>(cell_.get()) != nullptr;
    const bool projected =
        fused_ && cell_->supports_projection() && (shape.rank() == 3 || spatial_cell);
    std::vector<Tensor> steps_in;
    if (projected) {
      // One GEMM (or one convolution) for the input projection of every timestep:
      // (time * batch, ...) -> (time * batch, ...projected) -> per step (batch, ...projected).
      std::vector<int64_t> flat_shape{steps * batch};
      flat_shape.insert(flat_shape.end(), shape.begin() + 2, shape.end());
      Tensor proj = cell_->project_inputs(ops::reshape(time_major, Shape(flat_shape)));
      std::vector<int64_t> proj_shape{steps, batch};
      proj_shape.insert(proj_shape.end(), proj.shape().begin() + 1, proj.shape().end());
      steps_in = ops::unstack(ops::reshape(proj, Shape(proj_shape)), 0);
    } else {
      steps_in = ops::unstack(time_major, 0);
    }
    if (options_.go_backwards) {
      std::reverse(steps_in.begin(), steps_in.end());
      std::reverse(step_masks.begin(), step_masks.end());
    }
    r = loop(steps_in, projected, initial_state, step_masks, context);
  } catch (...) {
    cell_->end_sequence();
    throw;
  }
  cell_->end_sequence();
  return r;
}

RNNImpl::LoopResult RNNImpl::loop(const std::vector<Tensor>& steps_in, bool projected,
                                  const std::vector<Tensor>& initial_state,
                                  const std::vector<Tensor>& step_masks,
                                  const CallContext& context) {
  std::vector<Tensor> states = initial_state;
  std::vector<Tensor> outputs;
  Tensor prev_output;
  for (size_t t = 0; t < steps_in.size(); ++t) {
    auto [y, new_states] = projected ? cell_->step_projected(steps_in[t], states)
                                     : cell_->call_cell(steps_in[t], states, context);
    if (new_states.size() != states.size())
      throw ValueError(cell_->class_name() + " '" + cell_->name() + "' returned " +
                       std::to_string(new_states.size()) + " states, expected " +
                       std::to_string(states.size()));
    if (!step_masks.empty()) {
      // keep is (batch, 1); states with spatial axes (ConvLSTM) need one axis per dimension.
      auto keep_for = [&](const Tensor& v) {
        Tensor k = step_masks[t];
        while (k.ndim() < v.ndim()) k = ops::expand_dims(k, -1);
        return k;
      };
      const Tensor keep = keep_for(y);
      // Masked steps keep the previous states; the output repeats the previous output (the first
      // state, as Keras assumes) or is zero with zero_output_for_mask.
      const Tensor& out_state = states.at(cell_->output_state_index());
      Tensor fallback = options_.zero_output_for_mask ? ops::zeros({}, y.dtype()) : out_state;
      if (!options_.zero_output_for_mask && out_state.shape() != y.shape())
        fallback = prev_output.defined() ? prev_output : ops::zeros_like(y);
      y = ops::where(keep, y, fallback);
      for (size_t i = 0; i < states.size(); ++i)
        new_states[i] = ops::where(keep_for(new_states[i]), new_states[i], states[i]);
    }
    states = std::move(new_states);
    prev_output = y;
    if (options_.return_sequences) outputs.push_back(y);
  }
  LoopResult r;
  r.last_output = prev_output;
  if (options_.return_sequences) r.outputs = ops::stack(outputs, 1);
  r.states = std::move(states);
  return r;
}

KERAS_LAYER_FIELDS(RNN, RNNOptions, rnn_detail::rnn_flags<RNNOptions>(),
                   fields::base<RNNOptions>());

Config RNNImpl::rnn_config(Config base) const {
  return merge(std::move(base), fields::write(RNN_fields(), options_));
}

Config RNNImpl::get_config() const {
  Config c = rnn_config(LayerImpl::get_config());
  c["cell"] = serialize(*cell_);
  return c;
}

KERAS_REGISTER_LAYER(RNN, [](const Config& c) -> std::shared_ptr<LayerImpl> {
  if (!detail::has(c, "cell")) throw ValueError("RNN.from_config: the config has no `cell`");
  auto cell = std::dynamic_pointer_cast<RNNCellImpl>(deserialize(c["cell"]));
  if (!cell) throw ValueError("RNN.from_config: `cell` is not an RNN cell: " + c["cell"].dump());
  return std::make_shared<RNNImpl>(cell, fields::read(RNN_fields(), c));
});

}  // namespace keras::layers
