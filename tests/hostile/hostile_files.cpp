#include "hostile_files.hpp"

#include "keras/saving/zip_archive.hpp"

namespace keras::hostile {

std::string fixture(const std::string& name, const std::string& ext) {
  return std::string(KERAS_FIXTURES_DIR) + "/" + name + ext;
}

Members fixture_members(const std::string& name) {
  auto zip = saving::ZipReader::open(fixture(name, ".keras"));
  Members m;
  for (const auto& n : zip.names()) m.emplace_back(n, zip.read(n));
  return m;
}

std::string write_archive(const std::string& path, const Members& members) {
  saving::ZipWriter out(path);
  for (const auto& [name, bytes] : members) out.add(name, bytes, /*compress=*/false);
  out.commit();
  return path;
}

std::string edited_fixture(const std::string& name, const std::string& path,
                           const std::function<void(Config&)>& edit) {
  Members m = fixture_members(name);
  for (auto& [member, bytes] : m)
    if (member == "config.json") {
      Config c = Config::parse(bytes);
      edit(c);
      bytes = c.dump();
    }
  return write_archive(path, m);
}

std::string fixture_with_member(const std::string& name, const std::string& path,
                                const std::string& member, const std::string& bytes) {
  Members m = fixture_members(name);
  for (auto& [n, b] : m)
    if (n == member) b = bytes;
  return write_archive(path, m);
}

std::string nested(const std::string& open, const std::string& close, size_t depth,
                   const std::string& inner) {
  std::string s;
  s.reserve(depth * (open.size() + close.size()) + inner.size());
  for (size_t i = 0; i < depth; ++i) s += open;
  s += inner;
  for (size_t i = 0; i < depth; ++i) s += close;
  return s;
}

}  // namespace keras::hostile
