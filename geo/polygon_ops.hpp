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
std::optional<std::string> invalid_reason(const Geometry& g);

/// Repairs `g` and returns the polygonal result: each polygon becomes its shell's area minus its
/// holes' areas, each ring repaired with GEOS MakeValid (the "structure" method, which keeps
/// areas and drops collapsed parts), so a bow-tie keeps both lobes and a hole outside its shell
/// removes nothing; overlapping parts are merged. A MultiPolygon, or a Polygon when one part.
Geometry make_valid_polygonal(const Geometry& g);

/// Unions the polygons into one valid MultiPolygon snapped to `grid_size_deg`
/// (fixed-precision OverlayNG). Inputs must be valid. An empty input gives an empty MultiPolygon.
Geometry dissolve(const Context& ctx, const std::vector<Geometry>& polygons, double grid_size_deg);

/// `a` minus `b` on a fixed precision grid. If GEOS raises a topology error, retries with both
/// inputs snapped to the grid first, then with both repaired by MakeValid (then on the grid); throws GeosError
/// naming each attempt's message if all fail. The result is a MultiPolygon.
Geometry difference(const Geometry& a, const Geometry& b, double grid_size_deg);

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
