#pragma once
/// Territory gained and lost between two snapshots of one class.
#include <optional>
#include <vector>

#include "geo/geometry.hpp"
#include "geo/polygon_ops.hpp"

namespace frontline::geo {

/// Which way a part of the delta changed hands.
enum class Change { gained, lost };

/// "gained" or "lost".
const char* to_string(Change c);

/// How the delta is computed. Defaults are documented in the README ("Slivers").
struct DeltaOptions {
    double grid_size_deg = kDefaultGridSizeDeg;  ///< fixed precision grid of the overlay, degrees
    double min_area_m2 = 100.0;                  ///< parts smaller than this are slivers, m²
    double min_width_m = 1.0;                    ///< parts thinner than this (mean width 2A/P) are slivers, m
    /// Overlay only the windows where the two snapshots' boundaries differ (change_windows.hpp),
    /// falling back to the full overlay when that does not pay or a window's clip is not valid.
    bool clip_to_changes = true;
    /// Whether the caller uses the parts (writes them, cuts them at region borders). When it
    /// does not and no part can be a sliver (both thresholds 0), only the smaller side of the
    /// change is overlaid and the larger one derived: area(to − from) − area(from − to) =
    /// area(to) − area(from), both areas known. One overlay per pair instead of two, measured off
    /// GEOS's floating result without putting it on the grid (difference_for_area); `parts` is
    /// then empty (DeltaResult::derived says which side was derived).
    bool parts_wanted = true;
    /// A vertex of the later snapshot this close to one of the earlier's (and not one of them)
    /// is taken as that vertex before anything is overlaid, degrees (snap_to_shared_vertices in
    /// change_windows.hpp); 0: never. The default, 5e-7° (3.6-5.6 cm on the ground), is the
    /// jitter between two exports of one map: ISW's and DeepStateMap's files place the vertices
    /// they keep up to ~3e-7° apart once on the grid, and overlaid as they are, each such vertex
    /// makes a hairline "change" (ISW 2022-10-01 → 11-30: 5,035 parts, 12 of them real).
    double same_vertex_deg = 5e-7;
};

/// One connected part of the change: a Polygon in lon/lat with its geodesic measures.
struct DeltaPart {
    Change change;
    Geometry polygon;
    double area_m2;   ///< geodesic, holes subtracted
    double width_m;   ///< mean width 2 · area / perimeter (geodesic), the sliver measure
};

/// What the sliver rule took out, for one direction of change.
struct SliverTally {
    int parts = 0;
    double area_m2 = 0.0;
};

/// The result of compute_delta.
struct DeltaResult {
    std::vector<DeltaPart> parts;  ///< kept parts, largest area first (ties: by WKB bytes)
    double area_from_m2 = 0.0;     ///< geodesic area of the earlier snapshot
    double area_to_m2 = 0.0;       ///< geodesic area of the later snapshot
    double gained_m2 = 0.0;        ///< sum of kept gained parts
    double lost_m2 = 0.0;          ///< sum of kept lost parts
    SliverTally dropped_gained;
    SliverTally dropped_lost;
    int windows = -1;              ///< change windows the fast path overlaid; -1: the full overlay ran
    std::optional<Change> derived;  ///< the side computed from the areas, not overlaid (DeltaOptions::parts_wanted)

    double net_m2() const { return gained_m2 - lost_m2; }
    double changed_hands_m2() const { return gained_m2 + lost_m2; }
};

/// gained = to − from and lost = from − to on the fixed grid, split into parts, measured
/// geodesically, slivers dropped and tallied. Inputs: valid polygonal geometries in WGS84
/// lon/lat degrees. Throws GeosError when the overlay fails even after the retries of difference().
DeltaResult compute_delta(const Geometry& from, const Geometry& to, const DeltaOptions& options);

/// The geodesic areas of both snapshots when the caller has them already (the store keeps each
/// snapshot's area, measured by geodesic_area_m2 at ingest): measuring a 300,000-vertex snapshot
/// costs more than the overlay of two consecutive ones.
struct KnownAreas {
    double from_m2;
    double to_m2;
};

/// compute_delta with the snapshots' areas given instead of measured.
DeltaResult compute_delta(const Geometry& from, const Geometry& to, const DeltaOptions& options,
                          const KnownAreas& areas);

}  // namespace frontline::geo
