#pragma once
#include <optional>
#include <string>

#include "cli/command.hpp"
#include "cli/regional.hpp"
#include "geo/delta.hpp"

namespace frontline::cli {

/// Options of `frontline delta`.
struct DeltaOptions {
    std::string store = "frontline.gpkg";          ///< snapshot store
    std::string from;                              ///< earlier date, YYYY-MM-DD
    std::string to;                                ///< later date, YYYY-MM-DD
    std::string provider = "default";              ///< provider of both snapshots
    std::string cls = "occupied";                  ///< class of both snapshots
    std::string output;                            ///< parts file; empty: none
    std::string format;                            ///< OGR driver for `output`; empty: from the extension, else GeoJSON
    bool json = false;                             ///< summary as one JSON object
    std::string regions;                           ///< regions file for a breakdown; empty: none
    std::string region_field = "shapeName";        ///< the regions' name field (geoBoundaries: shapeName)
    std::string bbox;                              ///< "minlon,minlat,maxlon,maxlat" degrees; only this box; empty: all
    double grid_size_deg = geo::DeltaOptions{}.grid_size_deg;  ///< overlay precision grid, degrees
    /// a later vertex this close to an earlier one is that vertex, degrees; 0: never
    double same_vertex_deg = geo::DeltaOptions{}.same_vertex_deg;
    bool full_overlay = false;  ///< overlay whole snapshots, not only the windows where they differ
    double min_area_km2 = geo::DeltaOptions{}.min_area_m2 / 1e6;  ///< parts below this area are slivers, km²
    double min_width_m = geo::DeltaOptions{}.min_width_m;        ///< parts thinner than this (2A/P) are slivers, m
};

/// What `delta` found.
struct DeltaReport {
    DeltaOptions options;
    std::string from_snapshot;  ///< date of the snapshot used for `from`
    std::string to_snapshot;    ///< date of the snapshot used for `to`
    geo::DeltaResult result;
    std::string driver;         ///< OGR driver the parts were written with ("" if not written)
    std::optional<RegionalDelta> regional;  ///< with --regions
};

/// The delta job as a plain function: picks the latest snapshot on or before each date, computes
/// gained and lost parts, and writes them to `options.output` if set. Throws InputError for bad
/// options or missing snapshots.
DeltaReport compute_delta_report(const geo::Context& ctx, const DeltaOptions& options);

/// The machine-readable summary: one JSON object (see the README for its keys).
std::string delta_summary_json(const DeltaReport& report);

/// The readable summary table.
std::string delta_summary_table(const DeltaReport& report);

/// `frontline delta`.
class DeltaCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override;
    int run(std::ostream& out) override;

private:
    DeltaOptions m_options;
};

}  // namespace frontline::cli
