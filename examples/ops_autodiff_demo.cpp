// A short tour of keras::ops and autodiff, run on every built backend (or the one named with
// --backend NAME): a few ops, a GradientTape gradient checked against its closed form, and a
// linear regression fitted by plain gradient descent. Exits 1 if the loss does not go down.
#include <keras/keras.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <new>
#include <string>
#include <vector>

namespace ops = keras::ops;
using keras::Tensor;

namespace {

void tour_ops() {
  Tensor x = ops::convert_to_tensor<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  std::cout << "x =\n"
            << x << "\n"
            << "sum(x, axis=1) = " << ops::sum(x, {.axis = 1}) << "\n"
            << "x @ x.T =\n"
            << ops::matmul(x, ops::transpose(x)) << "\n"
            << "softmax(x) =\n"
            << ops::softmax(x) << "\n"
            << "x * 2 + 1 (Python scalars keep x's dtype) = " << (x * 2 + 1).repr() << "\n";
}

// d/dw sum(w * sin(w)) = sin(w) + w * cos(w).
void tour_gradient() {
  Tensor w = ops::convert_to_tensor<double>({-1.0, 0.5, 2.0});
  keras::GradientTape tape;
  tape.watch(w);
  Tensor y = ops::sum(ops::multiply(w, ops::sin(w)));
  Tensor g = tape.gradient(y, w);
  Tensor expected = ops::sin(w) + w * ops::cos(w);
  std::cout << "gradient of sum(w * sin(w)) at w = " << w << ": " << g << " (closed form "
            << expected << ")\n";
}

// y = X @ [2, -3, 0.5] + 1 plus a little deterministic noise; fit w and b from zeros.
bool fit_linear_regression() {
  const int n = 64;
  std::vector<float> xs, ys;
  const float true_w[3] = {2.0f, -3.0f, 0.5f}, true_b = 1.0f;
  for (int i = 0; i < n; ++i) {
    float row[3] = {std::sin(0.37f * i), std::cos(0.21f * i), 0.05f * (i % 20) - 0.5f};
    float y = true_b + 0.01f * std::sin(12.9898f * i);
    for (int j = 0; j < 3; ++j) {
      xs.push_back(row[j]);
      y += true_w[j] * row[j];
    }
    ys.push_back(y);
  }
  Tensor X = ops::convert_to_tensor(xs, {n, 3});
  Tensor Y = ops::convert_to_tensor(ys, {n, 1});
  keras::Variable w(ops::zeros({3, 1}), {.name = "w"});
  keras::Variable b(ops::zeros({1}), {.name = "b"});
  const float learning_rate = 0.3f;
  float first_loss = 0, loss_value = 0;
  for (int step = 0; step <= 200; ++step) {
    keras::GradientTape tape;
    Tensor loss = ops::mean(ops::square(ops::matmul(X, w) + b - Y));
    std::vector<Tensor> grads = tape.gradient(loss, std::vector<keras::Variable>{w, b});
    w.assign_sub(grads[0] * learning_rate);
    b.assign_sub(grads[1] * learning_rate);
    loss_value = loss.item<float>();
    if (step == 0) first_loss = loss_value;
    if (step % 25 == 0) std::printf("  step %3d  loss %.6f\n", step, loss_value);
  }
  std::vector<float> wv = ops::convert_to_vector<float>(w.value());
  std::printf("  learned w = [%.3f, %.3f, %.3f], b = %.3f (true: [2, -3, 0.5], 1)\n", wv[0], wv[1],
              wv[2], b.value().item<float>());
  return loss_value < first_loss * 1e-2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> backends;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--backend" && i + 1 < argc) {
      backends.push_back(argv[++i]);
    } else if (a.rfind("--backend=", 0) == 0) {
      backends.push_back(a.substr(10));
    } else {
      std::cerr << "usage: ops_autodiff_demo [--backend NAME]\n"
                << "Runs on every built backend unless one is named.\n";
      return a == "--help" || a == "-h" ? 0 : 2;
    }
  }
  if (backends.empty()) backends = keras::backend::available_backends();
  bool ok = true;
  try {
    for (const std::string& name : backends) {
      keras::config::set_backend(name);
      keras::backend::BackendInfo info = keras::backend::get_backend(name).info();
      std::cout << "==== backend " << name << ": " << info.device << " ====\n";
      tour_ops();
      tour_gradient();
      std::cout << "linear regression, gradient descent:\n";
      bool fitted = fit_linear_regression();
      std::cout << (fitted ? "  the loss went down\n" : "  the loss did NOT go down\n") << "\n";
      ok = ok && fitted;
    }
  } catch (const std::bad_alloc&) {
    std::cerr << "ops_autodiff_demo: error: out of memory\n";
    return 1;
  } catch (const std::exception& e) {
    // Every error is reported (exit code 1), keras's or not; none ends in std::terminate.
    std::cerr << "ops_autodiff_demo: error: " << e.what() << "\n";
    return 1;
  }
  return ok ? 0 : 1;
}
