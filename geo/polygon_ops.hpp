#pragma once
/// Polygon operations frontline needs: validity and repair, dissolve, fixed-precision
/// difference, and splitting into parts. Coordinates are WGS84 lon/lat degrees throughout;
/// the precision grid is given in degrees.
#include <optional>
#include <string>
#include <vector>

#include "geo/geometry.hpp"

namespace frontline::geo {

/// Default precision grid of the store and of every overlay: 1e-7 degrees (about 1.1 cm of
/// latitude), the same as the 7 decimals RFC 7946 output carries, so what is stored, computed
/// and written agree to the last digit.
inline constexpr double kDefaultGridSizeDeg = 1e-7;

/// The polygonal members of `g` (Polygon, MultiPolygon, or any nesting of GeometryCollections)
/// as one MultiPolygon, in their original order; points, lines and empty polygons are left out.
Geometry polygonal_part(const Geometry& g);

/// Why `g` is invalid in GEOS's terms ("Self-intersection[30.1 48.2]"), or nothing if it is valid.
/// An invalid geometry is checked twice (GEOS gives the reason by checking again).
std::optional<std::string> invalid_reason(const Geometry& g);

/// Whether `g` is valid in GEOS's terms: one check, for when the reason is not wanted.
bool is_valid(const Geometry& g);

/// Repairs `g` and returns the polygonal result: each polygon becomes its shell's area minus its
/// holes' areas, each ring repaired with GEOS MakeValid (the "structure" method, which keeps
/// areas and drops collapsed parts), so a bow-tie keeps both lobes and a hole outside its shell
/// removes nothing; overlapping parts are merged. A MultiPolygon, or a Polygon when one part.
Geometry make_valid_polygonal(const Geometry& g);

/// Unions the polygons into one valid MultiPolygon on the grid `grid_size_deg`. The union is
/// skipped when the parts already form a valid MultiPolygon: with `grid_size_deg` 0 as they are
/// (outlines, regions), else once their coordinates are rounded to the grid (round_to_grid).
/// Otherwise the floating-precision union (GEOS's buffer by zero, else its unary union; see
/// polygon_ops.cpp) is put on the grid as difference() does, with snap-rounding
/// (fixed-precision OverlayNG) if GEOS fails. Inputs must be valid: one Polygon or MultiPolygon
/// that rounding does not move is returned as it is, unchecked. An empty input gives an empty
/// MultiPolygon.
Geometry dissolve(const Context& ctx, const std::vector<Geometry>& polygons, double grid_size_deg);

/// A copy of `g` with every coordinate rounded to the nearest multiple of `grid_size_deg` (> 0),
/// as GEOS's fixed precision model rounds. May be invalid where rounding collapses an edge.
/// `moved`, if given, is set to whether any coordinate changed (a coordinate with at most as
/// many decimals as the grid has stays bit for bit what it was).
Geometry round_to_grid(const Geometry& g, double grid_size_deg, bool* moved = nullptr);

/// `a` minus `b` on a fixed precision grid: GEOS's floating-precision overlay, then every
/// polygon rounded to the grid (one that rounding makes invalid is snap-rounded alone; see
/// polygon_ops.cpp). If GEOS raises a topology error, retries with snap-rounding, then with both
/// inputs snapped to the grid first, then with both repaired by MakeValid (then on the grid);
/// throws GeosError naming each attempt's message if all fail. The result is a valid MultiPolygon.
Geometry difference(const Geometry& a, const Geometry& b, double grid_size_deg);

/// `a` minus `b` for its area only: GEOS's floating-precision overlay as it comes, not put on the
/// grid (that step moves only the new intersection points, each by under half a cell, and costs
/// a validity check per polygon). When GEOS raises a topology error, difference() with its
/// retries. Polygonal; may be empty.
Geometry difference_for_area(const Geometry& a, const Geometry& b, double grid_size_deg);

/// The Polygons of a polygonal geometry, each cloned.
std::vector<Geometry> polygons_of(const Geometry& g);

/// Builds a MultiPolygon from Polygons (takes ownership).
Geometry make_multipolygon(const Context& ctx, std::vector<Geometry>&& polygons);

/// True if `a` and `b` cover the same points (GEOS Equals: vertex order and collinear vertices
/// do not matter).
bool topologically_equal(const Geometry& a, const Geometry& b);

/// Puts `g` into GEOS's normal form (ring starts, order), in place, so equal shapes give equal WKB.
void normalize(Geometry& g);

}  // namespace frontline::geo

struct GEOSPrepGeom_t;

namespace frontline::geo {

// --- Added for `ingest --preset/--clip` and `compare` (issue 3) ---------------------------------

/// `a` ∩ `b` on a fixed precision grid, computed as difference() computes. If GEOS raises a
/// topology error, retries as difference() does (inputs snapped to the grid, then repaired); throws
/// GeosError naming each attempt's message if all fail. The result is a MultiPolygon.
/// Inputs: polygonal, WGS84 lon/lat degrees.
Geometry intersection(const Geometry& a, const Geometry& b, double grid_size_deg);

/// A bounding box in lon/lat degrees; `empty` for an empty geometry.
struct Envelope {
    double min_lon = 0.0;
    double min_lat = 0.0;
    double max_lon = 0.0;
    double max_lat = 0.0;
    bool empty = true;
};

/// The bounding box of `g`. Throws GeosError.
Envelope envelope(const Geometry& g);

/// Whether two boxes share at least a point; an empty box meets nothing.
bool meets(const Envelope& a, const Envelope& b);

/// `e` grown by `by` degrees on every side.
Envelope grown(Envelope e, double by);

/// Where two boxes overlap (meaningful when they meet); empty if either is.
Envelope common(const Envelope& a, const Envelope& b);

/// The smallest box holding both; an empty box adds nothing.
Envelope merged(const Envelope& a, const Envelope& b);

/// What remove_slivers() took out and what is left.
struct SliverRemoval {
    Geometry result;            ///< MultiPolygon: `g` without sliver parts and with sliver holes filled
    int parts = 0;              ///< polygons dropped
    double parts_area_m2 = 0.0; ///< their geodesic area, m²
    int holes = 0;              ///< holes filled
    double holes_area_m2 = 0.0; ///< their geodesic area, m²
    double result_area_m2 = 0.0;  ///< geodesic area of `result` (from the same measures, no second pass)
};

/// Drops the polygons of `g` and fills the holes whose geodesic area is under `min_area_m2` or
/// whose mean width 2 · area / perimeter (geodesic) is under `min_width_m`: the hairline strips
/// and gaps left where two drawings of the same edge do not coincide. The same measure as the
/// delta's sliver rule. Input: valid polygonal geometry in WGS84 lon/lat; the result stays valid.
SliverRemoval remove_slivers(const Geometry& g, double min_area_m2, double min_width_m);

/// A polygonal area (such as a country) prepared for clipping many geometries against it.
/// Bound to the Context of `area`; not thread-safe.
class ClipArea {
public:
    /// Where a geometry lies against the area.
    enum class Placement { inside, outside, crossing };

    /// Unions `polygons` (valid polygonal, WGS84 lon/lat; adjacent units such as oblasts merge
    /// into one outline) and prepares the union; clips run on `grid_size_deg`. The union is not
    /// snapped to the grid (each clip snaps its result), which makes it several times faster
    /// than dissolve() for a detailed boundary. Throws InputError if the union is empty, GeosError
    /// on GEOS failures.
    ClipArea(const Context& ctx, const std::vector<Geometry>& polygons, double grid_size_deg);
    /// The same area in another context, for another thread (GEOS's prepared geometries are not
    /// to be shared between threads); no union again.
    ClipArea(const Context& ctx, const ClipArea& other);
    ~ClipArea();
    ClipArea(const ClipArea&) = delete;
    ClipArea& operator=(const ClipArea&) = delete;

    /// inside: `g` is covered by the area; outside: they share no point; else crossing (which
    /// includes touching the area from outside: clip() then gives nothing).
    /// Cheap: an envelope test, then prepared predicates.
    Placement placement(const Geometry& g) const;

    /// `g` ∩ area on the grid (a MultiPolygon). `g`: polygonal, lon/lat.
    Geometry clip(const Geometry& g) const;

    /// The union of the polygons.
    const Geometry& area() const { return m_area; }

private:
    Geometry m_area;
    Envelope m_envelope;
    double m_grid_size_deg;
    const GEOSPrepGeom_t* m_prepared = nullptr;
};

}  // namespace frontline::geo
