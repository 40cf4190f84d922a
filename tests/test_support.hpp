#pragma once
/// Helpers shared by the test programs: where the data is, temporary folders, running the binary.
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace frontline::test {

/// The project's source folder (compiled in).
std::string source_dir();
/// sample_data/ in the project.
std::string sample_dir();
/// The real public data: $FRONTLINE_DATA_DIR, else ../shared/data beside the checkout.
std::string data_dir();
/// `relative` under data_dir() if that file exists.
std::optional<std::string> real_data(const std::string& relative);

/// Skips the current test with a clear message when the real data file is absent.
#define FRONTLINE_REQUIRE_DATA(var, relative)                                                        \
    const auto var##_opt = ::frontline::test::real_data(relative);                                   \
    if (!var##_opt) {                                                                                 \
        GTEST_SKIP() << "real data not found: " << ::frontline::test::data_dir() << "/" << relative  \
                     << " (set FRONTLINE_DATA_DIR to the shared data folder)";                       \
    }                                                                                                 \
    const std::string var = *var##_opt

/// A fresh empty folder, removed with everything in it when the object dies.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return m_path; }
    std::string file(const std::string& name) const { return m_path + "/" + name; }

private:
    std::string m_path;
};

/// Ingests `files` (plain ingest, default provider and class) into `dir`/store.gpkg and returns
/// the store's path.
std::string ingest_into(const TempDir& dir, const std::vector<std::string>& files);

/// What a run of the frontline binary gave.
struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

/// Runs the frontline binary with `args` in folder `cwd` (no shell involved).
RunResult run_frontline(const std::vector<std::string>& args, const std::string& cwd = "");

/// Compares `actual` with tests/golden/`name`, or rewrites the golden when the environment has
/// FRONTLINE_UPDATE_GOLDEN=1 (review the diff before committing).
void expect_golden(const std::string& actual, const std::string& name);

/// The 79 daily files of the real archive (deepstatemap_occupied/data), sorted by name; empty if
/// the data is absent.
std::vector<std::string> archive_files();

/// A file's bytes ("" with a test failure if it cannot be read).
std::string read_bytes(const std::string& path);
/// Writes `text` to `path`.
void write_text(const std::string& path, const std::string& text);
/// Copies a file.
void copy_file(const std::string& from, const std::string& to);
/// True if a file exists.
bool file_exists(const std::string& path);

}  // namespace frontline::test
