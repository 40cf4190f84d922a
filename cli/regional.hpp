#pragma once
/// Regional breakdown of a delta, shared by `delta --regions` and `series --regions`.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "geo/delta.hpp"
#include "geo/regions.hpp"

namespace frontline::cli {

/// One region's figures for one delta (the last row of a breakdown is outside all regions).
struct RegionRow {
    std::string region;
    double region_area_m2 = 0.0;  ///< geodesic area of the region (0 for the outside row)
    double area_from_m2 = 0.0;    ///< controlled area inside the region at the earlier snapshot
    double area_to_m2 = 0.0;      ///< ... at the later snapshot
    double gained_m2 = 0.0;       ///< kept gained parts inside the region
    double lost_m2 = 0.0;         ///< kept lost parts inside the region

    double net_m2() const { return gained_m2 - lost_m2; }
    /// Share of the region controlled, %; nothing for the outside row.
    std::optional<double> share_from_pct() const;
    std::optional<double> share_to_pct() const;
};

/// A kept part of a delta cut at region borders.
struct RegionalPiece {
    geo::Change change;
    std::string region;
    geo::Geometry geometry;
    double area_m2;
};

/// A delta broken down by region.
struct RegionalDelta {
    std::vector<RegionRow> rows;          ///< one per region, in region order, then the outside row
    std::vector<RegionalPiece> pieces;    ///< largest first
};

/// Breaks `delta` down by region. `from_areas_m2` and `to_areas_m2` are RegionSet::areas_m2 of
/// the two snapshots (computed once per snapshot by the caller).
RegionalDelta regional_delta(const geo::RegionSet& regions, const std::vector<double>& from_areas_m2,
                             const std::vector<double>& to_areas_m2, const geo::DeltaResult& delta);

/// The same without the snapshots' areas in each region, for a caller that measures them at the
/// same time: set them with set_region_areas() before use.
RegionalDelta regional_delta(const geo::RegionSet& regions, const geo::DeltaResult& delta);
/// Fills each row's area_from_m2 and area_to_m2 (one value per row, the outside row last).
void set_region_areas(RegionalDelta& regional, const std::vector<double>& from_areas_m2,
                      const std::vector<double>& to_areas_m2);

/// The rows as the JSON array scripts read: {region, region_area_km2, area_from_km2, area_to_km2,
/// share_from_pct, share_to_pct, gained_km2, lost_km2, net_km2}; shares are null outside all regions.
nlohmann::ordered_json regions_json(const std::vector<RegionRow>& rows);

/// The rows as an indented table for the readable summary.
std::string regions_table(const std::vector<RegionRow>& rows);

}  // namespace frontline::cli
