#pragma once
/// Named regions (oblasts) for regional breakdowns: split polygons at region borders and measure
/// the area of a geometry inside each region. Coordinates: WGS84 lon/lat degrees.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "geo/geometry.hpp"
#include "geo/polygon_ops.hpp"

namespace frontline::geo {

/// A region: a name and its polygons.
struct Region {
    std::string name;
    Geometry geometry;
    double area_m2 = -1.0;  ///< geodesic_area_m2(geometry) when the caller knows it; < 0: RegionSet measures it
};

/// A set of regions indexed by envelope and prepared for fast intersects tests. Bound to one
/// Context, so one set per thread. Regions are expected not to overlap (administrative units);
/// where they do, an area inside two counts in both.
class RegionSet {
public:
    /// The index that stands for "outside every region".
    std::size_t outside() const { return m_regions.size(); }

    /// Takes the regions; the overlay grid is `grid_size_deg`. Throws GeosError.
    RegionSet(const Context& ctx, std::vector<Region>&& regions, double grid_size_deg);
    ~RegionSet();
    RegionSet(const RegionSet&) = delete;
    RegionSet& operator=(const RegionSet&) = delete;

    std::size_t size() const { return m_regions.size(); }
    /// The region's name; "(outside all regions)" for outside().
    const std::string& name(std::size_t i) const;
    /// Geodesic area of region i, m².
    double area_m2(std::size_t i) const { return m_area_m2[i]; }

    /// One piece of a geometry inside one region (or outside all of them).
    struct Piece {
        std::size_t region;  ///< index, or outside()
        Geometry geometry;   ///< polygonal, on the grid
        double area_m2;      ///< geodesic (0 for lines)
        double length_m = 0; ///< geodesic (lines only)
    };

    /// Cuts polygonal `g` at region borders. Pieces come in region order, the outside piece last;
    /// empty pieces are left out. The outside piece is `g` minus every region it touches.
    std::vector<Piece> split(const Geometry& g) const;

    /// Geodesic area of `g` inside each region, m²; one entry per region plus the outside last
    /// (area of g minus the rest, never below 0). Cheaper than split(): no outside geometry.
    /// `g_area_m2`, when not negative, is geodesic_area_m2(g) already known (the store keeps it
    /// for every snapshot): it is not measured again.
    std::vector<double> areas_m2(const Geometry& g, double g_area_m2 = -1.0) const;

    /// areas_m2(g), computed from the areas of an earlier snapshot `before` (`before_areas` =
    /// areas_m2(before)): only the windows where the two differ (change_windows.hpp) are cut at
    /// region borders; elsewhere they are the same polygons. Falls back to areas_m2(g) when the
    /// fast path does not apply. Both polygonal, WGS84 lon/lat.
    std::vector<double> areas_m2_after(const Geometry& before, const std::vector<double>& before_areas,
                                       const Geometry& g, double g_area_m2 = -1.0) const;

    /// areas_m2_after() in two halves, so that the changes of many consecutive pairs can be
    /// measured at once: what `g` has more (or less) than `before` in each region (one entry per
    /// region), measured in the windows where they differ; nullopt where the fast path does not
    /// apply (then measure g with areas_m2).
    std::optional<std::vector<double>> area_changes_m2(const Geometry& before, const Geometry& g) const;
    /// `before_areas` (areas_m2 of the earlier snapshot) with `changes` added, each region's area
    /// kept >= 0, and the outside recomputed from `g_area_m2` (the later snapshot's whole area).
    std::vector<double> with_area_changes(const std::vector<double>& before_areas, const std::vector<double>& changes,
                                          double g_area_m2) const;

    /// Geodesic length of linear `g` inside each region, m; one entry per region plus the outside
    /// last (length of g minus the rest, never below 0).
    std::vector<double> lengths_m(const Geometry& lines) const;

    /// Cuts linear `g` at region borders: one piece per region it crosses, the outside piece last.
    std::vector<Piece> split_lines(const Geometry& lines) const;

private:
    struct Index;
    std::vector<std::size_t> candidates(const Geometry& g) const;
    bool prepared_intersects(std::size_t i, const Geometry& g) const;
    bool contains(std::size_t i, const Geometry& g) const;
    /// Region i cut to `box` grown by a margin (the whole region when that cuts nothing or the
    /// cut is not valid): the same as the region for any geometry that lies inside `box`.
    Geometry near_box(std::size_t i, const Envelope& box) const;
    const Context* m_ctx;
    std::vector<Region> m_regions;
    std::vector<double> m_area_m2;
    double m_grid_size_deg;
    std::unique_ptr<Index> m_index;
};

}  // namespace frontline::geo
