#pragma once
// Tensor: an immutable value handle. Its storage belongs to one backend; copies of a Tensor share
// it. A symbolic tensor has a shape (possibly with unknown dimensions) and a dtype but no data: it
// is what keras::Input returns and what ops produce while a Functional model is being built.
#include <concepts>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "keras/core/dtype.hpp"
#include "keras/core/errors.hpp"
#include "keras/core/shape.hpp"

namespace keras {

namespace backend {
class Backend;
// Backend-owned data behind a tensor; each backend derives its own.
struct Storage {
  virtual ~Storage() = default;
};
}  // namespace backend

struct TensorImpl {
  Shape shape;
  DType dtype = DType::Float32;
  backend::Backend* backend = nullptr;        // null for symbolic tensors
  std::shared_ptr<backend::Storage> storage;  // null for symbolic tensors
  uint64_t id = next_id();                    // identity for autodiff bookkeeping
  bool weak = false;          // made from a C++ scalar: adopts the other operand's dtype
  double scalar_value = 0.0;  // weak scalars: the exact value, cast when the dtype is resolved
  bool trainable_variable = false;  // the current value of a trainable Variable
  std::string name;                 // symbolic tensors: the name given to keras::Input
  // Set by the layers/models code on symbolic tensors to record how they were made (the
  // Functional graph); opaque to the core.
  std::shared_ptr<void> keras_history;
  // Keras's `_keras_mask`: the mask a masking-aware layer attached to its output (a boolean
  // tensor, usually (batch, timesteps)); null when there is none. Read by the next layer called
  // on this tensor.
  std::shared_ptr<TensorImpl> keras_mask;

  static uint64_t next_id();
};

template <class T>
concept Scalar = std::is_arithmetic_v<T>;

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}
  // A 0-d "weak" tensor on the default backend, so `x * 2.0` keeps x's dtype as in Keras.
  template <Scalar T>
  Tensor(T value) : Tensor(make_scalar(static_cast<double>(value), scalar_dtype<T>())) {}  // NOLINT

  static Tensor symbolic(Shape shape, DType dtype, std::string name = "");

  bool defined() const { return impl_ != nullptr; }
  bool is_symbolic() const { return impl_ && impl_->backend == nullptr; }
  const Shape& shape() const { return checked().shape; }
  DType dtype() const { return checked().dtype; }
  int ndim() const { return checked().shape.rank(); }
  int64_t size() const { return checked().shape.num_elements(); }
  // The backend holding the data; throws ValueError for symbolic tensors.
  backend::Backend& backend() const;
  std::string_view backend_name() const;
  uint64_t id() const { return checked().id; }
  const std::shared_ptr<TensorImpl>& impl() const { return impl_; }

  // Keras's `_keras_mask` (undefined when the tensor carries no mask). Setting it is metadata
  // only: the data stays immutable.
  Tensor keras_mask() const { return Tensor(checked().keras_mask); }
  void set_keras_mask(const Tensor& mask) const {
    const_cast<TensorImpl&>(checked()).keras_mask = mask.impl();
  }

  // Copies the data to host memory, converting each element to T.
  template <class T>
  std::vector<T> to_vector() const;
  // The single element of a size-1 tensor, converted to T.
  template <class T>
  T item() const {
    if (size() != 1)
      throw ValueError("Tensor::item: tensor has " + std::to_string(size()) + " elements (shape " +
                       shape().to_string() + "), expected exactly 1");
    return to_vector<T>()[0];
  }
  // Raw copy in this tensor's own dtype; `bytes` must be size() * dtype_size(dtype()).
  void copy_to_host(void* dst, size_t bytes) const;

  // NumPy-style text, e.g. "[[1. 2.]\n [3. 4.]]".
  std::string to_string() const;
  // Like NumPy's repr: "array([[1., 2.]], dtype=float32, backend=cpu)".
  std::string repr() const;

 private:
  const TensorImpl& checked() const;
  static Tensor make_scalar(double value, DType dtype);
  template <class T>
  static constexpr DType scalar_dtype() {
    if constexpr (std::is_same_v<T, bool>)
      return DType::Bool;
    else if constexpr (std::is_floating_point_v<T>)
      return DType::Float32;
    else
      return DType::Int32;
  }

  std::shared_ptr<TensorImpl> impl_;
};

std::ostream& operator<<(std::ostream& os, const Tensor& x);

// Short names for dtypes, as keras.ops accepts "float32": `ops::zeros({2}, keras::int32)`.
inline constexpr DType bool_ = DType::Bool;
inline constexpr DType int8 = DType::Int8;
inline constexpr DType int16 = DType::Int16;
inline constexpr DType int32 = DType::Int32;
inline constexpr DType int64 = DType::Int64;
inline constexpr DType uint8 = DType::UInt8;
inline constexpr DType uint16 = DType::UInt16;
inline constexpr DType uint32 = DType::UInt32;
inline constexpr DType uint64 = DType::UInt64;
inline constexpr DType float16 = DType::Float16;
inline constexpr DType bfloat16 = DType::BFloat16;
inline constexpr DType float32 = DType::Float32;
inline constexpr DType float64 = DType::Float64;

// ---- implementation of the templates ----
namespace detail {
// Converts `n` elements of `src` (dtype `from`) into `dst` (dtype `to`), C-style (float to int
// truncates toward zero, to bool is != 0).
void convert_elements(const void* src, DType from, void* dst, DType to, int64_t n);
}  // namespace detail

template <class T>
std::vector<T> Tensor::to_vector() const {
  constexpr DType want = dtype_of<T>();
  std::vector<T> out(static_cast<size_t>(size()));
  if (dtype() == want) {
    if constexpr (std::is_same_v<T, bool>) {
      std::vector<uint8_t> raw(out.size());
      copy_to_host(raw.data(), raw.size());
      for (size_t i = 0; i < raw.size(); ++i) out[i] = raw[i] != 0;
    } else {
      copy_to_host(out.data(), out.size() * sizeof(T));
    }
    return out;
  }
  std::vector<unsigned char> raw(out.size() * dtype_size(dtype()));
  copy_to_host(raw.data(), raw.size());
  if constexpr (std::is_same_v<T, bool>) {
    std::vector<uint8_t> tmp(out.size());
    detail::convert_elements(raw.data(), dtype(), tmp.data(), DType::Bool, size());
    for (size_t i = 0; i < tmp.size(); ++i) out[i] = tmp[i] != 0;
  } else {
    detail::convert_elements(raw.data(), dtype(), out.data(), want, size());
  }
  return out;
}

}  // namespace keras
