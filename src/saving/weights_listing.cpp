// Lists the datasets of a weights file image (keras-cpp inspect).
#include <algorithm>
#include <functional>
#include <mutex>

#include "keras/saving/saving.hpp"
#include "saving/h5/h5.hpp"

namespace keras::saving {

std::vector<WeightsDataset> list_weights_datasets(const std::string& h5_bytes,
                                                  const std::string& label) {
  std::lock_guard guard(h5::lock());
  h5::File file = h5::File::open_image(h5_bytes, label);
  std::vector<WeightsDataset> out;
  std::function<void(const h5::Group&, const std::string&)> walk = [&](const h5::Group& g,
                                                                       const std::string& prefix) {
    std::vector<std::string> names = g.member_names();
    // Variables are numbered groups ("0", "1", ..., "10"): list them numerically.
    auto numeric = [](const std::string& s) {
      return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
    };
    std::stable_sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) {
      if (numeric(a) && numeric(b)) return a.size() != b.size() ? a.size() < b.size() : a < b;
      return a < b;
    });
    for (const std::string& name : names) {
      if (g.link_kind(name) != h5::LinkKind::Hard) continue;  // never follow soft/external links
      std::string path = prefix.empty() ? name : prefix + "/" + name;
      switch (g.object_kind(name)) {
        case h5::ObjectKind::Group:
          walk(g.open_group(name), path);
          break;
        case h5::ObjectKind::Dataset: {
          h5::Dataset d = g.open_dataset(name);
          out.push_back({path, d.shape(), d.dtype()});
          break;
        }
        default:
          break;
      }
    }
  };
  walk(file.root(), "");
  return out;
}

}  // namespace keras::saving
