// Geodesic area and length against independent references (tests/reference/README.md):
// pyproj 3.4.1 Geod, the pure-Python geographiclib 2.0 and PostGIS 3.3.2 ST_Area(geography)
// agree on every value below to 1e-10 km².
#define GEOS_USE_ONLY_R_API
#include <geodesic.h>
#include <geos_c.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "geo/geodesic.hpp"
#include "ingest/reader.hpp"
#include "tests/test_support.hpp"

namespace frontline::geo {
namespace {

double area_km2(const Context& ctx, const std::string& wkt) {
    return geodesic_area_m2(Geometry::from_wkt(ctx, wkt)) / 1e6;
}

TEST(GeodesicArea, OneDegreeCellAtEquator) {
    Context ctx;
    // GeographicLib: 12,308.778361 km² with geodesic edges (a cell bounded by parallels would be 12,308.4639).
    EXPECT_NEAR(area_km2(ctx, "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))"), 12308.778361469453, 1e-6);
}

TEST(GeodesicArea, WindingDoesNotMatter) {
    Context ctx;
    EXPECT_NEAR(area_km2(ctx, "POLYGON ((1 0, 1 1, 0 1, 0 0, 1 0))"), 12308.778361469453, 1e-6);
}

TEST(GeodesicArea, CellInUkraine) {
    Context ctx;
    EXPECT_NEAR(area_km2(ctx, "POLYGON ((31 48, 31 49, 30 49, 30 48, 31 48))"), 8217.589924770447, 1e-6);
}

TEST(GeodesicArea, HoleSubtractsWhateverItsWinding) {
    Context ctx;
    const double expected = 6163.145585500672;  // 8217.589925 − 2054.444339
    // Hole wound opposite to the shell (OGC) and the same way (as some sources write it).
    EXPECT_NEAR(area_km2(ctx, "POLYGON ((31 48, 31 49, 30 49, 30 48, 31 48), "
                              "(30.25 48.25, 30.25 48.75, 30.75 48.75, 30.75 48.25, 30.25 48.25))"),
                expected, 1e-6);
    EXPECT_NEAR(area_km2(ctx, "POLYGON ((31 48, 31 49, 30 49, 30 48, 31 48), "
                              "(30.75 48.25, 30.75 48.75, 30.25 48.75, 30.25 48.25, 30.75 48.25))"),
                expected, 1e-6);
}

TEST(GeodesicArea, MultiPolygonSumsParts) {
    Context ctx;
    EXPECT_NEAR(area_km2(ctx, "MULTIPOLYGON (((1 0, 1 1, 0 1, 0 0, 1 0)), ((31 48, 31 49, 30 49, 30 48, 31 48)))"),
                20526.3682862399, 1e-6);
}

TEST(GeodesicArea, PerimeterIncludesHoles) {
    Context ctx;
    auto m = geodesic_measure(Geometry::from_wkt(
        ctx, "POLYGON ((31 48, 31 49, 30 49, 30 48, 31 48), (30.75 48.25, 30.75 48.75, 30.25 48.75, 30.25 48.25, 30.75 48.25))"));
    EXPECT_NEAR(m.perimeter_m / 1e3, 555.2967774776191, 1e-6);
}

TEST(GeodesicArea, NonPolygonalAndEmptyMeasureZero) {
    Context ctx;
    EXPECT_EQ(area_km2(ctx, "LINESTRING (0 0, 1 1)"), 0.0);
    EXPECT_EQ(area_km2(ctx, "MULTIPOLYGON EMPTY"), 0.0);
    EXPECT_NEAR(area_km2(ctx, "GEOMETRYCOLLECTION (POINT (5 5), POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0)))"),
                12308.778361469453, 1e-6);
}

TEST(GeodesicLength, EquatorDegreeAndMeridianDegree) {
    Context ctx;
    // One degree of the equator is a·π/180 = 111,319.4908 m; one degree of meridian from the
    // equator is 110,574.3886 m (GeographicLib).
    EXPECT_NEAR(geodesic_length_m(Geometry::from_wkt(ctx, "LINESTRING (0 0, 1 0)")), 111319.49079327357, 1e-6);
    EXPECT_NEAR(geodesic_length_m(Geometry::from_wkt(ctx, "LINESTRING (0 0, 0 1)")), 110574.38855779878, 1e-3);
    EXPECT_NEAR(geodesic_length_m(Geometry::from_wkt(ctx, "MULTILINESTRING ((0 0, 1 0), (0 0, 1 0))")),
                2 * 111319.49079327357, 1e-6);
}


// --- Large rings: edge terms summed (and cached per thread) instead of geod_polygonarea -------

struct Ring {
    std::vector<double> lon;
    std::vector<double> lat;
};

/// A jagged closed ring of about `n` vertices round (lon0, lat0), radius ~`r` degrees.
Ring jagged_ring(double lon0, double lat0, double r, int n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> jitter(0.8, 1.2);
    Ring ring;
    for (int i = 0; i < n; ++i) {
        const double t = 2 * M_PI * i / n;
        const double k = jitter(rng);
        ring.lon.push_back(lon0 + r * k * std::cos(t));
        ring.lat.push_back(lat0 + r * k * std::sin(t));
    }
    ring.lon.push_back(ring.lon.front());
    ring.lat.push_back(ring.lat.front());
    return ring;
}

std::string ring_wkt(const Ring& r) {
    std::ostringstream out;
    out.precision(17);
    out << "POLYGON ((";
    for (std::size_t i = 0; i < r.lon.size(); ++i) {
        out << (i ? ", " : "") << r.lon[i] << " " << r.lat[i];
    }
    out << "))";
    return out.str();
}

/// PROJ's geod_polygonarea on the ring: what frontline measured every ring with before.
void polygonarea(const Ring& r, double& area_m2, double& perimeter_m) {
    geod_geodesic g{};
    geod_init(&g, 6378137.0, 1.0 / 298.257223563);
    geod_polygonarea(&g, const_cast<double*>(r.lat.data()), const_cast<double*>(r.lon.data()),
                     static_cast<int>(r.lat.size()), &area_m2, &perimeter_m);
    area_m2 = std::fabs(area_m2);
}

TEST(GeodesicArea, LargeRingsAgreeWithGeodPolygonarea) {
    Context ctx;
    // In Ukraine (summed by edges), across the prime meridian and round a pole (geod_polygonarea).
    const std::vector<Ring> rings = {jagged_ring(37.0, 48.0, 2.0, 5000, 1), jagged_ring(31.0, 50.0, 0.01, 1200, 2),
                                     jagged_ring(0.0, 51.5, 1.0, 3000, 3), jagged_ring(120.0, 10.0, 15.0, 20000, 4),
                                     jagged_ring(37.0, 48.0, 2.0, 999, 5)};
    for (const Ring& r : rings) {
        double expected_area = 0.0;
        double expected_perimeter = 0.0;
        polygonarea(r, expected_area, expected_perimeter);
        const GeodesicMeasure m = geodesic_measure(Geometry::from_wkt(ctx, ring_wkt(r)));
        EXPECT_NEAR(m.area_m2, expected_area, expected_area * 1e-13) << r.lon.size() << " vertices at " << r.lon[0];
        EXPECT_NEAR(m.perimeter_m, expected_perimeter, expected_perimeter * 1e-13);
    }
    // A pole-encircling ring is left to geod_polygonarea and stays exact.
    Ring polar;
    for (int i = 0; i <= 3600; ++i) {
        polar.lon.push_back(i == 3600 ? -180.0 : -180.0 + i * 0.1);
        polar.lat.push_back(80.0);
    }
    double expected_area = 0.0;
    double expected_perimeter = 0.0;
    polygonarea(polar, expected_area, expected_perimeter);
    EXPECT_EQ(geodesic_measure(Geometry::from_wkt(ctx, ring_wkt(polar))).area_m2, expected_area);
}

TEST(GeodesicArea, TheEdgeCacheNeverChangesAResult) {
    Context ctx;
    const Ring a = jagged_ring(35.0, 47.5, 1.5, 40000, 7);
    Ring b = a;  // a's neighbour: a sector moved, the rest shared
    for (std::size_t i = 100; i < 2000; ++i) {
        b.lat[i] += 0.001;
    }
    const Geometry ga = Geometry::from_wkt(ctx, ring_wkt(a));
    const Geometry gb = Geometry::from_wkt(ctx, ring_wkt(b));
    const double plain_a = geodesic_area_m2(ga);  // no scope: no cache
    const double plain_b = geodesic_area_m2(gb);
    double cold_a = 0.0;
    double cold_b = 0.0;
    std::thread([&] {  // a fresh thread's own, empty cache
        EdgeMemoScope memo;
        Context c;
        cold_b = geodesic_area_m2(Geometry::from_wkt(c, ring_wkt(b)));
        cold_a = geodesic_area_m2(Geometry::from_wkt(c, ring_wkt(a)));  // most of its edges cached
    }).join();
    EdgeMemoScope memo;
    const double warm_a = geodesic_area_m2(ga);
    const double warm_b = geodesic_area_m2(gb);  // mostly a's edges, from the cache
    {
        EdgeMemoScope nested;  // shares the outer cache
        EXPECT_EQ(geodesic_area_m2(ga), plain_a);
    }
    EXPECT_EQ(warm_a, plain_a);
    EXPECT_EQ(warm_b, plain_b);
    EXPECT_EQ(cold_a, plain_a);
    EXPECT_EQ(cold_b, plain_b);
    EXPECT_EQ(geodesic_area_m2(ga), warm_a);
    EXPECT_NE(warm_a, warm_b);
}

TEST(GeodesicArea, EveryRingOfARealSnapshotAgreesWithGeodPolygonarea) {
    FRONTLINE_REQUIRE_DATA(path, "deepstatemap_occupied/data/deepstatemap_data_20260101.geojson");
    Context ctx;
    const ingest::SourceRead read = ingest::read_source(ctx, path);
    double total = 0.0;
    double expected_total = 0.0;
    int rings = 0;
    auto* h = ctx.handle();
    for (const Geometry& g : read.polygons) {
        for (int p = 0; p < GEOSGetNumGeometries_r(h, g.get()); ++p) {
            const GEOSGeometry* poly = GEOSGetGeometryN_r(h, g.get(), p);
            for (int k = -1; k < GEOSGetNumInteriorRings_r(h, poly); ++k) {
                const GEOSGeometry* ring = k < 0 ? GEOSGetExteriorRing_r(h, poly) : GEOSGetInteriorRingN_r(h, poly, k);
                const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, ring);
                unsigned n = 0;
                GEOSCoordSeq_getSize_r(h, seq, &n);
                Ring r;
                r.lon.resize(n);
                r.lat.resize(n);
                GEOSCoordSeq_copyToArrays_r(h, seq, r.lon.data(), r.lat.data(), nullptr, nullptr);
                double expected_area = 0.0;
                double expected_perimeter = 0.0;
                polygonarea(r, expected_area, expected_perimeter);
                const double area = geodesic_area_m2(Geometry::from_wkt(ctx, ring_wkt(r)));
                EXPECT_NEAR(area, expected_area, expected_area * 1e-13 + 1e-6) << n << " vertices";
                total += k < 0 ? area : -area;
                expected_total += k < 0 ? expected_area : -expected_area;
                ++rings;
            }
        }
    }
    EXPECT_GT(rings, 10);
    EXPECT_NEAR(total, expected_total, 1.0);  // m², of ~1.2e11
}

}  // namespace
}  // namespace frontline::geo
