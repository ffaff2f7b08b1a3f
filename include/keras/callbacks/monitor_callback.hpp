#pragma once
// keras::callbacks::MonitorCallback (keras/src/callbacks/monitor_callback.py): the base of the
// callbacks that watch one logged quantity (EarlyStopping, ReduceLROnPlateau) and decide whether
// a new value improves on a reference.
//
// mode "min" / "max" fix the direction; "auto" infers it from the monitored name as Keras does:
// "loss" / "val_loss" are minimized, and a compiled metric of that name (without "val_") is
// maximized or minimized by its class (accuracies, AUC, precision, recall, F-scores, IoUs, R2,
// correlations and cosine similarity go up; errors, crossentropies and hinges go down). Any
// other name is a ValueError at the first epoch end.
#include <optional>
#include <string>

#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

class MonitorCallback : public Callback {
 public:
  const std::string& monitor() const { return monitor_; }
  const std::string& mode() const { return mode_; }
  // |min_delta|, the smallest change that counts as an improvement.
  double min_delta() const { return min_delta_; }

 protected:
  // `callback_name` ("EarlyStopping") starts error messages. ValueError for a mode other than
  // "auto", "min" or "max" (Keras warns and falls back to "auto").
  MonitorCallback(std::string callback_name, std::string monitor, std::string mode,
                  std::optional<double> baseline, double min_delta);

  // Chooses the comparison (Keras's _set_monitor_op); needs model() for mode "auto". Called at
  // the first epoch end, once the model's metrics exist.
  void set_monitor_op();
  bool monitor_op_set() const { return op_ != Op::kUnset; }
  // monitor_op(value - min_delta, reference); true when there is no reference yet.
  bool is_improvement(double value, const std::optional<double>& reference) const;
  const std::string& callback_name() const { return callback_name_; }

  std::optional<double> best_;

 private:
  enum class Op { kUnset, kLess, kGreater };
  std::string callback_name_;
  std::string monitor_;
  std::string mode_;
  double min_delta_;
  Op op_ = Op::kUnset;
};

}  // namespace keras::callbacks
