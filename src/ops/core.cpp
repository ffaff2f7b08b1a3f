// keras::ops core: conversion, casting, copies.
#include "ops/internal.hpp"

namespace keras::ops {

using namespace detail;

Tensor from_buffer(const void* data, const Shape& shape, DType dtype, const std::string& backend) {
  if (!shape.is_fully_defined())
    throw ValueError("ops::from_buffer: shape " + shape.to_string() + " has unknown dimensions");
  if (!data && shape.num_elements() > 0)
    throw ValueError("ops::from_buffer: data is null for shape " + shape.to_string());
  Backend& be = backend.empty() ? backend::default_backend() : backend::get_backend(backend);
  return be.from_host(data, shape, dtype);
}

Tensor cast(const Tensor& x, DType dtype) {
  require_defined("cast", x, "x");
  if (x.is_symbolic()) return Tensor::symbolic(x.shape(), dtype);
  if (x.dtype() == dtype && !x.impl()->weak) return x;
  Backend& be = x.backend();
  Tensor y = prepare(x, be, dtype);
  if (y.impl() == x.impl()) {  // same dtype, weak scalar: drop the weak mark
    auto impl = std::make_shared<TensorImpl>(*x.impl());
    impl->id = TensorImpl::next_id();
    impl->weak = false;
    y = Tensor(std::move(impl));
  }
  if (autodiff::is_recording() && is_floating(dtype) && is_floating(x.dtype())) {
    DType from = x.dtype();
    autodiff::record("cast", {x}, {y}, [from](const std::vector<Tensor>& g) {
      return std::vector<Tensor>{cast(g[0], from)};
    });
  }
  return y;
}

Tensor convert_to_tensor(const Tensor& x, ConvertOptions options) {
  require_defined("convert_to_tensor", x, "x");
  Tensor out = x;
  if (!options.backend.empty() && !x.is_symbolic() && x.backend_name() != options.backend) {
    Backend& target = backend::get_backend(options.backend);
    if (x.impl()->weak) {
      out = target.full({}, x.dtype(), x.impl()->scalar_value);
    } else {
      // Through host memory: backends share no device today. Moving data is not differentiable
      // across backends (each tape records ops, and this is not one).
      std::vector<unsigned char> host(static_cast<size_t>(x.size()) * dtype_size(x.dtype()));
      x.copy_to_host(host.data(), host.size());
      out = target.from_host(host.data(), x.shape(), x.dtype());
    }
  }
  if (options.dtype && *options.dtype != out.dtype()) out = cast(out, *options.dtype);
  return out;
}

Tensor convert_to_tensor(const Tensor& x, const std::string& backend) {
  return convert_to_tensor(x, ConvertOptions{.backend = backend});
}

Tensor copy(const Tensor& x) {
  require_defined("copy", x, "x");
  if (x.is_symbolic()) return Tensor::symbolic(x.shape(), x.dtype());
  // Tensors are immutable, so a copy is a new handle on the same data with its own identity.
  auto impl = std::make_shared<TensorImpl>(*x.impl());
  impl->id = TensorImpl::next_id();
  impl->trainable_variable = false;
  impl->weak = false;
  Tensor y(std::move(impl));
  if (autodiff::is_recording() && is_floating(x.dtype()))
    autodiff::record("copy", {x}, {y}, [](const std::vector<Tensor>& g) { return g; });
  return y;
}

}  // namespace keras::ops
