#include "ops/nn_lstm.hpp"

#include "keras/autodiff/record.hpp"
#include "keras/ops/ops.hpp"
#include "ops/internal.hpp"

namespace keras::ops::detail {

namespace {
constexpr const char* kOp = "lstm";

void check_shape(const Tensor& t, const Shape& want, const char* arg) {
  if (t.shape() != want)
    throw ValueError("ops::lstm: `" + std::string(arg) + "` must have shape " + want.to_string() +
                     ", got " + t.shape().to_string());
}
}  // namespace

bool lstm_sequence_available(const Tensor& x, int64_t units) {
  if (!x.defined() || x.is_symbolic() || x.ndim() != 3) return false;
  if (x.dtype() != DType::Float32 && x.dtype() != DType::Float64) return false;
  for (int64_t d : x.shape())
    if (d <= 0) return false;
  if (units <= 0) return false;
  return pick_backend(kOp, {&x}).has_native(backend::FusedKernel::Lstm);
}

LstmSequence lstm_sequence(const Tensor& x, const Tensor& h0, const Tensor& c0,
                           const Tensor& kernel, const Tensor& recurrent_kernel,
                           const Tensor& bias) {
  for (auto [t, arg] : {std::pair{&x, "x"},
                        {&h0, "h0"},
                        {&c0, "c0"},
                        {&kernel, "kernel"},
                        {&recurrent_kernel, "recurrent_kernel"}})
    require_defined(kOp, *t, arg);
  if (x.ndim() != 3)
    throw ValueError("ops::lstm: `x` must be (timesteps, batch, features), got " +
                     x.shape().to_string());
  const int64_t steps = x.shape()[0], batch = x.shape()[1], in = x.shape()[2];
  const int64_t units = recurrent_kernel.ndim() == 2 ? recurrent_kernel.shape()[0] : -1;
  check_shape(recurrent_kernel, Shape{units, 4 * units}, "recurrent_kernel");
  check_shape(kernel, Shape{in, 4 * units}, "kernel");
  check_shape(h0, Shape{batch, units}, "h0");
  check_shape(c0, Shape{batch, units}, "c0");
  if (bias.defined()) check_shape(bias, Shape{4 * units}, "bias");
  if (steps == 0) throw ValueError("ops::lstm: `x` has 0 timesteps");

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
          if (autodiff::is_recording())
            throw NotImplementedError(
                "ops::lstm: gradients of order two and higher are not implemented for the LSTM "
                "sequence kernel; call set_fused(false) on the layer to run its step loop");
          auto g =
              be.lstm_backward(xb, h0b, c0b, kb, rb, outputs, workspace, prepare(gs[0], be, dt),
                               prepare(gs[1], be, dt), prepare(gs[2], be, dt));
          std::vector<Tensor> r(g.begin(), g.begin() + (bias.defined() ? 6 : 5));
          for (size_t i = 0; i < r.size(); ++i)
            if (r[i].dtype() != inputs[i].dtype()) r[i] = ops::cast(r[i], inputs[i].dtype());
          return r;
        });
  }
  return {outputs, h, c};
}

}  // namespace keras::ops::detail
