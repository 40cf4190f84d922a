#pragma once
/// Simplification for display only (the viewer's base map and parts). Never used for figures:
/// every area and length frontline reports comes from the unsimplified geometry.
#include "geo/geometry.hpp"

namespace frontline::geo {

/// Degrees of latitude per metre on the WGS84 ellipsoid, near enough for a display tolerance
/// (one degree of latitude is 110.6 to 111.7 km; a degree of longitude is never longer).
constexpr double kDegreesPerMetre = 1.0 / 111320.0;

/// `g` (lon/lat degrees) simplified with GEOS's topology-preserving Douglas-Peucker within
/// `tolerance_deg` degrees: every vertex it drops lies within that distance (in lon/lat) of the
/// simplified outline, so within about tolerance_deg / kDegreesPerMetre metres on the ground.
/// Rings are not dropped and the result stays topologically valid. Throws GeosError.
Geometry simplify_for_display(const Geometry& g, double tolerance_deg);

}  // namespace frontline::geo
