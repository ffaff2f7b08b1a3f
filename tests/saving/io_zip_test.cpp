// ZipReader / ZipWriter (keras/saving/zip_archive.hpp): Keras's own .keras files, NumPy's zip64
// .npz files, what the writer produces, and every refusal of the reader.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "keras/core/errors.hpp"
#include "keras/saving/zip_archive.hpp"
#include "saving/io_test_util.hpp"

namespace keras::saving {
namespace {

using testing::io::make_raw_zip;
using testing::io::RawMember;
using testing::io::read_bytes;
using testing::io::ScratchDir;
using testing::io::write_bytes;

const std::string kKerasFixture = KERAS_FIXTURES_DIR "/dense_mlp.keras";

uint16_t u16(const std::string& b, size_t pos) {
  return static_cast<uint16_t>(static_cast<unsigned char>(b[pos]) |
                               (static_cast<unsigned char>(b[pos + 1]) << 8));
}

TEST(ZipReaderTest, ReadsAKerasFileWrittenByKeras) {
  ZipReader zip = ZipReader::open(kKerasFixture);
  EXPECT_EQ(zip.path(), kKerasFixture);
  EXPECT_EQ(zip.names(),
            (std::vector<std::string>{"metadata.json", "config.json", "model.weights.h5"}));
  EXPECT_TRUE(zip.contains("config.json"));
  EXPECT_FALSE(zip.contains("assets"));
  std::string metadata = zip.read("metadata.json");
  EXPECT_EQ(metadata.rfind("{\"keras_version\": \"3.15.1\"", 0), 0u) << metadata;
  std::string config = zip.read("config.json");
  EXPECT_EQ(config.front(), '{');
  EXPECT_NE(config.find("\"class_name\""), std::string::npos);
  std::string weights = zip.read("model.weights.h5");
  EXPECT_EQ(weights.size(), zip.size("model.weights.h5"));
  EXPECT_EQ(weights.substr(0, 8), std::string("\x89HDF\r\n\x1a\n", 8));
}

TEST(ZipReaderTest, ReadsNumpyZip64DeflatedArchivesAndBytes) {
  // NumPy writes .npz members deflated, with zip64 local headers.
  std::string path = KERAS_FIXTURES_DIR "/activations.npz";
  ZipReader zip = ZipReader::open(path);
  ASSERT_FALSE(zip.names().empty());
  EXPECT_EQ(zip.names().front(), "keras_version.npy");
  std::string member = zip.read("keras_version.npy");
  EXPECT_EQ(member.substr(1, 5), "NUMPY");
  ZipReader same = ZipReader::from_bytes(read_bytes(path), {}, "copy");
  EXPECT_EQ(same.names(), zip.names());
  for (const std::string& name : zip.names()) EXPECT_EQ(same.read(name), zip.read(name)) << name;
}

TEST(ZipReaderTest, ReadsDataDescriptorsDirectoriesAndUtf8Names) {
  // Python's zipfile writing to a pipe (tests/saving/make_npy_fixtures.py).
  ZipReader zip = ZipReader::open(KERAS_IO_DATA_DIR "/python_streamed.zip");
  EXPECT_EQ(zip.names(), (std::vector<std::string>{"config.json", "model.weights.h5", "assets/",
                                                   "na\u00efve.txt"}));
  std::string config;
  for (int i = 0; i < 100; ++i) config += "{\"a\": 1}";
  EXPECT_EQ(zip.read("config.json"), config);
  EXPECT_EQ(zip.read("model.weights.h5"), std::string(1000, 'x'));
  EXPECT_EQ(zip.read("assets/"), "");
  EXPECT_EQ(zip.read("na\u00efve.txt"), "utf8 name");
}

TEST(ZipReaderTest, ReadsEveryFixtureArchive) {
  int archives = 0;
  for (const auto& entry : std::filesystem::directory_iterator(KERAS_FIXTURES_DIR)) {
    std::string ext = entry.path().extension().string();
    if (ext != ".keras" && ext != ".npz") continue;
    SCOPED_TRACE(entry.path().string());
    ZipReader zip = ZipReader::open(entry.path().string());
    ASSERT_FALSE(zip.names().empty());
    for (const std::string& name : zip.names()) EXPECT_EQ(zip.read(name).size(), zip.size(name));
    if (ext == ".keras") {
      EXPECT_TRUE(zip.contains("model.weights.h5"));
    }
    ++archives;
  }
  EXPECT_GT(archives, 20);
}

TEST(ZipReaderTest, ConcurrentReadsOfOneReader) {
  ZipReader zip = ZipReader::open(KERAS_FIXTURES_DIR "/activations.npz");
  std::vector<std::string> expected;
  for (const std::string& name : zip.names()) expected.push_back(zip.read(name));
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int round = 0; round < 20; ++round)
        for (size_t i = 0; i < expected.size(); ++i)
          if (zip.read(zip.names()[i]) != expected[i]) ++mismatches;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(ZipReaderTest, IsMovable) {
  ZipReader a = ZipReader::open(kKerasFixture);
  ZipReader b = std::move(a);
  EXPECT_EQ(b.names().size(), 3u);
  a = std::move(b);
  EXPECT_EQ(a.read("metadata.json").front(), '{');
}

TEST(ZipWriterTest, RoundTripsStoredAndDeflatedMembersInOrder) {
  ScratchDir dir;
  std::string path = dir.file("out.keras");
  std::string big(100000, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 7919) % 251);
  {
    ZipWriter zip(path);
    zip.add("metadata.json", "{\"keras_version\": \"3.15.1\"}", /*compress=*/false);
    zip.add("config.json", std::string(5000, 'x'), /*compress=*/true);
    zip.add("model.weights.h5", big, false);
    zip.add("assets/lookup/vocabulary.txt", "a\nb\n");
    zip.add("empty", "");
    zip.commit();
  }
  ZipReader zip = ZipReader::open(path);
  EXPECT_EQ(zip.names(),
            (std::vector<std::string>{"metadata.json", "config.json", "model.weights.h5",
                                      "assets/lookup/vocabulary.txt", "empty"}));
  EXPECT_EQ(zip.read("config.json"), std::string(5000, 'x'));
  EXPECT_EQ(zip.read("model.weights.h5"), big);
  EXPECT_EQ(zip.read("assets/lookup/vocabulary.txt"), "a\nb\n");
  EXPECT_EQ(zip.read("empty"), "");
  // The deflated member really is compressed.
  EXPECT_LT(read_bytes(path).size(), 5000u + big.size());
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"out.keras"});
}

TEST(ZipWriterTest, WritesMembersTheWayKerasDoes) {
  // Python's zipfile for Keras: stored, no data descriptor, DOS date 1980-01-01 00:00, no extra.
  ScratchDir dir;
  std::string path = dir.file("m.keras");
  ZipWriter zip(path);
  zip.add("metadata.json", "{}", false);
  zip.commit();
  std::string b = read_bytes(path);
  ASSERT_GE(b.size(), 30u);
  EXPECT_EQ(b.substr(0, 4), std::string("PK\x03\x04"));
  EXPECT_EQ(u16(b, 6) & 0x8, 0) << "no data descriptor";
  EXPECT_EQ(u16(b, 8), 0) << "stored";
  EXPECT_EQ(u16(b, 10), 0) << "time 00:00";
  EXPECT_EQ(u16(b, 12), 0x21) << "date 1980-01-01";
  EXPECT_EQ(u16(b, 26), 13) << "name length";
  EXPECT_EQ(u16(b, 28), 0) << "no extra field";
  EXPECT_EQ(b.substr(30, 13), "metadata.json");
}

TEST(ZipWriterTest, AddFileReadsTheFileAtCommit) {
  ScratchDir dir;
  write_bytes(dir.file("w.h5"), "weights-bytes");
  ZipWriter zip(dir.file("a.keras"));
  zip.add_file("model.weights.h5", dir.file("w.h5"), false);
  zip.commit();
  EXPECT_EQ(ZipReader::open(dir.file("a.keras")).read("model.weights.h5"), "weights-bytes");
  EXPECT_THROW_ALL(ZipWriter(dir.file("b.keras")).add_file("x", dir.file("missing.h5")), OSError,
                   "missing.h5", "\"x\"");
}

TEST(ZipWriterTest, EmptyArchive) {
  ScratchDir dir;
  ZipWriter zip(dir.file("e.zip"));
  zip.commit();
  EXPECT_EQ(read_bytes(dir.file("e.zip")).size(), 22u);
  EXPECT_TRUE(ZipReader::open(dir.file("e.zip")).names().empty());
}

TEST(ZipWriterTest, WithoutCommitLeavesTheOldFileAndNoTemporary) {
  ScratchDir dir;
  std::string path = dir.file("model.keras");
  write_bytes(path, "old content");
  {
    ZipWriter zip(path);
    zip.add("config.json", "{}");
  }
  EXPECT_EQ(read_bytes(path), "old content");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"model.keras"});
  {
    ZipWriter zip(path);
    zip.add("config.json", "{}");
    zip.commit();
  }
  EXPECT_EQ(ZipReader::open(path).read("config.json"), "{}");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"model.keras"});
}

TEST(ZipWriterTest, RefusesBadNamesDuplicatesAndMisuse) {
  ScratchDir dir;
  ZipWriter zip(dir.file("x.zip"));
  EXPECT_THROW_ALL(zip.add("../evil", "x"), ValueError, "x.zip", "\"../evil\"", "traversal");
  EXPECT_THROW_ALL(zip.add("/etc/passwd", "x"), ValueError, "absolute");
  EXPECT_THROW_ALL(zip.add("a\\b", "x"), ValueError, "backslash");
  EXPECT_THROW_ALL(zip.add(std::string("a\0b", 3), "x"), ValueError, "NUL");
  EXPECT_THROW_ALL(zip.add("", "x"), ValueError, "empty");
  zip.add("config.json", "{}");
  EXPECT_THROW_ALL(zip.add("config.json", "{}"), ValueError, "duplicate", "config.json");
  zip.commit();
  EXPECT_THROW_ALL(zip.add("late.json", "{}"), ValueError, "after commit");
  EXPECT_THROW_ALL(zip.commit(), ValueError, "twice");
}

TEST(ZipWriterTest, UnwritableDirectoryIsAnOSError) {
  ZipWriter zip("/nonexistent-dir/model.keras");
  zip.add("a", "b");
  EXPECT_THROW_ALL(zip.commit(), OSError, "/nonexistent-dir");
}

TEST(ZipNamesTest, Rules) {
  EXPECT_EQ(invalid_member_name_reason("config.json"), "");
  EXPECT_EQ(invalid_member_name_reason("assets/a/b.txt"), "");
  EXPECT_EQ(invalid_member_name_reason("assets/"), "");
  EXPECT_EQ(invalid_member_name_reason("a..b/..c"), "");
  EXPECT_NE(invalid_member_name_reason("a/../../b"), "");
  EXPECT_NE(invalid_member_name_reason(".."), "");
  EXPECT_NE(invalid_member_name_reason("C:evil"), "");
  EXPECT_NE(invalid_member_name_reason("a//b"), "");
  EXPECT_NE(invalid_member_name_reason("a\nb"), "");
}

// ---- refusals of the reader ----

TEST(ZipReaderErrorsTest, MissingFileAndDirectoryAreOSErrors) {
  EXPECT_THROW_ALL(ZipReader::open("/nonexistent/m.keras"), OSError, "/nonexistent/m.keras",
                   "No such file");
  ScratchDir dir;
  EXPECT_THROW_ALL(ZipReader::open(dir.path()), OSError, "directory");
}

TEST(ZipReaderErrorsTest, NotAZipEmptyAndTruncated) {
  ScratchDir dir;
  write_bytes(dir.file("text.keras"), "this is not a zip archive at all, just some text");
  EXPECT_THROW_ALL(ZipReader::open(dir.file("text.keras")), ValueError, "text.keras",
                   "not a zip archive");
  write_bytes(dir.file("empty.keras"), "");
  EXPECT_THROW_ALL(ZipReader::open(dir.file("empty.keras")), ValueError, "empty");
  EXPECT_THROW_ALL(ZipReader::from_bytes(""), ValueError, "not a zip archive");
  std::string whole = read_bytes(kKerasFixture);
  // Cut inside the central directory, and inside the data (the directory then points past the end).
  for (size_t keep : {whole.size() - 30, whole.size() / 2, size_t{100}}) {
    SCOPED_TRACE(keep);
    EXPECT_THROW_ALL(ZipReader::from_bytes(whole.substr(0, keep), {}, "cut.keras"), ValueError,
                     "cut.keras");
  }
}

TEST(ZipReaderErrorsTest, MissingMemberListsWhatExists) {
  ZipReader zip = ZipReader::open(kKerasFixture);
  EXPECT_THROW_ALL(zip.read("model.weights.npz"), ValueError, "dense_mlp.keras",
                   "no member \"model.weights.npz\"", "\"metadata.json\"", "\"config.json\"",
                   "\"model.weights.h5\"");
  EXPECT_THROW_ALL(zip.size("nope"), ValueError, "no member \"nope\"");
  ZipReader empty = ZipReader::from_bytes(make_raw_zip({}));
  EXPECT_THROW_ALL(empty.read("x"), ValueError, "archive is empty");
}

TEST(ZipReaderErrorsTest, RefusesPathTraversalAndOddNames) {
  for (const std::string& bad :
       {std::string("../evil.sh"), std::string("assets/../../evil"), std::string("/etc/cron.d/x"),
        std::string("assets\\..\\evil"), std::string("C:evil"), std::string("a\x01z")}) {
    SCOPED_TRACE(bad);
    std::string zip = make_raw_zip({{"config.json", "{}"}, {bad, "boom"}});
    EXPECT_THROW_ALL(ZipReader::from_bytes(zip, {}, "evil.keras"), ValueError, "evil.keras",
                     quote_member_name(bad), "refusing");
  }
}

TEST(ZipReaderErrorsTest, NulInANameCannotTruncateIt) {
  // libzip turns NUL bytes of stored names into spaces; the name stays whole and harmless.
  std::string zip = make_raw_zip({{std::string("ok\0/../../x", 11), "data"}});
  EXPECT_THROW_ALL(ZipReader::from_bytes(zip), ValueError, "traversal");
  ZipReader r = ZipReader::from_bytes(make_raw_zip({{std::string("a\0b", 3), "data"}}));
  ASSERT_EQ(r.names().size(), 1u);
  EXPECT_EQ(r.names()[0].find('\0'), std::string::npos);
  EXPECT_EQ(r.names()[0].size(), 3u);
}

TEST(ZipReaderErrorsTest, RefusesDuplicateNames) {
  std::string zip = make_raw_zip({{"config.json", "{}"}, {"config.json", "{\"evil\": 1}"}});
  EXPECT_THROW_ALL(ZipReader::from_bytes(zip, {}, "dup.keras"), ValueError, "dup.keras",
                   "duplicate member name \"config.json\"");
}

TEST(ZipReaderErrorsTest, TooManyMembers) {
  std::string zip = make_raw_zip({{"a", "1"}, {"b", "2"}, {"c", "3"}});
  EXPECT_THROW_ALL(ZipReader::from_bytes(zip, {.max_members = 2}), ValueError, "3 members",
                   "ZipLimits::max_members");
  EXPECT_EQ(ZipReader::from_bytes(zip, {.max_members = 3}).names().size(), 3u);
}

TEST(ZipReaderErrorsTest, MemberTooLarge) {
  std::string zip = make_raw_zip({{"big", std::string(1000, 'a'), true}, {"small", "x"}});
  ZipReader r = ZipReader::from_bytes(zip, {.max_member_bytes = 999}, "big.zip");
  EXPECT_THROW_ALL(r.read("big"), ValueError, "big.zip", "member \"big\"", "1000 bytes",
                   "ZipLimits::max_member_bytes");
  EXPECT_EQ(r.read("small"), "x");
}

TEST(ZipReaderErrorsTest, SuspiciousCompressionRatio) {
  std::string zeros(1 << 20, '\0');
  std::string zip = make_raw_zip({{"bomb", zeros, true}});
  ZipLimits strict{.max_compression_ratio = 100.0, .ratio_min_bytes = 1000};
  EXPECT_THROW_ALL(ZipReader::from_bytes(zip, strict).read("bomb"), ValueError, "compression ratio",
                   "zip bomb");
  // The default limits accept a megabyte of zeros (below ratio_min_bytes).
  EXPECT_EQ(ZipReader::from_bytes(zip).read("bomb"), zeros);
}

TEST(ZipReaderErrorsTest, SizeLiesAreCaughtOnTheInflatedBytes) {
  // Declares 10 bytes but inflates to 100000: the limit check must use the real bytes.
  RawMember liar{"liar", std::string(100000, 'z'), true, 10};
  std::string zip = make_raw_zip({liar});
  try {
    ZipReader::from_bytes(zip, {}, "liar.zip").read("liar");
    ADD_FAILURE() << "expected a ValueError";
  } catch (const ValueError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("liar.zip"), std::string::npos) << m;
    EXPECT_TRUE(m.find("more than its declared 10 bytes") != std::string::npos ||
                m.find("corrupt") != std::string::npos)
        << m;
  }
  // Declares more than the data holds.
  RawMember short_member{"short", "abc", false, 5};
  EXPECT_THROW(ZipReader::from_bytes(make_raw_zip({short_member})).read("short"), ValueError);
}

TEST(ZipReaderErrorsTest, TotalInflatedBytesAreLimited) {
  std::string zip = make_raw_zip({{"a", std::string(600, 'a')}, {"b", std::string(600, 'b')}});
  ZipReader r = ZipReader::from_bytes(zip, {.max_total_bytes = 1000});
  EXPECT_EQ(r.read("a").size(), 600u);
  EXPECT_THROW_ALL(r.read("b"), ValueError, "ZipLimits::max_total_bytes");
}

TEST(ZipReaderErrorsTest, CorruptDataAndEncryption) {
  RawMember crc{"data.bin", "hello world", true};
  crc.bad_crc = true;
  EXPECT_THROW_ALL(ZipReader::from_bytes(make_raw_zip({crc}), {}, "crc.zip").read("data.bin"),
                   ValueError, "crc.zip", "\"data.bin\"", "CRC");
  RawMember encrypted{"secret", "0123456789abcdef"};
  encrypted.flags = 1;
  EXPECT_THROW_ALL(ZipReader::from_bytes(make_raw_zip({encrypted})).read("secret"), ValueError,
                   "\"secret\"", "encrypted");
}

}  // namespace
}  // namespace keras::saving
