#include "keras/core/config.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "keras/backend/backend.hpp"
#include "keras/core/errors.hpp"
#include "utils/json_depth.hpp"

namespace keras::config {
namespace {

struct State {
  bool loaded = false;
  std::optional<std::string> backend_override;  // set_backend()
  std::string backend = "cpu";
  DType floatx = DType::Float32;
  double epsilon = 1e-7;
  std::string image_data_format = "channels_last";
};

std::mutex& mutex() {
  static std::mutex m;
  return m;
}
State& state() {
  static State s;
  return s;
}

std::string read_json_string(const nlohmann::json& j, const char* key, const std::string& path) {
  if (!j[key].is_string())
    throw ValueError("keras.json (" + path + "): \"" + key + "\" must be a string, got " +
                     j[key].dump());
  return j[key].get<std::string>();
}

void check_image_data_format(const std::string& fmt, const std::string& where) {
  if (fmt != "channels_last" && fmt != "channels_first")
    throw ValueError(where +
                     ": image_data_format must be \"channels_last\" or \"channels_first\", got \"" +
                     fmt + "\"");
}

void check_floatx(DType d, const std::string& where) {
  if (!is_floating(d))
    throw ValueError(where + ": floatx must be one of float16, bfloat16, float32, float64, got \"" +
                     std::string(dtype_name(d)) + "\"");
}

std::string built_backends() {
  std::string list;
  for (const std::string& b : backend::available_backends()) list += (list.empty() ? "" : ", ") + b;
  return list;
}

// keras.json's text, or nullopt when there is none (a dangling symlink counts as none, as
// std::filesystem::exists said before). Opened with O_NONBLOCK and checked with fstat, so a FIFO
// (or a device) there is refused instead of blocking the program forever, without a stat-then-
// open race.
std::optional<std::string> read_keras_json(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw OSError("keras.json (" + path + ") cannot be read: " + std::strerror(errno));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    throw OSError("keras.json (" + path + ") cannot be read: " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw OSError("keras.json (" + path + ") is a directory");
  if (!S_ISREG(st.st_mode))
    throw OSError("keras.json (" + path + ") is not a regular file (it is " +
                  (S_ISFIFO(st.st_mode)  ? "a FIFO"
                   : S_ISCHR(st.st_mode) ? "a character device"
                                         : "a special file") +
                  ")");
  // A settings file; anything this large is not one (and would be read into memory whole).
  constexpr off_t kMaxBytes = off_t{64} << 20;
  if (st.st_size > kMaxBytes)
    throw OSError("keras.json (" + path + ") is " + std::to_string(st.st_size) +
                  " bytes, more than the 64 MiB a settings file may have");
  std::string text;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw OSError("keras.json (" + path + ") cannot be read: " + std::strerror(errno));
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (static_cast<off_t>(text.size()) > kMaxBytes)
      throw OSError("keras.json (" + path + ") grew past 64 MiB while being read");
  }
  return text;
}

// Reads keras.json and the environment once; caller holds the mutex.
void load(State& s) {
  if (s.loaded) return;
  State fresh;
  fresh.backend_override = s.backend_override;
  std::string path = keras_json_path();
  if (std::optional<std::string> text = read_keras_json(path)) {
    nlohmann::json j;
    utils::check_json_depth(*text, "keras.json (" + path + ")");
    try {
      j = nlohmann::json::parse(*text);
    } catch (const nlohmann::json::parse_error& e) {
      throw ValueError("keras.json (" + path + ") is not valid JSON: " + e.what());
    }
    if (!j.is_object())
      throw ValueError("keras.json (" + path + ") must hold a JSON object, got " + j.dump());
    if (j.contains("backend")) {
      // Python Keras writes keras.json with "tensorflow" on its first import: a name this build
      // does not have falls back to "cpu" with a warning instead of breaking every program
      // (KERAS_BACKEND and set_backend() stay strict).
      std::string name = read_json_string(j, "backend", path);
      std::vector<std::string> built = backend::available_backends();
      if (std::find(built.begin(), built.end(), name) != built.end()) {
        fresh.backend = name;
      } else {
        static std::once_flag warned;
        std::call_once(warned, [&] {
          std::cerr << "keras: warning: " << path << " names the backend \"" << name
                    << "\", which keras-cpp does not have (built: " << built_backends()
                    << "); using \"cpu\". Set KERAS_BACKEND to choose another.\n";
        });
      }
    }
    if (j.contains("floatx")) {
      fresh.floatx = dtype_from_name(read_json_string(j, "floatx", path));
      check_floatx(fresh.floatx, "keras.json (" + path + ")");
    }
    if (j.contains("epsilon")) {
      if (!j["epsilon"].is_number())
        throw ValueError("keras.json (" + path + "): \"epsilon\" must be a number, got " +
                         j["epsilon"].dump());
      fresh.epsilon = j["epsilon"].get<double>();
    }
    if (j.contains("image_data_format")) {
      fresh.image_data_format = read_json_string(j, "image_data_format", path);
      check_image_data_format(fresh.image_data_format, "keras.json (" + path + ")");
    }
  }
  if (fresh.backend_override) {
    fresh.backend = *fresh.backend_override;
  } else if (const char* env = std::getenv("KERAS_BACKEND"); env && *env) {
    // Python Keras fails at import on an unknown KERAS_BACKEND; so does the first configuration
    // query here, naming the variable, rather than a later op naming only the backend.
    std::vector<std::string> built = backend::available_backends();
    if (std::find(built.begin(), built.end(), env) == built.end())
      throw ValueError("KERAS_BACKEND=\"" + std::string(env) +
                       "\" is not a backend of this build (built: " + built_backends() +
                       "); unset it or name one of those");
    fresh.backend = env;
  }
  fresh.loaded = true;
  s = fresh;
}

State& loaded() {
  State& s = state();
  load(s);
  return s;
}

// Lock-free copies of the hot settings (read on every op): -1 / 0 mean "not loaded yet".
std::atomic<int> floatx_cache{-1};
std::atomic<uint64_t> generation_counter{1};

void refresh_caches(const State& s) {
  floatx_cache.store(static_cast<int>(s.floatx), std::memory_order_release);
  generation_counter.fetch_add(1, std::memory_order_acq_rel);
}

}  // namespace

std::string keras_json_path() {
  namespace fs = std::filesystem;
  if (const char* home = std::getenv("KERAS_HOME"); home && *home)
    return (fs::path(home) / "keras.json").string();
  const char* user_home = std::getenv("HOME");
  fs::path base = user_home && *user_home ? fs::path(user_home) : fs::temp_directory_path();
  return (base / ".keras" / "keras.json").string();
}

std::string backend() {
  std::lock_guard lock(mutex());
  State& s = loaded();
  if (floatx_cache.load(std::memory_order_acquire) < 0) refresh_caches(s);
  return s.backend;
}

uint64_t generation() { return generation_counter.load(std::memory_order_acquire); }

void set_backend(const std::string& name) {
  backend::get_backend(name);  // validates the name, with the list of built backends
  std::lock_guard lock(mutex());
  // The override first: KERAS_BACKEND, which it replaces, is then not checked by load().
  State& s = state();
  s.backend_override = name;
  load(s);
  s.backend = name;
  refresh_caches(s);
}

DType floatx() {
  int cached = floatx_cache.load(std::memory_order_acquire);
  if (cached >= 0) return static_cast<DType>(cached);
  std::lock_guard lock(mutex());
  State& s = loaded();
  refresh_caches(s);
  return s.floatx;
}

void set_floatx(DType dtype) {
  check_floatx(dtype, "config::set_floatx");
  std::lock_guard lock(mutex());
  State& s = loaded();
  s.floatx = dtype;
  refresh_caches(s);
}

double epsilon() {
  std::lock_guard lock(mutex());
  return loaded().epsilon;
}

void set_epsilon(double value) {
  std::lock_guard lock(mutex());
  loaded().epsilon = value;
}

std::string image_data_format() {
  std::lock_guard lock(mutex());
  return loaded().image_data_format;
}

void set_image_data_format(const std::string& fmt) {
  check_image_data_format(fmt, "config::set_image_data_format");
  std::lock_guard lock(mutex());
  loaded().image_data_format = fmt;
}

void reload() {
  std::lock_guard lock(mutex());
  state() = State{};
  floatx_cache.store(-1, std::memory_order_release);
  generation_counter.fetch_add(1, std::memory_order_acq_rel);
}

}  // namespace keras::config
