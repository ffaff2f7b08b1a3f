#include "keras/layers/reshaping/reshape.hpp"

#include "core/checked_int.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

ReshapeImpl::ReshapeImpl(ReshapeOptions options)
    : LayerImpl(layer_options(options)), target_shape_(std::move(options.target_shape)) {
  int unknown = 0;
  for (int64_t d : target_shape_) {
    if (d == -1)
      ++unknown;
    else if (d <= 0)
      throw ValueError("Reshape: `target_shape` may contain positive dimensions and one -1, got " +
                       target_shape_.to_string());
  }
  if (unknown > 1)
    throw ValueError("Reshape: `target_shape` can only contain one unknown dimension (-1), got " +
                     target_shape_.to_string());
}

Tensor ReshapeImpl::call(const Tensor& inputs, const CallContext&) {
  detail::check_min_rank(*this, inputs.shape(), 1);
  const Shape& in = inputs.shape();
  auto where = [&] { return "Reshape '" + name() + "'"; };
  int64_t in_size = 1;
  bool known = true;
  for (int i = 1; i < in.rank(); ++i) {
    if (in[i] < 0)
      known = false;
    else
      in_size = checked_int::mul(in_size, in[i], where);
  }
  Shape target = target_shape_;
  int64_t target_known = 1;
  int infer = -1;
  for (int i = 0; i < target.rank(); ++i) {
    if (target[i] == -1)
      infer = i;
    else
      target_known = checked_int::mul(target_known, target[i], where);
  }
  if (known) {
    bool ok = infer >= 0 ? in_size % target_known == 0 : in_size == target_known;
    if (!ok)
      throw ValueError(detail::layer_str(*this) + ": cannot reshape an input of shape " +
                       in.to_string() + " (" + std::to_string(in_size) +
                       " values per sample) to target shape " + target_shape_.to_string());
    if (infer >= 0) target[infer] = in_size / target_known;
  }
  Shape full{in[0]};
  for (int64_t d : target) full.push_back(d);
  // Symbolic input with unknown non-batch dimensions: the -1 stays unknown.
  if (!known && inputs.is_symbolic()) return Tensor::symbolic(full, inputs.dtype());
  return ops::reshape(inputs, full);
}

Config ReshapeImpl::get_config() const {
  Config c = Config::object();
  c["target_shape"] = detail::ints_config(target_shape_);
  return merge(LayerImpl::get_config(), c);
}

KERAS_REGISTER_LAYER(Reshape, [](const Config& c) {
  ReshapeOptions o;
  if (detail::has(c, "target_shape"))
    for (const Config& d : c["target_shape"])
      o.target_shape.push_back(saving::config_dim(d, "target_shape", -1));
  detail::read_base(c, o);
  return std::make_shared<ReshapeImpl>(std::move(o));
});

}  // namespace keras::layers
