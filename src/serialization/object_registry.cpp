#include "keras/serialization/object_registry.hpp"

#include <cctype>

namespace keras::saving {

Config make_envelope(const std::string& module, const std::string& class_name, Config config,
                     const std::string& registered_name) {
  Config out = Config::object();
  out["module"] = module;
  out["class_name"] = class_name;
  out["config"] = std::move(config);
  out["registered_name"] = registered_name.empty() ? Config(nullptr) : Config(registered_name);
  return out;
}

std::string to_snake_case(const std::string& name) {
  // Keras: re.sub(r"\W+", "", name); re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name);
  // re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()
  std::string s;
  for (char c : name)
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') s += c;
  std::string step1;
  for (size_t i = 0; i < s.size(); ++i) {
    bool upper = std::isupper(static_cast<unsigned char>(s[i]));
    bool next_lower = i + 1 < s.size() && std::islower(static_cast<unsigned char>(s[i + 1]));
    if (i > 0 && upper && next_lower) step1 += '_';
    step1 += s[i];
  }
  std::string out;
  for (size_t i = 0; i < step1.size(); ++i) {
    if (i > 0 && std::islower(static_cast<unsigned char>(step1[i - 1])) &&
        std::isupper(static_cast<unsigned char>(step1[i])))
      out += '_';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(step1[i])));
  }
  return out;
}

}  // namespace keras::saving
