#pragma once
// The structure listing of a file (TreeEntry, h5_types.hpp) for either HDF5 side: the libhdf5
// wrapper (h5.hpp) and the reader (reader.hpp) have the same group and dataset interface.
#include <string>
#include <vector>

#include "keras/core/errors.hpp"
#include "saving/h5/h5_types.hpp"

namespace keras::saving::h5 {

// Appends `g` and everything below it reachable through hard links, depth first in name order.
// `enter(child)` decides whether a child group is descended into (the reader skips groups it has
// already listed).
template <class Group, class Enter>
void describe_tree(const Group& g, std::vector<TreeEntry>& out, Enter&& enter, int depth = 0) {
  if (depth > 64)
    throw ValueError("Invalid H5 file: groups nested too deeply at " + g.location().describe());
  TreeEntry e{.path = g.path(), .is_group = true};
  for (const std::string& a : g.attribute_names())
    e.attributes.emplace_back(a, g.string_attribute(a).value_or(""));
  out.push_back(std::move(e));
  for (const std::string& name : g.member_names()) {
    if (g.link_kind(name) != LinkKind::Hard) continue;
    switch (g.object_kind(name)) {
      case ObjectKind::Group: {
        auto child = g.open_group(name);
        if (enter(child)) describe_tree(child, out, enter, depth + 1);
        break;
      }
      case ObjectKind::Dataset: {
        auto d = g.open_dataset(name);
        TreeEntry de{.path = d.location().path, .shape = d.shape(), .dtype = d.dtype()};
        for (const std::string& a : d.attribute_names())
          de.attributes.emplace_back(a, d.string_attribute(a).value_or(""));
        out.push_back(std::move(de));
        break;
      }
      case ObjectKind::Other:
        break;
    }
  }
}

}  // namespace keras::saving::h5
