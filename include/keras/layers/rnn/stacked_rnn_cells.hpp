#pragma once
// keras.layers.StackedRNNCells (keras/src/layers/rnn/stacked_rnn_cells.py): several cells run as
// one, each feeding the next. Its states are the cells' states one after the other (Keras nests
// them per cell; here they are flat, cell by cell).
//
//   auto rnn = layers::RNN(layers::StackedRNNCells({cell_a, cell_b}));
#include "keras/layers/option_groups.hpp"
#include "keras/layers/rnn/rnn_cell.hpp"

namespace keras::layers {

struct StackedRNNCellsOptions {
  KERAS_BASE_LAYER_OPTIONS;
};

class StackedRNNCellsImpl : public RNNCellImpl {
 public:
  StackedRNNCellsImpl(std::vector<std::shared_ptr<RNNCellImpl>> cells,
                      StackedRNNCellsOptions options = {});
  std::string class_name() const override { return "StackedRNNCells"; }
  std::vector<int64_t> state_size() const override;
  int64_t output_size() const override { return cells_.back()->output_size(); }
  size_t output_state_index() const override;
  std::vector<Tensor> get_initial_state(int64_t batch_size) const override;
  void build(const Shape& input_shape) override;
  std::pair<Tensor, std::vector<Tensor>> call_cell(const Tensor& x,
                                                   const std::vector<Tensor>& states,
                                                   const CallContext& context) override;
  void begin_sequence(const Tensor& step_input, const std::vector<Tensor>& states,
                      bool training) override;
  void end_sequence() override;
  Config get_config() const override;
  const std::vector<std::shared_ptr<RNNCellImpl>>& cells() const { return cells_; }

 private:
  std::vector<std::shared_ptr<RNNCellImpl>> cells_;
};

class StackedRNNCells : public LayerHolder<StackedRNNCellsImpl> {
 public:
  explicit StackedRNNCells(std::shared_ptr<StackedRNNCellsImpl> impl)
      : LayerHolder<StackedRNNCellsImpl>(std::move(impl)) {}
  explicit StackedRNNCells(const std::vector<RNNCell>& cells, StackedRNNCellsOptions options = {});
};

}  // namespace keras::layers
