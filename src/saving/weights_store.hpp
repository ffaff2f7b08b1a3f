#pragma once
// Where save_weights writes and load_weights reads, as Keras's weights stores
// (keras/src/saving/saving_lib.py): one HDF5 file (H5IOStore: `.weights.h5`, or the
// `model.weights.h5` member of a `.keras` archive) or a sharded set of them with a JSON index
// (ShardedH5IOStore: `.weights.json` + `<name>_00000.weights.h5`, ...). weights.cpp walks the
// model and talks to these.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/core/dtype.hpp"
#include "keras/core/shape.hpp"
#include "saving/h5/reader.hpp"

namespace keras::saving::h5 {
class File;
class Group;
}  // namespace keras::saving::h5

namespace keras::saving::detail {

// ---- writing ----

class WeightsSink {
 public:
  virtual ~WeightsSink() = default;
  // Starts the object at `path` ("" for the model): its `vars` group, with the object's name as
  // the `name` attribute (Keras's make(path, metadata={"name": ...})).
  virtual void make(const std::string& path, const std::string& name) = 0;
  // Writes dataset `key` ("0", "1", ...) of the current object.
  virtual void write(const std::string& key, const void* data, const Shape& shape, DType dtype) = 0;
};

// Creates the `vars` group of the object at `path` ("" for the model) under `root`, opening or
// creating the groups of the path on the way (the single-file and the sharded sink share it).
h5::Group create_vars_group(const h5::Group& root, const std::string& path);

// Writes into one HDF5 file (not closed here).
std::unique_ptr<WeightsSink> h5_sink(const h5::File& file);

// Keras's ShardedH5IOStore: shards `<base>_00000.weights.h5`, ... beside `json_path`, a new one
// whenever the next variable would take the current shard past `max_shard_bytes`, and the index
// `json_path` ({"metadata": {"total_size": ...}, "weight_map": {"/<path>/vars": file or
// [files]}}). Every file is written atomically; the index last, by finish().
class ShardedSink : public WeightsSink {
 public:
  ShardedSink(std::string json_path, double max_shard_bytes);
  ~ShardedSink() override;
  void make(const std::string& path, const std::string& name) override;
  void write(const std::string& key, const void* data, const Shape& shape, DType dtype) override;
  // Writes the last shard and the index.
  void finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// ---- reading ----

// One object's `vars` group; in a sharded file its datasets may be spread over several shards.
struct VarsGroup {
  std::string path;  // "/layers/dense/vars"
  std::vector<h5::ReadGroup> parts;
  std::vector<std::string> keys() const;  // the datasets of every part, in part order
  bool has(const std::string& key) const;
  h5::ReadDataset open_dataset(const std::string& key) const;
};

class WeightsSource {
 public:
  virtual ~WeightsSource() = default;
  // The file name for messages.
  virtual const std::string& name() const = 0;
  // Keras's get(path): the object's vars group, or nullopt when the file has none (an empty
  // store).
  virtual std::optional<VarsGroup> get(const std::string& path) = 0;
  // Paths of the `vars` groups that hold datasets, outside `optimizer` subtrees.
  virtual std::vector<std::string> stored_vars_paths() = 0;
};

// One HDF5 file (the reader keeps it open).
std::unique_ptr<WeightsSource> h5_source(h5::ReadFile file);
// A `.weights.json` index and its shards (ValueError for a bad index or shard names that are
// not plain `.weights.h5` file names in the index's directory).
std::unique_ptr<WeightsSource> sharded_source(const std::string& json_path);

}  // namespace keras::saving::detail
