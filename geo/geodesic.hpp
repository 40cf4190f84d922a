#pragma once
/// Geodesic measures on the WGS84 ellipsoid, through PROJ's geodesic routines (GeographicLib).
#include <string>

#include "geo/geometry.hpp"

namespace frontline::geo {

/// The sentence every summary carries to say how areas and lengths were measured.
extern const char* const kGeodesicMethod;

/// Area and perimeter of a polygonal geometry.
struct GeodesicMeasure {
    double area_m2 = 0.0;       ///< exterior rings minus holes, square metres
    double perimeter_m = 0.0;   ///< every ring (holes included), metres
};

/// Measures a Polygon, MultiPolygon or GeometryCollection (non-polygonal members add nothing).
/// Coordinates: WGS84 lon/lat degrees (x = longitude). Each ring is a geodesic polygon, so an
/// edge is the shortest path on the ellipsoid between its vertices; ring winding does not matter.
/// Throws GeosError if GEOS cannot give the rings.
GeodesicMeasure geodesic_measure(const Geometry& g);

/// While one is alive, the calling thread remembers the large rings it measured and the
/// geodesic terms of their edges (the last 1-2 million vertices, up to 64 MB), so that measuring
/// a series of snapshots that share most of their edges solves each shared edge once (ingest's
/// workers open one for all their files). Results are the same with or without it, bit for bit. Nested scopes share
/// the outer one's cache.
class EdgeMemoScope {
public:
    EdgeMemoScope();
    ~EdgeMemoScope();
    EdgeMemoScope(const EdgeMemoScope&) = delete;
    EdgeMemoScope& operator=(const EdgeMemoScope&) = delete;

private:
    bool m_owner = false;
};

/// Shorthand for geodesic_measure(g).area_m2.
double geodesic_area_m2(const Geometry& g);

/// Geodesic length of a LineString or MultiLineString (metres); lon/lat degrees.
double geodesic_length_m(const Geometry& g);

/// Geodesic distance between two lon/lat points on WGS84, m.
double geodesic_distance_m(double lon1, double lat1, double lon2, double lat2);

/// The PROJ release actually loaded ("9.1.1").
std::string proj_version();

}  // namespace frontline::geo
