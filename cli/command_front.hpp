#pragma once
#include <optional>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/front_inputs.hpp"

namespace frontline::cli {

/// Options of `frontline front`.
struct FrontCommandOptions {
    FrontInputs inputs;
    std::string regions;                     ///< regions file for per-region length; empty: none
    std::string region_field = "shapeName";  ///< the regions' name field
    std::string output;                      ///< front lines file; empty: none
    std::string format;                      ///< OGR driver for `output`
    bool json = false;                       ///< one JSON object
    std::string from;                        ///< with `to` and `step`: the length over time instead of one date
    std::string to;                          ///< last date of the length series
    std::string step = "month";              ///< day, week, month, quarter or year
};

/// The front's length at one step boundary.
struct FrontLengthStep {
    std::string date;
    std::string snapshot;
    double length_m;
    int parts;
};

/// `front --from --to --step`: the front's length at every step boundary. Outlines are read once.
std::vector<FrontLengthStep> compute_front_lengths(const geo::Context& ctx, const FrontCommandOptions& options);

/// One region's share of the front.
struct FrontRegionLength {
    std::string region;
    double length_m;
};

/// What `front` found.
struct FrontReport {
    FrontCommandOptions options;
    std::string snapshot;
    double length_m = 0.0;
    int parts = 0;
    std::vector<double> part_lengths_m;   ///< longest first
    int dropped_parts = 0;
    double dropped_length_m = 0.0;
    geo::FrontOptions front_options;
    std::optional<std::vector<FrontRegionLength>> regions;
    std::string driver;
};

/// The front job as a plain function.
FrontReport compute_front(const geo::Context& ctx, const FrontCommandOptions& options);

std::string front_json(const FrontReport& report);
std::string front_table(const FrontReport& report);

/// `frontline front`.
class FrontCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override;
    int run(std::ostream& out) override;

private:
    FrontCommandOptions m_options;
};

}  // namespace frontline::cli
