#include "keras/autodiff/gradient_tape.hpp"

#include <algorithm>
#include <unordered_map>

#include "autodiff/input_gradients.hpp"
#include "keras/ops/ops.hpp"

namespace keras {

struct GradientTape::Node {
  const char* op_name;
  std::vector<Tensor> inputs;
  std::vector<Tensor> outputs;
  std::shared_ptr<autodiff::VjpFn> vjp;  // shared: one op may be recorded on several tapes
};

struct GradientTape::State {
  GradientTapeOptions options;
  std::unordered_set<uint64_t> tracked;
  std::vector<Node> nodes;
  int paused = 0;
  bool used = false;

  bool tracks(const Tensor& x) const {
    const TensorImpl& impl = *x.impl();
    if (!is_floating(impl.dtype)) return false;
    if (options.watch_accessed_variables && impl.trainable_variable) return true;
    return tracked.count(impl.id) > 0;
  }
};

namespace autodiff::detail {
thread_local int active_tapes = 0;
}

namespace {
thread_local std::vector<GradientTape::State*> tape_stack;

void pause(GradientTape::State* s) {
  if (s->paused++ == 0) --autodiff::detail::active_tapes;
}
void resume(GradientTape::State* s) {
  if (--s->paused == 0) ++autodiff::detail::active_tapes;
}
}  // namespace

namespace autodiff {

namespace {
// The input mask of the VJP running on this thread (null outside GradientTape::gradient).
thread_local const std::vector<bool>* vjp_input_mask = nullptr;
}  // namespace

bool needs_input_gradient(size_t input_index) {
  return !vjp_input_mask || input_index >= vjp_input_mask->size() || (*vjp_input_mask)[input_index];
}

void record(const char* op_name, std::vector<Tensor> inputs, std::vector<Tensor> outputs,
            VjpFn vjp) {
  std::shared_ptr<VjpFn> shared;
  for (GradientTape::State* tape : tape_stack) {
    if (tape->paused) continue;
    bool any = std::any_of(inputs.begin(), inputs.end(),
                           [&](const Tensor& x) { return x.defined() && tape->tracks(x); });
    if (!any) continue;
    if (!shared) shared = std::make_shared<VjpFn>(std::move(vjp));
    for (const Tensor& y : outputs)
      if (y.defined() && is_floating(y.dtype())) tape->tracked.insert(y.id());
    tape->nodes.push_back(GradientTape::Node{op_name, inputs, outputs, shared});
  }
}

}  // namespace autodiff

GradientTape::GradientTape(GradientTapeOptions options) : state_(std::make_unique<State>()) {
  state_->options = options;
  tape_stack.push_back(state_.get());
  ++autodiff::detail::active_tapes;
}

GradientTape::~GradientTape() {
  auto it = std::find(tape_stack.begin(), tape_stack.end(), state_.get());
  if (it != tape_stack.end()) tape_stack.erase(it);
  if (state_->paused == 0) --autodiff::detail::active_tapes;
}

void GradientTape::watch(const Tensor& x) {
  if (!x.defined()) throw ValueError("GradientTape::watch: the tensor is undefined");
  if (is_floating(x.dtype())) state_->tracked.insert(x.id());
}

void GradientTape::watch(const std::vector<Tensor>& xs) {
  for (const Tensor& x : xs) watch(x);
}

GradientTape::StopRecording::StopRecording(GradientTape& tape) : tape_(tape) {
  pause(tape_.state_.get());
}
GradientTape::StopRecording::~StopRecording() { resume(tape_.state_.get()); }

std::vector<Tensor> GradientTape::gradient(const Tensor& target, const std::vector<Tensor>& sources,
                                           const Tensor& output_gradient) {
  State& s = *state_;
  if (!target.defined()) throw ValueError("GradientTape::gradient: the target is undefined");
  if (s.used && !s.options.persistent)
    throw RuntimeError(
        "GradientTape::gradient can only be called once on a non-persistent tape; create the "
        "tape with {.persistent = true} to compute several gradients");
  s.used = true;
  if (output_gradient.defined() && output_gradient.shape() != target.shape())
    throw ValueError("GradientTape::gradient: output_gradient has shape " +
                     output_gradient.shape().to_string() + " but the target has shape " +
                     target.shape().to_string());
  StopRecording stop(*this);

  std::unordered_map<uint64_t, Tensor> grads;
  auto accumulate = [&](const Tensor& x, const Tensor& g) {
    auto [it, inserted] = grads.try_emplace(x.id(), g);
    if (!inserted) it->second = ops::add(it->second, g);
  };
  if (is_floating(target.dtype()))
    accumulate(target, output_gradient.defined() ? ops::cast(output_gradient, target.dtype())
                                                 : ops::ones_like(target));

  for (auto node = s.nodes.rbegin(); node != s.nodes.rend(); ++node) {
    bool any = false;
    std::vector<Tensor> out_grads;
    out_grads.reserve(node->outputs.size());
    for (const Tensor& y : node->outputs) {
      auto it = y.defined() ? grads.find(y.id()) : grads.end();
      if (it != grads.end()) {
        any = true;
        out_grads.push_back(it->second);
      } else {
        out_grads.push_back(y.defined() && is_floating(y.dtype()) ? ops::zeros_like(y) : Tensor());
      }
    }
    if (!any) continue;
    // The inputs whose gradients are kept below; the VJP may skip the others.
    std::vector<bool> mask(node->inputs.size());
    for (size_t i = 0; i < mask.size(); ++i)
      mask[i] = node->inputs[i].defined() && s.tracks(node->inputs[i]);
    std::vector<Tensor> in_grads;
    {
      const std::vector<bool>* saved = autodiff::vjp_input_mask;
      autodiff::vjp_input_mask = &mask;
      try {
        in_grads = (*node->vjp)(out_grads);
      } catch (...) {
        autodiff::vjp_input_mask = saved;
        throw;
      }
      autodiff::vjp_input_mask = saved;
    }
    if (in_grads.size() != node->inputs.size())
      throw RuntimeError(std::string("GradientTape: the gradient rule of ops::") + node->op_name +
                         " returned " + std::to_string(in_grads.size()) + " gradients for " +
                         std::to_string(node->inputs.size()) + " inputs");
    for (size_t i = 0; i < in_grads.size(); ++i) {
      const Tensor& x = node->inputs[i];
      // Like TensorFlow, only tracked tensors (watched, trainable variables, recorded outputs)
      // collect gradients; constants that fed a recorded op do not.
      if (!x.defined() || !in_grads[i].defined() || !s.tracks(x)) continue;
      if (in_grads[i].shape() != x.shape())
        throw RuntimeError(std::string("GradientTape: the gradient rule of ops::") + node->op_name +
                           " returned shape " + in_grads[i].shape().to_string() + " for input " +
                           std::to_string(i) + " of shape " + x.shape().to_string());
      accumulate(x, in_grads[i]);
    }
  }

  std::vector<Tensor> result;
  result.reserve(sources.size());
  for (const Tensor& src : sources) {
    if (!src.defined()) throw ValueError("GradientTape::gradient: a source tensor is undefined");
    auto it = grads.find(src.id());
    if (it != grads.end())
      result.push_back(it->second);
    else if (is_floating(src.dtype()))
      result.push_back(ops::zeros_like(src));
    else
      result.push_back(Tensor());
  }
  if (!s.options.persistent) s.nodes.clear();
  return result;
}

Tensor GradientTape::gradient(const Tensor& target, const Tensor& source,
                              const Tensor& output_gradient) {
  return gradient(target, std::vector<Tensor>{source}, output_gradient)[0];
}

std::vector<Tensor> GradientTape::gradient(const Tensor& target,
                                           const std::vector<Variable>& sources,
                                           const Tensor& output_gradient) {
  std::vector<Tensor> values;
  values.reserve(sources.size());
  for (const Variable& v : sources) values.push_back(v.value());
  return gradient(target, values, output_gradient);
}

Tensor stop_gradient(const Tensor& x) {
  if (!x.defined()) throw ValueError("ops::stop_gradient: the tensor is undefined");
  auto impl = std::make_shared<TensorImpl>(*x.impl());
  impl->id = TensorImpl::next_id();
  impl->trainable_variable = false;
  return Tensor(std::move(impl));
}

std::function<std::pair<Tensor, std::vector<Tensor>>(const std::vector<Tensor>&)> value_and_grad(
    ScalarFunction f) {
  return [f = std::move(f)](const std::vector<Tensor>& params) {
    GradientTape tape;
    tape.watch(params);
    Tensor value = f(params);
    if (!value.defined() || value.is_symbolic() || value.size() != 1)
      throw ValueError("value_and_grad: the function must return a scalar tensor, got shape " +
                       (value.defined() ? value.shape().to_string() : std::string("undefined")));
    auto grads = tape.gradient(value, params);
    return std::make_pair(value, std::move(grads));
  };
}

std::function<std::vector<Tensor>(const std::vector<Tensor>&)> grad(ScalarFunction f) {
  auto vg = value_and_grad(std::move(f));
  return [vg](const std::vector<Tensor>& params) { return vg(params).second; };
}

}  // namespace keras
