#pragma once
// The base of GlobalAveragePooling1D/2D/3D and GlobalMaxPooling1D/2D/3D
// (keras/src/layers/pooling/base_global_pooling.py): reduces every spatial axis.
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"

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

}  // namespace keras::layers
