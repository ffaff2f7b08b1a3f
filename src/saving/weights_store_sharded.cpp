// Keras's ShardedH5IOStore (keras/src/saving/saving_lib.py): a model's weights split over
// several `.weights.h5` shards with a `.weights.json` index.
#include <filesystem>
#include <fstream>
#include <map>

#include "keras/core/errors.hpp"
#include "keras/serialization/atomic_file.hpp"
#include "keras/serialization/config.hpp"
#include "saving/h5/h5.hpp"
#include "saving/weights_store.hpp"
#include "utils/json_depth.hpp"
#include "utils/memory_size.hpp"

namespace keras::saving::detail {

namespace fs = std::filesystem;

namespace {

// The index is small (one line per object); anything larger is not one.
constexpr uintmax_t kMaxIndexBytes = uintmax_t{64} << 20;

std::string vars_path(const std::string& path) {
  return path.empty() ? "/vars" : "/" + path + "/vars";
}

// Keras's base name: the index's stem without ".weights" ("model.weights.json" -> "model").
std::string base_name(const std::string& json_path) {
  std::string stem = fs::path(json_path).stem().string();
  for (size_t pos; (pos = stem.find(".weights")) != std::string::npos;) stem.erase(pos, 8);
  return stem;
}

bool plain_shard_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         name.find('\0') == std::string::npos && name.ends_with(".weights.h5");
}

}  // namespace

// ---- writing ----

struct ShardedSink::State {
  std::string json_path;
  fs::path dir;
  std::string base;
  double max_bytes = 0;
  int index = 0;  // of the next shard
  std::string shard_name;
  std::unique_ptr<AtomicFile> out;
  std::optional<h5::File> file;
  double shard_bytes = 0;
  double total_bytes = 0;
  std::string object_path;
  std::optional<h5::Group> vars;  // the current object's group in the current shard
  Config weight_map = Config::object();

  void open_shard() {
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "_%05d.weights.h5", index++);
    shard_name = base + suffix;
    out = std::make_unique<AtomicFile>((dir / shard_name).string());
    file.emplace(h5::File::create(out->temp_path()));
    shard_bytes = 0;
    vars.reset();
  }

  void close_shard() {
    vars.reset();
    file->close();
    file.reset();
    out->commit();
    out.reset();
  }

  h5::Group& create_vars(bool with_name, const std::string& name) {
    vars = create_vars_group(file->root(), object_path);
    if (with_name) vars->set_string_attribute("name", name);
    return *vars;
  }
};

ShardedSink::ShardedSink(std::string json_path, double max_shard_bytes)
    : state_(std::make_unique<State>()) {
  state_->json_path = std::move(json_path);
  state_->dir = fs::path(state_->json_path).parent_path();
  if (state_->dir.empty()) state_->dir = ".";
  state_->base = base_name(state_->json_path);
  state_->max_bytes = max_shard_bytes;
  state_->open_shard();  // Keras creates the first shard at once
}

ShardedSink::~ShardedSink() = default;

void ShardedSink::make(const std::string& path, const std::string& name) {
  state_->object_path = path;
  state_->create_vars(/*with_name=*/true, name);
}

void ShardedSink::write(const std::string& key, const void* data, const Shape& shape, DType dtype) {
  State& s = *state_;
  double bytes = static_cast<double>(shape.num_elements()) * static_cast<double>(dtype_size(dtype));
  s.total_bytes += bytes;
  if (bytes > s.max_bytes)
    throw ValueError("The size of " + key + " is " + utils::readable_memory_size(bytes) +
                     " which exceeds the maximum shard size " +
                     utils::readable_memory_size(s.max_bytes) +
                     ". You can increase the `max_shard_size` parameter to accommodate the size.");
  s.shard_bytes += bytes;
  if (s.shard_bytes > s.max_bytes) {
    s.close_shard();
    s.open_shard();
    s.shard_bytes = bytes;
  }
  // In a new shard the object's group is made again, without the name (as Keras does).
  if (!s.vars) s.create_vars(/*with_name=*/false, "");
  s.vars->write_dataset(key, data, shape, dtype);
  Config& entry = s.weight_map[vars_path(s.object_path)];
  if (entry.is_null()) {
    entry = s.shard_name;
  } else {
    if (!entry.is_array()) entry = Config::array({entry});
    bool listed = false;
    for (const Config& f : entry) listed = listed || f == s.shard_name;
    if (!listed) entry.push_back(s.shard_name);
  }
}

void ShardedSink::finish() {
  State& s = *state_;
  s.close_shard();
  Config index = Config::object();
  index["metadata"] = Config::object();
  index["metadata"]["total_size"] = s.total_bytes;
  index["weight_map"] = s.weight_map;
  write_file_atomically(s.json_path, index.dump(4));
}

// ---- reading ----

namespace {

class ShardedSource final : public WeightsSource {
 public:
  explicit ShardedSource(const std::string& json_path) : name_(json_path) {
    dir_ = fs::path(json_path).parent_path();
    std::error_code ec;
    uintmax_t size = fs::file_size(json_path, ec);
    if (ec) throw OSError("Cannot open '" + json_path + "': " + ec.message());
    if (size > kMaxIndexBytes)
      throw ValueError("Invalid sharded weights index '" + json_path +
                       "': " + std::to_string(size) + " bytes is too large for an index");
    std::ifstream in(json_path, std::ios::binary);
    if (!in) throw OSError("Cannot open '" + json_path + "'");
    std::string text((std::istreambuf_iterator<char>(in)), {});
    utils::check_json_depth(text, "Invalid sharded weights index '" + json_path + "':");
    Config index;
    try {
      index = Config::parse(text);
    } catch (const std::exception& e) {
      throw ValueError("Invalid sharded weights index '" + json_path + "': not valid JSON (" +
                       e.what() + ")");
    }
    auto bad = [&](const std::string& why) {
      return ValueError("Invalid sharded weights index '" + json_path + "': " + why);
    };
    if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object())
      throw bad("expected an object with a `weight_map` object");
    for (const auto& item : index["weight_map"].items()) {
      // Named copies: clang 14 cannot capture structured bindings in the lambda below.
      const std::string& key = item.key();
      const Config& value = item.value();
      std::vector<std::string> files;
      auto add = [&](const Config& f) {
        if (!f.is_string() || !plain_shard_name(f.get<std::string>()))
          throw bad("the shard of '" + key + "' must be the name of a `.weights.h5` file in " +
                    "the index's directory, got " + f.dump());
        files.push_back(f.get<std::string>());
      };
      if (value.is_array()) {
        if (value.empty()) throw bad("'" + key + "' lists no shard");
        for (const Config& f : value) add(f);
      } else {
        add(value);
      }
      weight_map_[key] = std::move(files);
    }
    // Every shard is opened now, so a missing or damaged one fails the load before any object.
    for (const auto& [key, files] : weight_map_)
      for (const std::string& f : files) shard(f);
  }

  const std::string& name() const override { return name_; }

  std::optional<VarsGroup> get(const std::string& path) override {
    std::string key = path.empty() ? "/vars" : path;
    auto it = weight_map_.find(key);
    if (it == weight_map_.end()) it = weight_map_.find(vars_path(path));
    if (it == weight_map_.end()) return std::nullopt;
    VarsGroup out{it->first, {}};
    for (const std::string& file : it->second) {
      // A shard without the group holds none of its datasets (Keras reads it as empty).
      if (auto g = find(shard(file), it->first)) out.parts.push_back(std::move(*g));
    }
    return out;
  }

  std::vector<std::string> stored_vars_paths() override {
    std::vector<std::string> out;
    for (const auto& [key, files] : weight_map_) {
      // Outside optimizer subtrees, as for single files (keys start with '/').
      if (key.find("/optimizer/") == std::string::npos) out.push_back(key);
    }
    return out;
  }

 private:
  const h5::ReadFile& shard(const std::string& file) {
    auto it = shards_.find(file);
    if (it == shards_.end()) {
      fs::path p = dir_ / file;
      check_inside_folder(p);
      it = shards_.emplace(file, h5::ReadFile::open(p.string())).first;
    }
    return it->second;
  }

  // The index names shards in its own folder only (plain names are checked when it is read); a
  // symlink there must not lead elsewhere either, e.g. `a.weights.h5 -> /etc/shadow`.
  void check_inside_folder(const fs::path& p) const {
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(p, ec))) return;
    fs::path target = fs::canonical(p, ec);
    fs::path folder = fs::canonical(dir_.empty() ? fs::path(".") : dir_, ec);
    if (ec || target.parent_path() != folder)
      throw ValueError("Invalid sharded weights index '" + name_ + "': the shard '" + p.string() +
                       "' is a symbolic link that leads outside the index's folder" +
                       (ec ? "" : " (to '" + target.string() + "')") +
                       "; shards must be files beside the index");
  }

  static std::optional<h5::ReadGroup> find(const h5::ReadFile& file, const std::string& path) {
    h5::ReadGroup g = file.root();
    size_t start = 1;
    while (start <= path.size()) {
      size_t end = path.find('/', start);
      if (end == std::string::npos) end = path.size();
      std::string part = path.substr(start, end - start);
      if (part.empty() || !g.has(part)) return std::nullopt;
      g = g.open_group(part);
      start = end + 1;
    }
    return g;
  }

  std::string name_;
  fs::path dir_;
  std::map<std::string, std::vector<std::string>> weight_map_;
  std::map<std::string, h5::ReadFile> shards_;
};

}  // namespace

std::unique_ptr<WeightsSource> sharded_source(const std::string& json_path) {
  return std::make_unique<ShardedSource>(json_path);
}

}  // namespace keras::saving::detail
