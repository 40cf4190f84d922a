#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/parts_output.hpp"
#include "cli/regional.hpp"
#include "geo/delta.hpp"

namespace frontline::cli {

/// Options of `frontline series`.
struct SeriesOptions {
    std::string store = "frontline.gpkg";           ///< snapshot store
    std::string from;                               ///< first step boundary, YYYY-MM-DD
    std::string to;                                 ///< last step boundary, YYYY-MM-DD
    std::string step = "month";                     ///< day, week, month, quarter, year or snapshot
    std::string provider = "default";               ///< provider of the snapshots
    std::string cls = "occupied";                   ///< class of the snapshots
    std::string regions;                            ///< regions file; empty: no breakdown
    std::string region_field = "shapeName";         ///< the regions' name field
    std::string bbox;                               ///< "minlon,minlat,maxlon,maxlat" degrees; only this box; empty: all
    bool csv = false;                               ///< steps as CSV
    bool json = false;                              ///< one JSON object
    std::string output;                             ///< every step's parts; empty: none
    std::string format;                             ///< OGR driver for `output`
    std::vector<std::string> exclude_dates;         ///< snapshots never to use, YYYY-MM-DD
    double flag_change_pct = 5.0;                   ///< area change between snapshots that is flagged, %
    double max_step_change_pct = 0.0;               ///< drop spikes beyond this change, %; 0: keep all
    int threads = 0;                                ///< worker threads; 0: one per core
    bool progress = false;                          ///< force progress on stderr
    bool quiet = false;                             ///< no progress even on a terminal
    double grid_size_deg = geo::DeltaOptions{}.grid_size_deg;     ///< overlay grid, degrees
    /// a later vertex this close to an earlier one is that vertex, degrees; 0: never
    double same_vertex_deg = geo::DeltaOptions{}.same_vertex_deg;
    bool full_overlay = false;  ///< overlay whole snapshots, not only the windows where they differ
    double min_area_km2 = geo::DeltaOptions{}.min_area_m2 / 1e6;  ///< sliver area threshold, km²
    double min_width_m = geo::DeltaOptions{}.min_width_m;         ///< sliver width threshold, m
    /// The caller uses the steps' parts itself (the viewer's page), beside -o and --regions which
    /// use them anyway. Without any of the three and with slivers kept, each step overlays only
    /// one side of its change (geo::DeltaOptions::parts_wanted) and has no parts of the other.
    bool parts_needed = false;
};

/// One delta of the series: a step, or the whole range.
struct SeriesDelta {
    std::string from;           ///< boundary date
    std::string to;             ///< boundary date
    std::string from_snapshot;  ///< snapshot used at `from`
    std::string to_snapshot;    ///< snapshot used at `to`
    geo::DeltaResult result;
    std::optional<RegionalDelta> regional;
    std::string error;          ///< GEOS's message when the overlay failed after every retry ("" if it ran);
                                ///< then `result` is empty and the pair is left out of every sum
};

/// A snapshot the glitch rule noticed.
struct FlaggedSnapshot {
    std::string date;
    std::string kind;        ///< "spike" (jumps against both neighbours) or "shift" (a lasting jump)
    double change_pct;       ///< area change against the previous snapshot, %
    bool dropped;            ///< left out of the series (spikes beyond --max-step-change)
};

/// What `series` found.
struct SeriesReport {
    /// The GEOS contexts the steps' geometries belong to. Declared first so that it is destroyed
    /// last: every geo::Geometry below needs its context alive to be used or destroyed.
    std::vector<std::unique_ptr<geo::Context>> contexts;
    SeriesOptions options;
    std::vector<SeriesDelta> steps;
    SeriesDelta totals;                 ///< first boundary to last, directly
    std::vector<FlaggedSnapshot> flagged;
    std::vector<std::string> excluded;  ///< --exclude-dates that matched a snapshot
    std::string driver;                 ///< OGR driver of `output`
    int failed_pairs = 0;               ///< steps (and the whole range) whose overlay failed
};

/// Exit code of `series` when it finished but some pairs failed (their figures are missing).
constexpr int kExitFailedPairs = 3;

/// The step boundaries from `from` to `to`: from, from + step, ..., and `to` last.
/// Throws InputError for an unknown step.
std::vector<std::string> step_boundaries(const std::string& from, const std::string& to, const std::string& step);

/// The series job as a plain function. Pairs run in parallel, one GEOS context per thread;
/// the result does not depend on the number of threads.
SeriesReport compute_series(const SeriesOptions& options);

/// Every step's kept parts in step order (cut at region borders when the series has regions), as
/// `series -o` writes them. The records borrow geometries from `report`.
std::vector<PartRecord> series_part_records(const SeriesReport& report);

std::string series_json(const SeriesReport& report);
std::string series_csv(const SeriesReport& report);
std::string series_table(const SeriesReport& report);

/// Adds the options that choose and tune a series (store, dates, step, provider, class, regions,
/// bbox, exclusions, glitch rule, threads, progress, overlay and sliver settings) to `cmd`; `series`
/// and `view` share them. No I/O.
void add_series_options(CLI::App* cmd, SeriesOptions& options);

/// `frontline series`.
class SeriesCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override;
    int run(std::ostream& out) override;

private:
    SeriesOptions m_options;
};

}  // namespace frontline::cli
