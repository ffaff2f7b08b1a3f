#include "keras/layers/reshaping/flatten.hpp"

#include "core/checked_int.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

FlattenImpl::FlattenImpl(FlattenOptions options)
    : LayerWith(std::move(options)),
      data_format_(detail::standardize_data_format(options_.data_format, "Flatten")) {}

Tensor FlattenImpl::call(const Tensor& inputs, const CallContext&) {
  detail::check_min_rank(*this, inputs.shape(), 1);
  Tensor x = inputs;
  int r = x.ndim();
  if (data_format_ == "channels_first" && r > 2) {
    std::vector<int64_t> perm{0};
    for (int i = 2; i < r; ++i) perm.push_back(i);
    perm.push_back(1);
    x = ops::transpose(x, perm);
  }
  const Shape& s = x.shape();
  int64_t rest = 1;
  bool known = true;
  for (int i = 1; i < r; ++i) {
    if (s[i] < 0)
      known = false;
    else
      rest = checked_int::mul(rest, s[i], [&] { return "Flatten '" + name() + "'"; });
  }
  if (known) return ops::reshape(x, {s[0] < 0 ? -1 : s[0], rest});
  return ops::reshape(x, {s[0], -1});
}

KERAS_LAYER_CONFIG_FROM(Flatten, FlattenOptions, (FlattenOptions{.data_format = data_format_}),
                        fields::field("data_format", &FlattenOptions::data_format),
                        fields::base<FlattenOptions>());

}  // namespace keras::layers
