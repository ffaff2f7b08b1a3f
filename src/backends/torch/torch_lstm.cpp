// The LSTM sequence kernel on ATen (Backend::lstm / lstm_backward), the same algorithm as the cpu
// backend's: one addmm projects every timestep, then per step one in-place addmm against the
// recurrent kernel and in-place activations on the gate columns; the backward pass walks the
// steps in reverse and ends with three large GEMMs. Intermediates are written into preallocated
// buffers (ATen's *_out forms), so a step allocates only its few temporaries.
//
// Workspace (1-D, the input's dtype): the activated gates [i f g o] (T, B, 4U), then the cell
// states (T, B, U).
#include "backends/torch/torch_backend.hpp"
#include "backends/torch/torch_rnn.hpp"

namespace keras::backend::torch_backend {

std::array<Tensor, 4> TorchBackend::lstm_impl(const Tensor& x, const Tensor& h0, const Tensor& c0,
                                              const Tensor& kernel, const Tensor& recurrent_kernel,
                                              const Tensor& bias) {
  check_float_dtype("lstm", x.dtype());
  return guarded("lstm", [&] {
    const DType dt = x.dtype();
    const at::Tensor& xs = aten(x, "lstm");
    const at::Tensor& rk = aten(recurrent_kernel, "lstm");
    const int64_t steps = xs.size(0), batch = xs.size(1), in = xs.size(2), u = rk.size(0);
    at::Tensor ws = at::empty({steps * batch * 5 * u}, xs.options());
    at::Tensor z = ws.narrow(0, 0, steps * batch * 4 * u).view({steps, batch, 4 * u});
    at::Tensor cells =
        ws.narrow(0, steps * batch * 4 * u, steps * batch * u).view({steps, batch, u});
    at::Tensor y = at::empty({steps, batch, u}, xs.options());
    at::Tensor z2 = z.view({steps * batch, 4 * u});
    at::addmm_out(z2, aten(bias, "lstm"), xs.reshape({steps * batch, in}), aten(kernel, "lstm"));
    at::Tensor h = aten(h0, "lstm"), c = aten(c0, "lstm");
    for (int64_t t = 0; t < steps; ++t) {
      at::Tensor zt = z[t];
      zt.addmm_(h, rk);
      zt.narrow(1, 0, 2 * u).sigmoid_();
      zt.narrow(1, 2 * u, u).tanh_();
      zt.narrow(1, 3 * u, u).sigmoid_();
      at::Tensor ct = cells[t], ht = y[t];
      at::mul_out(ct, zt.narrow(1, u, u), c);
      ct.addcmul_(zt.narrow(1, 0, u), zt.narrow(1, 2 * u, u));
      at::tanh_out(ht, ct);
      ht.mul_(zt.narrow(1, 3 * u, u));
      h = ht;
      c = ct;
    }
    return std::array<Tensor, 4>{wrap(y, dt), wrap(h.clone(), dt), wrap(c.clone(), dt),
                                 wrap(ws, dt)};
  });
}

std::array<Tensor, 6> TorchBackend::lstm_backward_impl(
    const Tensor& x, const Tensor& h0, const Tensor& c0, const Tensor& kernel,
    const Tensor& recurrent_kernel, const Tensor& outputs, const Tensor& workspace,
    const Tensor& d_outputs, const Tensor& d_h, const Tensor& d_c) {
  check_float_dtype("lstm_backward", x.dtype());
  return guarded("lstm_backward", [&] {
    const DType dt = x.dtype();
    const char* op = "lstm_backward";
    const at::Tensor& xs = aten(x, op);
    const at::Tensor& rk = aten(recurrent_kernel, op);
    const int64_t steps = xs.size(0), batch = xs.size(1), u = rk.size(0);
    const at::Tensor& ws = aten(workspace, op);
    at::Tensor gates = ws.narrow(0, 0, steps * batch * 4 * u).view({steps, batch, 4 * u});
    at::Tensor cells =
        ws.narrow(0, steps * batch * 4 * u, steps * batch * u).view({steps, batch, u});
    const at::Tensor& dy = aten(d_outputs, op);
    at::Tensor dz = at::empty({steps, batch, 4 * u}, xs.options());
    at::Tensor dh = aten(d_h, op).clone(), dc = aten(d_c, op).clone();
    at::Tensor rk_t = rk.t();
    at::Tensor tc = at::empty({batch, u}, xs.options()), dht = at::empty({batch, u}, xs.options());
    at::Tensor tmp = at::empty({batch, u}, xs.options());
    for (int64_t t = steps - 1; t >= 0; --t) {
      at::Tensor g = gates[t];
      at::Tensor i = g.narrow(1, 0, u), f = g.narrow(1, u, u), gg = g.narrow(1, 2 * u, u),
                 o = g.narrow(1, 3 * u, u);
      at::Tensor dzt = dz[t];
      at::Tensor di = dzt.narrow(1, 0, u), df = dzt.narrow(1, u, u), dg = dzt.narrow(1, 2 * u, u),
                 d_o = dzt.narrow(1, 3 * u, u);
      const at::Tensor c_prev = t == 0 ? aten(c0, op) : cells[t - 1];
      at::tanh_out(tc, cells[t]);
      at::add_out(dht, dy[t], dh);
      // d_o = dht tc o (1 - o)
      at::mul_out(d_o, dht, tc);
      d_o.mul_(o);
      d_o.sub_(d_o * o);
      // dc += dht o (1 - tc^2)
      at::mul_out(tmp, tc, tc);
      tmp.sub_(1).neg_().mul_(o).mul_(dht);
      dc.add_(tmp);
      // di = dc g i (1 - i); df = dc c_prev f (1 - f); dg = dc i (1 - g^2)
      at::mul_out(di, dc, gg);
      di.mul_(i).mul_(1 - i);
      at::mul_out(df, dc, c_prev);
      df.mul_(f).mul_(1 - f);
      at::mul_out(dg, dc, i);
      dg.mul_(1 - gg * gg);
      dc.mul_(f);
      at::mm_out(dh, dzt, rk_t);
    }
    // The gate gradients are those of both projections (x kernel and h recurrent_kernel).
    auto [dx, dk, dr] =
        projection_gradients(xs, aten(h0, op), aten(kernel, op), aten(outputs, op), dz, dz);
    return std::array<Tensor, 6>{wrap(dx, dt), wrap(dh, dt),
                                 wrap(dc, dt), wrap(dk, dt),
                                 wrap(dr, dt), wrap(dz.sum(at::IntArrayRef{0, 1}), dt)};
  });
}

}  // namespace keras::backend::torch_backend
