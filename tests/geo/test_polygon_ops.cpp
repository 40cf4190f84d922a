#include <gtest/gtest.h>
#include <cmath>
#include <geos_c.h>

#include "geo/geodesic.hpp"
#include "geo/polygon_ops.hpp"
#include "ingest/ingest_job.hpp"
#include "ingest/reader.hpp"
#include "ingest/store.hpp"
#include "tests/test_support.hpp"

namespace frontline::geo {
namespace {

bool equal_geometries(const Geometry& a, const Geometry& b) { return topologically_equal(a, b); }

TEST(PolygonOps, PolygonalPartFlattensCollections) {
    Context ctx;
    auto g = Geometry::from_wkt(ctx,
                                "GEOMETRYCOLLECTION (POINT (0 0), LINESTRING (0 0, 1 1), "
                                "GEOMETRYCOLLECTION (POLYGON ((0 0, 1 0, 1 1, 0 0))), "
                                "MULTIPOLYGON (((2 2, 3 2, 3 3, 2 2)), ((5 5, 6 5, 6 6, 5 5))), POLYGON EMPTY)");
    Geometry p = polygonal_part(g);
    EXPECT_EQ(p.type_id(), 6);  // MultiPolygon
    EXPECT_EQ(p.num_geometries(), 3);
}

TEST(PolygonOps, InvalidReasonNamesTheProblem) {
    Context ctx;
    EXPECT_FALSE(invalid_reason(Geometry::from_wkt(ctx, "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))")).has_value());
    auto bowtie = invalid_reason(Geometry::from_wkt(ctx, "POLYGON ((0 0, 1 1, 1 0, 0 1, 0 0))"));
    ASSERT_TRUE(bowtie.has_value());
    EXPECT_NE(bowtie->find("Self-intersection"), std::string::npos) << *bowtie;
}

TEST(PolygonOps, MakeValidKeepsBothLobesOfABowTie) {
    Context ctx;
    Geometry fixed = make_valid_polygonal(Geometry::from_wkt(ctx, "POLYGON ((0 0, 1 1, 1 0, 0 1, 0 0))"));
    EXPECT_FALSE(invalid_reason(fixed).has_value());
    EXPECT_EQ(fixed.num_geometries(), 2);
    // Two triangles, each a quarter of the 1° cell (geodesic edges make them nearly equal).
    EXPECT_NEAR(geodesic_area_m2(fixed) / 1e6, 12308.778 / 2, 10.0);
}

TEST(PolygonOps, MakeValidHoleOutsideShellRemovesNothing) {
    Context ctx;
    // GEOS's own MakeValid would add the stray hole as territory (shell XOR hole).
    Geometry g = Geometry::from_wkt(ctx, "POLYGON ((30 48, 31 48, 31 49, 30 49, 30 48), (32 48, 33 48, 33 49, 32 49, 32 48))");
    ASSERT_TRUE(invalid_reason(g).has_value());
    Geometry fixed = make_valid_polygonal(g);
    EXPECT_TRUE(topologically_equal(fixed, Geometry::from_wkt(ctx, "POLYGON ((30 48, 31 48, 31 49, 30 49, 30 48))")));
}

TEST(PolygonOps, MakeValidMergesOverlappingPartsAndKeepsHoles) {
    Context ctx;
    Geometry g = Geometry::from_wkt(ctx,
        "MULTIPOLYGON (((0 0, 2 0, 2 2, 0 2, 0 0), (0.5 0.5, 0.8 0.5, 0.8 0.8, 0.5 0.8, 0.5 0.5)), ((1 0, 3 0, 3 2, 1 2, 1 0)))");
    ASSERT_TRUE(invalid_reason(g).has_value());
    Geometry fixed = make_valid_polygonal(g);
    EXPECT_FALSE(invalid_reason(fixed).has_value());
    // The hole lies where only the first part reaches, so it survives the merge.
    EXPECT_TRUE(topologically_equal(fixed, Geometry::from_wkt(ctx,
        "POLYGON ((0 0, 3 0, 3 2, 0 2, 0 0), (0.5 0.5, 0.8 0.5, 0.8 0.8, 0.5 0.8, 0.5 0.5))")));
}

TEST(PolygonOps, DissolveMergesOverlapsAndSnapsToGrid) {
    Context ctx;
    std::vector<Geometry> parts;
    parts.push_back(Geometry::from_wkt(ctx, "POLYGON ((0 0, 2 0, 2 1, 0 1, 0 0))"));
    parts.push_back(Geometry::from_wkt(ctx, "POLYGON ((1 0, 3 0, 3 1, 1 1, 1 0))"));
    parts.push_back(Geometry::from_wkt(ctx, "POLYGON ((10.00000001 10, 11 10, 11 11, 10 11, 10.00000001 10))"));
    Geometry d = dissolve(ctx, parts, 1e-7);
    EXPECT_EQ(d.num_geometries(), 2);
    EXPECT_TRUE(equal_geometries(
        d, Geometry::from_wkt(ctx, "MULTIPOLYGON (((0 0, 3 0, 3 1, 0 1, 0 0)), ((10 10, 11 10, 11 11, 10 11, 10 10)))")));
    EXPECT_TRUE(dissolve(ctx, {}, 1e-7).is_empty());
}

TEST(PolygonOps, DissolveOfDisjointPartsRoundsInsteadOfUniting) {
    Context ctx;
    std::vector<Geometry> parts;
    parts.push_back(Geometry::from_wkt(ctx, "POLYGON ((30.12345678 48, 31 48, 31 49, 30 49, 30.12345678 48))"));
    parts.push_back(Geometry::from_wkt(ctx, "POLYGON ((32 48, 33 48, 33 49, 32 49, 32 48))"));
    Geometry d = dissolve(ctx, parts, 1e-7);
    std::vector<Geometry> copies;
    for (const auto& p : parts) copies.push_back(p.clone());
    Geometry all = make_multipolygon(ctx, std::move(copies));
    Geometry unioned(ctx, GEOSUnaryUnionPrec_r(ctx.handle(), all.get(), 1e-7));
    EXPECT_TRUE(topologically_equal(d, unioned)) << d.to_wkt(9);
    EXPECT_NE(d.to_wkt(9).find("30.1234568 48"), std::string::npos) << d.to_wkt(9);
    // Rounding that collapses a ring (a sliver thinner than the grid) falls back to the union.
    std::vector<Geometry> thin;
    thin.push_back(Geometry::from_wkt(ctx, "POLYGON ((0 0, 1 0, 1 0.00000004, 0 0.00000004, 0 0))"));
    thin.push_back(Geometry::from_wkt(ctx, "POLYGON ((2 0, 3 0, 3 1, 2 1, 2 0))"));
    std::vector<Geometry> thin_copies;
    for (const auto& p : thin) thin_copies.push_back(p.clone());
    Geometry all_thin = make_multipolygon(ctx, std::move(thin_copies));
    EXPECT_TRUE(invalid_reason(round_to_grid(all_thin, 1e-7)).has_value()) << "the case must collapse";
    Geometry t = dissolve(ctx, thin, 1e-7);
    EXPECT_FALSE(invalid_reason(t).has_value());
    EXPECT_EQ(t.num_geometries(), 1);
    EXPECT_NEAR(geodesic_area_m2(t), geodesic_area_m2(thin[1]), 1e4);
}

TEST(PolygonOps, DifferenceOnGrid) {
    Context ctx;
    Geometry a = Geometry::from_wkt(ctx, "POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))");
    Geometry b = Geometry::from_wkt(ctx, "POLYGON ((1 0, 3 0, 3 2, 1 2, 1 0))");
    EXPECT_TRUE(equal_geometries(difference(a, b, 1e-7),
                                 Geometry::from_wkt(ctx, "MULTIPOLYGON (((0 0, 1 0, 1 2, 0 2, 0 0)))")));
    EXPECT_TRUE(difference(a, a, 1e-7).is_empty());
}

/// True if every coordinate of `g` is a multiple of `grid` (as GEOS's fixed precision rounds).
bool on_grid(const Geometry& g, double grid) {
    bool ok = true;
    auto check = [](double* x, double* y, void* data) -> int {
        auto* state = static_cast<std::pair<double, bool*>*>(data);
        const double s = 1.0 / state->first;
        for (double v : {*x, *y}) {
            if (std::floor(v * s + 0.5) / s != v) {
                *state->second = false;
            }
        }
        return 1;
    };
    std::pair<double, bool*> state{grid, &ok};
    Geometry copy(g.context(), GEOSGeom_transformXY_r(g.context().handle(), g.get(), check, &state));
    return ok;
}

TEST(PolygonOps, OverlaysAreOnTheGridAndMatchSnapRounding) {
    Context ctx;
    // Edges that cross at points off the grid; a second shape nearly touching the first one's
    // vertex (within half a grid cell), where plain rounding of the floating result can fold a
    // ring and the polygon must be snap-rounded instead.
    const char* pairs[][2] = {
        {"POLYGON ((30 48, 31.3333333 48.1111111, 30.7777777 49.4444444, 30 48))",
         "POLYGON ((30.5 47.9, 31.9 48.7, 30.2 49.1, 30.5 47.9))"},
        {"POLYGON ((0 0, 1 0, 1 1, 0.5 0.00000004, 0 1, 0 0))", "POLYGON ((0.2 -0.1, 0.8 -0.1, 0.5 0.5, 0.2 -0.1))"},
        {"POLYGON ((36.1234567 47.7654321, 36.9876543 47.8765432, 36.5555555 48.3333333, 36.1234567 47.7654321))",
         "POLYGON ((36.3333333 47.7, 37.1111111 48.1111111, 36.2222222 48.2222222, 36.3333333 47.7))"},
    };
    for (const auto& p : pairs) {
        Geometry a = Geometry::from_wkt(ctx, p[0]);
        Geometry b = Geometry::from_wkt(ctx, p[1]);
        for (int op = 0; op < 2; ++op) {
            Geometry got = op == 0 ? difference(a, b, 1e-7) : intersection(a, b, 1e-7);
            Geometry snapped(ctx, op == 0 ? GEOSDifferencePrec_r(ctx.handle(), a.get(), b.get(), 1e-7)
                                          : GEOSIntersectionPrec_r(ctx.handle(), a.get(), b.get(), 1e-7));
            EXPECT_FALSE(invalid_reason(got).has_value()) << p[0] << " op " << op;
            EXPECT_TRUE(on_grid(got, 1e-7)) << got.to_wkt(10);
            // Within a few grid cells' area of the snap-rounded overlay (~1 cm² each).
            EXPECT_NEAR(geodesic_area_m2(got), geodesic_area_m2(snapped), 1e-2) << p[0] << " op " << op;
        }
    }
}

/// True if every coordinate of `g` is a multiple of `grid` to within a millionth of a cell: as our
/// rounding or GEOS's snap-rounding puts it there (GEOS scales by 1e7 where we scale by
/// 1/1e-7 = 9999999.999999998, so the two may differ in the last bit).
bool near_grid(const Geometry& g, double grid) {
    bool ok = true;
    auto check = [](double* x, double* y, void* data) -> int {
        auto* state = static_cast<std::pair<double, bool*>*>(data);
        for (double v : {*x, *y}) {
            const double cells = v / state->first;
            if (std::fabs(cells - std::nearbyint(cells)) > 1e-6) {
                *state->second = false;
            }
        }
        return 1;
    };
    std::pair<double, bool*> state{grid, &ok};
    Geometry copy(g.context(), GEOSGeom_transformXY_r(g.context().handle(), g.get(), check, &state));
    return ok;
}

TEST(PolygonOps, OverlaysOfRealMapsAreValidOnTheGridAndCloseToTheExactArea) {
    // ISW's maps of 2022-04-01 and 2022-09-01: their difference has thousands of parts, and
    // rounding the floating result to the grid makes some of them overlap or share an edge, which
    // floating_to_grid() repairs where it happens instead of snap-rounding the whole result.
    const std::string folder = "isw_via_nikkei/geoJSON/2022/";
    FRONTLINE_REQUIRE_DATA(april, folder + "April/RussianAssessedCoTinUkraine/20220401_RussianAssessedCoTinUkraine.geojson");
    FRONTLINE_REQUIRE_DATA(september,
                           folder + "September/RussianAssessedCoTinUkraine/20220901_RussianAssessedCoTinUkraine.geojson");
    test::TempDir dir;
    Context ctx;
    ingest::IngestOptions o;
    o.store_path = dir.file("s.gpkg");
    o.files = {april, september};
    o.provider = "isw";
    ingest::ingest_files(ctx, o);
    ingest::Store store = ingest::Store::open(o.store_path);
    Geometry a = Geometry::from_wkb(ctx, store.load_wkb(ingest::SnapshotKey{"isw", "2022-04-01", "occupied"}));
    Geometry b = Geometry::from_wkb(ctx, store.load_wkb(ingest::SnapshotKey{"isw", "2022-09-01", "occupied"}));
    for (int op = 0; op < 2; ++op) {
        SCOPED_TRACE(op == 0 ? "lost (April minus September)" : "gained (September minus April)");
        const Geometry& x = op == 0 ? a : b;
        const Geometry& y = op == 0 ? b : a;
        Geometry got = difference(x, y, 1e-7);
        Geometry floating(ctx, GEOSDifference_r(ctx.handle(), x.get(), y.get()));
        Geometry snapped(ctx, GEOSDifferencePrec_r(ctx.handle(), x.get(), y.get(), 1e-7));
        EXPECT_FALSE(invalid_reason(got).has_value()) << invalid_reason(got).value_or("");
        EXPECT_TRUE(near_grid(got, 1e-7));
        EXPECT_FALSE(near_grid(floating, 1e-7)) << "the floating overlay has points off the grid";
        EXPECT_GT(got.num_geometries(), 1000);
        // Every way onto the grid moves the area a little: the floating overlay's area (the exact
        // answer) is 49 and 214 m² away from ours, 1,600 and 1,700 m² from GEOS's snap-rounded
        // overlay (the whole result snap-rounded), out of 25,000-27,500 km².
        const double exact_m2 = geodesic_area_m2(floating);
        EXPECT_GT(exact_m2, 2e10);
        EXPECT_NEAR(geodesic_area_m2(got), exact_m2, 500.0);
        EXPECT_NEAR(geodesic_area_m2(snapped), exact_m2, 5000.0);
    }
}

/// dissolve() of `wkts` against GEOS's snap-rounded unary union of the same polygons.
void expect_dissolve_is_the_union(const std::vector<std::string>& wkts) {
    Context ctx;
    std::vector<Geometry> parts;
    std::vector<Geometry> copies;
    for (const auto& w : wkts) {
        parts.push_back(Geometry::from_wkt(ctx, w));
        copies.push_back(parts.back().clone());
    }
    Geometry all = make_multipolygon(ctx, std::move(copies));
    ASSERT_TRUE(invalid_reason(round_to_grid(all, 1e-7)).has_value()) << "the parts must need a union";
    Geometry expected(ctx, GEOSUnaryUnionPrec_r(ctx.handle(), all.get(), 1e-7));
    Geometry got = dissolve(ctx, parts, 1e-7);
    EXPECT_FALSE(invalid_reason(got).has_value());
    EXPECT_TRUE(topologically_equal(got, expected)) << got.to_wkt(9) << "\nexpected " << expected.to_wkt(9);
}

TEST(PolygonOps, DissolveUnitesHolesIslandsAndSharedEdgesAsAUnionDoes) {
    // Valid polygons whose union is not a plain sum: what a buffer by zero must get right.
    SCOPED_TRACE("a hole that another polygon fills and overlaps");
    expect_dissolve_is_the_union({"POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 3 1, 3 3, 1 3, 1 1))",
                                  "POLYGON ((0.5 0.5, 3.5 0.5, 3.5 3.5, 0.5 3.5, 0.5 0.5))"});
    SCOPED_TRACE("an island in a hole, next to two polygons that share an edge");
    expect_dissolve_is_the_union({"POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 3 1, 3 3, 1 3, 1 1))",
                                  "POLYGON ((1.5 1.5, 2.5 1.5, 2.5 2.5, 1.5 2.5, 1.5 1.5))",
                                  "POLYGON ((4 0, 6 0, 6 4, 4 4, 4 0))"});
    SCOPED_TRACE("a polygon inside another, touching its boundary at a vertex");
    expect_dissolve_is_the_union({"POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))", "POLYGON ((0 0, 1 0.5, 0.5 1, 0 0))"});
    SCOPED_TRACE("a hole touching its shell at a vertex, and a polygon overlapping a corner");
    expect_dissolve_is_the_union({"POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (0 0, 2 1, 1 2, 0 0))",
                                  "POLYGON ((3 3, 5 3, 5 5, 3 5, 3 3))"});
    SCOPED_TRACE("rings inside rings: a frame, a frame inside its hole, a square across both");
    expect_dissolve_is_the_union({"POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (1 1, 9 1, 9 9, 1 9, 1 1))",
                                  "POLYGON ((2 2, 8 2, 8 8, 2 8, 2 2), (3 3, 7 3, 7 7, 3 7, 3 3))",
                                  "POLYGON ((0.5 0.5, 2.5 0.5, 2.5 2.5, 0.5 2.5, 0.5 0.5))"});
    SCOPED_TRACE("two holes merged into one by a polygon between them, which leaves a gap");
    expect_dissolve_is_the_union({"POLYGON ((0 0, 6 0, 6 3, 0 3, 0 0), (1 1, 2 1, 2 2, 1 2, 1 1), (4 1, 5 1, 5 2, 4 2, 4 1))",
                                  "POLYGON ((1.5 1.2, 4.5 1.2, 4.5 1.8, 1.5 1.8, 1.5 1.2))"});
}

TEST(PolygonOps, RoundingSaysWhetherItMovedAnythingAndDissolveChecksWhatMoved) {
    Context ctx;
    bool moved = true;
    // Six and seven decimals are on the 1e-7 grid already: nothing moves, bit for bit.
    Geometry on_grid = Geometry::from_wkt(ctx, "POLYGON ((35.201458 45.523343, 35.311256 45.411424, "
                                               "35.3820641 45.4, 35.201458 45.523343))");
    Geometry same = round_to_grid(on_grid, 1e-7, &moved);
    EXPECT_FALSE(moved);
    EXPECT_EQ(same.to_wkb(), on_grid.to_wkb());
    Geometry off_grid = Geometry::from_wkt(ctx, "POLYGON ((0 0, 1 0, 1 1.00000004, 0 0))");
    round_to_grid(off_grid, 1e-7, &moved);
    EXPECT_TRUE(moved);
    // One valid input that rounding leaves alone is returned as it is...
    std::vector<Geometry> one;
    one.push_back(on_grid.clone());
    const std::vector<unsigned char> dissolved = dissolve(ctx, one, 1e-7).to_wkb();
    EXPECT_EQ(dissolved, make_multipolygon(ctx, std::move(one)).to_wkb());
    // ...but one that rounding moves is still checked: these two valid polygons 4e-8° apart
    // overlap once rounded, and must come out united and valid.
    std::vector<Geometry> close;
    close.push_back(Geometry::from_wkt(ctx, "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 1, 0 0)), "
                                            "((1.00000004 0, 2 0, 2 1, 1.00000004 1, 1.00000004 0)))"));
    ASSERT_FALSE(invalid_reason(close[0]).has_value());
    ASSERT_TRUE(invalid_reason(round_to_grid(close[0], 1e-7)).has_value()) << "the case must need a union";
    Geometry united = dissolve(ctx, close, 1e-7);
    EXPECT_FALSE(invalid_reason(united).has_value());
    EXPECT_EQ(united.num_geometries(), 1);
}

TEST(PolygonOps, DissolveOfOverlappingRealFeaturesIsTheirUnion) {
    // ISW's map of 2022-02-24: 8 features whose 146 polygons abut and overlap (by ~10 km²), and
    // NZZ's of 2023-10-24 (gains drawn over the areas that did not change). dissolve() must give
    // GEOS's unary union of them, to within what putting it on the grid moves.
    FRONTLINE_REQUIRE_DATA(isw, "isw_via_nikkei/geoJSON/2022/February_March/RussianAssessedCoTinUkraine/"
                                "20220224_RussianAssessedCoTinUkraine.geojson");
    FRONTLINE_REQUIRE_DATA(nzz, "nzz_liveuamap/data/2023-10-24.json");
    for (const std::string& path : {isw, nzz}) {
        SCOPED_TRACE(path);
        Context ctx;
        ingest::ReadOptions options;
        if (path == nzz) {
            options.unwrap_member = "value";
        }
        ingest::SourceRead read = ingest::read_source(ctx, path, options);
        std::vector<Geometry> copies;
        for (const auto& g : read.polygons) {
            for (auto& p : polygons_of(g)) {
                copies.push_back(std::move(p));
            }
        }
        Geometry all = make_multipolygon(ctx, std::move(copies));
        ASSERT_TRUE(invalid_reason(round_to_grid(all, 1e-7)).has_value()) << "the file must need a union";
        Geometry exact(ctx, GEOSUnaryUnion_r(ctx.handle(), all.get()));
        Geometry got = dissolve(ctx, read.polygons, 1e-7);
        EXPECT_FALSE(invalid_reason(got).has_value());
        EXPECT_TRUE(near_grid(got, 1e-7));
        // Every vertex is the very double round_to_grid() writes for its grid point, also where
        // GEOS snap-rounded (which writes k × 1e-7, often one unit in the last place off
        // k / 1e7): a vertex two snapshots share must compare equal (ISW 2022-02-24 had 15,725
        // coordinates off, and its pair with 2022-03-01 overlaid in full).
        bool moved = true;
        round_to_grid(got, 1e-7, &moved);
        EXPECT_FALSE(moved) << "a vertex is not written as round_to_grid() writes it";
        const GeodesicMeasure m = geodesic_measure(exact);
        EXPECT_GT(m.area_m2, 5e10);
        // Rounding to the grid moves each edge by up to half a cell (~0.55 cm), in both
        // directions along a boundary: the areas agree to a few hundred m² (127 and 13 m²
        // measured), and the shapes differ only by hairlines along the boundary (1.4 and 0.14 mm
        // wide on average, over 5,200 and 9,500 km). A polygon too many or too few, or a hole
        // lost, is far more than 3 mm along the whole boundary.
        EXPECT_NEAR(geodesic_area_m2(got), m.area_m2, 1000.0);
        Geometry apart(ctx, GEOSSymDifference_r(ctx.handle(), got.get(), exact.get()));
        const double apart_m2 = geodesic_area_m2(polygonal_part(apart));
        EXPECT_LT(apart_m2, m.perimeter_m * 0.003) << "perimeter " << m.perimeter_m << " m";
    }
}

TEST(PolygonOps, DifferenceSurvivesAnInvalidInput) {
    Context ctx;
    // A self-touching ring that OverlayNG may reject as given; the retry ladder must still answer.
    Geometry a = Geometry::from_wkt(ctx, "POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))");
    Geometry bowtie = Geometry::from_wkt(ctx, "POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))");
    Geometry d = difference(a, bowtie, 1e-7);
    EXPECT_FALSE(invalid_reason(d).has_value());
    EXPECT_GT(geodesic_area_m2(d), 0.0);
}

TEST(PolygonOps, MalformedWkbIsAnInputError) {
    Context ctx;
    std::vector<unsigned char> junk = {1, 3, 0, 0, 0, 9, 9};
    EXPECT_THROW(Geometry::from_wkb(ctx, junk), InputError);
}

TEST(Envelope, MeetGrowCommonAndMergeAsBoxes) {
    const Envelope a{0.0, 0.0, 2.0, 1.0, false};
    const Envelope b{2.0, 0.5, 3.0, 4.0, false};  // touches a along x = 2
    const Envelope c{2.5, 5.0, 3.0, 6.0, false};
    const Envelope none;
    EXPECT_TRUE(meets(a, b));
    EXPECT_TRUE(meets(b, a));
    EXPECT_FALSE(meets(a, c));
    EXPECT_FALSE(meets(a, none));
    EXPECT_FALSE(meets(none, none));
    EXPECT_TRUE(meets(grown(a, 1.0), Envelope{2.9, 1.9, 4.0, 4.0, false}));
    const Envelope g = grown(a, 0.5);
    EXPECT_DOUBLE_EQ(g.min_lon, -0.5);
    EXPECT_DOUBLE_EQ(g.max_lat, 1.5);
    const Envelope k = common(a, b);
    EXPECT_FALSE(k.empty);
    EXPECT_DOUBLE_EQ(k.min_lon, 2.0);
    EXPECT_DOUBLE_EQ(k.max_lon, 2.0);
    EXPECT_DOUBLE_EQ(k.min_lat, 0.5);
    EXPECT_DOUBLE_EQ(k.max_lat, 1.0);
    EXPECT_TRUE(common(a, none).empty);
    const Envelope m = merged(a, c);
    EXPECT_DOUBLE_EQ(m.min_lon, 0.0);
    EXPECT_DOUBLE_EQ(m.min_lat, 0.0);
    EXPECT_DOUBLE_EQ(m.max_lon, 3.0);
    EXPECT_DOUBLE_EQ(m.max_lat, 6.0);
    EXPECT_FALSE(m.empty);
    EXPECT_DOUBLE_EQ(merged(none, c).min_lat, 5.0);
    EXPECT_DOUBLE_EQ(merged(c, none).max_lat, 6.0);
    EXPECT_TRUE(merged(none, none).empty);
}

}  // namespace
}  // namespace frontline::geo
