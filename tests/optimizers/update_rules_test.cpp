// Each optimizer's update rule against a reference loop in double arithmetic that follows
// Keras's formulas (keras/src/optimizers/*.py), on a small quadratic problem.
#include <algorithm>
#include <memory>

#include "optimizers/optimizer_testing.hpp"

namespace keras {
namespace {

using namespace optimizer_testing;

class UpdateRulesTest : public testing::BackendTest {};

double sq(double x) { return x * x; }

TEST_P(UpdateRulesTest, SGDPlain) {
  optimizers::SGD opt({.learning_rate = 0.1});
  run_and_compare(opt, {.update = [](size_t, Vec& w, const Vec& g, int) {
                    for (size_t i = 0; i < w.size(); ++i) w[i] -= g[i] * 0.1;
                  }});
}

TEST_P(UpdateRulesTest, SGDMomentumAndNesterov) {
  for (bool nesterov : {false, true}) {
    optimizers::SGD opt({.learning_rate = 0.1, .momentum = 0.9, .nesterov = nesterov});
    auto s = std::make_shared<Slots>();
    run_and_compare(opt, {.update = [s, nesterov](size_t k, Vec& w, const Vec& g, int) {
                      Vec& m = s->at(s->a, k, w.size());
                      for (size_t i = 0; i < w.size(); ++i) {
                        m[i] = m[i] * 0.9 - g[i] * 0.1;
                        w[i] += nesterov ? m[i] * 0.9 - g[i] * 0.1 : m[i];
                      }
                    }});
  }
}

Reference adam_reference(double lr, double b1, double b2, double eps, bool amsgrad,
                         double weight_decay = 0.0) {
  auto s = std::make_shared<Slots>();
  return {.update = [=](size_t k, Vec& w, const Vec& g, int t) {
    Vec& m = s->at(s->a, k, w.size());
    Vec& v = s->at(s->b, k, w.size());
    Vec& vh = s->at(s->c, k, w.size());
    double t1 = t + 1;
    double alpha = lr * std::sqrt(1 - std::pow(b2, t1)) / (1 - std::pow(b1, t1));
    for (size_t i = 0; i < w.size(); ++i) {
      w[i] -= w[i] * weight_decay * lr;  // decoupled weight decay runs before update_step
      m[i] += (g[i] - m[i]) * (1 - b1);
      v[i] += (sq(g[i]) - v[i]) * (1 - b2);
      double vv = v[i];
      if (amsgrad) vv = vh[i] = std::max(vh[i], v[i]);
      w[i] -= m[i] * alpha / (std::sqrt(vv) + eps);
    }
  }};
}

TEST_P(UpdateRulesTest, Adam) {
  optimizers::Adam opt({.learning_rate = 0.05});
  run_and_compare(opt, adam_reference(0.05, 0.9, 0.999, 1e-7, false));
}

TEST_P(UpdateRulesTest, AdamAmsgrad) {
  optimizers::Adam opt({.learning_rate = 0.05, .beta_1 = 0.8, .beta_2 = 0.9, .amsgrad = true});
  run_and_compare(opt, adam_reference(0.05, 0.8, 0.9, 1e-7, true), 8);
}

TEST_P(UpdateRulesTest, AdamW) {
  // The gradient is taken at the decayed weights in the reference too: weight decay runs first,
  // and the test computes gradients before apply(), so both see the same order.
  optimizers::AdamW opt({.learning_rate = 0.05, .weight_decay = 0.1});
  run_and_compare(opt, adam_reference(0.05, 0.9, 0.999, 1e-7, false, 0.1));
}

TEST_P(UpdateRulesTest, Adamax) {
  optimizers::Adamax opt({.learning_rate = 0.05});
  auto s = std::make_shared<Slots>();
  run_and_compare(opt, {.update = [s](size_t k, Vec& w, const Vec& g, int t) {
                    Vec& m = s->at(s->a, k, w.size());
                    Vec& u = s->at(s->b, k, w.size());
                    double b1p = std::pow(0.9, t + 1);
                    for (size_t i = 0; i < w.size(); ++i) {
                      m[i] += (g[i] - m[i]) * (1 - 0.9);
                      u[i] = std::max(0.999 * u[i], std::abs(g[i]));
                      w[i] -= 0.05 * m[i] / ((1 - b1p) * (u[i] + 1e-7));
                    }
                  }});
}

TEST_P(UpdateRulesTest, Nadam) {
  optimizers::Nadam opt({.learning_rate = 0.05});
  auto s = std::make_shared<Slots>();
  auto u_product = std::make_shared<double>(1.0);
  const double b1 = 0.9, b2 = 0.999;
  Reference ref;
  ref.begin_step = [=](int t) { *u_product *= b1 * (1.0 - 0.5 * std::pow(0.96, t + 1)); };
  ref.update = [=](size_t k, Vec& w, const Vec& g, int t) {
    Vec& m = s->at(s->a, k, w.size());
    Vec& v = s->at(s->b, k, w.size());
    double u_t = b1 * (1.0 - 0.5 * std::pow(0.96, t + 1));
    double u_t_1 = b1 * (1.0 - 0.5 * std::pow(0.96, t + 2));
    double up_t = *u_product, up_t_1 = up_t * u_t_1;
    double b2p = std::pow(b2, t + 1);
    for (size_t i = 0; i < w.size(); ++i) {
      m[i] += (g[i] - m[i]) * (1 - b1);
      v[i] += (sq(g[i]) - v[i]) * (1 - b2);
      double m_hat = u_t_1 * m[i] / (1 - up_t_1) + (1 - u_t) * g[i] / (1 - up_t);
      double v_hat = v[i] / (1 - b2p);
      w[i] -= m_hat * 0.05 / (std::sqrt(v_hat) + 1e-7);
    }
  };
  run_and_compare(opt, ref);
}

Reference rmsprop_reference(double lr, double rho, double momentum, double eps, bool centered) {
  auto s = std::make_shared<Slots>();
  return {.update = [=](size_t k, Vec& w, const Vec& g, int) {
    Vec& vel = s->at(s->a, k, w.size());
    Vec& mom = s->at(s->b, k, w.size());
    Vec& avg = s->at(s->c, k, w.size());
    for (size_t i = 0; i < w.size(); ++i) {
      vel[i] = rho * vel[i] + (1 - rho) * sq(g[i]);
      double den = vel[i] + eps;
      if (centered) {
        avg[i] = rho * avg[i] + (1 - rho) * g[i];
        den = vel[i] - sq(avg[i]) + eps;
      }
      double inc = lr * g[i] / std::sqrt(den);
      if (momentum > 0) {
        mom[i] = momentum * mom[i] + inc;
        w[i] -= mom[i];
      } else {
        w[i] -= inc;
      }
    }
  }};
}

TEST_P(UpdateRulesTest, RMSprop) {
  optimizers::RMSprop opt({.learning_rate = 0.01});
  run_and_compare(opt, rmsprop_reference(0.01, 0.9, 0.0, 1e-7, false));
}

TEST_P(UpdateRulesTest, RMSpropMomentumCentered) {
  optimizers::RMSprop opt({.learning_rate = 0.01, .rho = 0.8, .momentum = 0.5, .centered = true});
  run_and_compare(opt, rmsprop_reference(0.01, 0.8, 0.5, 1e-7, true));
}

TEST_P(UpdateRulesTest, Adagrad) {
  optimizers::Adagrad opt({.learning_rate = 0.1, .initial_accumulator_value = 0.2});
  auto s = std::make_shared<Slots>();
  run_and_compare(opt, {.update = [s](size_t k, Vec& w, const Vec& g, int) {
                    Vec& acc = s->at(s->a, k, w.size(), 0.2);
                    for (size_t i = 0; i < w.size(); ++i) {
                      acc[i] += sq(g[i]);
                      w[i] -= 0.1 * g[i] / std::sqrt(acc[i] + 1e-7);
                    }
                  }});
}

TEST_P(UpdateRulesTest, Adadelta) {
  optimizers::Adadelta opt({.learning_rate = 1.0, .rho = 0.9, .epsilon = 1e-6});
  auto s = std::make_shared<Slots>();
  run_and_compare(opt, {.update = [s](size_t k, Vec& w, const Vec& g, int) {
                    Vec& ag = s->at(s->a, k, w.size());
                    Vec& ad = s->at(s->b, k, w.size());
                    for (size_t i = 0; i < w.size(); ++i) {
                      ag[i] = 0.9 * ag[i] + 0.1 * sq(g[i]);
                      double delta = -(std::sqrt(ad[i] + 1e-6) * g[i] / std::sqrt(ag[i] + 1e-6));
                      ad[i] = 0.9 * ad[i] + 0.1 * sq(delta);
                      w[i] += 1.0 * delta;
                    }
                  }});
}

TEST_P(UpdateRulesTest, Ftrl) {
  const double lr = 0.1, p = -0.5, l1 = 0.01, l2 = 0.02, shrink = 0.03, beta = 0.1;
  optimizers::Ftrl opt({.learning_rate = lr,
                        .l1_regularization_strength = l1,
                        .l2_regularization_strength = l2,
                        .l2_shrinkage_regularization_strength = shrink,
                        .beta = beta});
  auto s = std::make_shared<Slots>();
  run_and_compare(opt, {.update = [=](size_t k, Vec& w, const Vec& g, int) {
                    Vec& acc = s->at(s->a, k, w.size(), 0.1);
                    Vec& lin = s->at(s->b, k, w.size());
                    double l2_reg = l2 + beta / (2.0 * lr);
                    for (size_t i = 0; i < w.size(); ++i) {
                      double gt = g[i] + 2 * shrink * w[i];
                      double na = acc[i] + sq(g[i]);
                      lin[i] += gt - (std::pow(na, -p) - std::pow(acc[i], -p)) / lr * w[i];
                      double quad = std::pow(na, -p) / lr + 2 * l2_reg;
                      double lc = std::clamp(lin[i], -l1, l1);
                      w[i] = (lc - lin[i]) / quad;
                      acc[i] = na;
                    }
                  }});
}

TEST_P(UpdateRulesTest, Lion) {
  optimizers::Lion opt({.learning_rate = 0.05});
  auto s = std::make_shared<Slots>();
  run_and_compare(opt, {.update = [s](size_t k, Vec& w, const Vec& g, int) {
                    Vec& m = s->at(s->a, k, w.size());
                    for (size_t i = 0; i < w.size(); ++i) {
                      double c = m[i] * 0.9 + g[i] * (1 - 0.9);
                      w[i] -= 0.05 * ((c > 0) - (c < 0));
                      m[i] = m[i] * 0.99 + g[i] * (1 - 0.99);
                    }
                  }});
}

TEST_P(UpdateRulesTest, Lamb) {
  optimizers::Lamb opt({.learning_rate = 0.05});
  auto s = std::make_shared<Slots>();
  run_and_compare(opt, {.update = [s](size_t k, Vec& w, const Vec& g, int t) {
                    Vec& m = s->at(s->a, k, w.size());
                    Vec& v = s->at(s->b, k, w.size());
                    double b1p = std::pow(0.9, t + 1), b2p = std::pow(0.999, t + 1);
                    Vec update(w.size());
                    double wn = 0, gn = 0;
                    for (size_t i = 0; i < w.size(); ++i) {
                      m[i] += (g[i] - m[i]) * (1 - 0.9);
                      v[i] += (sq(g[i]) - v[i]) * (1 - 0.999);
                      update[i] = (m[i] / (1 - b1p)) / (std::sqrt(v[i] / (1 - b2p)) + 1e-7);
                      wn += sq(w[i]);
                      gn += sq(update[i]);
                    }
                    wn = std::sqrt(wn);
                    gn = std::sqrt(gn);
                    double ratio = wn > 0 ? (gn > 0 ? wn / gn : 1.0) : 1.0;
                    for (size_t i = 0; i < w.size(); ++i) w[i] -= ratio * 0.05 * update[i];
                  }});
}

TEST_P(UpdateRulesTest, Adafactor) {
  // lr 0.5 with relative_step: min(lr, 1/sqrt(t)) decides from step 4 on.
  optimizers::Adafactor opt({.learning_rate = 0.5});
  auto s = std::make_shared<Slots>();
  Problem problem;
  run_and_compare(opt,
                  {.update =
                       [s](size_t k, Vec& w, const Vec& g, int t) {
                         const double t1 = t + 1, eps1 = 1e-30, eps2 = 1e-3, decay = -0.8,
                                      clip = 1.0;
                         double lr = std::min(0.5, 1 / std::sqrt(t1));
                         double rho_t = std::min(lr, 1 / std::sqrt(t1));
                         auto rms = [](const Vec& x) {
                           double a = 0;
                           for (double e : x) a += e * e;
                           return std::sqrt(a / static_cast<double>(x.size()));
                         };
                         double alpha = std::max(eps2, rms(w)) * rho_t;
                         double b2t = 1 - std::pow(t1, decay);
                         Vec reg(w.size());
                         for (size_t i = 0; i < w.size(); ++i) reg[i] = sq(g[i]) + eps1;
                         Vec& v = s->at(s->c, k, w.size());
                         if (k == 1) {  // the (2, 2) variable: factored statistics
                           Vec& r = s->at(s->a, k, 2);
                           Vec& c = s->at(s->b, k, 2);
                           for (int i = 0; i < 2; ++i)
                             r[i] = b2t * r[i] + (1 - b2t) * (reg[2 * i] + reg[2 * i + 1]) / 2;
                           for (int j = 0; j < 2; ++j)
                             c[j] = b2t * c[j] + (1 - b2t) * (reg[j] + reg[2 + j]) / 2;
                           double r_mean = (r[0] + r[1]) / 2;
                           for (int i = 0; i < 2; ++i)
                             for (int j = 0; j < 2; ++j) v[2 * i + j] = r[i] / r_mean * c[j];
                         } else {
                           for (size_t i = 0; i < w.size(); ++i)
                             v[i] = b2t * v[i] + (1 - b2t) * reg[i];
                         }
                         Vec u(w.size());
                         for (size_t i = 0; i < w.size(); ++i) u[i] = g[i] / std::sqrt(v[i]);
                         double denom = std::max(1.0, rms(u) / clip);
                         for (size_t i = 0; i < w.size(); ++i) w[i] -= alpha * (u[i] / denom);
                       }},
                  6, 5e-5, 5e-6, problem);
}

KERAS_INSTANTIATE_BACKEND_TEST(UpdateRulesTest);

}  // namespace
}  // namespace keras
