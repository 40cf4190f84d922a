#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "geo/change_windows.hpp"
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

TEST(Delta, PartsOfEqualAreaAreOrderedByTheirWkb) {
    // Two gains of exactly the same geodesic area (the same box 0.75° of longitude apart), given
    // to GEOS in both orders: the parts come out in one order, the smaller WKB first. The WKB is
    // little-endian, so 34.0 (bytes ... 00 00 41 40) sorts before 33.25 (... A0 40 40): GEOS's
    // west-to-east order is not the WKB order.
    Context ctx;
    Geometry from = Geometry::from_wkt(ctx, "POLYGON ((30 48, 31 48, 31 49, 30 49, 30 48))");
    const char* west = "((33.25 49.5, 33.5 49.5, 33.5 49.75, 33.25 49.75, 33.25 49.5))";
    const char* east = "((34 49.5, 34.25 49.5, 34.25 49.75, 34 49.75, 34 49.5))";
    const std::string base = "((30 48, 31 48, 31 49, 30 49, 30 48))";
    for (const bool west_first : {true, false}) {
        SCOPED_TRACE(west_first ? "west first" : "east first");
        Geometry to = Geometry::from_wkt(ctx, "MULTIPOLYGON (" + base + ", " + (west_first ? west : east) + ", " +
                                                  (west_first ? east : west) + ")");
        DeltaResult r = compute_delta(from, to, no_sliver_rule());
        ASSERT_EQ(r.parts.size(), 2u);
        ASSERT_EQ(r.parts[0].area_m2, r.parts[1].area_m2) << "the case needs two equal areas";
        EXPECT_LT(r.parts[0].polygon.to_wkb(), r.parts[1].polygon.to_wkb());
        EXPECT_EQ(envelope(r.parts[0].polygon).min_lon, 34.0) << "the eastern box has the smaller WKB";
    }
}

/// A lon/lat box drawn with a vertex every 0.01° (corners in whole hundredths), so that two boxes
/// that share a stretch of edge share its vertices bit for bit and the overlay splits no edge:
/// then the geodesic areas of the overlay's pieces add up exactly to the boxes' areas.
Geometry dense_box(const Context& ctx, int x0, int y0, int x1, int y1) {  // hundredths of a degree
    std::vector<std::pair<int, int>> pts;
    for (int x = x0; x < x1; ++x) pts.emplace_back(x, y0);
    for (int y = y0; y < y1; ++y) pts.emplace_back(x1, y);
    for (int x = x1; x > x0; --x) pts.emplace_back(x, y1);
    for (int y = y1; y > y0; --y) pts.emplace_back(x0, y);
    pts.push_back(pts.front());
    std::string w = "POLYGON ((";
    char buf[64];
    for (std::size_t i = 0; i < pts.size(); ++i) {
        std::snprintf(buf, sizeof buf, "%s%.2f %.2f", i ? ", " : "", pts[i].first / 100.0, pts[i].second / 100.0);
        w += buf;
    }
    return Geometry::from_wkt(ctx, w + "))");
}

TEST(Delta, TheLargerSideIsDerivedFromTheAreasOnlyWhenNoPartIsWantedAndNoneCanBeASliver) {
    Context ctx;
    const Geometry west = dense_box(ctx, 3000, 4800, 3100, 4900);
    const Geometry east = dense_box(ctx, 3020, 4800, 3150, 4900);  // west → east: loses 30.0-30.2°E, gains 31.0-31.5°E
    const double small_ref = geodesic_area_m2(dense_box(ctx, 3000, 4800, 3020, 4900));
    const double large_ref = geodesic_area_m2(dense_box(ctx, 3100, 4800, 3150, 4900));
    for (bool windows : {false, true}) {
        for (bool forward : {true, false}) {
            SCOPED_TRACE(std::string(windows ? "change windows" : "full overlay") + (forward ? ", west → east" : ", east → west"));
            const Geometry& from = forward ? west : east;
            const Geometry& to = forward ? east : west;
            const Change larger = forward ? Change::gained : Change::lost;
            DeltaOptions both = no_sliver_rule();
            both.clip_to_changes = windows;
            DeltaOptions areas_only = both;
            areas_only.parts_wanted = false;
            const DeltaResult a = compute_delta(from, to, both);
            const DeltaResult b = compute_delta(from, to, areas_only);
            EXPECT_FALSE(a.derived.has_value());
            ASSERT_EQ(b.derived, larger) << "the larger side, by the sign of the net";
            auto gained_lost = [&](const DeltaResult& r) { return forward ? std::pair(r.gained_m2, r.lost_m2) : std::pair(r.lost_m2, r.gained_m2); };
            EXPECT_NEAR(gained_lost(a).first, large_ref, 1.0);
            EXPECT_NEAR(gained_lost(a).second, small_ref, 1.0);
            EXPECT_NEAR(gained_lost(b).first, large_ref, 1.0);
            EXPECT_NEAR(gained_lost(b).second, gained_lost(a).second, 1e-3) << "the smaller side is overlaid";
            EXPECT_NEAR(b.net_m2(), b.area_to_m2 - b.area_from_m2, 1e-3);
            EXPECT_TRUE(b.parts.empty()) << "only areas are measured";
            EXPECT_EQ(a.parts.size(), 2u);
        }
    }
    // A sliver rule needs every part measured: then both sides are overlaid, whatever was asked.
    DeltaOptions rule;
    rule.parts_wanted = false;
    const DeltaResult c = compute_delta(west, east, rule);
    EXPECT_FALSE(c.derived.has_value());
    EXPECT_EQ(c.parts.size(), 2u);
    // Only gained: nothing lost is overlaid, and the gain is all the growth.
    DeltaOptions areas_only = no_sliver_rule();
    areas_only.parts_wanted = false;
    const DeltaResult d = compute_delta(west, dense_box(ctx, 3000, 4800, 3150, 4900), areas_only);
    EXPECT_EQ(d.derived, Change::gained);
    EXPECT_EQ(d.lost_m2, 0.0);
    EXPECT_NEAR(d.gained_m2, large_ref, 1.0);
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

// --- The change-window fast path ------------------------------------------------------------

/// A 2° × 1° block drawn with a vertex every 0.01° on its edges, so that a local change touches
/// only a few of its 600 segments.
std::string block_wkt(double notch_depth, bool clockwise = false, const char* hole = nullptr) {
    std::vector<std::pair<double, double>> pts;
    for (int i = 0; i < 200; ++i) pts.emplace_back(30.0 + i * 0.01, 48.0);
    for (int i = 0; i < 100; ++i) pts.emplace_back(32.0, 48.0 + i * 0.01);
    for (int i = 0; i < 200; ++i) {
        double x = 32.0 - i * 0.01;
        // The notch: the top edge between 31.00 and 31.05 dips by notch_depth.
        double y = (x > 30.999 && x < 31.051) ? 49.0 - notch_depth : 49.0;
        pts.emplace_back(x, y);
    }
    for (int i = 0; i < 100; ++i) pts.emplace_back(30.0, 49.0 - i * 0.01);
    pts.push_back(pts.front());
    if (clockwise) std::reverse(pts.begin(), pts.end());
    std::string w = "POLYGON ((";
    for (std::size_t i = 0; i < pts.size(); ++i) {
        w += (i ? ", " : "") + std::to_string(pts[i].first) + " " + std::to_string(pts[i].second);
    }
    w += ")";
    if (hole != nullptr) w += std::string(", (") + hole + ")";
    return w + ")";
}

void expect_same_delta(const Geometry& a, const Geometry& b, int expected_windows) {
    DeltaOptions full = no_sliver_rule();
    full.clip_to_changes = false;
    DeltaResult slow = compute_delta(a, b, full);
    DeltaResult fast = compute_delta(a, b, no_sliver_rule());
    EXPECT_EQ(slow.windows, -1);
    EXPECT_EQ(fast.windows, expected_windows);
    EXPECT_NEAR(fast.gained_m2, slow.gained_m2, 1.0);
    EXPECT_NEAR(fast.lost_m2, slow.lost_m2, 1.0);
    EXPECT_EQ(fast.parts.size(), slow.parts.size());
}

TEST(ChangeWindows, ALocalChangeGivesOneSmallWindowAroundIt) {
    Context ctx;
    Geometry a = Geometry::from_wkt(ctx, block_wkt(0.0));
    Geometry b = Geometry::from_wkt(ctx, block_wkt(0.02));
    auto w = change_windows(a, b, ChangeWindowOptions{});
    ASSERT_TRUE(w.has_value());
    ASSERT_EQ(w->size(), 1u);
    const Envelope& e = w->front();
    EXPECT_LE(e.min_lon, 30.99);
    EXPECT_GE(e.max_lon, 31.06);
    EXPECT_LE(e.min_lat, 48.98);
    EXPECT_GE(e.max_lat, 49.0);
    EXPECT_LT(e.max_lon - e.min_lon, 0.1) << "the window stays local";
    EXPECT_LT(e.max_lat - e.min_lat, 0.05);
    expect_same_delta(a, b, 1);
    expect_same_delta(b, a, 1);
    DeltaResult r = compute_delta(a, b, no_sliver_rule());
    EXPECT_EQ(r.gained_m2, 0.0);
    // The notch, with the block's vertices along its top edge (each edge is a geodesic).
    std::string notch = "POLYGON ((30.99 49";
    for (int i = 0; i <= 5; ++i) notch += ", 31.0" + std::to_string(i) + " 48.98";
    notch += ", 31.06 49";
    for (int i = 5; i >= 0; --i) notch += ", 31.0" + std::to_string(i) + " 49";
    notch += ", 30.99 49))";
    EXPECT_NEAR(r.lost_m2, geodesic_area_m2(Geometry::from_wkt(ctx, notch)), 1.0);
}

TEST(ChangeWindows, RingOrientationDoesNotCountAsAChange) {
    Context ctx;
    Geometry a = Geometry::from_wkt(ctx, block_wkt(0.0));
    Geometry b = Geometry::from_wkt(ctx, block_wkt(0.0, true));
    auto w = change_windows(a, b, ChangeWindowOptions{});
    ASSERT_TRUE(w.has_value());
    EXPECT_TRUE(w->empty());
    DeltaResult r = compute_delta(a, b, no_sliver_rule());
    EXPECT_EQ(r.windows, 0);
    EXPECT_TRUE(r.parts.empty());
}

TEST(ChangeWindows, ANewHoleIsAChangeInsideItsWindow) {
    Context ctx;
    Geometry a = Geometry::from_wkt(ctx, block_wkt(0.0));
    Geometry b = Geometry::from_wkt(ctx, block_wkt(0.0, false, "31.5 48.5, 31.5 48.6, 31.6 48.6, 31.6 48.5, 31.5 48.5"));
    expect_same_delta(a, b, 1);
    expect_same_delta(b, a, 1);
}

TEST(ChangeWindows, SeparateChangesGetSeparateWindows) {
    Context ctx;
    Geometry a = Geometry::from_wkt(ctx, block_wkt(0.0));
    Geometry b = Geometry::from_wkt(ctx, block_wkt(0.0, false, "30.2 48.2, 30.2 48.3, 30.3 48.3, 30.3 48.2, 30.2 48.2"));
    Geometry c = Geometry::from_wkt(ctx, block_wkt(0.03, false, "30.2 48.2, 30.2 48.3, 30.3 48.3, 30.3 48.2, 30.2 48.2"));
    auto w = change_windows(a, c, ChangeWindowOptions{});
    ASSERT_TRUE(w.has_value());
    EXPECT_EQ(w->size(), 2u);
    expect_same_delta(a, c, 2);
    expect_same_delta(b, c, 1);
    ChangeWindowOptions one;
    one.max_windows = 1;
    one.max_window_share = 1.0;
    auto merged = change_windows(a, c, one);
    ASSERT_TRUE(merged.has_value());
    EXPECT_EQ(merged->size(), 1u) << "past max_windows, windows merge";
    one.max_window_share = 0.5;
    EXPECT_FALSE(change_windows(a, c, one).has_value()) << "a window over half the envelope does not pay";
}

TEST(ChangeWindows, NoFastPathWhenMostOfTheBoundaryChanged) {
    Context ctx;
    Geometry a = Geometry::from_wkt(ctx, "POLYGON ((30 48, 31 48, 31 49, 30 49, 30 48))");
    Geometry b = Geometry::from_wkt(ctx, "POLYGON ((30.5 48, 31.5 48, 31.5 49, 30.5 49, 30.5 48))");
    EXPECT_FALSE(change_windows(a, b, ChangeWindowOptions{}).has_value());
    EXPECT_FALSE(change_windows(a, Geometry::empty_multipolygon(ctx), ChangeWindowOptions{}).has_value());
    expect_same_delta(a, b, -1);
}

TEST(SharedVertices, JitterIsTakenAsTheEarlierVertexAndARealMoveIsNot) {
    Context ctx;
    Geometry a = Geometry::from_wkt(ctx, "POLYGON ((30 48, 31 48, 31 49, 30 49, 30 48))");
    // 31 48 comes back 2.2e-7° off (an export's jitter), 31 49 moved 1e-3° east (a change).
    Geometry b = Geometry::from_wkt(ctx, "POLYGON ((30 48, 31.0000002 48.0000001, 31.001 49, 30 49, 30 48))");
    auto snapped = snap_to_shared_vertices(b, a, 5e-7);
    ASSERT_TRUE(snapped.has_value());
    EXPECT_EQ(snapped->to_wkb(),
              Geometry::from_wkt(ctx, "POLYGON ((30 48, 31 48, 31.001 49, 30 49, 30 48))").to_wkb());
    EXPECT_FALSE(snap_to_shared_vertices(b, a, 1e-7).has_value()) << "2.2e-7° is beyond a 1e-7° tolerance";
    EXPECT_FALSE(snap_to_shared_vertices(a, a, 5e-7).has_value()) << "nothing to move";
    EXPECT_FALSE(snap_to_shared_vertices(b, a, 0.0).has_value());
    // The nearest of two candidates.
    Geometry two = Geometry::from_wkt(ctx, "POLYGON ((30 48, 31 48, 31.0000004 48, 31 49, 30 49, 30 48))");
    Geometry near = Geometry::from_wkt(ctx, "POLYGON ((30 48, 31.0000003 48, 31 49, 30 49, 30 48))");
    auto to_nearest = snap_to_shared_vertices(near, two, 5e-7);
    ASSERT_TRUE(to_nearest.has_value());
    EXPECT_EQ(to_nearest->to_wkb(),
              Geometry::from_wkt(ctx, "POLYGON ((30 48, 31.0000004 48, 31 49, 30 49, 30 48))").to_wkb());
    // A move that would collapse a ring leaves the geometry as it is.
    Geometry thin = Geometry::from_wkt(ctx, "POLYGON ((30 48, 31 48, 31.0000002 48.0000003, 30 48))");
    ASSERT_FALSE(invalid_reason(thin).has_value());
    EXPECT_FALSE(snap_to_shared_vertices(thin, a, 5e-7).has_value());
}

TEST(SharedVertices, AMoveThatBreaksTheLaterSnapshotIsNotMade) {
    // A 3 cm sliver polygon whose tip lies 3.6e-7° from a vertex of the earlier snapshot: moved
    // there, it collapses. The fast path does not check the whole moved snapshot, only its clips
    // (snapped_change_windows); the clip of the collapsed sliver must be refused and the delta be
    // the one without any move, in the windows and in the full overlay.
    Context ctx;
    Geometry a = Geometry::from_wkt(ctx, "MULTIPOLYGON (((30 48, 31 48, 31 49, 30 49, 30 48)))");
    Geometry b = Geometry::from_wkt(ctx, "MULTIPOLYGON (((30 48, 31 48, 31 49, 30 49, 30 48)), "
                                         "((31 48, 32 48, 31.0000002 48.0000003, 31 48)))");
    ASSERT_FALSE(invalid_reason(b).has_value());
    SnappedChange change = snapped_change_windows(a, b, 5e-7, ChangeWindowOptions{});
    ASSERT_TRUE(change.moved.has_value());
    ASSERT_TRUE(invalid_reason(*change.moved).has_value()) << "the case must break the snapshot";
    EXPECT_FALSE(snap_to_shared_vertices(b, a, 5e-7).has_value());
    DeltaOptions as_stored = no_sliver_rule();
    as_stored.same_vertex_deg = 0.0;
    const double expected = compute_delta(a, b, as_stored).gained_m2;
    EXPECT_NEAR(expected, 1241.0, 1.0);
    for (bool full : {false, true}) {
        DeltaOptions o = no_sliver_rule();
        o.clip_to_changes = !full;
        const DeltaResult r = compute_delta(a, b, o);
        EXPECT_DOUBLE_EQ(r.gained_m2, expected) << "full overlay " << full;
        EXPECT_EQ(r.lost_m2, 0.0);
        ASSERT_EQ(r.parts.size(), 1u);
    }
}

TEST(SharedVertices, AnExportsJitterIsNoChangeUnlessAskedFor) {
    Context ctx;
    Geometry a = Geometry::from_wkt(ctx, "POLYGON ((30 48, 31 48, 31 49, 30 49, 30 48))");
    Geometry b = Geometry::from_wkt(ctx, "POLYGON ((30 48, 31.0000002 48.0000001, 31 49.0000003, 30 49, 30 48))");
    DeltaOptions kept = no_sliver_rule();
    DeltaResult snapped = compute_delta(a, b, kept);
    EXPECT_TRUE(snapped.parts.empty());
    EXPECT_EQ(snapped.gained_m2, 0.0);
    EXPECT_EQ(snapped.lost_m2, 0.0);
    EXPECT_EQ(snapped.windows, 0) << "nothing left to overlay";
    for (bool full : {false, true}) {
        DeltaOptions as_stored = kept;
        as_stored.same_vertex_deg = 0.0;
        as_stored.clip_to_changes = !full;
        DeltaResult r = compute_delta(a, b, as_stored);
        EXPECT_FALSE(r.parts.empty()) << "hairlines, full overlay " << full;
        EXPECT_GT(r.gained_m2 + r.lost_m2, 0.0);
        // Slivers up to 3 cm wide along the four 70-111 km edges that meet a moved corner.
        EXPECT_LT(r.gained_m2 + r.lost_m2, 5000.0);
    }
}

}  // namespace
}  // namespace frontline::geo
