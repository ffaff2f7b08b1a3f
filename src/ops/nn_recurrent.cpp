#include "ops/nn_recurrent.hpp"

#include "keras/autodiff/record.hpp"
#include "keras/ops/ops.hpp"
#include "ops/internal.hpp"

namespace keras::ops::detail {

namespace {
constexpr const char* kLstm = "lstm";
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

// A bias on `be` in dtype dt, or zeros of `size` for an absent one.
Tensor bias_or_zeros(const Tensor& bias, backend::Backend& be, DType dt, int64_t size) {
  return bias.defined() ? prepare(bias, be, dt) : be.full(Shape{size}, dt, 0.0);
}

// The kernel's gradients (one per input) in the inputs' dtypes; none for an absent input.
template <size_t N>
std::vector<Tensor> input_gradients(const std::vector<Tensor>& inputs,
                                    const std::array<Tensor, N>& g) {
  std::vector<Tensor> r(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].defined())
      r[i] = g[i].dtype() == inputs[i].dtype() ? g[i] : ops::cast(g[i], inputs[i].dtype());
  return r;
}
}  // namespace

bool sequence_kernel_available(const Tensor& x, int64_t units, backend::FusedKernel kernel) {
  if (!x.defined() || x.is_symbolic() || x.ndim() != 3) return false;
  if (x.dtype() != DType::Float32 && x.dtype() != DType::Float64) return false;
  for (int64_t d : x.shape())
    if (d <= 0) return false;
  if (units <= 0) return false;
  return x.impl()->backend->has_native(kernel);
}

LstmSequence lstm_sequence(const Tensor& x, const Tensor& h0, const Tensor& c0,
                           const Tensor& kernel, const Tensor& recurrent_kernel,
                           const Tensor& bias) {
  const int64_t units =
      check_sequence(kLstm, x, kernel, recurrent_kernel, 4, {{&h0, "h0"}, {&c0, "c0"}});
  if (bias.defined()) check_shape(kLstm, bias, Shape{4 * units}, "bias");

  const DType dt = x.dtype();
  backend::Backend& be = pick_backend(kLstm, {&x, &h0, &c0, &kernel, &recurrent_kernel, &bias});
  Tensor xb = prepare(x, be, dt), h0b = prepare(h0, be, dt), c0b = prepare(c0, be, dt);
  Tensor kb = prepare(kernel, be, dt), rb = prepare(recurrent_kernel, be, dt);
  auto [outputs, h, c, workspace] =
      be.lstm(xb, h0b, c0b, kb, rb, bias_or_zeros(bias, be, dt, 4 * units));
  if (autodiff::is_recording()) {
    // Inputs in the order of lstm_backward's gradients; an absent bias gets none.
    std::vector<Tensor> inputs{x, h0, c0, kernel, recurrent_kernel, bias};
    autodiff::record(
        kLstm, inputs, {outputs, h, c},
        [=, &be, outputs = outputs, workspace = workspace](const std::vector<Tensor>& gs) {
          forbid_second_order(kLstm);
          auto g =
              be.lstm_backward(xb, h0b, c0b, kb, rb, outputs, workspace, prepare(gs[0], be, dt),
                               prepare(gs[1], be, dt), prepare(gs[2], be, dt));
          return input_gradients(inputs, g);
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
  auto [outputs, h, workspace] =
      be.gru(xb, h0b, kb, rb, bias_or_zeros(input_bias, be, dt, 3 * units),
             bias_or_zeros(recurrent_bias, be, dt, 3 * units));
  if (autodiff::is_recording()) {
    // Inputs in the order of gru_backward's gradients; an absent bias gets none.
    std::vector<Tensor> inputs{x, h0, kernel, recurrent_kernel, input_bias, recurrent_bias};
    autodiff::record(
        kGru, inputs, {outputs, h},
        [=, &be, outputs = outputs, workspace = workspace](const std::vector<Tensor>& gs) {
          forbid_second_order(kGru);
          auto g = be.gru_backward(xb, h0b, kb, rb, outputs, workspace, prepare(gs[0], be, dt),
                                   prepare(gs[1], be, dt));
          return input_gradients(inputs, g);
        });
  }
  return {outputs, h};
}

}  // namespace keras::ops::detail
