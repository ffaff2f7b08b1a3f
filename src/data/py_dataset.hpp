#pragma once
// The dataset behind Dataset::from_py_dataset (keras/data/py_dataset.hpp). fit reads it to
// shuffle the batch order with its own `shuffle` option.
#include <atomic>
#include <memory>

#include "keras/data/dataset.hpp"
#include "keras/data/py_dataset.hpp"

namespace keras::data::detail {

class PyDatasetSource final : public DatasetImpl {
 public:
  PyDatasetSource(std::shared_ptr<utils::PyDataset> source, bool shuffle, uint64_t seed);
  std::unique_ptr<Iterator> iterate() const override;
  int64_t cardinality() const override;
  // The same source with its batch order shuffled each pass from `seed`.
  Dataset shuffled(uint64_t seed) const;

 private:
  std::shared_ptr<utils::PyDataset> source_;
  bool shuffle_;
  uint64_t seed_;
  mutable std::atomic<uint64_t> passes_{0};
};

// The PyDatasetSource behind `dataset`, or null.
inline const PyDatasetSource* py_source_of(const Dataset& dataset) {
  return dynamic_cast<const PyDatasetSource*>(dataset.impl().get());
}

}  // namespace keras::data::detail
