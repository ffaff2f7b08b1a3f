// The GRU sequence kernel on ATen (Backend::gru / gru_backward, Keras's reset_after form), the
// same algorithm as the cpu backend's (src/backends/cpu/gru.cpp) with ATen's in-place and *_out
// calls, like torch_lstm.cpp.
//
// Workspace (1-D, the input's dtype): per step and row [z, r, hh, u_h] (T, B, 4U).
#include "backends/torch/torch_backend.hpp"
#include "backends/torch/torch_rnn.hpp"

namespace keras::backend::torch_backend {

std::array<Tensor, 3> TorchBackend::gru_impl(const Tensor& x, const Tensor& h0,
                                             const Tensor& kernel, const Tensor& recurrent_kernel,
                                             const Tensor& input_bias,
                                             const Tensor& recurrent_bias) {
  check_float_dtype("gru", x.dtype());
  return guarded("gru", [&] {
    const DType dt = x.dtype();
    const char* op = "gru";
    const at::Tensor& xs = aten(x, op);
    const at::Tensor& rk = aten(recurrent_kernel, op);
    const at::Tensor& br = aten(recurrent_bias, op);
    const int64_t steps = xs.size(0), batch = xs.size(1), in = xs.size(2), u = rk.size(0);
    at::Tensor xp =
        at::addmm(aten(input_bias, op), xs.reshape({steps * batch, in}), aten(kernel, op))
            .view({steps, batch, 3 * u});
    at::Tensor ws = at::empty({steps, batch, 4 * u}, xs.options());
    at::Tensor y = at::empty({steps, batch, u}, xs.options());
    at::Tensor inner = at::empty({batch, 3 * u}, xs.options());
    at::Tensor h = aten(h0, op);
    for (int64_t t = 0; t < steps; ++t) {
      at::Tensor w = ws[t], xt = xp[t], ht = y[t];
      at::addmm_out(inner, br, h, rk);
      at::Tensor z = w.narrow(1, 0, u), r = w.narrow(1, u, u), hh = w.narrow(1, 2 * u, u),
                 uh = w.narrow(1, 3 * u, u);
      at::add_out(z, xt.narrow(1, 0, u), inner.narrow(1, 0, u));
      z.sigmoid_();
      at::add_out(r, xt.narrow(1, u, u), inner.narrow(1, u, u));
      r.sigmoid_();
      uh.copy_(inner.narrow(1, 2 * u, u));
      at::mul_out(hh, r, uh);
      hh.add_(xt.narrow(1, 2 * u, u)).tanh_();
      // h' = z h + (1 - z) hh = hh + z (h - hh)
      at::sub_out(ht, h, hh);
      ht.mul_(z).add_(hh);
      h = ht;
    }
    return std::array<Tensor, 3>{wrap(y, dt), wrap(h.clone(), dt), wrap(ws.view({-1}), dt)};
  });
}

std::array<Tensor, 6> TorchBackend::gru_backward_impl(
    const Tensor& x, const Tensor& h0, const Tensor& kernel, const Tensor& recurrent_kernel,
    const Tensor& outputs, const Tensor& workspace, const Tensor& d_outputs, const Tensor& d_h) {
  check_float_dtype("gru_backward", x.dtype());
  return guarded("gru_backward", [&] {
    const DType dt = x.dtype();
    const char* op = "gru_backward";
    const at::Tensor& xs = aten(x, op);
    const at::Tensor& rk = aten(recurrent_kernel, op);
    const int64_t steps = xs.size(0), batch = xs.size(1), u = rk.size(0);
    at::Tensor ws = aten(workspace, op).view({steps, batch, 4 * u});
    const at::Tensor& y = aten(outputs, op);
    const at::Tensor& dy = aten(d_outputs, op);
    at::Tensor dxp = at::empty({steps, batch, 3 * u}, xs.options());
    at::Tensor dinner = at::empty({steps, batch, 3 * u}, xs.options());
    at::Tensor dh = aten(d_h, op).clone();
    at::Tensor dht = at::empty({batch, u}, xs.options());
    at::Tensor rk_t = rk.t();
    for (int64_t t = steps - 1; t >= 0; --t) {
      at::Tensor w = ws[t];
      at::Tensor z = w.narrow(1, 0, u), r = w.narrow(1, u, u), hh = w.narrow(1, 2 * u, u),
                 uh = w.narrow(1, 3 * u, u);
      const at::Tensor h_prev = t == 0 ? aten(h0, op) : y[t - 1];
      at::Tensor dx = dxp[t], di = dinner[t];
      at::Tensor dz = dx.narrow(1, 0, u), dr = dx.narrow(1, u, u), dah = dx.narrow(1, 2 * u, u);
      at::add_out(dht, dy[t], dh);
      // dz = dht (h_prev - hh) z (1 - z)
      at::sub_out(dz, h_prev, hh);
      dz.mul_(dht).mul_(z).mul_(1 - z);
      // dah = dht (1 - z) (1 - hh^2)
      at::mul_out(dah, hh, hh);
      dah.sub_(1).neg_().mul_(1 - z).mul_(dht);
      // dr = dah u_h r (1 - r)
      at::mul_out(dr, dah, uh);
      dr.mul_(r).mul_(1 - r);
      di.narrow(1, 0, 2 * u).copy_(dx.narrow(1, 0, 2 * u));
      at::Tensor dih = di.narrow(1, 2 * u, u);
      at::mul_out(dih, dah, r);
      // dh = dht z + dinner_t recurrent_kernel^T
      at::mul_out(dh, dht, z);
      dh.addmm_(di, rk_t);
    }
    auto [dx, dk, dr] = projection_gradients(xs, aten(h0, op), aten(kernel, op), y, dxp, dinner);
    return std::array<Tensor, 6>{wrap(dx, dt),
                                 wrap(dh, dt),
                                 wrap(dk, dt),
                                 wrap(dr, dt),
                                 wrap(dxp.sum(at::IntArrayRef{0, 1}), dt),
                                 wrap(dinner.sum(at::IntArrayRef{0, 1}), dt)};
  });
}

}  // namespace keras::backend::torch_backend
