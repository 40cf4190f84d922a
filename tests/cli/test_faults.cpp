// Nothing is lost on faults: the real binary is killed mid-ingest, run past a file-size limit,
// run twice at once on one store, and pointed at a read-only store. After each, the store is
// opened with GDAL directly (not through frontline) and checked: SQLite's integrity check, every
// snapshot committed before is there with the same content, every stored geometry still hashes
// to its content_sha256, and nothing half-written is there.
#include <gtest/gtest.h>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "ingest/hash.hpp"
#include "tests/test_support.hpp"

namespace frontline {
namespace {

using Snapshots = std::map<std::string, std::string>;  // "provider date class" → content_sha256

/// Everything the store holds, read with GDAL alone; fails the test if the store is damaged.
Snapshots read_store(const std::string& path) {
    GDALAllRegister();
    Snapshots out;
    const char* const drivers[] = {"GPKG", nullptr};
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers));
    EXPECT_TRUE(ds) << "cannot open " << path;
    if (!ds) {
        return out;
    }
    OGRLayer* check = ds->ExecuteSQL("PRAGMA integrity_check", nullptr, nullptr);
    EXPECT_NE(check, nullptr);
    if (check != nullptr) {
        OGRFeatureUniquePtr f(check->GetNextFeature());
        EXPECT_TRUE(f && std::string(f->GetFieldAsString(0)) == "ok") << "integrity_check failed";
        ds->ReleaseResultSet(check);
    }
    OGRLayer* layer = ds->GetLayerByName("snapshots");
    EXPECT_NE(layer, nullptr);
    if (layer == nullptr) {
        return out;
    }
    for (auto& f : *layer) {
        const std::string key = std::string(f->GetFieldAsString("provider")) + " " + f->GetFieldAsString("date") + " " +
                                f->GetFieldAsString("class");
        const OGRGeometry* g = f->GetGeometryRef();
        EXPECT_NE(g, nullptr) << key << " has no geometry";
        if (g != nullptr) {
            std::vector<unsigned char> wkb(g->WkbSize());
            g->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
            EXPECT_EQ(ingest::sha256_hex(wkb), f->GetFieldAsString("content_sha256")) << key << ": geometry damaged";
        }
        EXPECT_EQ(out.count(key), 0u) << key << " stored twice";
        out[key] = f->GetFieldAsString("content_sha256");
    }
    return out;
}

/// A child process running the binary; stdout and stderr go to files in `dir`.
struct Child {
    pid_t pid = -1;
    std::string err_path;
    std::string out_path;
};

/// Starts `frontline args...` in `dir`. With `shell_prefix` (e.g. "ulimit -f 100"), runs it through
/// bash after that command. With `uid` >= 0, the child drops to that user (and group) first.
Child start(const std::vector<std::string>& args, const std::string& dir, const std::string& tag,
            const std::string& shell_prefix = "", int uid = -1) {
    Child c;
    c.err_path = dir + "/" + tag + ".stderr";
    c.out_path = dir + "/" + tag + ".stdout";
    std::vector<std::string> argv_s;
    const std::string binary = FRONTLINE_BINARY;
    if (shell_prefix.empty()) {
        argv_s.push_back(binary);
        argv_s.insert(argv_s.end(), args.begin(), args.end());
    } else {
        std::string cmd = shell_prefix + "; exec \"$0\" \"$@\"";
        argv_s = {"/bin/bash", "-c", cmd, binary};
        argv_s.insert(argv_s.end(), args.begin(), args.end());
    }
    c.pid = fork();
    if (c.pid == 0) {
        if (chdir(dir.c_str()) != 0) {
            _exit(126);
        }
        const int in = open("/dev/null", O_RDONLY);
        const int out = open(c.out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int err = open(c.err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        if (uid >= 0 && (setgid(static_cast<gid_t>(uid)) != 0 || setuid(static_cast<uid_t>(uid)) != 0)) {
            _exit(125);
        }
        std::vector<char*> argv;
        for (auto& a : argv_s) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    return c;
}

/// Waits for the child: its exit code, or 128 + the signal that ended it.
int finish(const Child& c) {
    int status = 0;
    waitpid(c.pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/// The archive's files [from, to), copied into `dir`; their names.
std::vector<std::string> archive_slice(const std::string& dir, std::size_t from, std::size_t to) {
    const auto all = test::archive_files();
    std::vector<std::string> names;
    for (std::size_t i = from; i < to && i < all.size(); ++i) {
        const std::string name = std::filesystem::path(all[i]).filename().string();
        test::copy_file(all[i], dir + "/" + name);
        names.push_back(name);
    }
    return names;
}

std::vector<std::string> ingest_args(const std::vector<std::string>& files) {
    std::vector<std::string> args = {"ingest", "--store", "s.gpkg"};
    args.insert(args.end(), files.begin(), files.end());
    return args;
}

/// A store holding the archive's first `n` files, made by the binary.
Snapshots seed_store(const test::TempDir& dir, std::size_t n) {
    auto files = archive_slice(dir.path(), 0, n);
    auto r = test::run_frontline(ingest_args(files), dir.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return read_store(dir.file("s.gpkg"));
}

/// True if `err` is one line starting "frontline: " (an error message, not a crash or a trace).
void expect_one_clear_line(const std::string& err) {
    ASSERT_FALSE(err.empty());
    EXPECT_EQ(err.find('\n'), err.size() - 1) << "not one line: " << err;
    EXPECT_TRUE(err.rfind("frontline: error: ", 0) == 0 || err.rfind("frontline: failed: ", 0) == 0) << err;
}

#define REQUIRE_ARCHIVE(n)                                                                            \
    if (test::archive_files().size() < (n)) {                                                         \
        GTEST_SKIP() << "real data not found: " << test::data_dir()                                   \
                     << "/deepstatemap_occupied/data (set FRONTLINE_DATA_DIR to the shared data folder)"; \
    }

TEST(Faults, SigkillMidIngestKeepsEveryCommittedSnapshotAndNoHalfSnapshot) {
    REQUIRE_ARCHIVE(40u);
    // Kill points: when SQLite's rollback journal appears (inside the write transaction), and at
    // fixed delays (while files are read, and around the write).
    const std::vector<int> delays_ms = {-1, -1, 150, 600, 1200};
    int killed_in_write = 0;
    for (std::size_t attempt = 0; attempt < delays_ms.size(); ++attempt) {
        SCOPED_TRACE("attempt " + std::to_string(attempt));
        test::TempDir dir;
        const Snapshots before = seed_store(dir, 3);
        ASSERT_EQ(before.size(), 3u);
        const auto files = archive_slice(dir.path(), 3, 40);
        Child c = start(ingest_args(files), dir.path(), "run");
        const std::string journal = dir.file("s.gpkg-journal");
        bool killed = false;
        const auto t0 = std::chrono::steady_clock::now();
        while (true) {
            int status = 0;
            if (waitpid(c.pid, &status, WNOHANG) == c.pid) {
                break;  // finished before the kill point
            }
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
            const bool at_journal = delays_ms[attempt] < 0 && test::file_exists(journal);
            if (at_journal || (delays_ms[attempt] >= 0 && ms >= delays_ms[attempt])) {
                kill(c.pid, SIGKILL);
                finish(c);
                killed = true;
                killed_in_write += at_journal ? 1 : 0;
                break;
            }
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        // The next command opens the store as it is left; a kill inside the write leaves a hot
        // rollback journal, which a read-only SQLite open refuses until someone rolls it back
        // (see HotJournalOfAKilledWriteIsRolledBackByTheNextCommand), so frontline goes first.
        auto list = test::run_frontline({"list", "--store", "s.gpkg"}, dir.path());
        EXPECT_EQ(list.exit_code, 0) << list.err;
        const Snapshots after = read_store(dir.file("s.gpkg"));
        for (const auto& [key, sha] : before) {
            ASSERT_EQ(after.count(key), 1u) << key << " lost";
            EXPECT_EQ(after.at(key), sha) << key << " changed";
        }
        // All or nothing: the run's snapshots landed together or not at all.
        EXPECT_TRUE(after.size() == before.size() || after.size() == before.size() + files.size())
            << after.size() << " snapshots after the kill (killed: " << killed << ")";
        // Running the same ingest again completes it.
        auto again = test::run_frontline(ingest_args(files), dir.path());
        EXPECT_EQ(again.exit_code, 0) << again.err;
        EXPECT_EQ(read_store(dir.file("s.gpkg")).size(), before.size() + files.size());
    }
    EXPECT_GE(killed_in_write, 1) << "never caught the run inside its write transaction";
}

/// Copies of `dir`/s.gpkg and its journal taken in the middle of a write transaction whose
/// changed pages are already in the file: the state a SIGKILL at that moment leaves behind.
void make_hot_journal_copy(const test::TempDir& dir, const std::string& to_dir) {
    // A two-page cache makes SQLite spill changed pages into the store file before the commit.
    CPLSetThreadLocalConfigOption("OGR_SQLITE_PRAGMA", "cache_size=2");
    const char* const drivers[] = {"GPKG", nullptr};
    GDALDatasetUniquePtr ds(GDALDataset::Open(dir.file("s.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers));
    CPLSetThreadLocalConfigOption("OGR_SQLITE_PRAGMA", nullptr);
    ASSERT_TRUE(ds);
    ASSERT_EQ(ds->StartTransaction(FALSE), OGRERR_NONE);
    ds->ReleaseResultSet(ds->ExecuteSQL("DELETE FROM snapshots", nullptr, nullptr));
    ASSERT_TRUE(test::file_exists(dir.file("s.gpkg-journal")));
    test::copy_file(dir.file("s.gpkg"), to_dir + "/s.gpkg");
    test::copy_file(dir.file("s.gpkg-journal"), to_dir + "/s.gpkg-journal");
    ds->RollbackTransaction();
}

TEST(Faults, HotJournalOfAKilledWriteIsRolledBackByTheNextCommand) {
    REQUIRE_ARCHIVE(3u);
    test::TempDir dir;
    const Snapshots before = seed_store(dir, 3);
    ASSERT_EQ(before.size(), 3u);
    test::TempDir crashed;
    test::TempDir probe;
    make_hot_journal_copy(dir, crashed.path());
    make_hot_journal_copy(dir, probe.path());
    // What the test builds is what a kill leaves: SQLite will not open it read-only as it is.
    {
        const char* const drivers[] = {"GPKG", nullptr};
        CPLPushErrorHandler(CPLQuietErrorHandler);
        GDALDatasetUniquePtr ro(GDALDataset::Open(probe.file("s.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers));
        CPLPopErrorHandler();
        ASSERT_FALSE(ro) << "the copy has no hot journal; the test does not test what it means to";
    }
    // A store that cannot be written keeps its journal: a clear error, not "not a GeoPackage".
    if (::geteuid() == 0) {
        ASSERT_EQ(::chmod(probe.path().c_str(), 0555), 0);
        Child c = start({"list", "--store", "s.gpkg"}, probe.path(), "ro", "", 65534);
        const int code = finish(c);
        ::chmod(probe.path().c_str(), 0755);
        EXPECT_EQ(code, 2);
        const std::string err = test::read_bytes(c.err_path);
        expect_one_clear_line(err);
        EXPECT_NE(err.find("interrupted write left its rollback journal"), std::string::npos) << err;
    }
    // Any command, even one that only reads, rolls the interrupted write back and goes on.
    auto list = test::run_frontline({"list", "--store", "s.gpkg"}, crashed.path());
    EXPECT_EQ(list.exit_code, 0) << list.err;
    EXPECT_NE(list.out.find("3 snapshot(s)"), std::string::npos) << list.out;
    EXPECT_FALSE(test::file_exists(crashed.file("s.gpkg-journal")));
    EXPECT_EQ(read_store(crashed.file("s.gpkg")), before);
}

TEST(Faults, ReadingWhileAnotherProcessCommitsSaysSo) {
    REQUIRE_ARCHIVE(3u);
    test::TempDir dir;
    ASSERT_EQ(seed_store(dir, 3).size(), 3u);
    // This process holds a write transaction whose pages are already in the file (so it holds
    // SQLite's exclusive lock, as a writer does while it commits); the journal is there but live.
    CPLSetThreadLocalConfigOption("OGR_SQLITE_PRAGMA", "cache_size=2");
    const char* const drivers[] = {"GPKG", nullptr};
    GDALDatasetUniquePtr ds(GDALDataset::Open(dir.file("s.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers));
    CPLSetThreadLocalConfigOption("OGR_SQLITE_PRAGMA", nullptr);
    ASSERT_TRUE(ds);
    ASSERT_EQ(ds->StartTransaction(FALSE), OGRERR_NONE);
    ds->ReleaseResultSet(ds->ExecuteSQL("DELETE FROM snapshots", nullptr, nullptr));
    ASSERT_TRUE(test::file_exists(dir.file("s.gpkg-journal")));
    auto list = test::run_frontline({"list", "--store", "s.gpkg"}, dir.path());
    ds->RollbackTransaction();
    ds.reset();
    EXPECT_EQ(list.exit_code, 2) << list.err;
    expect_one_clear_line(list.err);
    EXPECT_NE(list.err.find("another process is writing it"), std::string::npos) << list.err;
    // Once the writer is done (here: it rolled back), reading works and nothing was lost.
    auto again = test::run_frontline({"list", "--store", "s.gpkg"}, dir.path());
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("3 snapshot(s)"), std::string::npos) << again.out;
}

TEST(Faults, FileSizeLimitGivesAClearErrorAndAnUnchangedStore) {
    REQUIRE_ARCHIVE(20u);
    test::TempDir dir;
    const Snapshots before = seed_store(dir, 3);
    const std::string bytes_before = test::read_bytes(dir.file("s.gpkg"));
    const auto files = archive_slice(dir.path(), 3, 20);
    // ulimit -f counts 1024-byte blocks: room for the store as it is plus 64 KiB, far less than
    // 17 more snapshots need.
    const std::size_t blocks = bytes_before.size() / 1024 + 64;
    Child c = start(ingest_args(files), dir.path(), "run", "ulimit -f " + std::to_string(blocks));
    const int code = finish(c);
    const std::string err = test::read_bytes(c.err_path);
    EXPECT_EQ(code, 1) << err;
    expect_one_clear_line(err);
    EXPECT_NE(err.find("s.gpkg"), std::string::npos) << err;
    EXPECT_NE(err.find("unchanged"), std::string::npos) << err;
    // Every snapshot as it was, geometry hashes and SQLite's integrity check included. (Not byte
    // for byte: after the rollback GDAL still stamps gpkg_contents.last_change when it closes.)
    EXPECT_EQ(read_store(dir.file("s.gpkg")), before);
    EXPECT_EQ(test::read_bytes(dir.file("s.gpkg")).size(), bytes_before.size());
    EXPECT_NE(err.find("disk I/O error"), std::string::npos) << err;  // SQLite's word for EFBIG
    EXPECT_NE(err.find("ulimit -f"), std::string::npos) << err;
    EXPECT_FALSE(test::file_exists(dir.file("s.gpkg-journal")));

    // A new store under the same limit: nothing is left behind, not even the temporary file.
    test::TempDir fresh;
    const auto names = archive_slice(fresh.path(), 0, 20);
    Child n = start(ingest_args(names), fresh.path(), "run", "ulimit -f 64");
    EXPECT_EQ(finish(n), 1);
    expect_one_clear_line(test::read_bytes(n.err_path));
    std::vector<std::string> left;
    for (const auto& e : std::filesystem::directory_iterator(fresh.path())) {
        const std::string name = e.path().filename().string();
        if (name.find(".gpkg") != std::string::npos) {
            left.push_back(name);
        }
    }
    EXPECT_TRUE(left.empty()) << left.front();
}

TEST(Faults, TwoConcurrentIngestsBothLandOrOneFailsCleanly) {
    REQUIRE_ARCHIVE(40u);
    for (int round = 0; round < 3; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        test::TempDir dir;
        // Round 2 starts without a store: both try to create it.
        const Snapshots before = round < 2 ? seed_store(dir, 2) : Snapshots{};
        const auto a_files = archive_slice(dir.path(), 2, 21);
        const auto b_files = archive_slice(dir.path(), 21, 40);
        Child a = start(ingest_args(a_files), dir.path(), "a");
        Child b = start(ingest_args(b_files), dir.path(), "b");
        const int a_code = finish(a);
        const int b_code = finish(b);
        const std::string a_err = test::read_bytes(a.err_path);
        const std::string b_err = test::read_bytes(b.err_path);
        EXPECT_TRUE(a_code == 0 || b_code == 0) << a_err << b_err;
        std::cout << "round " << round << ": a exit " << a_code << " " << a_err << "; b exit " << b_code << " " << b_err << "\n";
        std::size_t expected = before.size();
        for (const auto& [code, err, n] : {std::make_tuple(a_code, a_err, a_files.size()),
                                             std::make_tuple(b_code, b_err, b_files.size())}) {
            if (code == 0) {
                EXPECT_EQ(err, "");
                expected += n;
            } else {
                EXPECT_TRUE(code == 1 || code == 2) << code;
                expect_one_clear_line(err);
            }
        }
        const Snapshots after = read_store(dir.file("s.gpkg"));
        EXPECT_EQ(after.size(), expected) << "a: " << a_code << " " << a_err << "b: " << b_code << " " << b_err;
        for (const auto& [key, sha] : before) {
            EXPECT_EQ(after.count(key), 1u) << key;
        }
    }
}

TEST(Faults, ReadOnlyStoreIsAClearError) {
    REQUIRE_ARCHIVE(4u);
    test::TempDir dir;
    const Snapshots before = seed_store(dir, 2);
    const auto files = archive_slice(dir.path(), 2, 4);
    ASSERT_EQ(chmod(dir.file("s.gpkg").c_str(), 0444), 0);
    // Root writes to a 0444 file anyway: then the child drops to user 'nobody' (65534), for whom
    // the file is read-only and the folder is not writable.
    int uid = -1;
    if (geteuid() == 0) {
        uid = 65534;
        ASSERT_EQ(chmod(dir.path().c_str(), 0755), 0);
        for (const auto& f : files) {
            chmod(dir.file(f).c_str(), 0644);
        }
        struct stat st {};
        if (::stat(FRONTLINE_BINARY, &st) != 0 || (st.st_mode & S_IXOTH) == 0) {
            GTEST_SKIP() << "running as root and the binary is not executable by others; cannot test a read-only store";
        }
    }
    Child c = start(ingest_args(files), dir.path(), "run", "", uid);
    const int code = finish(c);
    const std::string err = test::read_bytes(c.err_path);
    if (code == 126 || code == 127) {
        GTEST_SKIP() << "cannot run the binary as user 65534 here (exit " << code << ")";
    }
    EXPECT_EQ(code, 2) << err;
    expect_one_clear_line(err);
    EXPECT_NE(err.find("store s.gpkg: read-only"), std::string::npos) << err;
    EXPECT_EQ(read_store(dir.file("s.gpkg")), before);
    // Reading still works.
    Child l = start({"list", "--store", "s.gpkg"}, dir.path(), "list", "", uid);
    EXPECT_EQ(finish(l), 0) << test::read_bytes(l.err_path);
}

}  // namespace
}  // namespace frontline
