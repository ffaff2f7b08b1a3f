#include "keras/layers/core/input_layer.hpp"

#include "keras/core/config.hpp"
#include "keras/layers/node.hpp"
#include "keras/layers/registration.hpp"
#include "serialization/config_ints.hpp"

namespace keras {
namespace layers {

InputLayerImpl::InputLayerImpl(InputLayerOptions options)
    : LayerImpl(LayerOptions{.name = options.name, .dtype = options.dtype}),
      input_dtype_(options.dtype.value_or(config::floatx())) {
  for (int64_t d : options.shape)
    if (d < Shape::kNone)
      throw ValueError("InputLayer: invalid dimension " + std::to_string(d) + " in shape " +
                       options.shape.to_string() + " (use Shape::kNone for an unknown one)");
  if (options.batch_size && *options.batch_size <= 0)
    throw ValueError("InputLayer: batch_size must be positive, got " +
                     std::to_string(*options.batch_size));
  batch_shape_.push_back(options.batch_size.value_or(Shape::kNone));
  for (int64_t d : options.shape) batch_shape_.push_back(d);
}

Tensor InputLayerImpl::output() const {
  // The tensor's history holds this layer, so the layer keeps only a weak reference to the
  // tensor (no ownership cycle).
  if (auto impl = output_.lock()) return Tensor(impl);
  Tensor out = Tensor::symbolic(batch_shape_, input_dtype_, name());
  auto node = std::make_shared<Node>();
  node->layer = const_cast<InputLayerImpl*>(this)->shared();
  node->output_ids = {out.id()};
  node->output_shapes = {batch_shape_};
  node->output_dtypes = {input_dtype_};
  set_keras_history(out, node, 0);
  output_ = out.impl();
  return out;
}

Config InputLayerImpl::get_config() const {
  Config c = Config::object();
  Config shape = Config::array();
  for (int64_t d : batch_shape_) shape.push_back(d < 0 ? Config(nullptr) : Config(d));
  c["batch_shape"] = shape;
  c["dtype"] = std::string(dtype_name(input_dtype_));  // InputLayer writes a plain dtype string
  c["sparse"] = false;
  c["ragged"] = false;
  c["name"] = name();
  c["optional"] = false;
  return c;
}

KERAS_REGISTER_LAYER(InputLayer, [](const Config& c) {
  InputLayerOptions o;
  if (c.contains("batch_shape") && c["batch_shape"].is_array()) {
    const Config& bs = c["batch_shape"];
    if (!bs.empty() && !bs[0].is_null()) o.batch_size = saving::config_int(bs[0], "batch_shape[0]");
    for (size_t i = 1; i < bs.size(); ++i)
      o.shape.push_back(
          saving::config_dim(bs[i], "batch_shape[" + std::to_string(i) + "]", Shape::kNone));
  }
  if (c.contains("dtype") && c["dtype"].is_string())
    o.dtype = dtype_from_name(c["dtype"].get<std::string>());
  if (c.contains("name")) o.name = c["name"].get<std::string>();
  return std::make_shared<InputLayerImpl>(o);
});

}  // namespace layers

Tensor Input(const Shape& shape, InputOptions options) {
  layers::InputLayer layer(layers::InputLayerOptions{.shape = shape,
                                                     .batch_size = options.batch_size,
                                                     .dtype = options.dtype,
                                                     .name = options.name});
  return layer->output();
}

}  // namespace keras
