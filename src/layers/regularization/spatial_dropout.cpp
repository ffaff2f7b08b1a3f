#include "keras/layers/regularization/spatial_dropout.hpp"

#include "keras/layers/registration.hpp"
#include "keras/random/random.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

BaseSpatialDropoutImpl::BaseSpatialDropoutImpl(double rate, std::optional<int64_t> seed,
                                               std::string name, std::optional<DType> dtype,
                                               int rank, std::string data_format)
    : DropoutImpl(
          DropoutOptions{.rate = rate, .seed = seed, .name = std::move(name), .dtype = dtype}),
      seed_(seed),
      rank_(rank),
      data_format_(std::move(data_format)) {}

Shape BaseSpatialDropoutImpl::noise_shape(const Shape& s) const {
  Shape noise(std::vector<int64_t>(s.rank(), 1));
  noise[0] = s[0];
  if (data_format_ == "channels_first")
    noise[1] = s[1];
  else
    noise[s.rank() - 1] = s[s.rank() - 1];
  return noise;
}

Tensor BaseSpatialDropoutImpl::call(const Tensor& inputs, const CallContext& context) {
  detail::check_rank(*this, inputs.shape(), rank_);
  if (!context.training || rate() <= 0.0 || inputs.is_symbolic()) return inputs;
  return random::dropout(inputs, rate(),
                         {.noise_shape = noise_shape(inputs.shape()), .seed = seed_generator()});
}

Config BaseSpatialDropoutImpl::get_config() const {
  // Keras's BaseSpatialDropout.get_config: no "trainable", and the dtype as a plain name.
  Config c = Config::object();
  c["rate"] = rate();
  c["seed"] = seed_ ? Config(*seed_) : Config(nullptr);
  c["name"] = name();
  c["dtype"] = std::string(dtype_name(dtype()));
  if (!data_format_.empty()) c["data_format"] = data_format_;
  return c;
}

SpatialDropout1DImpl::SpatialDropout1DImpl(SpatialDropout1DOptions o)
    : BaseSpatialDropoutImpl(o.rate, o.seed, o.name, o.dtype, 3, "") {}

SpatialDropout2DImpl::SpatialDropout2DImpl(SpatialDropout2DOptions o)
    : BaseSpatialDropoutImpl(o.rate, o.seed, o.name, o.dtype, 4,
                             detail::standardize_data_format(o.data_format, "SpatialDropout2D")) {}

SpatialDropout3DImpl::SpatialDropout3DImpl(SpatialDropout3DOptions o)
    : BaseSpatialDropoutImpl(o.rate, o.seed, o.name, o.dtype, 5,
                             detail::standardize_data_format(o.data_format, "SpatialDropout3D")) {}

namespace {
template <class Options>
Options read_spatial(const Config& c) {
  Options o;
  o.rate = detail::get_or<double>(c, "rate", 0.0);
  if (detail::has(c, "seed")) o.seed = saving::config_int(c["seed"], "seed");
  if constexpr (requires { o.data_format; })
    o.data_format = detail::get_or<std::string>(c, "data_format", "");
  o.name = detail::get_or<std::string>(c, "name", "");
  o.dtype = detail::read_dtype(c);
  return o;
}
}  // namespace

KERAS_REGISTER_LAYER(SpatialDropout1D, [](const Config& c) {
  return std::make_shared<SpatialDropout1DImpl>(read_spatial<SpatialDropout1DOptions>(c));
});
KERAS_REGISTER_LAYER(SpatialDropout2D, [](const Config& c) {
  return std::make_shared<SpatialDropout2DImpl>(read_spatial<SpatialDropout2DOptions>(c));
});
KERAS_REGISTER_LAYER(SpatialDropout3D, [](const Config& c) {
  return std::make_shared<SpatialDropout3DImpl>(read_spatial<SpatialDropout3DOptions>(c));
});

}  // namespace keras::layers
