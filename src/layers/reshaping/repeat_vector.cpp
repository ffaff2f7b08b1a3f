#include "keras/layers/reshaping/repeat_vector.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

RepeatVectorImpl::RepeatVectorImpl(RepeatVectorOptions options)
    : LayerImpl(LayerOptions{
          .name = options.name, .dtype = options.dtype, .trainable = options.trainable}),
      n_(options.n) {
  if (n_ <= 0)
    throw ValueError("RepeatVector: `n` must be a positive integer, got " + std::to_string(n_));
}

Tensor RepeatVectorImpl::call(const Tensor& inputs, const CallContext&) {
  detail::check_rank(*this, inputs.shape(), 2);
  return ops::repeat(ops::expand_dims(inputs, 1), Ints(n_), 1);
}

Config RepeatVectorImpl::get_config() const {
  Config c = Config::object();
  c["n"] = n_;
  return merge(LayerImpl::get_config(), c);
}

KERAS_REGISTER_LAYER(RepeatVector, [](const Config& c) {
  RepeatVectorOptions o;
  o.n = detail::get_or<int64_t>(c, "n", 0);
  detail::read_base(c, o);
  return std::make_shared<RepeatVectorImpl>(std::move(o));
});

}  // namespace keras::layers
