#pragma once
// keras::utils::PyDataset: Keras's base class for a dataset that a user class computes batch by
// batch (keras/src/trainers/data_adapters/py_dataset_adapter.py): size() batches (Python's
// __len__), get(i) makes batch i (__getitem__), on worker threads when `workers` > 1. Turn it into
// a keras::data::Dataset for fit / evaluate / predict with data::Dataset::from_py_dataset:
//
//   class Batches : public keras::utils::PyDataset {
//    public:
//     Batches() : PyDataset({.workers = 4}) {}
//     int64_t size() const override { return 100; }
//     keras::data::Element get(int64_t index) override { return {load_x(index), load_y(index)}; }
//   };
//   model.fit(keras::data::Dataset::from_py_dataset(std::make_shared<Batches>()), {.epochs = 3});
//
// fit shuffles the order of the batches each epoch when its `shuffle` option is true (the
// default), as Keras does for a PyDataset; evaluate and predict keep the order.
#include <cstdint>

#include "keras/data/dataset.hpp"

namespace keras::utils {

struct PyDatasetOptions {
  int workers = 1;          // threads calling get(); get() must then be safe to call concurrently
  int max_queue_size = 10;  // batches made ahead of the consumer when workers > 1
};

class PyDataset {
 public:
  explicit PyDataset(PyDatasetOptions options = {}) : options_(options) {}
  virtual ~PyDataset() = default;
  // The number of batches (Keras's __len__ / num_batches).
  virtual int64_t size() const = 0;
  // Batch `index`, 0 <= index < size() (Keras's __getitem__).
  virtual data::Element get(int64_t index) = 0;
  // Called before and after each pass (an epoch of fit).
  virtual void on_epoch_begin() {}
  virtual void on_epoch_end() {}
  const PyDatasetOptions& options() const { return options_; }

 private:
  PyDatasetOptions options_;
};

}  // namespace keras::utils
