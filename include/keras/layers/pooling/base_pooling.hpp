#pragma once
// The base of MaxPooling1D/2D/3D and AveragePooling1D/2D/3D
// (keras/src/layers/pooling/base_pooling.py). strides default to pool_size.
#include <optional>

#include "keras/core/ints.hpp"
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/layers/ranked_layer.hpp"

namespace keras::layers {

// MaxPooling{1,2,3}DOptions are this struct (pool_size defaults to 2 in every dimension).
struct MaxPoolingOptions {
  Ints pool_size = 2;
  std::optional<Ints> strides{};  // default: pool_size
  std::string padding = "valid";  // "valid" or "same"
  std::string data_format{};      // "" = keras::config::image_data_format()
  KERAS_BASE_LAYER_OPTIONS;
};

// AveragePooling{1,2,3}DOptions are this struct (pool_size is required, as in Keras).
struct AveragePoolingOptions {
  Ints pool_size{};
  std::optional<Ints> strides{};
  std::string padding = "valid";
  std::string data_format{};
  KERAS_BASE_LAYER_OPTIONS;
};

class BasePoolingImpl : public LayerImpl {
 public:
  // pool_mode: "max" or "average"; `where` is the Keras class name, used in messages.
  BasePoolingImpl(int rank, std::string pool_mode, const Ints& pool_size,
                  const std::optional<Ints>& strides, const std::string& padding,
                  const std::string& data_format, LayerOptions base, const std::string& where);
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  const std::vector<int64_t>& pool_size() const { return pool_size_; }
  const std::vector<int64_t>& strides() const { return strides_; }

 protected:
  int rank_;
  std::string pool_mode_;
  std::vector<int64_t> pool_size_, strides_;
  std::string padding_, data_format_;
};

// Max or average pooling of one options struct; the base of RankedLayer.
template <class PoolingOptions, FixedString Mode>
class PoolingImpl : public BasePoolingImpl {
 public:
  using Options = PoolingOptions;
  PoolingImpl(int rank, const Options& o, const std::string& where)
      : BasePoolingImpl(rank, Mode.str(), o.pool_size, o.strides, o.padding, o.data_format,
                        layer_options(o), where) {}
};
using MaxPoolingImpl = PoolingImpl<MaxPoolingOptions, "max">;
using AveragePoolingImpl = PoolingImpl<AveragePoolingOptions, "average">;

// keras.layers.MaxPooling{1,2,3}D and AveragePooling{1,2,3}D
// (keras/src/layers/pooling/{max,average}_pooling{1,2,3}d.py).
KERAS_RANKED_LAYER(MaxPooling1D, MaxPoolingImpl, 1, MaxPool1D);
KERAS_RANKED_LAYER(MaxPooling2D, MaxPoolingImpl, 2, MaxPool2D);
KERAS_RANKED_LAYER(MaxPooling3D, MaxPoolingImpl, 3, MaxPool3D);
KERAS_RANKED_LAYER(AveragePooling1D, AveragePoolingImpl, 1, AvgPool1D);
KERAS_RANKED_LAYER(AveragePooling2D, AveragePoolingImpl, 2, AvgPool2D);
KERAS_RANKED_LAYER(AveragePooling3D, AveragePoolingImpl, 3, AvgPool3D);

}  // namespace keras::layers
