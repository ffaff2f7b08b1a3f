#pragma once
// keras.layers.TimeDistributed (keras/src/layers/rnn/time_distributed.py): applies a layer to
// every timestep of (batch, timesteps, ...) inputs, one timestep at a time as Keras does (so
// layers with batch statistics see each timestep separately). The wrapped layer is tracked as
// `layer`; a mask (batch, timesteps) gives each step's call its (batch,) mask.
//
//   auto y = layers::TimeDistributed(layers::Dense({.units = 8}))(x);   // (batch, time, 8)
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"

namespace keras::layers {

struct TimeDistributedOptions {
  KERAS_BASE_LAYER_OPTIONS;
};

class TimeDistributedImpl : public LayerImpl {
 public:
  TimeDistributedImpl(const Layer& layer, TimeDistributedOptions options = {});
  std::string class_name() const override { return "TimeDistributed"; }
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  const std::shared_ptr<LayerImpl>& layer() const { return layer_; }

 private:
  std::shared_ptr<LayerImpl> layer_;
};

class TimeDistributed : public LayerHolder<TimeDistributedImpl> {
 public:
  explicit TimeDistributed(std::shared_ptr<TimeDistributedImpl> impl)
      : LayerHolder<TimeDistributedImpl>(std::move(impl)) {}
  explicit TimeDistributed(const Layer& layer, TimeDistributedOptions options = {})
      : LayerHolder<TimeDistributedImpl>(
            std::make_shared<TimeDistributedImpl>(layer, std::move(options))) {}
};

}  // namespace keras::layers
