#include "keras/core/tensor.hpp"

#include <atomic>
#include <cmath>
#include <cstdio>
#include <ostream>

#include "keras/backend/backend.hpp"

namespace keras {

uint64_t TensorImpl::next_id() {
  static std::atomic<uint64_t> counter{1};
  return counter.fetch_add(1, std::memory_order_relaxed);
}

Tensor Tensor::symbolic(Shape shape, DType dtype, std::string name) {
  for (int64_t d : shape)
    if (d < Shape::kNone)
      throw ValueError("Tensor::symbolic: invalid dimension " + std::to_string(d) + " in shape " +
                       shape.to_string() + " (use Shape::kNone for an unknown dimension)");
  auto impl = std::make_shared<TensorImpl>();
  impl->shape = std::move(shape);
  impl->dtype = dtype;
  impl->name = std::move(name);
  return Tensor(std::move(impl));
}

Tensor Tensor::make_scalar(double value, DType dtype) {
  auto& be = backend::default_backend();
  Tensor t = be.full({}, dtype, value);
  t.impl_->weak = true;
  t.impl_->scalar_value = value;
  return t;
}

const TensorImpl& Tensor::checked() const {
  if (!impl_) throw ValueError("Tensor: the tensor is undefined (default-constructed)");
  return *impl_;
}

backend::Backend& Tensor::backend() const {
  const TensorImpl& impl = checked();
  if (!impl.backend)
    throw ValueError("Tensor: symbolic tensor " +
                     (impl.name.empty() ? "" : "'" + impl.name + "' ") + "of shape " +
                     impl.shape.to_string() +
                     " has no data; call the model on real tensors to get values");
  return *impl.backend;
}

std::string_view Tensor::backend_name() const {
  return is_symbolic() ? std::string_view("symbolic") : backend().name();
}

void Tensor::copy_to_host(void* dst, size_t bytes) const {
  size_t want = static_cast<size_t>(size()) * dtype_size(dtype());
  if (bytes != want)
    throw ValueError("Tensor::copy_to_host: destination holds " + std::to_string(bytes) +
                     " bytes, the tensor of shape " + shape().to_string() + " and dtype " +
                     std::string(dtype_name(dtype())) + " needs " + std::to_string(want));
  if (want == 0) return;
  backend().to_host(*this, dst);
}

namespace detail {

void convert_elements(const void* src, DType from, void* dst, DType to, int64_t n) {
  visit_dtype(from, [&]<class S>() {
    visit_dtype(to, [&]<class D>() {
      const S* s = static_cast<const S*>(src);
      D* d = static_cast<D*>(dst);
      for (int64_t i = 0; i < n; ++i) {
        if constexpr (std::is_same_v<D, bool>) {
          d[i] = static_cast<float>(s[i]) != 0.0f || static_cast<double>(s[i]) != 0.0;
        } else if constexpr (std::is_same_v<S, float16_t> || std::is_same_v<S, bfloat16_t>) {
          d[i] = static_cast<D>(static_cast<float>(s[i]));
        } else if constexpr (std::is_same_v<D, float16_t> || std::is_same_v<D, bfloat16_t>) {
          d[i] = D(static_cast<float>(s[i]));
        } else if constexpr (std::is_floating_point_v<S> && std::is_integral_v<D>) {
          double v = static_cast<double>(s[i]);
          // Out-of-range and NaN conversions are UB in C++; give 0 / saturate instead.
          if (std::isnan(v))
            d[i] = 0;
          else if (v >= static_cast<double>(std::numeric_limits<D>::max()))
            d[i] = std::numeric_limits<D>::max();
          else if (v <= static_cast<double>(std::numeric_limits<D>::lowest()))
            d[i] = std::numeric_limits<D>::lowest();
          else
            d[i] = static_cast<D>(v);
        } else {
          d[i] = static_cast<D>(s[i]);
        }
      }
    });
  });
}

}  // namespace detail

namespace {

std::string format_element(double v, DType dtype, bool all_integral) {
  if (dtype == DType::Bool) return v != 0 ? "True" : "False";
  char buf[64];
  if (is_integer(dtype)) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (all_integral && std::fabs(v) < 1e16) {
    std::snprintf(buf, sizeof buf, "%.0f.", v);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.8g", v);
  return buf;
}

void print_rec(std::string& out, const std::vector<std::string>& items, const Shape& shape, int dim,
               int64_t offset, int64_t stride_prod, int indent, size_t width) {
  if (shape.rank() == 0) {
    out += items[0];
    return;
  }
  int64_t n = shape[dim];
  int64_t inner = stride_prod / std::max<int64_t>(n, 1);
  out += "[";
  const int64_t edge = 3;
  bool summarize = n > 2 * edge && static_cast<int64_t>(items.size()) > 1000;
  for (int64_t i = 0; i < n; ++i) {
    if (summarize && i == edge) {
      out += dim == shape.rank() - 1 ? "... " : "...\n" + std::string(indent + 1, ' ');
      i = n - edge;
    }
    if (dim == shape.rank() - 1) {
      const std::string& s = items[offset + i];
      out += std::string(width - s.size(), ' ') + s;
      if (i + 1 < n) out += " ";
    } else {
      print_rec(out, items, shape, dim + 1, offset + i * inner, inner, indent + 1, width);
      if (i + 1 < n)
        out += std::string(shape.rank() - dim - 1, '\n') + std::string(indent + 1, ' ');
    }
  }
  out += "]";
}

}  // namespace

std::string Tensor::to_string() const {
  if (!defined()) return "<undefined tensor>";
  if (is_symbolic())
    return "<KerasTensor shape=" + shape().to_string() +
           ", dtype=" + std::string(dtype_name(dtype())) +
           (impl_->name.empty() ? "" : ", name=" + impl_->name) + ">";
  std::vector<double> values = to_vector<double>();
  bool all_integral = true;
  for (double v : values)
    if (std::isfinite(v) && v != std::floor(v)) all_integral = false;
  std::vector<std::string> items;
  items.reserve(values.size());
  for (double v : values) items.push_back(format_element(v, dtype(), all_integral));
  // Align floats on the decimal point as NumPy does: pad the integer part on the left and the
  // fraction on the right ("[ 0.5  -1.25]").
  bool align = is_floating(dtype());
  size_t left = 0, right = 0;
  for (const std::string& it : items) {
    if (it.find_first_of("en") != std::string::npos && it != "inf" && it != "-inf") align = false;
    size_t dot = it.find('.');
    if (dot == std::string::npos) dot = it.size();
    left = std::max(left, dot);
    right = std::max(right, it.size() - dot);
  }
  size_t width = 0;
  for (std::string& it : items) {
    if (align) {
      size_t dot = it.find('.');
      if (dot == std::string::npos) dot = it.size();
      it = std::string(left - dot, ' ') + it + std::string(right - (it.size() - dot), ' ');
    }
    width = std::max(width, it.size());
  }
  if (size() == 0) return "[]";
  std::string out;
  print_rec(out, items, shape(), 0, 0, size(), 0, width);
  return out;
}

std::string Tensor::repr() const {
  if (!defined() || is_symbolic()) return to_string();
  return "Tensor(" + to_string() + ", shape=" + shape().to_string() +
         ", dtype=" + std::string(dtype_name(dtype())) +
         ", backend=" + std::string(backend_name()) + ")";
}

std::ostream& operator<<(std::ostream& os, const Tensor& x) { return os << x.to_string(); }

namespace backend {
Tensor Backend::make_tensor(Shape shape, DType dtype, std::shared_ptr<Storage> storage) {
  auto impl = std::make_shared<TensorImpl>();
  impl->shape = std::move(shape);
  impl->dtype = dtype;
  impl->backend = this;
  impl->storage = std::move(storage);
  return Tensor(std::move(impl));
}
}  // namespace backend

}  // namespace keras
