#pragma once
/// One subcommand of the `frontline` executable (osmium-tool's command shape): setup() declares
/// options and opens nothing; run() does the work. stdout carries data, stderr talk.
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace frontline::cli {

class Command {
public:
    virtual ~Command() = default;
    /// Adds this subcommand and its options to `app`. No I/O.
    virtual CLI::App* setup(CLI::App& app) = 0;
    /// Does the work; data goes to `out`. Returns the exit code (0 success). Throws InputError
    /// (exit 2) or any other exception (exit 1) on failure.
    virtual int run(std::ostream& out) = 0;
};

/// Every subcommand, in the order `--help` lists them.
std::vector<std::unique_ptr<Command>> all_commands();

/// The whole command line: parses `argv`, runs the chosen command, maps errors to exit codes
/// (0 success, 1 failure while running, 2 usage or input error) and prints messages to `err`.
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

/// "frontline 0.1.0 (GDAL …, GEOS …, PROJ …)".
std::string version_string();

}  // namespace frontline::cli
