// Class 3 of docs/security.md, the archive side: budgets come from bytes actually inflated, never
// from sizes a zip directory declares, and a .keras member may not inflate more than 100:1 past
// 16 MiB (Keras stores members uncompressed).
#include <gtest/gtest.h>

#include <random>

#include "hostile_files.hpp"
#include "hostile_runner.hpp"
#include "zip_builder.hpp"

namespace keras::hostile {
namespace {

constexpr uint64_t kMiB = 1ull << 20;

class ArchiveBudget : public ::testing::Test {
 protected:
  std::string dir = test_dir();
  // dense_mlp.keras's members, config.json edited to give its first Dense `units` units.
  Members with_units(int64_t units) {
    Members m = fixture_members("dense_mlp");
    for (auto& [name, bytes] : m)
      if (name == "config.json") {
        Config c = Config::parse(bytes);
        c["config"]["layers"][1]["config"]["units"] = units;
        bytes = c.dump();
      }
    return m;
  }
  std::vector<ZipEntry> entries(const Members& m) {
    std::vector<ZipEntry> out;
    for (const auto& [name, bytes] : m) out.push_back({name, bytes_of(bytes)});
    return out;
  }
};

// The directory says model.weights.h5 has 4 GiB; 26 KB are stored. The config asks for a 2.8 GB
// kernel, which a budget taken from the declared size would allow.
TEST_F(ArchiveBudget, DeclaredSizeIsNotTrusted) {
  for (uint32_t lie : {0xFFFFFFFFu, 0xFFFFFFFEu, 0x80000000u, 1u << 30}) {
    std::vector<ZipEntry> e = entries(with_units(70'000'000));
    for (ZipEntry& z : e)
      if (z.name == "model.weights.h5") z.declared_size = lie;
    std::string path = dir + "/lie.keras";
    write_zip(path, std::move(e));
    for (const std::vector<std::string>& argv :
         {std::vector<std::string>{driver(), "load_model", path},
          std::vector<std::string>{cli(), "summary", path}}) {
      RunResult r = run_process(argv);
      // 0xFFFFFFFF means "see the zip64 record", which is missing: the archive is refused whole.
      expect_clean_error(r, 4, {lie == 0xFFFFFFFFu ? "zip64" : "model.weights.h5"});
      expect_memory_under(r, 256 * kMiB);
    }
  }
}

// A weights member that is honest about its size but bigger than the model: the variable budget
// is that real size, so the same 2.8 GB kernel is refused when the member holds 26 KB + padding.
TEST_F(ArchiveBudget, VariableBudgetIsTheBytesRead) {
  std::string path = write_archive(dir + "/big.keras", with_units(70'000'000));
  RunResult r = run_process({driver(), "load_model", path});
  expect_clean_error(r, 4, {"dense", "budget", "model.weights.h5"});
  expect_memory_under(r, 256 * kMiB);
}

// Deflated members of 512 MiB inflating ~400:1 and ~1000:1 (mostly zeros, a random byte every few
// KB): under the old 1000:1 limit such a member was read whole into memory (a 3 MB file took
// 3 GB).
TEST_F(ArchiveBudget, SparseZipBombs) {
  for (size_t stride : {size_t{1} << 11, size_t{1} << 16}) {
    Members m = fixture_members("dense_mlp");
    std::vector<ZipEntry> e;
    for (const auto& [name, bytes] : m) {
      if (name != "model.weights.h5") {
        e.push_back({name, bytes_of(bytes)});
        continue;
      }
      auto left = std::make_shared<uint64_t>(512 * kMiB);
      auto rng = std::make_shared<std::mt19937>(7);
      auto head = std::make_shared<std::string>(bytes);
      e.push_back({name,
                   [left, rng, head, stride](std::string& chunk) {
                     if (!head->empty()) {
                       chunk.swap(*head);
                       return true;
                     }
                     if (*left == 0) return false;
                     chunk.assign(std::min<uint64_t>(*left, 4 * kMiB), '\0');
                     for (size_t i = 0; i < chunk.size(); i += stride)
                       chunk[i] = static_cast<char>((*rng)());
                     *left -= chunk.size();
                     return true;
                   },
                   /*deflate=*/true});
    }
    std::string path = dir + "/bomb.keras";
    write_zip(path, std::move(e));
    for (const std::vector<std::string>& argv :
         {std::vector<std::string>{driver(), "load_model", path},
          std::vector<std::string>{driver(), "load_weights", fixture("dense_mlp", ".keras"), path},
          std::vector<std::string>{cli(), "inspect", path}}) {
      RunResult r = run_process(argv);
      expect_clean_error(r, 4, {"model.weights.h5", "compression ratio", "more than 100:1"});
      expect_memory_under(r, 128 * kMiB);
    }
  }
}

}  // namespace
}  // namespace keras::hostile
