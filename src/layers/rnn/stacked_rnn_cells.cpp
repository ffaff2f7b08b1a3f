#include "keras/layers/rnn/stacked_rnn_cells.hpp"

#include <map>

#include "keras/layers/registration.hpp"
#include "keras/serialization/object_registry.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

StackedRNNCellsImpl::StackedRNNCellsImpl(std::vector<std::shared_ptr<RNNCellImpl>> cells,
                                         StackedRNNCellsOptions options)
    : RNNCellImpl(layer_options(options)), cells_(std::move(cells)) {
  if (cells_.empty()) throw ValueError("StackedRNNCells: `cells` must not be empty");
  // Keras saves a list of layers under "<attribute>/<snake_case class name>[_n]".
  std::map<std::string, int> used;
  for (const auto& cell : cells_) {
    if (!cell) throw ValueError("StackedRNNCells: a cell is empty");
    std::string base = saving::to_snake_case(cell->class_name());
    int n = used[base]++;
    track_layer("cells/" + (n ? base + "_" + std::to_string(n) : base), cell);
  }
}

std::vector<int64_t> StackedRNNCellsImpl::state_size() const {
  std::vector<int64_t> out;
  for (const auto& c : cells_)
    for (int64_t d : c->state_size()) out.push_back(d);
  return out;
}

size_t StackedRNNCellsImpl::output_state_index() const {
  size_t offset = 0;
  for (size_t i = 0; i + 1 < cells_.size(); ++i) offset += cells_[i]->state_size().size();
  return offset + cells_.back()->output_state_index();
}

std::vector<Tensor> StackedRNNCellsImpl::get_initial_state(int64_t batch_size) const {
  std::vector<Tensor> out;
  for (const auto& c : cells_)
    for (const Tensor& s : c->get_initial_state(batch_size)) out.push_back(s);
  return out;
}

void StackedRNNCellsImpl::build(const Shape& input_shape) {
  Shape shape = input_shape;
  for (const auto& c : cells_) {
    if (!c->built()) c->maybe_build({shape});
    shape = Shape{input_shape[0], c->output_size()};
  }
}

std::pair<Tensor, std::vector<Tensor>> StackedRNNCellsImpl::call_cell(
    const Tensor& x, const std::vector<Tensor>& states, const CallContext& context) {
  Tensor inputs = x;
  std::vector<Tensor> new_states;
  size_t offset = 0;
  for (const auto& c : cells_) {
    size_t n = c->state_size().size();
    std::vector<Tensor> own(states.begin() + offset, states.begin() + offset + n);
    auto [y, ns] = c->call_cell(inputs, own, context);
    new_states.insert(new_states.end(), ns.begin(), ns.end());
    inputs = y;
    offset += n;
  }
  return {inputs, new_states};
}

void StackedRNNCellsImpl::begin_sequence(const Tensor& step_input,
                                         const std::vector<Tensor>& states, bool training) {
  // Each cell sees a step input of its own width: zeros shaped like its input.
  Tensor inputs = step_input;
  size_t offset = 0;
  for (const auto& c : cells_) {
    size_t n = c->state_size().size();
    std::vector<Tensor> own(states.begin() + offset, states.begin() + offset + n);
    c->begin_sequence(inputs, own, training);
    inputs = own.empty() ? inputs : own[c->output_state_index()];
    offset += n;
  }
}

void StackedRNNCellsImpl::end_sequence() {
  for (const auto& c : cells_) c->end_sequence();
}

Config StackedRNNCellsImpl::get_config() const {
  Config cells = Config::array();
  for (const auto& c : cells_) cells.push_back(serialize(*c));
  Config c = Config::object();
  c["cells"] = cells;
  return merge(LayerImpl::get_config(), c);
}

StackedRNNCells::StackedRNNCells(const std::vector<RNNCell>& cells, StackedRNNCellsOptions options)
    : LayerHolder<StackedRNNCellsImpl>([&] {
        std::vector<std::shared_ptr<RNNCellImpl>> impls;
        for (const RNNCell& c : cells) impls.push_back(c.ptr());
        return std::make_shared<StackedRNNCellsImpl>(std::move(impls), std::move(options));
      }()) {}

KERAS_REGISTER_LAYER(StackedRNNCells, [](const Config& c) -> std::shared_ptr<LayerImpl> {
  std::vector<std::shared_ptr<RNNCellImpl>> cells;
  if (detail::has(c, "cells"))
    for (const Config& e : c["cells"]) {
      auto cell = std::dynamic_pointer_cast<RNNCellImpl>(deserialize(e));
      if (!cell) throw ValueError("StackedRNNCells.from_config: not an RNN cell: " + e.dump());
      cells.push_back(cell);
    }
  StackedRNNCellsOptions o;
  detail::read_base(c, o);
  return std::make_shared<StackedRNNCellsImpl>(std::move(cells), std::move(o));
});

}  // namespace keras::layers
