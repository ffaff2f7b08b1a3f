#include "keras/layers/pooling/base_global_pooling.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

BaseGlobalPoolingImpl::BaseGlobalPoolingImpl(int rank, std::string pool_mode,
                                             GlobalPoolingOptions options, const std::string& where)
    : LayerImpl(layer_options(options)),
      rank_(rank),
      pool_mode_(std::move(pool_mode)),
      data_format_(detail::standardize_data_format(options.data_format, where)),
      keepdims_(options.keepdims) {
  set_supports_masking(rank == 1 && pool_mode_ == "average");
}

Tensor BaseGlobalPoolingImpl::call(const Tensor& inputs, const CallContext& context) {
  detail::check_rank(*this, inputs.shape(), rank_ + 2);
  std::vector<int64_t> axes;
  for (int i = 0; i < rank_; ++i) axes.push_back(data_format_ == "channels_last" ? 1 + i : 2 + i);
  if (pool_mode_ == "max") return ops::max(inputs, {.axis = axes, .keepdims = keepdims_});
  if (rank_ == 1 && context.mask.defined()) {
    // Mean over the unmasked steps: mask (batch, steps) broadcast along the channels.
    int mask_axis = data_format_ == "channels_last" ? 2 : 1;
    Tensor m = ops::expand_dims(ops::cast(context.mask, inputs.dtype()), mask_axis);
    Tensor num = ops::sum(ops::multiply(inputs, m), {.axis = axes, .keepdims = keepdims_});
    Tensor den = ops::sum(m, {.axis = axes, .keepdims = keepdims_});
    return ops::divide(num, den);
  }
  return ops::mean(inputs, {.axis = axes, .keepdims = keepdims_});
}

KERAS_LAYER_FIELDS(GlobalPooling, GlobalPoolingOptions,
                   fields::field("data_format", &GlobalPoolingOptions::data_format),
                   fields::field("keepdims", &GlobalPoolingOptions::keepdims),
                   fields::base<GlobalPoolingOptions>());

Config BaseGlobalPoolingImpl::get_config() const {
  // The arguments as the layer standardized them.
  return merge(
      LayerImpl::get_config(),
      fields::write(GlobalPooling_fields(),
                    GlobalPoolingOptions{.data_format = data_format_, .keepdims = keepdims_}));
}

KERAS_REGISTER_LAYER_FIELDS(GlobalAveragePooling1D, GlobalPooling_fields());
KERAS_REGISTER_LAYER_FIELDS(GlobalAveragePooling2D, GlobalPooling_fields());
KERAS_REGISTER_LAYER_FIELDS(GlobalAveragePooling3D, GlobalPooling_fields());
KERAS_REGISTER_LAYER_FIELDS(GlobalMaxPooling1D, GlobalPooling_fields());
KERAS_REGISTER_LAYER_FIELDS(GlobalMaxPooling2D, GlobalPooling_fields());
KERAS_REGISTER_LAYER_FIELDS(GlobalMaxPooling3D, GlobalPooling_fields());

}  // namespace keras::layers
