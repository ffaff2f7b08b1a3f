#pragma once
// Building hostile files for the suite: .keras archives from edited fixture members, nested JSON.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "keras/serialization/config.hpp"

namespace keras::hostile {

using Members = std::vector<std::pair<std::string, std::string>>;

// Path of a Python Keras 3 fixture, e.g. fixture("dense_mlp", ".keras").
std::string fixture(const std::string& name, const std::string& ext);
// The members of a fixture .keras file, in order.
Members fixture_members(const std::string& name);
// Writes `members` as a .keras (zip, stored) archive at `path`; returns path.
std::string write_archive(const std::string& path, const Members& members);
// A copy of fixture `name` with config.json replaced by `edit(config)`, written to `path`.
std::string edited_fixture(const std::string& name, const std::string& path,
                           const std::function<void(Config&)>& edit);
// A copy of fixture `name` with `member` replaced by `bytes`, written to `path`.
std::string fixture_with_member(const std::string& name, const std::string& path,
                                const std::string& member, const std::string& bytes);
// `depth` opening brackets around `inner`, closed again: nested("[", "]", 3, "1") == "[[[1]]]".
std::string nested(const std::string& open, const std::string& close, size_t depth,
                   const std::string& inner);

}  // namespace keras::hostile
