// Front lines and zones on shapes whose answers are known geodesically.
#include <gtest/gtest.h>
#include <geos_c.h>

#include <cmath>

#include "geo/front.hpp"
#include "geo/geodesic.hpp"
#include "geo/polygon_ops.hpp"

namespace frontline::geo {
namespace {

// The country: lon 30..32, lat 48..50. The controlled area: lon 31..33 (it runs past the eastern
// border, as real snapshots do by a few metres). The front is the meridian 31°E inside the country.
struct Fixture {
    Context ctx;
    Geometry country = Geometry::from_wkt(ctx, "POLYGON ((30 48, 32 48, 32 50, 30 50, 30 48))");
    Geometry controlled = Geometry::from_wkt(ctx, "POLYGON ((31 48, 33 48, 33 50, 31 50, 31 48))");
};

TEST(Front, IsTheInnerEdgeWithoutTheBorder) {
    Fixture f;
    std::vector<Geometry> outlines;
    outlines.push_back(f.country.clone());
    FrontOptions o;
    o.outline_simplify_m = 0.0;
    FrontAnalysis a(f.controlled, outlines, o);
    // 31°E from 48°N to 50°N is 222.4 km; the 1 km tolerance takes about 1 km off each end.
    const double meridian = geodesic_length_m(Geometry::from_wkt(f.ctx, "LINESTRING (31 48, 31 50)"));
    EXPECT_NEAR(a.length_m(), meridian - 2000.0, 150.0);
    EXPECT_EQ(a.front().num_geometries(), 1);
    EXPECT_EQ(a.dropped_parts(), 0);
    // No part of it lies along the country's edge (lat 48, lat 50, lon 32) or outside it.
    Geometry edge(f.ctx, GEOSBoundary_r(f.ctx.handle(), f.country.get()));
    double d = 0.0;
    GEOSDistance_r(f.ctx.handle(), a.front().get(), edge.get(), &d);
    EXPECT_GT(d, 0.008);  // degrees: about 0.9 km of latitude
}

TEST(Front, SmallToleranceKeepsAlmostTheWholeInnerEdge) {
    Fixture f;
    std::vector<Geometry> outlines;
    outlines.push_back(f.country.clone());
    FrontOptions o;
    o.border_tolerance_m = 10.0;
    o.outline_simplify_m = 0.0;
    FrontAnalysis a(f.controlled, outlines, o);
    EXPECT_NEAR(a.length_m(), geodesic_length_m(Geometry::from_wkt(f.ctx, "LINESTRING (31 48, 31 50)")) - 20.0, 5.0);
    o.border_tolerance_m = 0.0;
    EXPECT_THROW(FrontAnalysis(f.controlled, outlines, o), InputError);
}

TEST(Front, BandsReachTheirWidthGeodesically) {
    Fixture f;
    std::vector<Geometry> outlines;
    outlines.push_back(f.country.clone());
    FrontOptions o;
    o.outline_simplify_m = 0.0;
    FrontAnalysis a(f.controlled, outlines, o);
    for (double width : {5000.0, 40000.0}) {
        for (Side side : {Side::controlled, Side::free}) {
            Geometry band = a.band(side, width);
            ASSERT_FALSE(band.is_empty());
            // The band's vertices far from the front line lie on its outer edge: at the width,
            // measured geodesically to the meridian (away from the rounded ends).
            auto* h = f.ctx.handle();
            Geometry ring(f.ctx, GEOSGeom_clone_r(h, GEOSGetExteriorRing_r(h, GEOSGetGeometryN_r(h, band.get(), 0))));
            const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, ring.get());
            unsigned int n = 0;
            GEOSCoordSeq_getSize_r(h, seq, &n);
            int checked = 0;
            for (unsigned int i = 0; i < n; ++i) {
                double x = 0, y = 0;
                GEOSCoordSeq_getXY_r(h, seq, i, &x, &y);
                if (y < 48.5 || y > 49.5 || std::fabs(x - 31.0) < 1e-6) {
                    continue;
                }
                // Distance to the meridian 31°E: the geodesic to the nearest point on it, found by
                // a fine search along the meridian.
                double best = 1e300;
                for (double lat = y - 0.1; lat <= y + 0.1; lat += 0.0001) {
                    best = std::min(best, geodesic_distance_m(x, y, 31.0, lat));
                }
                EXPECT_NEAR(best, width, width * 0.005) << "vertex " << x << " " << y;
                ++checked;
            }
            EXPECT_GT(checked, 1);
            // And the band is on the requested side.
            EXPECT_EQ(contains_point(band, side == Side::controlled ? 31.0 + 0.5 * width / 74000.0 : 31.0 - 0.5 * width / 74000.0, 49.0), true);
        }
    }
}

TEST(Front, PlacementKeepsAwayFromTheFront) {
    Fixture f;
    std::vector<Geometry> outlines;
    outlines.push_back(f.country.clone());
    FrontOptions o;
    o.outline_simplify_m = 0.0;
    FrontAnalysis a(f.controlled, outlines, o);
    Geometry zone = a.placement(50000.0, 0.0, nullptr, nullptr, 0.0);
    EXPECT_TRUE(contains_point(zone, 30.2, 49.0));    // about 59 km west of the front
    EXPECT_FALSE(contains_point(zone, 30.5, 49.0));   // about 37 km
    EXPECT_FALSE(contains_point(zone, 31.5, 49.0));   // the controlled side
    Geometry near = a.placement(10000.0, 30000.0, nullptr, nullptr, 0.0);
    EXPECT_TRUE(contains_point(near, 30.75, 49.0));   // about 18 km
    EXPECT_FALSE(contains_point(near, 30.2, 49.0));
    // Away from a hostile territory north of the country: nothing within 20 km of lat 50.
    Geometry hostile = Geometry::from_wkt(f.ctx, "POLYGON ((29 50, 33 50, 33 51, 29 51, 29 50))");
    Geometry away = a.placement(50000.0, 0.0, nullptr, &hostile, 20000.0);
    EXPECT_FALSE(contains_point(away, 30.2, 49.9));   // 11 km from it
    EXPECT_TRUE(contains_point(away, 30.2, 49.7));    // 33 km
    // Distances and sides of sites.
    EXPECT_NEAR(a.distance_m(30.5, 49.0), geodesic_distance_m(30.5, 49.0, 31.0, 49.0), 50.0);
    EXPECT_TRUE(a.in_controlled(31.5, 49.0));
    EXPECT_FALSE(a.in_controlled(30.5, 49.0));
}

}  // namespace
}  // namespace frontline::geo
