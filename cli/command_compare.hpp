#pragma once
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "geo/delta.hpp"

namespace frontline::cli {

/// Options of `frontline compare`.
struct CompareOptions {
    std::string store = "frontline.gpkg";          ///< snapshot store
    std::string date;                              ///< YYYY-MM-DD; each provider's latest snapshot on or before it
    std::vector<std::string> providers;            ///< exactly two: A and B
    std::vector<std::string> classes = {"occupied"};  ///< one class for both, or one for A and one for B
    std::string output;                            ///< parts file; empty: none
    std::string format;                            ///< OGR driver for `output`; empty: from the extension, else GeoJSON
    bool json = false;                             ///< summary as one JSON object
    double grid_size_deg = geo::DeltaOptions{}.grid_size_deg;     ///< overlay precision grid, degrees
    double min_area_km2 = geo::DeltaOptions{}.min_area_m2 / 1e6;  ///< parts below this area are slivers, km²
    double min_width_m = geo::DeltaOptions{}.min_width_m;         ///< parts thinner than this (2A/P) are slivers, m
};

/// Where the two providers agree or not.
enum class Agreement { agree, only_a, only_b };

/// "agree", "only_a" or "only_b".
const char* to_string(Agreement a);

/// One connected part of the comparison: a Polygon in lon/lat with its geodesic area.
struct ComparePart {
    Agreement kind;
    geo::Geometry polygon;
    double area_m2;
};

/// What `compare` found.
struct CompareReport {
    CompareOptions options;
    std::string provider_a, provider_b;
    std::string class_a, class_b;
    std::string snapshot_a, snapshot_b;  ///< dates of the snapshots used
    double area_a_m2 = 0.0;              ///< geodesic area of A's snapshot
    double area_b_m2 = 0.0;
    double agree_m2 = 0.0;               ///< kept parts in both
    double only_a_m2 = 0.0;              ///< kept parts in A, not B
    double only_b_m2 = 0.0;              ///< kept parts in B, not A
    geo::SliverTally dropped_agree, dropped_only_a, dropped_only_b;
    std::vector<ComparePart> parts;      ///< kept parts, largest first (ties: by WKB)
    std::string driver;                  ///< OGR driver of the parts file ("" if none)

    /// agree / (agree + only_a + only_b), %: 100 when the two maps coincide.
    double agreement_pct() const;
};

/// The compare job as a plain function: picks each provider's latest snapshot of its class on or
/// before the date, computes A ∩ B, A − B and B − A on the fixed grid, splits them into parts,
/// measures them geodesically, drops slivers (counted), and writes the parts to `output` if set.
/// Throws InputError for bad options or missing snapshots.
CompareReport compute_compare(const geo::Context& ctx, const CompareOptions& options);

/// The machine-readable summary: one JSON object (see the README for its keys).
std::string compare_summary_json(const CompareReport& report);

/// The readable summary table.
std::string compare_summary_table(const CompareReport& report);

/// `frontline compare`.
class CompareCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override;
    int run(std::ostream& out) override;

private:
    CompareOptions m_options;
};

}  // namespace frontline::cli
