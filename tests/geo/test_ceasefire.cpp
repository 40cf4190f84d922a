// The geometry of ceasefire proposals on shapes whose answers are known.
#include <gtest/gtest.h>

#include <cmath>

#include "geo/ceasefire.hpp"
#include "geo/front.hpp"
#include "geo/geodesic.hpp"
#include "geo/polygon_ops.hpp"

namespace frontline::geo {
namespace {

// The country: lon 30..32, lat 48..50. Controlled now: lon 31..32 (the eastern half).
struct Fixture {
    Context ctx;
    Geometry country = Geometry::from_wkt(ctx, "POLYGON ((30 48, 32 48, 32 50, 30 50, 30 48))");
    Geometry controlled = Geometry::from_wkt(ctx, "POLYGON ((31 48, 32 48, 32 50, 31 50, 31 48))");
    Geometry line(const std::string& wkt) { return Geometry::from_wkt(ctx, wkt); }
};

TEST(CeasefireShape, FindsCrossingsSpikesAndRepeatedPoints) {
    Fixture f;
    LineShape ok = inspect_line(f.line("LINESTRING (30.8 47.9, 30.9 49, 30.8 50.1)"), 1.0);
    EXPECT_TRUE(ok.simple);
    EXPECT_TRUE(ok.spikes.empty());
    EXPECT_TRUE(ok.repeated.empty());
    EXPECT_EQ(ok.parts, 1);
    EXPECT_NEAR(ok.length_m, geodesic_length_m(f.line("LINESTRING (30.8 47.9, 30.9 49, 30.8 50.1)")), 1e-6);

    // A Z folded over itself: the segments (31 48)-(31 50) and (30.5 49)-(31.5 49) cross at (31 49).
    LineShape crossing = inspect_line(f.line("LINESTRING (31 48, 31 50, 30.5 49, 31.5 49)"), 1.0);
    EXPECT_FALSE(crossing.simple);
    ASSERT_EQ(crossing.self_intersections.size(), 1u);
    EXPECT_NEAR(crossing.self_intersections[0].lon, 31.0, 1e-9);
    EXPECT_NEAR(crossing.self_intersections[0].lat, 49.0, 1e-9);

    // Out to (31 49.5) and straight back: a spike at the turning vertex.
    LineShape spike = inspect_line(f.line("LINESTRING (31 48, 31 49, 31.5 49.5, 31.0001 49.0001, 31 50)"), 1.0);
    ASSERT_EQ(spike.spikes.size(), 1u);
    EXPECT_DOUBLE_EQ(spike.spikes[0].lon, 31.5);
    LineShape repeated = inspect_line(f.line("LINESTRING (31 48, 31 49, 31 49, 31 50)"), 1.0);
    ASSERT_EQ(repeated.repeated.size(), 1u);
    EXPECT_TRUE(repeated.simple);
    EXPECT_EQ(remove_repeated_points(f.line("LINESTRING (31 48, 31 49, 31 49, 31 50)")).num_points(), 3);
}

TEST(CeasefireEnds, LooseEndsAndTheirGeodesicDistanceToTheEdge) {
    Fixture f;
    auto ends = loose_ends(f.line("MULTILINESTRING ((31 48, 31 49), (31 49, 31 49.7))"));
    ASSERT_EQ(ends.size(), 2u);  // (31 49) is shared
    EXPECT_DOUBLE_EQ(ends[1].lat, 49.7);
    Geometry edge = f.line("LINESTRING (30 48, 32 48, 32 50, 30 50, 30 48)");
    Nearest n = nearest_point(edge, ends[1]);
    // The nearest edge point of (31 49.7) is on the parallel 50°N, 0.3° of latitude away: the
    // meridian arc, 33.37 km (a parallel is not a geodesic, so the true nearest point is a hair off
    // 31°E, nearer by far less than a metre).
    const double arc = geodesic_distance_m(31, 49.7, 31, 50);
    EXPECT_LE(n.distance_m, arc + 1e-6);
    EXPECT_NEAR(n.distance_m, arc, 1.0);
    EXPECT_TRUE(loose_ends(f.line("LINESTRING (31 48.5, 31.5 49, 31 49.5, 31 48.5)")).empty());
}

TEST(CeasefireSplit, SidesFollowTheControlAndTheLine) {
    Fixture f;
    // The line at 30.5°E, past the edge at both ends: the occupying side is everything east of it.
    CountrySplit s = split_country(f.country, f.line("LINESTRING (30.5 47.9, 30.5 50.1)"), f.controlled);
    ASSERT_EQ(s.faces.size(), 2u);
    EXPECT_TRUE(s.two_colourable);
    const double east = geodesic_area_m2(f.line("POLYGON ((30.5 48, 32 48, 32 50, 30.5 50, 30.5 48))"));
    EXPECT_NEAR(geodesic_area_m2(s.occupying_side), east, east * 1e-9);
    // Not to the m²: the vertices the line adds on the 48°N and 50°N edges split each geodesic edge
    // into two geodesics, which enclose slightly more (about 1.3 km² here).
    EXPECT_NEAR(geodesic_area_m2(s.free_side) + geodesic_area_m2(s.occupying_side), geodesic_area_m2(f.country),
                geodesic_area_m2(f.country) * 1e-4);
    EXPECT_TRUE(find_enclaves(s.occupying_side, s.free_side, 0.0).enclaves.empty());

    // A line that never reaches the edge splits nothing: one face, on one side.
    CountrySplit none = split_country(f.country, f.line("LINESTRING (30.5 48.5, 30.5 49.5)"), f.controlled);
    ASSERT_EQ(none.faces.size(), 1u);
    EXPECT_FALSE(none.touched[0]);

    // The same line plus a ring around (30.2 49) on the free side: the ring's inside goes to the
    // other side, an enclave of the occupying side inside the free side.
    CountrySplit ring = split_country(
        f.country, f.line("MULTILINESTRING ((30.5 47.9, 30.5 50.1), (30.1 48.9, 30.3 48.9, 30.3 49.1, 30.1 49.1, 30.1 48.9))"),
        f.controlled);
    ASSERT_EQ(ring.faces.size(), 3u);
    auto search = find_enclaves(ring.occupying_side, ring.free_side, 0.0);
    // Under a minimum area it is counted, not listed.
    auto small = find_enclaves(ring.occupying_side, ring.free_side, 1e12);
    EXPECT_TRUE(small.enclaves.empty());
    EXPECT_EQ(small.small_parts, 1);
    const auto& enclaves = search.enclaves;
    ASSERT_EQ(enclaves.size(), 1u);
    EXPECT_TRUE(enclaves[0].occupying);
    const double square = geodesic_area_m2(f.line("POLYGON ((30.1 48.9, 30.3 48.9, 30.3 49.1, 30.1 49.1, 30.1 48.9))"));
    EXPECT_NEAR(enclaves[0].area_m2, square, square * 1e-9);
    EXPECT_NEAR(enclaves[0].point.lon, 30.2, 0.1);
}

TEST(CeasefireSplit, OffsetSamplesAndSqueezedBands) {
    Fixture f;
    std::vector<Geometry> outlines;
    outlines.push_back(f.country.clone());
    FrontOptions o;
    o.outline_simplify_m = 0.0;
    FrontAnalysis a(f.controlled, outlines, o);
    // Samples every km along the 220 km front, weights adding up to its length.
    auto samples = a.samples(1000.0);
    double total = 0.0;
    for (const auto& s : samples) {
        total += s.weight_m;
        EXPECT_NEAR(s.lon, 31.0, 1e-6);
    }
    EXPECT_NEAR(total, a.length_m(), a.length_m() * 0.005);
    EXPECT_NEAR(static_cast<double>(samples.size()), a.length_m() / 1000.0, 3.0);
    // A taller country, lat 44..52, with the front at 31°E, 1° of longitude (67 to 80 km) from the
    // eastern border: a 100 km band on the controlled side is squeezed to that; the first and last
    // 200 km of the front are left out (the border meets it there), so the narrowest place is at
    // the northernmost sample left, about 50.2°N. A 40 km band is not squeezed.
    Geometry tall = Geometry::from_wkt(f.ctx, "POLYGON ((30 44, 32 44, 32 52, 30 52, 30 44))");
    std::vector<Geometry> tall_outlines;
    tall_outlines.push_back(tall.clone());
    FrontAnalysis t(Geometry::from_wkt(f.ctx, "POLYGON ((31 44, 32 44, 32 52, 31 52, 31 44))"), tall_outlines, o);
    auto wide = t.narrowest(Side::controlled, 100000.0, 1000.0);
    EXPECT_TRUE(wide.squeezed);
    EXPECT_NEAR(wide.lat, 50.2, 0.1);
    EXPECT_NEAR(wide.width_m, geodesic_distance_m(31, wide.lat, 32, wide.lat), 400.0);
    EXPECT_FALSE(t.narrowest(Side::controlled, 40000.0, 1000.0).squeezed);
    EXPECT_FALSE(t.narrowest(Side::free, 40000.0, 1000.0).squeezed);
    EXPECT_TRUE(t.narrowest(Side::free, 100000.0, 1000.0).squeezed);
}

}  // namespace
}  // namespace frontline::geo
