// Keras's H5IOStore: the weights of a model in one HDF5 file.
#include <set>

#include "keras/core/errors.hpp"
#include "saving/h5/h5.hpp"
#include "saving/weights_store.hpp"

namespace keras::saving::detail {

namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

class H5Sink final : public WeightsSink {
 public:
  explicit H5Sink(const h5::File& file) : root_(file.root()) {}

  void make(const std::string& path, const std::string& name) override {
    vars_ = create_vars_group(root_, path);
    vars_->set_string_attribute("name", name);
  }

  void write(const std::string& key, const void* data, const Shape& shape, DType dtype) override {
    vars_->write_dataset(key, data, shape, dtype);
  }

 private:
  h5::Group root_;
  std::optional<h5::Group> vars_;
};

class H5Source final : public WeightsSource {
 public:
  explicit H5Source(h5::ReadFile file) : file_(std::move(file)), root_(file_.root()) {
    legacy_ = root_.has("_layer_checkpoint_dependencies");
  }

  const std::string& name() const override { return file_.name(); }

  // "<path>/vars" if present; files from tf.keras 2.13 keep layers under
  // `_layer_checkpoint_dependencies`.
  std::optional<VarsGroup> get(const std::string& path) override {
    if (path.empty()) {
      if (root_.has("vars")) return wrap(root_.open_group("vars"));
      return std::nullopt;
    }
    if (auto g = find_group(path); g && g->has("vars")) return wrap(g->open_group("vars"));
    if (legacy_) {
      std::string alt = path;
      for (size_t pos = 0; (pos = alt.find("layers", pos)) != std::string::npos;) {
        alt.replace(pos, 6, "_layer_checkpoint_dependencies");
        pos += 30;
      }
      if (auto g = find_group(alt); g && g->has("vars")) return wrap(g->open_group("vars"));
    }
    return std::nullopt;
  }

  std::vector<std::string> stored_vars_paths() override {
    std::vector<std::string> out;
    std::set<uint64_t> walked{root_.address()};
    collect(root_, out, walked, 0);
    return out;
  }

 private:
  static VarsGroup wrap(h5::ReadGroup g) {
    std::string path = g.path();
    return VarsGroup{path, {std::move(g)}};
  }

  std::optional<h5::ReadGroup> find_group(const std::string& path) {
    std::optional<h5::ReadGroup> g;
    for (const std::string& part : split_path(path)) {
      const h5::ReadGroup& parent = g ? *g : root_;
      if (part.empty()) throw ValueError("Invalid path in H5 file: " + path);
      if (!parent.has(part)) return std::nullopt;
      g = parent.open_group(part);
    }
    return g;
  }

  void collect(const h5::ReadGroup& g, std::vector<std::string>& out, std::set<uint64_t>& walked,
               int depth) {
    if (depth > 64)
      throw ValueError("Invalid H5 file: groups nested too deeply in " + file_.name());
    for (const std::string& name : g.member_names()) {
      if (name == "optimizer" || g.link_kind(name) != h5::LinkKind::Hard ||
          g.object_kind(name) != h5::ObjectKind::Group)
        continue;
      h5::ReadGroup child = g.open_group(name);
      // A group linked from several places (or from inside itself) is looked at once.
      if (!walked.insert(child.address()).second) continue;
      if (name == "vars") {
        if (!child.member_names().empty()) out.push_back(child.path());
      } else {
        collect(child, out, walked, depth + 1);
      }
    }
  }

  h5::ReadFile file_;
  h5::ReadGroup root_;
  bool legacy_ = false;
};

}  // namespace

h5::Group create_vars_group(const h5::Group& root, const std::string& path) {
  std::optional<h5::Group> parent;
  if (!path.empty())
    for (const std::string& part : split_path(path)) {
      const h5::Group& p = parent ? *parent : root;
      parent = p.has(part) ? p.open_group(part) : p.create_group(part);
    }
  return (parent ? *parent : root).create_group("vars");
}

std::vector<std::string> VarsGroup::keys() const {
  std::vector<std::string> out;
  for (const h5::ReadGroup& g : parts)
    for (std::string& k : g.member_names()) out.push_back(std::move(k));
  return out;
}

bool VarsGroup::has(const std::string& key) const {
  for (const h5::ReadGroup& g : parts)
    if (g.has(key)) return true;
  return false;
}

h5::ReadDataset VarsGroup::open_dataset(const std::string& key) const {
  for (const h5::ReadGroup& g : parts)
    if (g.has(key)) return g.open_dataset(key);
  throw ValueError("Missing dataset '" + key + "' in " + path);
}

std::unique_ptr<WeightsSink> h5_sink(const h5::File& file) {
  return std::make_unique<H5Sink>(file);
}

std::unique_ptr<WeightsSource> h5_source(h5::ReadFile file) {
  return std::make_unique<H5Source>(std::move(file));
}

}  // namespace keras::saving::detail
