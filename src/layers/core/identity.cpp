#include "keras/layers/core/identity.hpp"

#include "keras/layers/registration.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

IdentityImpl::IdentityImpl(IdentityOptions options) : LayerWith(std::move(options)) {
  set_supports_masking(true);
}

Tensor IdentityImpl::call(const Tensor& inputs, const CallContext&) { return inputs; }

KERAS_REGISTER_LAYER(Identity, [](const Config& c) {
  IdentityOptions o;
  detail::read_base(c, o);
  return std::make_shared<IdentityImpl>(std::move(o));
});

}  // namespace keras::layers
