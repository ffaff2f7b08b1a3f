#include "keras/layers/reshaping/repeat_vector.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

RepeatVectorImpl::RepeatVectorImpl(RepeatVectorOptions options)
    : LayerImpl(layer_options(options)), n_(options.n) {
  if (n_ <= 0)
    throw ValueError("RepeatVector: `n` must be a positive integer, got " + std::to_string(n_));
}

Tensor RepeatVectorImpl::call(const Tensor& inputs, const CallContext&) {
  detail::check_rank(*this, inputs.shape(), 2);
  return ops::repeat(ops::expand_dims(inputs, 1), Ints(n_), 1);
}

KERAS_LAYER_CONFIG_FROM(RepeatVector, RepeatVectorOptions, (RepeatVectorOptions{.n = n_}),
                        fields::field("n", &RepeatVectorOptions::n),
                        fields::base<RepeatVectorOptions>());

}  // namespace keras::layers
