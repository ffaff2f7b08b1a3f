#include "keras/layers/pooling/base_pooling.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

BasePoolingImpl::BasePoolingImpl(int rank, std::string pool_mode, const Ints& pool_size,
                                 const std::optional<Ints>& strides, const std::string& padding,
                                 const std::string& data_format, LayerOptions base,
                                 const std::string& where)
    : LayerImpl(std::move(base)), rank_(rank), pool_mode_(std::move(pool_mode)) {
  if (pool_size.empty()) throw ValueError(where + ": `pool_size` is required");
  pool_size_ = detail::standardize_tuple(pool_size, rank, where, "pool_size");
  strides_ = strides ? detail::standardize_tuple(*strides, rank, where, "strides") : pool_size_;
  std::string named = where + (base_options().name.empty() ? "" : " '" + base_options().name + "'");
  detail::check_window_argument(pool_size_, named, "pool_size");
  detail::check_window_argument(strides_, named, "strides");
  padding_ = detail::standardize_padding(padding, where);
  data_format_ = detail::standardize_data_format(data_format, where);
}

Tensor BasePoolingImpl::call(const Tensor& inputs, const CallContext&) {
  detail::check_rank(*this, inputs.shape(), rank_ + 2);
  if (padding_ == "valid") {
    const Shape& s = inputs.shape();
    for (int i = 0; i < rank_; ++i) {
      int64_t d = data_format_ == "channels_last" ? s[1 + i] : s[2 + i];
      if (d >= 0 && d < pool_size_[i])
        throw ValueError(detail::layer_str(*this) +
                         ": the input is smaller than the pool: input shape " + s.to_string() +
                         ", pool_size=" + detail::tuple_str(pool_size_) + ", padding=\"valid\"");
    }
  }
  ops::PoolOptions o{.strides = Ints(strides_), .padding = padding_, .data_format = data_format_};
  return pool_mode_ == "max" ? ops::max_pool(inputs, Ints(pool_size_), o)
                             : ops::average_pool(inputs, Ints(pool_size_), o);
}

namespace {
// MaxPooling and AveragePooling options differ only in pool_size's default.
template <class O>
const fields::Fields<O>& pooling_fields() {
  static const auto table =
      fields::table<O>(fields::field("pool_size", &O::pool_size),
                       fields::field("padding", &O::padding), fields::field("strides", &O::strides),
                       fields::field("data_format", &O::data_format), fields::base<O>());
  return table;
}
}  // namespace

Config BasePoolingImpl::get_config() const {
  // The arguments as the layer standardized them.
  MaxPoolingOptions o;
  o.pool_size = pool_size_;
  o.padding = padding_;
  o.strides = Ints(strides_);
  o.data_format = data_format_;
  return merge(LayerImpl::get_config(), fields::write(pooling_fields<MaxPoolingOptions>(), o));
}

KERAS_REGISTER_LAYER_FIELDS(MaxPooling1D, pooling_fields<MaxPoolingOptions>());
KERAS_REGISTER_LAYER_FIELDS(MaxPooling2D, pooling_fields<MaxPoolingOptions>());
KERAS_REGISTER_LAYER_FIELDS(MaxPooling3D, pooling_fields<MaxPoolingOptions>());
KERAS_REGISTER_LAYER_FIELDS(AveragePooling1D, pooling_fields<AveragePoolingOptions>());
KERAS_REGISTER_LAYER_FIELDS(AveragePooling2D, pooling_fields<AveragePoolingOptions>());
KERAS_REGISTER_LAYER_FIELDS(AveragePooling3D, pooling_fields<AveragePoolingOptions>());

}  // namespace keras::layers
