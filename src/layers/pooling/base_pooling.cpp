#include "keras/layers/pooling/base_pooling.hpp"

#include "keras/layers/pooling/average_pooling1d.hpp"
#include "keras/layers/pooling/average_pooling2d.hpp"
#include "keras/layers/pooling/average_pooling3d.hpp"
#include "keras/layers/pooling/max_pooling1d.hpp"
#include "keras/layers/pooling/max_pooling2d.hpp"
#include "keras/layers/pooling/max_pooling3d.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/layer_utils.hpp"

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

Config BasePoolingImpl::get_config() const {
  Config c = Config::object();
  c["pool_size"] = detail::ints_config(pool_size_);
  c["padding"] = padding_;
  c["strides"] = detail::ints_config(strides_);
  c["data_format"] = data_format_;
  return merge(LayerImpl::get_config(), c);
}

namespace {

template <class Impl, class Options>
std::shared_ptr<LayerImpl> pooling_from_config(const Config& c, Ints default_pool) {
  Options o;
  o.pool_size = detail::read_ints(c, "pool_size", default_pool);
  if (detail::has(c, "strides")) o.strides = detail::read_ints(c, "strides", Ints());
  o.padding = detail::get_or<std::string>(c, "padding", "valid");
  o.data_format = detail::get_or<std::string>(c, "data_format", "");
  detail::read_base(c, o);
  return std::make_shared<Impl>(std::move(o));
}

}  // namespace

KERAS_REGISTER_LAYER(MaxPooling1D, [](const Config& c) {
  return pooling_from_config<MaxPooling1DImpl, MaxPoolingOptions>(c, 2);
});
KERAS_REGISTER_LAYER(MaxPooling2D, [](const Config& c) {
  return pooling_from_config<MaxPooling2DImpl, MaxPoolingOptions>(c, 2);
});
KERAS_REGISTER_LAYER(MaxPooling3D, [](const Config& c) {
  return pooling_from_config<MaxPooling3DImpl, MaxPoolingOptions>(c, 2);
});
KERAS_REGISTER_LAYER(AveragePooling1D, [](const Config& c) {
  return pooling_from_config<AveragePooling1DImpl, AveragePoolingOptions>(c, Ints());
});
KERAS_REGISTER_LAYER(AveragePooling2D, [](const Config& c) {
  return pooling_from_config<AveragePooling2DImpl, AveragePoolingOptions>(c, Ints());
});
KERAS_REGISTER_LAYER(AveragePooling3D, [](const Config& c) {
  return pooling_from_config<AveragePooling3DImpl, AveragePoolingOptions>(c, Ints());
});

}  // namespace keras::layers
