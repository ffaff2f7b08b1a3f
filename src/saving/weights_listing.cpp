// Lists the datasets of a weights file image (keras-cpp inspect).
#include <algorithm>
#include <functional>
#include <set>

#include "keras/core/errors.hpp"
#include "keras/saving/saving.hpp"
#include "saving/h5/reader.hpp"

namespace keras::saving {

std::vector<WeightsDataset> list_weights_datasets(const std::string& h5_bytes,
                                                  const std::string& label) {
  h5::ReadFile file = h5::ReadFile::from_image(h5_bytes, label);
  std::set<uint64_t> seen;  // each group once, even when linked twice
  std::vector<WeightsDataset> out;
  std::function<void(const h5::ReadGroup&, const std::string&)> walk =
      [&](const h5::ReadGroup& g, const std::string& prefix) {
        std::vector<std::string> names = g.member_names();
        // Variables are numbered groups ("0", "1", ..., "10"): list them numerically.
        auto numeric = [](const std::string& s) {
          return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
        };
        std::stable_sort(names.begin(), names.end(),
                         [&](const std::string& a, const std::string& b) {
                           if (numeric(a) && numeric(b))
                             return a.size() != b.size() ? a.size() < b.size() : a < b;
                           return a < b;
                         });
        for (const std::string& name : names) {
          std::string path = prefix.empty() ? name : prefix + "/" + name;
          // The weights reader refuses soft and external links (Keras's safe_get_h5_group and
          // safe_get_h5_dataset): a listing that skipped them would pass a file load_model
          // rejects, so they are an error here too. They are never followed.
          h5::LinkKind kind = g.link_kind(name);
          if (kind != h5::LinkKind::Hard)
            throw ValueError(label + ": \"" + path + "\" is " +
                             (kind == h5::LinkKind::Soft       ? "a soft link"
                              : kind == h5::LinkKind::External ? "an external link"
                                                               : "a link of an unknown kind") +
                             "; weights files may hold only hard links to groups and datasets");
          switch (g.object_kind(name)) {
            case h5::ObjectKind::Group: {
              h5::ReadGroup child = g.open_group(name);
              if (seen.insert(child.address()).second) walk(child, path);
              break;
            }
            case h5::ObjectKind::Dataset: {
              h5::ReadDataset d = g.open_dataset(name);
              out.push_back({path, d.shape(), d.dtype()});
              break;
            }
            default:
              throw ValueError(
                  label + ": \"" + path +
                  "\" is neither a group nor a dataset; weights files hold only those");
          }
        }
      };
  h5::ReadGroup root = file.root();
  seen.insert(root.address());
  walk(root, "");
  return out;
}

}  // namespace keras::saving
