#pragma once
// The base of GlobalAveragePooling1D/2D/3D and GlobalMaxPooling1D/2D/3D
// (keras/src/layers/pooling/base_global_pooling.py): reduces every spatial axis.
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/layers/ranked_layer.hpp"

namespace keras::layers {

// Global{Average,Max}Pooling{1,2,3}DOptions are this struct.
struct GlobalPoolingOptions {
  std::string data_format{};  // "" = keras::config::image_data_format()
  bool keepdims = false;      // keep the spatial axes with size 1
  KERAS_BASE_LAYER_OPTIONS;
};

class BaseGlobalPoolingImpl : public LayerImpl {
 public:
  BaseGlobalPoolingImpl(int rank, std::string pool_mode, GlobalPoolingOptions options,
                        const std::string& where);
  // GlobalAveragePooling1D honours a (batch, steps) mask: the mean over unmasked steps.
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Tensor compute_mask(const std::vector<Tensor>& inputs, const Tensor& mask) const override {
    return Tensor();
  }
  Config get_config() const override;

 protected:
  int rank_;
  std::string pool_mode_;
  std::string data_format_;
  bool keepdims_;
};

// Global max or average pooling; the base of RankedLayer.
template <FixedString Mode>
class GlobalPoolingImpl : public BaseGlobalPoolingImpl {
 public:
  using Options = GlobalPoolingOptions;
  GlobalPoolingImpl(int rank, Options options, const std::string& where)
      : BaseGlobalPoolingImpl(rank, Mode.str(), std::move(options), where) {}
};
using GlobalMaxPoolingImpl = GlobalPoolingImpl<"max">;
using GlobalAveragePoolingImpl = GlobalPoolingImpl<"average">;

// keras.layers.GlobalMaxPooling{1,2,3}D and GlobalAveragePooling{1,2,3}D
// (keras/src/layers/pooling/global_{max,average}_pooling{1,2,3}d.py).
KERAS_RANKED_LAYER(GlobalMaxPooling1D, GlobalMaxPoolingImpl, 1, GlobalMaxPool1D);
KERAS_RANKED_LAYER(GlobalMaxPooling2D, GlobalMaxPoolingImpl, 2, GlobalMaxPool2D);
KERAS_RANKED_LAYER(GlobalMaxPooling3D, GlobalMaxPoolingImpl, 3, GlobalMaxPool3D);
KERAS_RANKED_LAYER(GlobalAveragePooling1D, GlobalAveragePoolingImpl, 1, GlobalAvgPool1D);
KERAS_RANKED_LAYER(GlobalAveragePooling2D, GlobalAveragePoolingImpl, 2, GlobalAvgPool2D);
KERAS_RANKED_LAYER(GlobalAveragePooling3D, GlobalAveragePoolingImpl, 3, GlobalAvgPool3D);

}  // namespace keras::layers
