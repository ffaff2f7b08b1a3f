// import_models DIR: loads in keras-cpp the files real Python Keras 3 wrote
// (tests/interop/keras_save.py, listed in DIR/manifest.json) and checks that they give Keras's
// numbers (the ctest entry keras_python_interop). The backend is keras::config::backend().
//
// For each model NAME:
//   * keras::saving::load_model(NAME.keras) and predict on NAME_in.npz: within the manifest's
//     `tol` * max(1, max|keras|) of NAME_out.npz;
//   * compiled models: the optimizer's iteration count is the steps Keras ran and its variables
//     equal NAME_opt.npz; after one more fit step on NAME_train.npz the predictions are within
//     1e-4 of NAME_after.npz;
//   * NAME.weights.h5: into the same architecture loaded without compiling and zeroed,
//     load_weights, predict: Keras's outputs again.
// With RESAVED_DIR, every model is saved again there by keras-cpp (uncompiled, with its
// predictions and a manifest) for keras_load.py to load back in Keras.
// Exit status 1 with one line per mismatch.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "keras/keras.hpp"
#include "keras/saving/numpy.hpp"
#include "keras/saving/saving.hpp"
#include "keras/serialization/config.hpp"

namespace {

namespace ops = keras::ops;
using keras::Config;
using keras::Tensor;

std::string dir;
std::vector<std::string> failures;

void fail(const std::string& name, const std::string& what) {
  failures.push_back(name + ": " + what);
  std::cout << "  FAIL " << what << "\n";
}

// prefix0, prefix1, ... of an .npz file, in order.
std::vector<Tensor> numbered(const std::string& file, const std::string& prefix) {
  std::map<std::string, Tensor> all = keras::saving::load_npz_tensors(dir + "/" + file);
  std::vector<Tensor> out;
  for (int i = 0; all.count(prefix + std::to_string(i)); ++i)
    out.push_back(all.at(prefix + std::to_string(i)));
  return out;
}

std::vector<double> values(const Tensor& t) {
  return ops::cast(t, keras::float64).to_vector<double>();
}

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

// Largest |ours - keras| / max(1, max|keras|) over the outputs; records a failure above tol.
double compare(const std::string& name, const std::string& what, const std::vector<Tensor>& ours,
               const std::vector<Tensor>& keras_values, double tol) {
  if (ours.size() != keras_values.size()) {
    fail(name, what + ": keras-cpp gives " + std::to_string(ours.size()) + " outputs, Keras " +
                   std::to_string(keras_values.size()));
    return INFINITY;
  }
  double worst = 0.0;
  for (size_t i = 0; i < ours.size(); ++i) {
    if (ours[i].shape() != keras_values[i].shape()) {
      fail(name, what + " output_" + std::to_string(i) + ": keras-cpp shape " +
                     ours[i].shape().to_string() + ", Keras " +
                     keras_values[i].shape().to_string());
      continue;
    }
    std::vector<double> a = values(ours[i]), b = values(keras_values[i]);
    double scale = 1.0, diff = 0.0;
    for (double v : b) scale = std::max(scale, std::abs(v));
    for (size_t j = 0; j < a.size(); ++j)
      diff = std::max(diff, std::isnan(a[j]) ? INFINITY : std::abs(a[j] - b[j]));
    diff /= scale;
    if (!(diff <= tol))
      fail(name, what + " output_" + std::to_string(i) +
                     ": max |keras-cpp - keras| / scale = " + fmt(diff) + " > " + fmt(tol));
    worst = std::max(worst, diff);
  }
  std::cout << "  " << what << ": " << ours.size() << " output(s), max relative difference "
            << fmt(worst) << " (tol " << fmt(tol) << ")\n";
  return worst;
}

void check_optimizer(const std::string& name, const keras::Model& model, int64_t steps) {
  const auto& opt = model->optimizer();
  if (!opt) {
    fail(name, "compiled in Keras, but load_model restored no optimizer");
    return;
  }
  int64_t iterations = opt->iterations().item<int64_t>();
  if (iterations != steps)
    fail(name, "optimizer iterations = " + std::to_string(iterations) + ", Keras ran " +
                   std::to_string(steps) + " steps");
  std::vector<Tensor> theirs = numbered(name + "_opt.npz", "var_");
  std::vector<keras::Variable> ours = opt->variables();
  if (ours.size() != theirs.size()) {
    fail(name, opt->class_name() + " has " + std::to_string(ours.size()) +
                   " variables, Keras's file " + std::to_string(theirs.size()));
    return;
  }
  int bad = 0;
  for (size_t i = 0; i < ours.size(); ++i)
    if (ours[i].value().shape() != theirs[i].shape() ||
        values(ours[i].value()) != values(theirs[i])) {
      if (++bad <= 3)
        fail(name, "optimizer variable " + std::to_string(i) + " (" + ours[i].name() + " " +
                       ours[i].value().shape().to_string() + ") differs from Keras's " +
                       theirs[i].shape().to_string());
    }
  if (!bad)
    std::cout << "  optimizer: " << opt->class_name() << ", iterations " << iterations << ", "
              << ours.size() << " variables equal to Keras's\n";
}

void check_model(const Config& entry) {
  const std::string name = entry["name"].get<std::string>();
  const double tol = entry["tol"].get<double>();
  std::cout << name << ":\n";
  std::vector<Tensor> inputs = numbered(name + "_in.npz", "input_");
  std::vector<Tensor> expected = numbered(name + "_out.npz", "output_");
  auto predict = [&](const keras::Model& m) {
    std::vector<Tensor> out = m.predict(inputs);
    for (Tensor& t : out) t = ops::cast(t, keras::float32);  // float16 heads: compare as float32
    return out;
  };
  try {
    keras::Model model = keras::saving::load_model(dir + "/" + name + ".keras");
    compare(name, "load_model + predict", predict(model), expected, tol);
    if (entry["compiled"].get<bool>()) {
      const int64_t steps = entry["steps"].get<int64_t>();
      check_optimizer(name, model, steps);
      std::vector<Tensor> x = numbered(name + "_train.npz", "x_");
      std::vector<Tensor> y = numbered(name + "_train.npz", "y_");
      keras::History h = model.fit(
          x, y, {.batch_size = x[0].shape()[0], .epochs = 1, .verbose = 0, .shuffle = false});
      std::cout << "  fit one more step: loss " << h.history.at("loss").back() << "\n";
      if (model->optimizer()->iterations().item<int64_t>() != steps + 1)
        fail(name, "iterations after one more step: " +
                       std::to_string(model->optimizer()->iterations().item<int64_t>()));
      if (entry.value("after", false))
        compare(name, "predict after that step", predict(model),
                numbered(name + "_after.npz", "output_"), 1e-4);
    }
  } catch (const std::exception& e) {
    fail(name, std::string("keras-cpp could not load or run ") + name + ".keras: " + e.what());
  }
  try {
    keras::Model plain = keras::saving::load_model(dir + "/" + name + ".keras", {.compile = false});
    std::vector<Tensor> zeros;
    for (const Tensor& w : plain.get_weights()) zeros.push_back(ops::zeros_like(w));
    plain.set_weights(zeros);
    plain.load_weights(dir + "/" + name + ".weights.h5");
    compare(name, "load_weights(" + name + ".weights.h5) + predict", predict(plain), expected, tol);
  } catch (const std::exception& e) {
    fail(name, std::string("load_weights(") + name + ".weights.h5) failed: " + e.what());
  }
}

// Saves the model again (uncompiled) into RESAVED_DIR with keras-cpp's predictions, for
// keras_load.py: a file Keras wrote, read and rewritten here, must still load in Keras.
void resave(const Config& entry, const std::string& resaved_dir, Config& manifest) {
  const std::string name = entry["name"].get<std::string>();
  try {
    keras::Model model = keras::saving::load_model(dir + "/" + name + ".keras", {.compile = false});
    std::vector<Tensor> inputs = numbered(name + "_in.npz", "input_");
    std::vector<std::pair<std::string, Tensor>> ins, outs;
    for (size_t i = 0; i < inputs.size(); ++i)
      ins.emplace_back("input_" + std::to_string(i), inputs[i]);
    std::vector<Tensor> out = model.predict(inputs);
    for (size_t i = 0; i < out.size(); ++i)
      outs.emplace_back("output_" + std::to_string(i), ops::cast(out[i], keras::float32));
    keras::saving::save_npz(resaved_dir + "/" + name + "_in.npz", ins);
    keras::saving::save_npz(resaved_dir + "/" + name + "_out.npz", outs);
    model.save(resaved_dir + "/" + name + ".keras");
    model.save_weights(resaved_dir + "/" + name + ".weights.h5");
    manifest.push_back({{"name", name}, {"compiled", false}, {"tol", entry["tol"]}});
  } catch (const std::exception& e) {
    fail(name, std::string("could not save it again: ") + e.what());
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::cerr << "usage: import_models DIR [RESAVED_DIR]   (DIR/manifest.json from "
                 "tests/interop/keras_save.py)\n";
    return 2;
  }
  dir = argv[1];
  try {
    std::ifstream in(dir + "/manifest.json");
    if (!in) throw keras::OSError("cannot open " + dir + "/manifest.json");
    std::stringstream ss;
    ss << in.rdbuf();
    Config manifest = Config::parse(ss.str());
    std::cout << "keras-cpp, backend " << keras::config::backend() << ", files from " << dir
              << "\n";
    for (const Config& entry : manifest) check_model(entry);
    if (argc == 3) {
      std::string resaved_dir = argv[2];
      std::filesystem::create_directories(resaved_dir);
      Config resaved = Config::array();
      for (const Config& entry : manifest) resave(entry, resaved_dir, resaved);
      std::ofstream(resaved_dir + "/manifest.json") << resaved.dump(2) << "\n";
      std::cout << "saved " << resaved.size() << " models again into " << resaved_dir << "\n";
    }
    if (!failures.empty()) {
      std::cout << "\n" << failures.size() << " mismatch(es) with Python Keras's files:\n";
      for (const auto& f : failures) std::cout << "  " << f << "\n";
      return 1;
    }
    std::cout << "\nall " << manifest.size()
              << " Keras-written models load in keras-cpp with Keras's predictions\n";
  } catch (const std::exception& e) {
    std::cerr << "import_models: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
