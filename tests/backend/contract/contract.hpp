// The backend contract suite: every check in tests/backend/contract/ runs once per built backend
// (backend::available_backends()), so a new backend is held to the same behaviour with no test
// edits. The checks call Backend kernels directly, without the ops layer.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "keras/backend/backend.hpp"
#include "testing/backends.hpp"
#include "testing/expect_error.hpp"

namespace keras::backend::contract {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline constexpr double kInf = std::numeric_limits<double>::infinity();

class BackendContract : public keras::testing::BackendTest {
 protected:
  Backend& be() const { return get_backend(GetParam()); }

  template <class T>
  Tensor make(const std::vector<T>& v, const Shape& shape) {
    return be().from_host(v.data(), shape, dtype_of<T>());
  }
  template <class T>
  Tensor make(const std::vector<T>& v) {
    return make(v, Shape{static_cast<int64_t>(v.size())});
  }
  Tensor make_bool(const std::vector<uint8_t>& v, const Shape& shape) {
    return be().from_host(v.data(), shape, DType::Bool);
  }
  // float64 values cast to `dtype` by the backend under test.
  Tensor make_f(const std::vector<double>& v, const Shape& shape, DType dtype) {
    return be().cast(make(v, shape), dtype);
  }

  template <class T>
  std::vector<T> get(const Tensor& t) {
    EXPECT_EQ(t.dtype(), dtype_of<T>());
    return read<T>(t);
  }
  std::vector<uint8_t> get_bool(const Tensor& t) {
    EXPECT_EQ(t.dtype(), DType::Bool);
    return read<uint8_t>(t);
  }
  // Any tensor's values as float64, cast by the backend under test.
  std::vector<double> as_double(const Tensor& t) {
    return get<double>(be().cast(t, DType::Float64));
  }

  // Expects f to throw E whose message contains every one of `words`.
  template <class E>
  void expect_error(const std::function<void()>& f, const std::vector<std::string>& words) {
    const std::string msg = keras::testing::error_of<E>(f);
    for (const auto& w : words) EXPECT_CONTAINS(msg, w);
  }

  // Runs f on this backend and on the cpu backend with the same host inputs; compares as float64
  // (integers exactly). Counts what it compared into compared / refused / not_on_cpu.
  void compare_with_cpu(const std::string& what, const std::vector<Tensor>& inputs,
                        const std::function<Tensor(Backend&, const std::vector<Tensor>&)>& f,
                        double tol);
  // The cpu backend is the reference of the agreement checks, which skip it.
  bool is_reference() const { return GetParam() == "cpu"; }
  void TearDown() override;  // prints the counts below
  int compared = 0, refused = 0, not_on_cpu = 0;

 private:
  template <class T>
  std::vector<T> read(const Tensor& t) {
    std::vector<T> out(static_cast<size_t>(t.size()));
    if (!out.empty()) be().to_host(t, out.data());
    return out;
  }
};

std::vector<double> random_values(size_t n, uint32_t seed, double lo = -1.0, double hi = 1.0);
// NaN must be NaN, inf equal, others within tol * max(1, |want|).
void expect_close(const std::vector<double>& got, const std::vector<double>& want,
                  double tol = 1e-6);
// Every element within the absolute tolerance tol.
void expect_near_all(const std::vector<double>& got, const std::vector<double>& want, double tol);
double dot(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace keras::backend::contract
