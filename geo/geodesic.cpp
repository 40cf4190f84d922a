#include "geo/geodesic.hpp"

#include <geodesic.h>
#include <geos_c.h>
#include <proj.h>

#include <cmath>
#include <vector>

namespace frontline::geo {

const char* const kGeodesicMethod =
    "Geodesic area and length on the WGS84 ellipsoid (a = 6378137 m, f = 1/298.257223563), "
    "computed with GeographicLib's algorithms (Karney 2013) through PROJ's geod_polygonarea; "
    "polygon edges are geodesics between the vertices and holes are subtracted.";

namespace {

const geod_geodesic& wgs84() {
    static const geod_geodesic g = [] {
        geod_geodesic init{};
        geod_init(&init, 6378137.0, 1.0 / 298.257223563);
        return init;
    }();
    return g;
}

struct Coords {
    std::vector<double> lon;
    std::vector<double> lat;
};

/// Copies a ring's or line's coordinates. GEOS returns NULL for an empty input.
bool read_coords(const Context& ctx, const GEOSGeometry* line, Coords& out) {
    auto* h = ctx.handle();
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, line);
    if (seq == nullptr) {
        ctx.raise("reading a ring's coordinates");
    }
    unsigned int n = 0;
    if (GEOSCoordSeq_getSize_r(h, seq, &n) == 0) {
        ctx.raise("reading a ring's size");
    }
    out.lon.resize(n);
    out.lat.resize(n);
    if (n == 0) {
        return false;
    }
    if (GEOSCoordSeq_copyToArrays_r(h, seq, out.lon.data(), out.lat.data(), nullptr, nullptr) == 0) {
        ctx.raise("copying a ring's coordinates");
    }
    return true;
}

void measure_ring(const Context& ctx, const GEOSGeometry* ring, Coords& buf, double& area_m2,
                  double& perimeter_m) {
    if (!read_coords(ctx, ring, buf)) {
        return;
    }
    double area = 0.0;
    double perimeter = 0.0;
    geod_polygonarea(&wgs84(), buf.lat.data(), buf.lon.data(), static_cast<int>(buf.lat.size()),
                     &area, &perimeter);
    area_m2 = std::fabs(area);
    perimeter_m = perimeter;
}

void measure_polygon(const Context& ctx, const GEOSGeometry* poly, Coords& buf, GeodesicMeasure& m) {
    auto* h = ctx.handle();
    if (GEOSisEmpty_r(h, poly) == 1) {
        return;
    }
    const GEOSGeometry* shell = GEOSGetExteriorRing_r(h, poly);
    if (shell == nullptr) {
        ctx.raise("reading a polygon's exterior ring");
    }
    double a = 0.0;
    double p = 0.0;
    measure_ring(ctx, shell, buf, a, p);
    m.area_m2 += a;
    m.perimeter_m += p;
    int holes = GEOSGetNumInteriorRings_r(h, poly);
    if (holes < 0) {
        ctx.raise("counting a polygon's holes");
    }
    for (int i = 0; i < holes; ++i) {
        measure_ring(ctx, GEOSGetInteriorRingN_r(h, poly, i), buf, a, p);
        m.area_m2 -= a;
        m.perimeter_m += p;
    }
}

void measure_any(const Context& ctx, const GEOSGeometry* g, Coords& buf, GeodesicMeasure& m) {
    auto* h = ctx.handle();
    switch (GEOSGeomTypeId_r(h, g)) {
        case GEOS_POLYGON:
            measure_polygon(ctx, g, buf, m);
            break;
        case GEOS_MULTIPOLYGON:
        case GEOS_GEOMETRYCOLLECTION: {
            int n = GEOSGetNumGeometries_r(h, g);
            for (int i = 0; i < n; ++i) {
                measure_any(ctx, GEOSGetGeometryN_r(h, g, i), buf, m);
            }
            break;
        }
        default:
            break;
    }
}

}  // namespace

GeodesicMeasure geodesic_measure(const Geometry& g) {
    GeodesicMeasure m;
    Coords buf;
    measure_any(g.context(), g.get(), buf, m);
    return m;
}

double geodesic_area_m2(const Geometry& g) { return geodesic_measure(g).area_m2; }

double geodesic_distance_m(double lon1, double lat1, double lon2, double lat2) {
    double s12 = 0.0;
    geod_inverse(&wgs84(), lat1, lon1, lat2, lon2, &s12, nullptr, nullptr);
    return s12;
}

double geodesic_length_m(const Geometry& g) {
    const Context& ctx = g.context();
    auto* h = ctx.handle();
    double total = 0.0;
    Coords buf;
    auto add_line = [&](const GEOSGeometry* line) {
        if (!read_coords(ctx, line, buf)) {
            return;
        }
        for (std::size_t i = 1; i < buf.lon.size(); ++i) {
            double s12 = 0.0;
            geod_inverse(&wgs84(), buf.lat[i - 1], buf.lon[i - 1], buf.lat[i], buf.lon[i], &s12,
                         nullptr, nullptr);
            total += s12;
        }
    };
    int type = g.type_id();
    if (type == GEOS_LINESTRING || type == GEOS_LINEARRING) {
        add_line(g.get());
    } else if (type == GEOS_MULTILINESTRING) {
        for (int i = 0; i < g.num_geometries(); ++i) {
            add_line(GEOSGetGeometryN_r(h, g.get(), i));
        }
    }
    return total;
}

}  // namespace frontline::geo

namespace frontline::geo {

std::string proj_version() { return proj_info().version; }

}  // namespace frontline::geo
