#include "tests/test_support.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "geo/geometry.hpp"
#include "ingest/ingest_job.hpp"

extern char** environ;

namespace frontline::test {

std::string source_dir() { return FRONTLINE_SOURCE_DIR; }

std::string sample_dir() { return source_dir() + "/sample_data"; }

std::string ingest_into(const TempDir& dir, const std::vector<std::string>& files) {
    geo::Context ctx;
    ingest::IngestOptions o;
    o.store_path = dir.file("store.gpkg");
    o.files = files;
    ingest::ingest_files(ctx, o);
    return o.store_path;
}

std::string data_dir() {
    const char* env = std::getenv("FRONTLINE_DATA_DIR");
    return env != nullptr && *env != '\0' ? env : FRONTLINE_DATA_DIR_DEFAULT;
}

std::optional<std::string> real_data(const std::string& relative) {
    std::string path = data_dir() + "/" + relative;
    if (!file_exists(path)) {
        return std::nullopt;
    }
    return path;
}

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "frontline-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    m_path = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

namespace {

std::string slurp_fd_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

RunResult run_frontline(const std::vector<std::string>& args, const std::string& cwd) {
    TempDir io;
    const std::string out_path = io.file("stdout");
    const std::string err_path = io.file("stderr");
    std::vector<std::string> argv_s = {FRONTLINE_BINARY};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::string old_cwd;
    if (!cwd.empty()) {
        old_cwd = std::filesystem::current_path().string();
        std::filesystem::current_path(cwd);
    }
    pid_t pid = 0;
    int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    if (!old_cwd.empty()) {
        std::filesystem::current_path(old_cwd);
    }
    posix_spawn_file_actions_destroy(&actions);
    RunResult result;
    if (rc != 0) {
        ADD_FAILURE() << "cannot start " << argv[0];
        return result;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.out = slurp_fd_file(out_path);
    result.err = slurp_fd_file(err_path);
    return result;
}

std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        ADD_FAILURE() << "cannot read " << path;
        return "";
    }
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

void copy_file(const std::string& from, const std::string& to) {
    std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
}

bool file_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

void expect_golden(const std::string& actual, const std::string& name) {
    const std::string path = source_dir() + "/tests/golden/" + name;
    const char* update = std::getenv("FRONTLINE_UPDATE_GOLDEN");
    if (update != nullptr && std::string(update) == "1") {
        write_text(path, actual);
        return;
    }
    ASSERT_TRUE(file_exists(path)) << "no golden " << name;
    EXPECT_EQ(actual, read_bytes(path)) << "output differs from tests/golden/" << name;
}

std::vector<std::string> archive_files() {
    std::vector<std::string> files;
    const std::string folder = data_dir() + "/deepstatemap_occupied/data/";
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.size() > 8 && name.substr(name.size() - 8) == ".geojson") {
            files.push_back(folder + name);
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace frontline::test
