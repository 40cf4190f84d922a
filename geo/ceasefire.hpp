#pragma once
/// The geometry behind `frontline ceasefire`: the shape of a proposed line, where its loose ends
/// stop, the sides it cuts a country into, and the enclaves that leaves. Inputs and outputs are
/// WGS84 lon/lat degrees (x = longitude); distances are geodesic metres.
#include <string>
#include <vector>

#include "geo/geometry.hpp"

namespace frontline::geo {

/// A point in WGS84 lon/lat degrees.
struct LonLat {
    double lon = 0.0;
    double lat = 0.0;
};

/// What is wrong with a line's shape (check 1). Positions are lon/lat.
struct LineShape {
    int parts = 0;                          ///< LineStrings
    int vertices = 0;
    double length_m = 0.0;                  ///< geodesic
    bool simple = true;                     ///< GEOS isSimple: no self-intersection, parts meet only at ends
    std::vector<LonLat> self_intersections; ///< where it crosses or touches itself
    std::vector<LonLat> spikes;             ///< vertices where it turns back on itself
    std::vector<LonLat> repeated;           ///< vertices repeated consecutively
    int degenerate_parts = 0;               ///< parts with fewer than two distinct vertices
};

/// Inspects a LineString/MultiLineString. A spike is a vertex where the line turns back by more
/// than 180° − `spike_angle_deg` (the angle between the segment in and the segment out, measured
/// with longitude scaled by cos(latitude), is below `spike_angle_deg`).
LineShape inspect_line(const Geometry& lines, double spike_angle_deg);

/// The same line without consecutive repeated vertices and without degenerate parts.
Geometry remove_repeated_points(const Geometry& lines);

/// The nearest point of `target` (linear or polygonal; its boundary counts for polygons only if
/// given as lines) to `p`, and the geodesic distance to it, m. Exact to the metre: the search runs
/// in an azimuthal equidistant projection centred on `p`. Infinity if `target` is empty.
struct Nearest {
    double distance_m = 0.0;
    LonLat point;
};
Nearest nearest_point(const Geometry& target, LonLat p);

/// Endpoints of the line's parts that no other part shares (a closed ring has none).
std::vector<LonLat> loose_ends(const Geometry& lines);

/// The faces a line cuts a country into and the side each one falls to.
struct CountrySplit {
    std::vector<Geometry> faces;   ///< Polygons inside the country, lon/lat
    std::vector<bool> occupying;   ///< per face: on the occupying side
    std::vector<bool> touched;     ///< per face: bounded by the line somewhere
    bool two_colourable = true;    ///< false if faces across the line cannot alternate sides
    Geometry occupying_side;       ///< MultiPolygon: union of the occupying faces
    Geometry free_side;            ///< MultiPolygon: union of the others
};

/// Cuts polygonal `country` with `lines` (noded with the country's edge, then polygonized).
/// Faces on the two sides of any piece of the line get opposite sides; in each group of faces
/// joined that way, the colour holding the larger share of `controlled` is the occupying side.
/// Faces the line never touches (islands, a country the line does not cross) take the side that
/// holds most of them now. The line should already reach the edge (see loose_ends()).
/// Throws GeosError.
CountrySplit split_country(const Geometry& country, const Geometry& lines, const Geometry& controlled);

/// A part of one side cut off from the side's main body.
struct Enclave {
    bool occupying = false;  ///< which side it belongs to
    Geometry polygon;        ///< lon/lat
    double area_m2 = 0.0;    ///< geodesic
    LonLat point;            ///< a point inside it
};

/// The parts of each side other than its largest, leaving out parts that do not touch the other
/// side (islands) and, counted apart, parts under `min_area_m2` (the crumbs an overlay with a
/// detailed border leaves). Largest first.
struct EnclaveSearch {
    std::vector<Enclave> enclaves;
    int small_parts = 0;          ///< parts under min_area_m2, not listed
    double small_area_m2 = 0.0;   ///< their area
};
EnclaveSearch find_enclaves(const Geometry& occupying_side, const Geometry& free_side, double min_area_m2);

}  // namespace frontline::geo
