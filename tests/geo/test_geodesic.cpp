// Geodesic area and length against independent references (tests/reference/README.md):
// pyproj 3.4.1 Geod, the pure-Python geographiclib 2.0 and PostGIS 3.3.2 ST_Area(geography)
// agree on every value below to 1e-10 km².
#include <gtest/gtest.h>

#include "geo/geodesic.hpp"

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

}  // namespace
}  // namespace frontline::geo
