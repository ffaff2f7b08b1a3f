// The backend matrix: every op case of op_descriptors.cpp on every built backend x dtype,
// compared with a float64 reference computed on the cpu backend from the same input values, plus
// a finite-difference check of the VJP in float64 on each backend. Prints the matrix and writes it
// to docs/backend-matrix.md. KERAS_MATRIX_FILTER=substring runs only matching ops (and then does
// not write the file).
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "conformance/op_descriptors.hpp"
#include "keras/backend/backend.hpp"
#include "keras/core/config.hpp"
#include "keras/ops/ops.hpp"
#include "testing/gradient_check.hpp"

namespace keras::testing {
namespace {

const std::vector<DType> kColumns = {float32, float64, float16, bfloat16,
                                     int32,   int64,   uint8,   bool_};

// Per-element tolerance |ours - ref| <= tol * (1 + |ref|), by the dtype of our output.
double tolerance(DType dtype) {
  switch (dtype) {
    case DType::Float64:
      return 1e-9;
    case DType::Float32:
      return 2e-5;
    case DType::Float16:
      return 1e-2;
    case DType::BFloat16:
      return 5e-2;
    default:
      return 0.0;
  }
}

// Values of one input: a fixed pseudo-random spread over the domain; integers for integer dtypes.
std::vector<double> input_values(const Shape& shape, Domain domain, DType dtype, uint64_t seed) {
  struct Range {
    double lo, hi, ilo, ihi;
  };
  Range r = domain == Domain::Positive      ? Range{0.25, 2, 1, 5}
            : domain == Domain::Unit        ? Range{-0.9, 0.9, 0, 0}
            : domain == Domain::AboveOne    ? Range{1.1, 3, 2, 5}
            : domain == Domain::NonZero     ? Range{0.5, 2, 1, 4}
            : domain == Domain::Probability ? Range{0.05, 0.95, 0, 1}
                                            : Range{-2, 2, -4, 4};
  bool integral = !is_floating(dtype);
  if (dtype == DType::Bool) r.ilo = 0, r.ihi = 1;
  if (dtype == DType::UInt8) r.ilo = std::max(r.ilo, 0.0);
  std::vector<double> u = test_values(shape, 0.0, 1.0, seed).to_vector<double>();
  std::vector<double> out(u.size());
  for (size_t k = 0; k < u.size(); ++k) {
    double v =
        integral ? std::floor(r.ilo + (r.ihi - r.ilo + 1) * u[k]) : r.lo + (r.hi - r.lo) * u[k];
    v = std::min(v, integral ? r.ihi : r.hi);
    if (domain == Domain::NonZero && (k * 7 + seed) % 3 == 0) v = -v;  // both signs, never 0
    out[k] = v;
  }
  return out;
}

// The inputs of `op` in `dtype` on the cpu backend (rounded there once, so every backend and the
// reference see identical values).
std::vector<Tensor> cpu_inputs(const OpDescriptor& op, DType dtype) {
  std::vector<Tensor> xs;
  for (size_t i = 0; i < op.shapes.size(); ++i) {
    Domain d = i < op.domains.size() ? op.domains[i] : Domain::Real;
    auto v = input_values(op.shapes[i], d, dtype, 11 + 5 * i);
    xs.push_back(ops::cast(ops::convert_to_tensor(v, op.shapes[i], {.backend = "cpu"}), dtype));
  }
  return xs;
}

std::vector<Tensor> move_to(const std::vector<Tensor>& xs, const std::string& backend) {
  std::vector<Tensor> out;
  for (const Tensor& x : xs) out.push_back(ops::convert_to_tensor(x, backend));
  return out;
}

bool is_unsupported(const std::exception& e) {
  return dynamic_cast<const TypeError*>(&e) || dynamic_cast<const NotImplementedError*>(&e);
}

// Runs op.fn with `backend` as the default backend (so scalars and index tensors land there).
Tensor run(const OpDescriptor& op, const std::vector<Tensor>& xs, const std::string& backend) {
  std::string previous = config::backend();
  config::set_backend(backend);
  try {
    Tensor y = op.fn(xs);
    config::set_backend(previous);
    return y;
  } catch (...) {
    config::set_backend(previous);
    throw;
  }
}

std::string compare(const Tensor& ours, const Tensor& ref, DType cpu_dtype, double scale) {
  std::ostringstream why;
  if (ours.shape() != ref.shape())
    return "shape " + ours.shape().to_string() + ", reference " + ref.shape().to_string();
  if (ours.dtype() != cpu_dtype)
    return "dtype " + std::string(dtype_name(ours.dtype())) + ", cpu gives " +
           std::string(dtype_name(cpu_dtype));
  std::vector<double> a = ours.to_vector<double>(), b = ref.to_vector<double>();
  double tol = tolerance(ours.dtype()) * scale;
  for (size_t k = 0; k < a.size(); ++k) {
    bool ok = std::isnan(b[k])   ? std::isnan(a[k])
              : std::isinf(b[k]) ? a[k] == b[k]
                                 : std::fabs(a[k] - b[k]) <= tol * (1 + std::fabs(b[k]));
    if (!ok) {
      why.precision(10);
      why << "element " << k << ": " << a[k] << ", reference " << b[k] << " (tolerance " << tol
          << " relative)";
      return why.str();
    }
  }
  return "";
}

struct Matrix {
  // op name -> backend -> column ("float32", ..., "grad") -> "ok" / "FAIL" / "unsup"
  std::vector<std::string> ops;
  std::map<std::string, std::map<std::string, std::map<std::string, std::string>>> cells;
  std::vector<std::string> failures;

  void set(const std::string& op, const std::string& be, const std::string& col,
           const std::string& status, const std::string& detail = "") {
    cells[op][be][col] = status;
    if (status == "FAIL") failures.push_back(op + " on " + be + " [" + col + "]: " + detail);
  }
};

void check_values(const OpDescriptor& op, const std::vector<std::string>& backends, Matrix& m) {
  for (DType dtype : op.dtypes) {
    std::string col(dtype_name(dtype));
    std::vector<Tensor> xs = cpu_inputs(op, dtype);
    // Reference: float64 on cpu from the same values; bool (and ops without a float64 kernel)
    // use the cpu backend in the dtype itself.
    Tensor ref, cpu_same;
    std::string cpu_error;
    try {
      cpu_same = run(op, xs, "cpu");
    } catch (const std::exception& e) {
      cpu_error = e.what();
    }
    if (dtype != DType::Bool) {
      std::vector<Tensor> xs64;
      for (const Tensor& x : xs) xs64.push_back(ops::cast(x, float64));
      try {
        ref = run(op, xs64, "cpu");
      } catch (const std::exception& e) {
        if (!is_unsupported(e))
          m.failures.push_back(op.name + ": float64 reference threw: " + e.what());
      }
    }
    if (!ref.defined()) ref = cpu_same;
    for (const std::string& be : backends) {
      try {
        Tensor y = run(op, move_to(xs, be), be);
        if (!ref.defined()) {
          m.set(op.name, be, col, "FAIL", "no reference (cpu: " + cpu_error + ")");
          continue;
        }
        std::string diff =
            compare(y, ref, cpu_same.defined() ? cpu_same.dtype() : y.dtype(), op.tolerance_scale);
        m.set(op.name, be, col, diff.empty() ? "ok" : "FAIL", diff);
      } catch (const std::exception& e) {
        m.set(op.name, be, col, is_unsupported(e) ? "unsup" : "FAIL", e.what());
      }
    }
    // Parity: a dtype one backend computes must not be rejected by another.
    bool any_ok = false, any_unsup = false;
    for (const std::string& be : backends) {
      any_ok |= m.cells[op.name][be][col] == "ok";
      any_unsup |= m.cells[op.name][be][col] == "unsup";
    }
    if (any_ok && any_unsup)
      m.failures.push_back(op.name + " [" + col + "]: supported on some backends only");
  }
}

void check_gradients(const OpDescriptor& op, const std::vector<std::string>& backends, Matrix& m) {
  if (!op.differentiable) return;
  for (const std::string& be : backends) {
    ::testing::TestPartResultArray results;
    std::string error;
    {
      ::testing::ScopedFakeTestPartResultReporter reporter(
          ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
      try {
        std::vector<Tensor> xs = move_to(cpu_inputs(op, float64), be);
        std::string previous = config::backend();
        config::set_backend(be);
        try {
          expect_gradients_match(op.fn, xs, op.name);
        } catch (...) {
          config::set_backend(previous);
          throw;
        }
        config::set_backend(previous);
      } catch (const std::exception& e) {
        error = std::string("threw: ") + e.what();
      }
    }
    for (int k = 0; k < results.size() && error.empty(); ++k)
      if (results.GetTestPartResult(k).failed()) error = results.GetTestPartResult(k).message();
    m.set(op.name, be, "grad", error.empty() ? "ok" : "FAIL", error);
  }
}

std::string render(const Matrix& m, const std::vector<std::string>& backends) {
  std::ostringstream md;
  md << "# Backend matrix\n\n"
     << "Generated by `conformance_tests` (tests/conformance/backend_matrix_test.cpp); do not "
        "edit\n"
     << "by hand. Each op case (tests/conformance/op_descriptors.cpp) runs on every built backend "
        "in\n"
     << "each dtype it lists, on identical input values, and is compared with a float64 reference\n"
     << "computed on the cpu backend (bool cases: the cpu backend in bool). Per-element tolerance\n"
     << "`|ours - ref| <= tol * (1 + |ref|)` with tol 1e-9 (float64), 2e-5 (float32), 1e-2\n"
     << "(float16), 5e-2 (bfloat16), exact for integer and bool outputs; shapes must match and "
        "dtypes\n"
     << "must equal the cpu backend's. `grad`: the VJP against central finite differences in "
        "float64.\n"
     << "`ok` passed, `FAIL` wrong or threw, `unsup` the backend rejects the dtype (TypeError or\n"
     << "NotImplementedError), blank: not tried.\n\n"
     << "Backends:";
  for (const std::string& be : backends) {
    backend::BackendInfo info = backend::get_backend(be).info();
    md << " `" << be << "` (" << info.device << "; " << info.libraries << ")"
       << (be == backends.back() ? ".\n\n" : ",");
  }
  md << "| op | backend |";
  for (DType d : kColumns) md << " " << dtype_name(d) << " |";
  md << " grad |\n|---|---|";
  for (size_t k = 0; k <= kColumns.size(); ++k) md << "---|";
  md << "\n";
  for (const std::string& op : m.ops) {
    for (const std::string& be : backends) {
      const auto& row = m.cells.at(op).at(be);
      auto cell = [&](const std::string& col) {
        auto it = row.find(col);
        return it == row.end() ? std::string(" ") : it->second;
      };
      md << "| " << op << " | " << be << " |";
      for (DType d : kColumns) md << " " << cell(std::string(dtype_name(d))) << " |";
      md << " " << cell("grad") << " |\n";
    }
  }
  md << "\n" << m.failures.size() << " failures.\n";
  for (const std::string& f : m.failures) md << "\n- " << f;
  if (!m.failures.empty()) md << "\n";
  return md.str();
}

TEST(BackendMatrix, EveryOpOnEveryBackendAndDType) {
  std::vector<std::string> backends = backend::available_backends();
  const char* filter = std::getenv("KERAS_MATRIX_FILTER");
  if (filter && !*filter) filter = nullptr;
  Matrix m;
  for (const OpDescriptor& op : op_descriptors()) {
    if (filter && op.name.find(filter) == std::string::npos) continue;
    m.ops.push_back(op.name);
    for (const std::string& be : backends) m.cells[op.name][be];
    check_values(op, backends, m);
    check_gradients(op, backends, m);
  }
  std::string md = render(m, backends);
  std::cout << md;
  if (!filter) {
    std::filesystem::path path =
        std::filesystem::path(KERAS_SOURCE_DIR) / "docs" / "backend-matrix.md";
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    std::ofstream(path) << md;
  }
  std::string list;
  for (const std::string& f : m.failures) list += "\n  " + f;
  EXPECT_TRUE(m.failures.empty()) << m.failures.size() << " failures:" << list;
}

}  // namespace
}  // namespace keras::testing
