#include <gtest/gtest.h>

#include "geo/delta.hpp"
#include "geo/geodesic.hpp"

namespace frontline::geo {
namespace {

DeltaOptions no_sliver_rule() {
    DeltaOptions o;
    o.min_area_m2 = 0.0;
    o.min_width_m = 0.0;
    return o;
}

TEST(Delta, SameSnapshotIsEmpty) {
    Context ctx;
    Geometry a = Geometry::from_wkt(ctx, "POLYGON ((30 48, 31 48, 31 49, 30 49, 30 48))");
    DeltaResult r = compute_delta(a, a, DeltaOptions{});
    EXPECT_TRUE(r.parts.empty());
    EXPECT_EQ(r.gained_m2, 0.0);
    EXPECT_EQ(r.lost_m2, 0.0);
    EXPECT_EQ(r.dropped_gained.parts + r.dropped_lost.parts, 0);
}

TEST(Delta, ShiftedCellGainsEastLosesWest) {
    Context ctx;
    Geometry from = Geometry::from_wkt(ctx, "POLYGON ((30 48, 31 48, 31 49, 30 49, 30 48))");
    Geometry to = Geometry::from_wkt(ctx, "POLYGON ((30.5 48, 31.5 48, 31.5 49, 30.5 49, 30.5 48))");
    DeltaResult r = compute_delta(from, to, no_sliver_rule());
    ASSERT_EQ(r.parts.size(), 2u);
    const double half = geodesic_area_m2(Geometry::from_wkt(ctx, "POLYGON ((31 48, 31.5 48, 31.5 49, 31 49, 31 48))"));
    EXPECT_NEAR(r.gained_m2, half, 1.0);
    EXPECT_NEAR(r.lost_m2, half, 1.0);
    EXPECT_NEAR(r.net_m2(), r.area_to_m2 - r.area_from_m2, 1.0);
    EXPECT_NEAR(r.changed_hands_m2(), 2 * half, 2.0);
}

TEST(Delta, PartsAreOrderedLargestFirstWithChangeLabels) {
    Context ctx;
    Geometry from = Geometry::from_wkt(ctx, "POLYGON ((30 48, 31 48, 31 49, 30 49, 30 48))");
    // Gains a big block in the east and a small one in the north, loses a middle-sized one in the west.
    Geometry to = Geometry::from_wkt(ctx,
        "MULTIPOLYGON (((30.2 48, 31.5 48, 31.5 49, 30.2 49, 30.2 48)), ((30.5 49.1, 30.6 49.1, 30.6 49.2, 30.5 49.2, 30.5 49.1)))");
    DeltaResult r = compute_delta(from, to, no_sliver_rule());
    ASSERT_EQ(r.parts.size(), 3u);
    EXPECT_EQ(r.parts[0].change, Change::gained);
    EXPECT_EQ(r.parts[1].change, Change::lost);
    EXPECT_EQ(r.parts[2].change, Change::gained);
    EXPECT_GT(r.parts[0].area_m2, r.parts[1].area_m2);
    EXPECT_GT(r.parts[1].area_m2, r.parts[2].area_m2);
}

TEST(Delta, SliversAreDroppedAndTallied) {
    Context ctx;
    Geometry from = Geometry::from_wkt(ctx, "POLYGON ((30 48, 31 48, 31 49, 30 49, 30 48))");
    // A 1e-5° (about 0.75 m) wide strip along the east edge: long, but far thinner than 5 m.
    Geometry to = Geometry::from_wkt(ctx, "POLYGON ((30 48, 31.00001 48, 31.00001 49, 30 49, 30 48))");
    DeltaResult kept = compute_delta(from, to, no_sliver_rule());
    ASSERT_EQ(kept.parts.size(), 1u);
    EXPECT_LT(kept.parts[0].width_m, 1.0);
    EXPECT_GT(kept.parts[0].area_m2, 50000.0);  // 0.75 m × 111 km

    DeltaResult filtered = compute_delta(from, to, DeltaOptions{});
    EXPECT_TRUE(filtered.parts.empty());
    EXPECT_EQ(filtered.dropped_gained.parts, 1);
    EXPECT_NEAR(filtered.dropped_gained.area_m2, kept.parts[0].area_m2, 1e-6);
    EXPECT_EQ(filtered.gained_m2, 0.0);
}

TEST(Delta, HolesInSnapshotsAreRespected) {
    Context ctx;
    Geometry from = Geometry::from_wkt(ctx,
        "POLYGON ((30 48, 31 48, 31 49, 30 49, 30 48), (30.25 48.25, 30.75 48.25, 30.75 48.75, 30.25 48.75, 30.25 48.25))");
    Geometry to = Geometry::from_wkt(ctx, "POLYGON ((30 48, 31 48, 31 49, 30 49, 30 48))");
    DeltaResult r = compute_delta(from, to, no_sliver_rule());
    ASSERT_EQ(r.parts.size(), 1u);
    EXPECT_EQ(r.parts[0].change, Change::gained);
    EXPECT_NEAR(r.gained_m2 / 1e6, 2054.4443392697754, 1e-6);  // the hole, filled (pyproj/PostGIS reference)
    EXPECT_EQ(r.lost_m2, 0.0);
}

}  // namespace
}  // namespace frontline::geo
