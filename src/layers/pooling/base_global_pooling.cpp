#include "keras/layers/pooling/base_global_pooling.hpp"

#include "keras/layers/pooling/global_average_pooling1d.hpp"
#include "keras/layers/pooling/global_average_pooling2d.hpp"
#include "keras/layers/pooling/global_average_pooling3d.hpp"
#include "keras/layers/pooling/global_max_pooling1d.hpp"
#include "keras/layers/pooling/global_max_pooling2d.hpp"
#include "keras/layers/pooling/global_max_pooling3d.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

BaseGlobalPoolingImpl::BaseGlobalPoolingImpl(int rank, std::string pool_mode,
                                             GlobalPoolingOptions options, const std::string& where)
    : LayerImpl(LayerOptions{
          .name = options.name, .dtype = options.dtype, .trainable = options.trainable}),
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

Config BaseGlobalPoolingImpl::get_config() const {
  Config c = Config::object();
  c["data_format"] = data_format_;
  c["keepdims"] = keepdims_;
  return merge(LayerImpl::get_config(), c);
}

namespace {

template <class Impl>
std::shared_ptr<LayerImpl> global_pooling_from_config(const Config& c) {
  GlobalPoolingOptions o;
  o.data_format = detail::get_or<std::string>(c, "data_format", "");
  o.keepdims = detail::get_or<bool>(c, "keepdims", false);
  detail::read_base(c, o);
  return std::make_shared<Impl>(std::move(o));
}

}  // namespace

KERAS_REGISTER_LAYER(GlobalAveragePooling1D, [](const Config& c) {
  return global_pooling_from_config<GlobalAveragePooling1DImpl>(c);
});
KERAS_REGISTER_LAYER(GlobalAveragePooling2D, [](const Config& c) {
  return global_pooling_from_config<GlobalAveragePooling2DImpl>(c);
});
KERAS_REGISTER_LAYER(GlobalAveragePooling3D, [](const Config& c) {
  return global_pooling_from_config<GlobalAveragePooling3DImpl>(c);
});
KERAS_REGISTER_LAYER(GlobalMaxPooling1D, [](const Config& c) {
  return global_pooling_from_config<GlobalMaxPooling1DImpl>(c);
});
KERAS_REGISTER_LAYER(GlobalMaxPooling2D, [](const Config& c) {
  return global_pooling_from_config<GlobalMaxPooling2DImpl>(c);
});
KERAS_REGISTER_LAYER(GlobalMaxPooling3D, [](const Config& c) {
  return global_pooling_from_config<GlobalMaxPooling3DImpl>(c);
});

}  // namespace keras::layers
