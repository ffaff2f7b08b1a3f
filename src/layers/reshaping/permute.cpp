#include "keras/layers/reshaping/permute.hpp"

#include <algorithm>

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

PermuteImpl::PermuteImpl(PermuteOptions options)
    : LayerImpl(layer_options(options)), dims_(std::move(options.dims)) {
  std::vector<int64_t> sorted = dims_;
  std::sort(sorted.begin(), sorted.end());
  bool ok = !sorted.empty();
  for (size_t i = 0; i < sorted.size(); ++i) ok = ok && sorted[i] == static_cast<int64_t>(i + 1);
  if (!ok)
    throw ValueError(
        "Permute: invalid permutation argument `dims`. The set of indices in `dims` must "
        "be consecutive and start from 1. Received dims=" +
        detail::tuple_str(dims_));
}

Tensor PermuteImpl::call(const Tensor& inputs, const CallContext&) {
  detail::check_rank(*this, inputs.shape(), static_cast<int>(dims_.size()) + 1);
  std::vector<int64_t> perm{0};
  for (int64_t d : dims_) perm.push_back(d);
  return ops::transpose(inputs, perm);
}

Config PermuteImpl::get_config() const {
  Config c = Config::object();
  c["dims"] = detail::ints_config(dims_);
  return merge(LayerImpl::get_config(), c);
}

KERAS_REGISTER_LAYER(Permute, [](const Config& c) {
  PermuteOptions o;
  if (detail::has(c, "dims"))
    for (const Config& d : c["dims"]) o.dims.push_back(saving::config_int(d, "dims"));
  detail::read_base(c, o);
  return std::make_shared<PermuteImpl>(std::move(o));
});

}  // namespace keras::layers
