#pragma once
/// `frontline view`: one self-contained, offline HTML page with a Leaflet map of a series' gained
/// and lost parts (a time slider over the steps), the base map and the series summary.
#include <string>

#include "cli/command.hpp"
#include "cli/command_series.hpp"

namespace frontline::cli {

/// Options of `frontline view`.
struct ViewOptions {
    SeriesOptions series;            ///< the series shown; its `output`, `csv` and `json` are not used
    std::string border;              ///< country outline file drawn as the base map; empty: none
    std::string output;              ///< the HTML file to write
    double parts_simplify_m = 5.0;   ///< parts are simplified within this for display, m (0: not at all)
    double base_simplify_m = 200.0;  ///< border and regions are simplified within this for display, m
};

/// Coordinates in the page are rounded to this many decimals (0.11 m of latitude).
constexpr int kViewDecimals = 6;

/// What `view` wrote.
struct ViewReport {
    SeriesReport series;
    std::size_t parts = 0;        ///< parts on the map, all steps
    std::size_t bytes = 0;        ///< size of the page
};

/// The page for `series` (already computed) with the border and regions of `options`; no I/O but
/// reading the border and regions files. Throws InputError for unreadable border/regions files.
/// `parts_out`, when given, receives the number of parts on the map.
std::string viewer_html(const SeriesReport& series, const ViewOptions& options, std::size_t* parts_out = nullptr);

/// The whole job: checks the options, computes the series (compute_series), builds the page and
/// writes it to `options.output` through a temporary file renamed into place, so a failure never
/// leaves a half-written page. Throws InputError (bad options or inputs, unwritable output).
ViewReport write_viewer(const ViewOptions& options);

/// `frontline view`.
class ViewCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override;
    int run(std::ostream& out) override;

private:
    ViewOptions m_options;
};

}  // namespace frontline::cli
