// ModelCheckpoint and BackupAndRestore on every backend. The resume test kills a real training
// process with SIGKILL in the middle of an epoch, restarts it, and checks that it ends with the
// same weights as a run that was never interrupted.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "callbacks/callback_testing.hpp"
#include "keras/saving/weights.hpp"

extern char** environ;

namespace keras {
namespace {
namespace fs = std::filesystem;

using callbacks::BackupAndRestore;
using callbacks::BackupAndRestoreOptions;
using callbacks::ModelCheckpoint;
using callbacks::ModelCheckpointOptions;

fs::path fresh_dir(const std::string& name) {
  fs::path dir =
      fs::temp_directory_path() / ("keras_ckpt_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

class CheckpointTest : public testing::CallbackTest {};

TEST_P(CheckpointTest, ModelCheckpointFormatsPathsAndSavesWeights) {
  fs::path dir = fresh_dir("format_" + backend_name());
  auto model = make_model(0.01);
  auto ckpt = std::make_shared<ModelCheckpoint>(
      ModelCheckpointOptions{.filepath = (dir / "w{epoch:02d}-{loss:.3f}.weights.h5").string(),
                             .monitor = "loss",
                             .save_weights_only = true});
  History h =
      model.fit(xs(), ys(), {.batch_size = 8, .epochs = 3, .verbose = 0, .callbacks = {ckpt}});
  for (int e = 0; e < 3; ++e) {
    char name[64];
    std::snprintf(name, sizeof name, "w%02d-%.3f.weights.h5", e + 1, h.history.at("loss")[e]);
    EXPECT_TRUE(fs::exists(dir / name)) << name;
  }
  // The last file holds the final weights.
  char last[64];
  std::snprintf(last, sizeof last, "w03-%.3f.weights.h5", h.history.at("loss")[2]);
  auto other = make_model(0.01);
  saving::load_weights(*other.ptr(), (dir / last).string());
  std::vector<Tensor> a = model->get_weights(), b = other->get_weights();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].to_vector<float>(), b[i].to_vector<float>());
  fs::remove_all(dir);
}

TEST_P(CheckpointTest, ModelCheckpointSaveBestOnlyKeepsTheBestEpoch) {
  fs::path dir = fresh_dir("best_" + backend_name());
  std::string path = (dir / "best.weights.h5").string();
  auto model = make_model(0.01);
  auto ckpt = std::make_shared<ModelCheckpoint>(ModelCheckpointOptions{
      .filepath = path, .monitor = "loss", .save_best_only = true, .save_weights_only = true});
  // An epoch-end hook that snapshots the weights, so the test knows the best epoch's weights.
  std::vector<std::vector<Tensor>> snapshots;
  callbacks::LambdaCallbackOptions o;
  o.on_epoch_end = [&](int, Logs&) { snapshots.push_back(model->get_weights()); };
  History h = model.fit(xs(), ys(),
                        {.batch_size = 8,
                         .epochs = 4,
                         .verbose = 0,
                         .callbacks = {ckpt, std::make_shared<callbacks::LambdaCallback>(o)}});
  const std::vector<double>& loss = h.history.at("loss");
  size_t best = static_cast<size_t>(std::min_element(loss.begin(), loss.end()) - loss.begin());
  ASSERT_TRUE(ckpt->best().has_value());
  EXPECT_DOUBLE_EQ(*ckpt->best(), loss[best]);
  auto other = make_model(0.01);
  saving::load_weights(*other.ptr(), path);
  std::vector<Tensor> w = other->get_weights();
  for (size_t i = 0; i < w.size(); ++i)
    EXPECT_EQ(w[i].to_vector<float>(), snapshots[best][i].to_vector<float>());
  fs::remove_all(dir);
}

TEST_P(CheckpointTest, ModelCheckpointSavesAWholeModelEveryNBatches) {
  fs::path dir = fresh_dir("batches_" + backend_name());
  auto model = make_model(0.01);
  auto ckpt = std::make_shared<ModelCheckpoint>(ModelCheckpointOptions{
      .filepath = (dir / "m-{epoch}-{batch}.keras").string(), .save_freq = int64_t{3}});
  model.fit(xs(), ys(), {.batch_size = 2, .epochs = 2, .verbose = 0, .callbacks = {ckpt}});
  // 4 batches per epoch, a save every 3 batches counted across epochs: global batches 3 and 6,
  // i.e. (epoch 1, batch 3) and (epoch 2, batch 2); {batch} is 1-based as in Keras.
  EXPECT_TRUE(fs::exists(dir / "m-1-3.keras"));
  EXPECT_TRUE(fs::exists(dir / "m-2-2.keras"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 2);
  fs::remove_all(dir);
}

TEST(CheckpointOptionsTest, BadArgumentsAreValueErrors) {
  EXPECT_THROW_ALL(ModelCheckpoint({.filepath = "model.h5", .save_weights_only = true}), ValueError,
                   "must end in `.weights.h5`");
  EXPECT_THROW_ALL(ModelCheckpoint({.filepath = "model.txt"}), ValueError, "must end in `.keras`");
  EXPECT_THROW(ModelCheckpoint({.filepath = "m.keras", .save_freq = std::string("batch")}),
               ValueError);
  EXPECT_THROW(ModelCheckpoint({.filepath = "m.keras", .save_freq = int64_t{0}}), ValueError);
  EXPECT_THROW(BackupAndRestore({.backup_dir = ""}), ValueError);
  EXPECT_THROW(BackupAndRestore({.backup_dir = "/tmp/x", .save_freq = std::string("often")}),
               ValueError);
}

TEST_P(CheckpointTest, ModelCheckpointUnknownPlaceholderNamesThePattern) {
  fs::path dir = fresh_dir("placeholder_" + backend_name());
  auto model = make_model(0.01);
  auto ckpt = std::make_shared<ModelCheckpoint>(
      ModelCheckpointOptions{.filepath = (dir / "{val_auc:.2f}.keras").string()});
  EXPECT_THROW_ALL(
      model.fit(xs(), ys(), {.batch_size = 8, .epochs = 1, .verbose = 0, .callbacks = {ckpt}}),
      ValueError, "val_auc");
  fs::remove_all(dir);
}

// ---- BackupAndRestore ----

// The training run used by the resume tests: an MLP on fixed data with Adam (so optimizer state
// matters), shuffled with a fixed seed, backed up every epoch. It writes its final weights to
// `out` as raw float32. When `signal_file` is set, it creates that file in the middle of epoch 3
// and waits there to be killed.
void training_run(const std::string& backup_dir, const std::string& out,
                  const std::string& signal_file) {
  random::set_random_seed(42);
  Tensor x = random::normal({64, 6}, {.seed = 7});
  Tensor y = ops::sum(ops::sin(x), {.axis = -1, .keepdims = true});
  auto model = Sequential({Input({6}), layers::Dense({.units = 16, .activation = "tanh"}),
                           layers::Dense({.units = 1})});
  model.compile({.optimizer = optimizers::Adam({.learning_rate = 0.01}), .loss = "mse"});
  callbacks::LambdaCallbackOptions hook;
  int epoch_now = 0;
  hook.on_epoch_begin = [&](int e, Logs&) { epoch_now = e; };
  hook.on_train_batch_end = [&](int64_t b, Logs&) {
    if (signal_file.empty() || epoch_now != 3 || b != 2) return;
    std::ofstream(signal_file) << "ready";
    for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));  // until SIGKILL
  };
  auto backup =
      std::make_shared<BackupAndRestore>(BackupAndRestoreOptions{.backup_dir = backup_dir});
  History h = model.fit(x, y,
                        {.batch_size = 8,
                         .epochs = 6,
                         .verbose = 0,
                         .callbacks = {backup, std::make_shared<callbacks::LambdaCallback>(hook)},
                         .seed = 1234});
  std::ofstream epochs(out + ".epochs");
  for (int e : h.epoch) epochs << e << " ";
  std::ofstream f(out, std::ios::binary);
  for (const Tensor& w : model->get_weights()) {
    std::vector<float> v = w.to_vector<float>();
    f.write(reinterpret_cast<const char*>(v.data()),
            static_cast<std::streamsize>(v.size() * sizeof(float)));
  }
}

// The child side: runs training_run with arguments from the environment.
TEST(BackupAndRestoreChild, DISABLED_TrainingRun) {
  const char* dir = std::getenv("KERAS_TEST_BACKUP_DIR");
  const char* out = std::getenv("KERAS_TEST_BACKUP_OUT");
  const char* sig = std::getenv("KERAS_TEST_BACKUP_SIGNAL");
  ASSERT_TRUE(dir && out);
  training_run(dir, out, sig ? sig : "");
}

// Starts this test binary running only the child test, with `env` added to the environment.
pid_t spawn_child(const std::vector<std::string>& env) {
  std::vector<std::string> args = {"/proc/self/exe", "--gtest_also_run_disabled_tests",
                                   "--gtest_filter=BackupAndRestoreChild.DISABLED_TrainingRun"};
  std::vector<std::string> envs = env;
  for (char** e = environ; *e; ++e) envs.emplace_back(*e);
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : envs) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv.data(), envp.data()) != 0)
    return -1;
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST_P(CheckpointTest, BackupAndRestoreResumesAfterKillDashNine) {
  fs::path dir = fresh_dir("kill_" + backend_name());
  std::string backend_env = "KERAS_BACKEND=" + backend_name();

  // 1. Uninterrupted reference run.
  pid_t ref = spawn_child({backend_env, "KERAS_TEST_BACKUP_DIR=" + (dir / "ref_backup").string(),
                           "KERAS_TEST_BACKUP_OUT=" + (dir / "ref.bin").string()});
  ASSERT_GT(ref, 0);
  int ref_status = wait_exit(ref);
  ASSERT_TRUE(WIFEXITED(ref_status) && WEXITSTATUS(ref_status) == 0);

  // 2. A run killed with SIGKILL in the middle of epoch 3 (after the epoch-2 backup).
  fs::path signal = dir / "ready";
  pid_t victim = spawn_child({backend_env, "KERAS_TEST_BACKUP_DIR=" + (dir / "backup").string(),
                              "KERAS_TEST_BACKUP_OUT=" + (dir / "killed.bin").string(),
                              "KERAS_TEST_BACKUP_SIGNAL=" + signal.string()});
  ASSERT_GT(victim, 0);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (!fs::exists(signal) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(fs::exists(signal)) << "the child never reached epoch 3";
  ASSERT_EQ(::kill(victim, SIGKILL), 0);
  int killed_status = wait_exit(victim);
  ASSERT_TRUE(WIFSIGNALED(killed_status) && WTERMSIG(killed_status) == SIGKILL);
  EXPECT_FALSE(fs::exists(dir / "killed.bin"));
  EXPECT_TRUE(fs::exists(dir / "backup" / "latest.weights.h5"));
  EXPECT_TRUE(fs::exists(dir / "backup" / "training_metadata.json"));

  // 3. The restarted run resumes from the backup and finishes.
  pid_t resumed = spawn_child({backend_env, "KERAS_TEST_BACKUP_DIR=" + (dir / "backup").string(),
                               "KERAS_TEST_BACKUP_OUT=" + (dir / "resumed.bin").string()});
  ASSERT_GT(resumed, 0);
  int resumed_status = wait_exit(resumed);
  ASSERT_TRUE(WIFEXITED(resumed_status) && WEXITSTATUS(resumed_status) == 0);
  EXPECT_FALSE(fs::exists(dir / "backup")) << "delete_checkpoint removes the backup at the end";

  // The restarted run trained only the epochs after the last backup (epochs 0-2 were backed up).
  EXPECT_EQ(read_bytes(dir / "ref.bin.epochs"), "0 1 2 3 4 5 ");
  EXPECT_EQ(read_bytes(dir / "resumed.bin.epochs"), "3 4 5 ");
  std::string a = read_bytes(dir / "ref.bin"), b = read_bytes(dir / "resumed.bin");
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b) << "the resumed run must end with the uninterrupted run's weights";
  fs::remove_all(dir);
}

TEST_P(CheckpointTest, BackupAndRestoreSkipsCompletedEpochs) {
  fs::path dir = fresh_dir("skip_" + backend_name());
  auto model = make_model(0.01);
  auto backup = std::make_shared<BackupAndRestore>(
      BackupAndRestoreOptions{.backup_dir = (dir / "b").string(), .delete_checkpoint = false});
  // Interrupt at the start of epoch 2 with an exception, as Keras's docstring example does.
  callbacks::LambdaCallbackOptions o;
  o.on_epoch_begin = [](int e, Logs&) {
    if (e == 2) throw RuntimeError("Interrupting!");
  };
  auto interrupt = std::make_shared<callbacks::LambdaCallback>(o);
  EXPECT_THROW(
      model.fit(xs(), ys(),
                {.batch_size = 8, .epochs = 5, .verbose = 0, .callbacks = {backup, interrupt}}),
      RuntimeError);
  History h =
      model.fit(xs(), ys(), {.batch_size = 8, .epochs = 5, .verbose = 0, .callbacks = {backup}});
  EXPECT_EQ(h.history.at("loss").size(), 3u);  // epochs 2, 3, 4
  EXPECT_EQ(h.epoch, (std::vector<int>{2, 3, 4}));
  fs::remove_all(dir);
}

TEST_P(CheckpointTest, BackupAndRestoreCorruptMetadataIsAClearError) {
  fs::path dir = fresh_dir("corrupt_" + backend_name());
  auto model = make_model(0.01);
  model.fit(xs(), ys(), {.batch_size = 8, .epochs = 1, .verbose = 0});
  fs::create_directories(dir / "b");
  saving::save_weights(*model.ptr(), (dir / "b" / "latest.weights.h5").string());
  std::ofstream(dir / "b" / "training_metadata.json") << "{not json";
  auto backup = std::make_shared<BackupAndRestore>(
      BackupAndRestoreOptions{.backup_dir = (dir / "b").string()});
  EXPECT_THROW_ALL(
      model.fit(xs(), ys(), {.batch_size = 8, .epochs = 2, .verbose = 0, .callbacks = {backup}}),
      ValueError, "training_metadata.json");
  fs::remove_all(dir);
}

KERAS_INSTANTIATE_BACKEND_TEST(CheckpointTest);

}  // namespace
}  // namespace keras
