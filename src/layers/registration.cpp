#include "keras/layers/registration.hpp"

namespace keras::layers {

std::shared_ptr<LayerImpl> deserialize(const Config& envelope) {
  std::shared_ptr<LayerImpl> layer = LayerRegistry::instance().deserialize(envelope, "layer");
  layer->ensure_named();
  if (envelope.is_object() && envelope.contains("build_config") &&
      envelope["build_config"].is_object() && envelope["build_config"].contains("input_shape")) {
    // Rebuild with the recorded shapes so variables exist before weights are loaded.
    const Config& shape_json = envelope["build_config"]["input_shape"];
    auto to_shape = [](const Config& j) {
      Shape s;
      for (const Config& d : j) s.push_back(d.is_null() ? Shape::kNone : d.get<int64_t>());
      return s;
    };
    std::vector<Shape> shapes;
    if (!shape_json.empty() && shape_json[0].is_array())
      for (const Config& s : shape_json) shapes.push_back(to_shape(s));
    else
      shapes.push_back(to_shape(shape_json));
    layer->maybe_build(shapes);
  }
  return layer;
}

Config serialize(const LayerImpl& layer) {
  std::string registered = layer.registered_name();
  Config out =
      saving::make_envelope(layer.module(), layer.class_name(), layer.get_config(), registered);
  if (layer.built() && !layer.build_shapes().empty()) {
    auto shape_json = [](const Shape& s) {
      Config j = Config::array();
      for (int64_t d : s) j.push_back(d < 0 ? Config(nullptr) : Config(d));
      return j;
    };
    Config input_shape;
    if (layer.build_shapes().size() == 1) {
      input_shape = shape_json(layer.build_shapes()[0]);
    } else {
      input_shape = Config::array();
      for (const Shape& s : layer.build_shapes()) input_shape.push_back(shape_json(s));
    }
    Config build = Config::object();
    build["input_shape"] = input_shape;
    out["build_config"] = build;
  }
  return out;
}

}  // namespace keras::layers
