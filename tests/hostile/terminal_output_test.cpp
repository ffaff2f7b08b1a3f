// Names from a model file reach the terminal: keras-cpp escapes control characters (ESC, BEL,
// CR, C1 controls ...) in everything it prints as text, so a crafted layer name cannot drive the
// terminal; --json output stays valid JSON. And inspect does not list a weights file whose links
// the weights reader refuses.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "hostile_files.hpp"
#include "hostile_runner.hpp"

namespace keras::hostile {
namespace {

namespace fs = std::filesystem;

const std::string kEsc = "\x1b[31mRED\x1b]0;title\x07";
const std::string kC1 =
    "\xc2\x9b"
    "31m";  // U+009B, the one-byte CSI

// Raw terminal controls in `text` (other than newline and tab), described for a failure message.
std::string raw_controls(const std::string& text) {
  std::string found;
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    bool c1 = c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
              static_cast<unsigned char>(text[i + 1]) <= 0x9f;
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || c1)
      found += "byte " + std::to_string(c) + " at " + std::to_string(i) + "; ";
  }
  return found;
}

void expect_no_raw_controls(const RunResult& r) {
  EXPECT_EQ(raw_controls(r.out), "") << "stdout of " << r.describe() << "\n" << r.out;
  EXPECT_EQ(raw_controls(r.err), "") << "stderr of " << r.describe();
}

class TerminalOutput : public ::testing::Test {
 protected:
  std::string dir = test_dir();

  // dense_mlp.keras with its weights file edited by `edit` (libhdf5, on a copy).
  std::string with_weights_edit(const std::function<void(hid_t)>& edit) {
    Members m = fixture_members("dense_mlp");
    for (auto& [name, bytes] : m)
      if (name == "model.weights.h5") {
        std::string h5 = write_file(dir + "/w.h5", bytes);
        hid_t f = H5Fopen(h5.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        EXPECT_GE(f, 0);
        edit(f);
        H5Fclose(f);
        bytes = read_file(h5);
      }
    return write_archive(dir + "/m.keras", m);
  }
};

TEST_F(TerminalOutput, ModelAndLayerNamesAreEscaped) {
  std::string path = edited_fixture("dense_mlp", dir + "/m.keras", [](Config& c) {
    c["config"]["name"] = "model" + kEsc + kC1 + "\r\x7f";
  });
  for (std::vector<std::string> argv :
       std::vector<std::vector<std::string>>{{cli(), "summary", path}, {cli(), "inspect", path}}) {
    RunResult r = run_process(argv);
    expect_clean_error(r, 0, {});
    expect_no_raw_controls(r);
    EXPECT_NE(r.out.find("model\\x1b[31mRED\\x1b]0;title\\x07\\u009b31m\\r\\x7f"),
              std::string::npos)
        << r.out;
  }
  RunResult r = run_process({cli(), "inspect", "--json", path});
  expect_clean_error(r, 0, {});
  expect_no_raw_controls(r);
  EXPECT_EQ(Config::parse(r.out)["model"]["name"].get<std::string>(),
            "model" + kEsc + kC1 + "\r\x7f");
}

TEST_F(TerminalOutput, NamesInErrorMessagesAreEscaped) {
  // A layer renamed: listed in the summary, escaped.
  std::string path = edited_fixture("dense_mlp", dir + "/m.keras", [](Config& c) {
    c["config"]["layers"][1]["config"]["name"] = "dense" + kEsc;
  });
  RunResult r = run_process({cli(), "summary", path});
  expect_clean_error(r, 0, {});
  expect_no_raw_controls(r);
  EXPECT_NE(r.out.find("dense\\x1b[31mRED"), std::string::npos) << r.out;
  // A duplicate layer name, in the error.
  path = edited_fixture("dense_mlp", dir + "/m.keras", [](Config& c) {
    c["config"]["layers"][1]["config"]["name"] = "twin" + kEsc;
    c["config"]["layers"][2]["config"]["name"] = "twin" + kEsc;
  });
  r = run_process({cli(), "summary", path});
  EXPECT_NE(r.exit_code, 0) << r.describe();
  expect_clean_error(r, r.exit_code, {});
  expect_no_raw_controls(r);
  // An unknown class name, in the error.
  path = edited_fixture("dense_mlp", dir + "/m.keras", [](Config& c) {
    c["config"]["layers"][1]["class_name"] = "Evil" + kEsc + kC1;
  });
  for (const RunResult& e : {run_process({cli(), "summary", path}),
                             run_process({cli(), "predict", path, fixture("dense_mlp", ".npz"),
                                          "-o", dir + "/o.npz"})}) {
    expect_clean_error(e, 4, {"Evil\\x1b[31mRED"});
    expect_no_raw_controls(e);
  }
  // A file name given on the command line.
  r = run_process({cli(), "summary", dir + "/missing" + kEsc + ".keras"});
  expect_clean_error(r, 3, {"missing\\x1b"});
  expect_no_raw_controls(r);
}

TEST_F(TerminalOutput, KerasJsonBackendWarningIsEscaped) {
  write_file(dir + "/keras.json", "{\"backend\": \"tf\\u001b[2J\\u0007\"}");
  RunResult r = run_process({cli(), "info"}, {.env = {{"KERAS_HOME", dir}}});
  expect_clean_error(r, 0, {"tf\\x1b[2J\\x07"});
  expect_no_raw_controls(r);
}

TEST_F(TerminalOutput, WeightNamesFromTheH5FileAreEscaped) {
  std::string path = with_weights_edit([](hid_t f) {
    hsize_t dims[1] = {2};
    hid_t space = H5Screate_simple(1, dims, nullptr);
    for (std::string name : {"evil" + kEsc, std::string("bad\xff\xfe utf8")}) {
      hid_t d =
          H5Dcreate2(f, name.c_str(), H5T_IEEE_F32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      EXPECT_GE(d, 0);
      float zeros[2] = {0, 0};
      H5Dwrite(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, zeros);
      H5Dclose(d);
    }
    H5Sclose(space);
  });
  RunResult r = run_process({cli(), "inspect", path});
  expect_clean_error(r, 0, {});
  expect_no_raw_controls(r);
  EXPECT_NE(r.out.find("evil\\x1b[31mRED"), std::string::npos) << r.out;
  // JSON: ill-formed UTF-8 is replaced (U+FFFD), controls are \u escapes, the output parses.
  r = run_process({cli(), "inspect", "--json", path});
  expect_clean_error(r, 0, {});
  expect_no_raw_controls(r);
  Config j;
  ASSERT_NO_THROW(j = Config::parse(r.out)) << r.out;
  std::vector<std::string> paths;
  for (const auto& w : j["weights"]) paths.push_back(w["path"].get<std::string>());
  EXPECT_NE(std::find(paths.begin(), paths.end(), "evil" + kEsc), paths.end());
}

TEST_F(TerminalOutput, InspectRefusesLinksTheWeightsReaderRefuses) {
  struct Case {
    std::string what;
    std::function<void(hid_t)> edit;
    std::string member;
  };
  std::vector<Case> cases = {
      {"soft link in a vars group",
       [](hid_t f) {
         EXPECT_GE(H5Lcreate_soft("/layers/dense/vars/0", f, "/layers/dense/vars/2", H5P_DEFAULT,
                                  H5P_DEFAULT),
                   0);
       },
       "layers/dense/vars/2"},
      {"soft link at the root",
       [](hid_t f) {
         EXPECT_GE(H5Lcreate_soft("/layers", f, "/shortcut", H5P_DEFAULT, H5P_DEFAULT), 0);
       },
       "shortcut"},
      {"dangling soft link",
       [](hid_t f) {
         EXPECT_GE(H5Lcreate_soft("/nowhere", f, "/layers/dangling", H5P_DEFAULT, H5P_DEFAULT), 0);
       },
       "layers/dangling"},
      {"external link",
       [](hid_t f) {
         EXPECT_GE(H5Lcreate_external("/etc/passwd", "/x", f, "/layers/dense/vars/ext", H5P_DEFAULT,
                                      H5P_DEFAULT),
                   0);
       },
       "layers/dense/vars/ext"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    std::string path = with_weights_edit(c.edit);
    for (const char* flag : {"", "--json"}) {
      std::vector<std::string> argv = {cli(), "inspect", path};
      if (*flag) argv.push_back(flag);
      RunResult r = run_process(argv);
      expect_clean_error(r, 4, {"model.weights.h5", c.member, "link"});
    }
  }
}

}  // namespace
}  // namespace keras::hostile
