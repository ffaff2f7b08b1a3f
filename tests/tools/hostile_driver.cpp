// The hostile-input suite's stand-in for a user program (tests/hostile/): calls the library the
// way an application does and reports how each call ended, so the suite can run every hostile
// file through load_model / load_weights / predict in a child process with limits.
//
//   hostile_driver load_model M.keras [--unsafe]
//   hostile_driver load_weights M.keras W.weights.h5|W.weights.json
//   hostile_driver predict M.keras BATCH    (zeros of the model's input shapes, BATCH rows)
//   hostile_driver resave M.keras OUT.keras (load_model, then save: scripts/resave_fixtures.sh)
//
// Exit codes: 0 success; 4 a keras::Error (printed); 70 anything else that is not a keras error
// (std::bad_alloc, a JSON library exception, ...): a bug, because the library promises keras
// errors for bad input (docs/security.md).
#include <iostream>
#include <string>
#include <vector>

#include "keras/core/errors.hpp"
#include "keras/keras.hpp"

namespace {

int run(const std::vector<std::string>& a) {
  if (a.size() >= 2 && a[0] == "load_model") {
    bool unsafe = a.size() > 2 && a[2] == "--unsafe";
    keras::Model m = keras::saving::load_model(a[1], {.safe_mode = !unsafe});
    std::cout << "loaded " << m->name() << "\n";
    return 0;
  }
  if (a.size() == 3 && a[0] == "load_weights") {
    keras::Model m = keras::saving::load_model(a[1], {.compile = false});
    m.load_weights(a[2]);
    std::cout << "weights loaded\n";
    return 0;
  }
  if (a.size() == 3 && a[0] == "predict") {
    keras::Model m = keras::saving::load_model(a[1], {.compile = false});
    int64_t batch = std::stoll(a[2]);
    std::vector<keras::Tensor> inputs = m->inputs();
    // A Sequential model has no Functional inputs: its Input layer gives the shape.
    if (auto* seq = dynamic_cast<keras::SequentialImpl*>(m.ptr().get()); seq && seq->input_layer())
      inputs = {seq->input_layer()->output()};
    std::vector<keras::Tensor> xs;
    for (const keras::Tensor& in : inputs) {
      keras::Shape s = in.shape();
      if (s.rank() > 0) s[0] = batch;
      for (int64_t& d : s)
        if (d < 0) d = 1;
      xs.push_back(keras::ops::zeros(s, in.dtype()));
    }
    auto ys = m.predict(xs, {.batch_size = batch});
    std::cout << "predicted " << ys.size() << " outputs\n";
    return 0;
  }
  if (a.size() == 3 && a[0] == "resave") {
    keras::saving::load_model(a[1]).save(a[2]);
    std::cout << "saved " << a[2] << "\n";
    return 0;
  }
  std::cerr << "usage: hostile_driver load_model|load_weights|predict|resave ...\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const keras::Error& e) {
    std::cerr << "keras error: " << e.what() << "\n";
    return 4;
  } catch (const std::exception& e) {
    std::cerr << "NOT A KERAS ERROR (" << typeid(e).name() << "): " << e.what() << "\n";
    return 70;
  }
}
