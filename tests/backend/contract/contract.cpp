#include "backend/contract/contract.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <numeric>
#include <random>

namespace keras::backend::contract {

void BackendContract::compare_with_cpu(
    const std::string& what, const std::vector<Tensor>& inputs,
    const std::function<Tensor(Backend&, const std::vector<Tensor>&)>& f, double tol) {
  SCOPED_TRACE(what);
  Backend& cpu = get_backend("cpu");
  std::vector<Tensor> cpu_inputs;
  for (const Tensor& t : inputs) {
    std::vector<unsigned char> raw(static_cast<size_t>(t.size()) * dtype_size(t.dtype()));
    if (!raw.empty()) be().to_host(t, raw.data());
    cpu_inputs.push_back(cpu.from_host(raw.data(), t.shape(), t.dtype()));
  }
  Tensor want;
  try {
    want = f(cpu, cpu_inputs);
  } catch (const NotImplementedError&) {
    ++not_on_cpu;
    return;
  } catch (const TypeError&) {
    // A dtype the cpu backend refuses: every backend must refuse it the same way.
    EXPECT_THROW(f(be(), inputs), TypeError);
    ++refused;
    return;
  }
  ++compared;
  Tensor got = f(be(), inputs);
  ASSERT_EQ(got.dtype(), want.dtype());
  ASSERT_EQ(got.shape(), want.shape());
  std::vector<unsigned char> a(static_cast<size_t>(got.size()) * dtype_size(got.dtype()));
  std::vector<unsigned char> b(a.size());
  if (!a.empty()) {
    be().to_host(got, a.data());
    cpu.to_host(want, b.data());
  }
  if (!is_floating(got.dtype())) {
    EXPECT_EQ(a, b);
    return;
  }
  std::vector<double> ga(static_cast<size_t>(got.size())), gb(ga.size());
  detail::convert_elements(a.data(), got.dtype(), ga.data(), DType::Float64, got.size());
  detail::convert_elements(b.data(), got.dtype(), gb.data(), DType::Float64, got.size());
  expect_close(ga, gb, tol);
}

void BackendContract::TearDown() {
  BackendTest::TearDown();
  if (compared + refused + not_on_cpu > 0)
    std::cout << "[ compared " << compared << " kernel calls with cpu; both refused " << refused
              << "; not on cpu " << not_on_cpu << " ]\n";
}

std::vector<double> random_values(size_t n, uint32_t seed, double lo, double hi) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> dist(lo, hi);
  std::vector<double> v(n);
  for (auto& x : v) x = dist(gen);
  return v;
}

void expect_close(const std::vector<double>& got, const std::vector<double>& want, double tol) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << "at " << i << ": got " << got[i];
    } else if (std::isinf(want[i])) {
      EXPECT_EQ(got[i], want[i]) << "at " << i;
    } else {
      EXPECT_NEAR(got[i], want[i], tol * std::max(1.0, std::abs(want[i]))) << "at " << i;
    }
  }
}

void expect_near_all(const std::vector<double>& got, const std::vector<double>& want, double tol) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << "at " << i;
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  return std::inner_product(a.begin(), a.end(), b.begin(), 0.0);
}

KERAS_INSTANTIATE_BACKEND_TEST(BackendContract);

}  // namespace keras::backend::contract
