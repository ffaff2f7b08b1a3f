#include "ops/nn_recurrent.hpp"

#include "keras/autodiff/record.hpp"
#include "keras/ops/ops.hpp"
#include "ops/internal.hpp"

namespace keras::ops::detail {

namespace {
constexpr const char* kOp = "lstm";
constexpr const char* kGru = "gru";

void check_shape(const char* op, const Tensor& t, const Shape& want, const char* arg) {
  if (t.shape() != want)
    throw ValueError("ops::" + std::string(op) + ": `" + std::string(arg) + "` must have shape " +
                     want.to_string() + ", got " + t.shape().to_string());
}

// x (T, B, I) with T > 0 and the units of (U, gates * U) recurrent_kernel; checks the shapes of
// kernel (I, gates * U) and of each (B, U) state.
int64_t check_sequence(const char* op, const Tensor& x, const Tensor& kernel,
                       const Tensor& recurrent_kernel, int64_t gates,
                       std::initializer_list<std::pair<const Tensor*, const char*>> states) {
  require_defined(op, x, "x");
  require_defined(op, kernel, "kernel");
  require_defined(op, recurrent_kernel, "recurrent_kernel");
  for (auto [t, arg] : states) require_defined(op, *t, arg);
  if (x.ndim() != 3)
    throw ValueError("ops::" + std::string(op) +
                     ": `x` must be (timesteps, batch, features), got " + x.shape().to_string());
  if (x.shape()[0] == 0) throw ValueError("ops::" + std::string(op) + ": `x` has 0 timesteps");
  const int64_t units = recurrent_kernel.ndim() == 2 ? recurrent_kernel.shape()[0] : -1;
  check_shape(op, recurrent_kernel, Shape{units, gates * units}, "recurrent_kernel");
  check_shape(op, kernel, Shape{x.shape()[2], gates * units}, "kernel");
  for (auto [t, arg] : states) check_shape(op, *t, Shape{x.shape()[1], units}, arg);
  return units;
}

void forbid_second_order(const char* op) {
  if (autodiff::is_recording())
    throw NotImplementedError("ops::" + std::string(op) +
                              ": gradients of order two and higher are not implemented for the "
                              "sequence kernel; call set_fused(false) on the layer to run its "
                              "step loop");
}

// Gradients as the inputs' dtypes, the first n of them.
std::vector<Tensor> as_input_dtypes(const std::vector<Tensor>& inputs, const Tensor* g, size_t n) {
  std::vector<Tensor> r(g, g + n);
  for (size_t i = 0; i < n; ++i)
    if (r[i].dtype() != inputs[i].dtype()) r[i] = ops::cast(r[i], inputs[i].dtype());
  return r;
}
}  // namespace

bool sequence_kernel_available(const Tensor& x, int64_t units, backend::FusedKernel kernel) {
  if (!x.defined() || x.is_symbolic() || x.ndim() != 3) return false;
  if (x.dtype() != DType::Float32 && x.dtype() != DType::Float64) return false;
  for (int64_t d : x.shape())
    if (d <= 0) return false;
  if (units <= 0) return false;
  return pick_backend(kOp, {&x}).has_native(kernel);
}

LstmSequence lstm_sequence(const Tensor& x, const Tensor& h0, const Tensor& c0,
                           const Tensor& kernel, const Tensor& recurrent_kernel,
                           const Tensor& bias) {
  const int64_t units =
      check_sequence(kOp, x, kernel, recurrent_kernel, 4, {{&h0, "h0"}, {&c0, "c0"}});
  if (bias.defined()) check_shape(kOp, bias, Shape{4 * units}, "bias");

  const DType dt = x.dtype();
  backend::Backend& be = pick_backend(kOp, {&x, &h0, &c0, &kernel, &recurrent_kernel, &bias});
  Tensor xb = prepare(x, be, dt), h0b = prepare(h0, be, dt), c0b = prepare(c0, be, dt);
  Tensor kb = prepare(kernel, be, dt), rb = prepare(recurrent_kernel, be, dt);
  Tensor bb = bias.defined() ? prepare(bias, be, dt) : be.full(Shape{4 * units}, dt, 0.0);
  auto [outputs, h, c, workspace] = be.lstm(xb, h0b, c0b, kb, rb, bb);
  if (autodiff::is_recording()) {
    std::vector<Tensor> inputs{x, h0, c0, kernel, recurrent_kernel};
    if (bias.defined()) inputs.push_back(bias);
    autodiff::record(
        kOp, inputs, {outputs, h, c},
        [=, &be, outputs = outputs, workspace = workspace](const std::vector<Tensor>& gs) {
          forbid_second_order(kOp);
          auto g =
              be.lstm_backward(xb, h0b, c0b, kb, rb, outputs, workspace, prepare(gs[0], be, dt),
                               prepare(gs[1], be, dt), prepare(gs[2], be, dt));
          return as_input_dtypes(inputs, g.data(), inputs.size());
        });
  }
  return {outputs, h, c};
}

GruSequence gru_sequence(const Tensor& x, const Tensor& h0, const Tensor& kernel,
                         const Tensor& recurrent_kernel, const Tensor& input_bias,
                         const Tensor& recurrent_bias) {
  const int64_t units = check_sequence(kGru, x, kernel, recurrent_kernel, 3, {{&h0, "h0"}});
  if (input_bias.defined()) check_shape(kGru, input_bias, Shape{3 * units}, "input_bias");
  if (recurrent_bias.defined())
    check_shape(kGru, recurrent_bias, Shape{3 * units}, "recurrent_bias");

  const DType dt = x.dtype();
  backend::Backend& be =
      pick_backend(kGru, {&x, &h0, &kernel, &recurrent_kernel, &input_bias, &recurrent_bias});
  Tensor xb = prepare(x, be, dt), h0b = prepare(h0, be, dt);
  Tensor kb = prepare(kernel, be, dt), rb = prepare(recurrent_kernel, be, dt);
  auto bias_or_zeros = [&](const Tensor& b) {
    return b.defined() ? prepare(b, be, dt) : be.full(Shape{3 * units}, dt, 0.0);
  };
  auto [outputs, h, workspace] =
      be.gru(xb, h0b, kb, rb, bias_or_zeros(input_bias), bias_or_zeros(recurrent_bias));
  if (autodiff::is_recording()) {
    // Inputs in the order of gru_backward's gradients; an undefined bias gets none.
    std::vector<Tensor> inputs{x, h0, kernel, recurrent_kernel, input_bias, recurrent_bias};
    autodiff::record(
        kGru, inputs, {outputs, h},
        [=, &be, outputs = outputs, workspace = workspace](const std::vector<Tensor>& gs) {
          forbid_second_order(kGru);
          auto g = be.gru_backward(xb, h0b, kb, rb, outputs, workspace, prepare(gs[0], be, dt),
                                   prepare(gs[1], be, dt));
          std::vector<Tensor> r = as_input_dtypes(inputs, g.data(), 4);
          for (int i = 4; i < 6; ++i)
            r.push_back(inputs[i].defined() ? ops::cast(g[i], inputs[i].dtype()) : Tensor());
          return r;
        });
  }
  return {outputs, h};
}

}  // namespace keras::ops::detail
