// ingest_files with class rules (presets and class maps), clipping, overlap resolution, sliver
// cleaning and the per-file report, on small fixtures (tests/data/ingest, see its README):
// `deepstate_like_1700000000.geojson` is made up (its labels follow DeepStateMap's vocabulary,
// none of its content comes from DeepStateMap), `isw/` holds three real ISW features (MIT).
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "geo/error.hpp"
#include "geo/geodesic.hpp"
#include "geo/polygon_ops.hpp"
#include "ingest/hash.hpp"
#include "ingest/ingest_job.hpp"
#include "tests/test_support.hpp"

namespace frontline::ingest {
namespace {

using test::TempDir;

const std::string kExport = "deepstate_like_1700000000.geojson";  // 2023-11-14
const std::string kBoundary = "boundary_two_units.geojson";        // lon 22..41, lat 44..53 in two units

std::string fixture(const std::string& name) { return test::source_dir() + "/tests/data/ingest/" + name; }

::testing::AssertionResult contains(const std::string& text, const std::string& part) {
    if (text.find(part) != std::string::npos) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << part << "\"";
}

std::string ingest_error(const geo::Context& ctx, const IngestOptions& options) {
    try {
        IngestReport r = ingest_files(ctx, options);
        ADD_FAILURE() << "ingest_files succeeded with " << r.files.size() << " snapshot(s)";
    } catch (const InputError& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "ingest_files threw something else than InputError: " << e.what();
    }
    return "";
}

/// Geodesic area of the union of lon/lat polygons given as WKT, km².
double area_km2(const geo::Context& ctx, const std::vector<std::string>& wkts) {
    std::vector<geo::Geometry> polys;
    for (const auto& w : wkts) {
        polys.push_back(geo::Geometry::from_wkt(ctx, w));
    }
    return geo::geodesic_area_m2(geo::dissolve(ctx, polys, geo::kDefaultGridSizeDeg)) / 1e6;
}

std::string box(double x0, double y0, double x1, double y1) {
    auto p = [](double x, double y) { return std::to_string(x) + " " + std::to_string(y); };
    return "POLYGON ((" + p(x0, y0) + ", " + p(x1, y0) + ", " + p(x1, y1) + ", " + p(x0, y1) + ", " + p(x0, y0) + "))";
}

IngestOptions preset_options(const std::string& store, const std::vector<std::string>& files, const std::string& preset) {
    IngestOptions o;
    o.store_path = store;
    o.files = files;
    o.preset = preset;
    return o;
}

std::string key_text(const SnapshotKey& k) { return k.provider + "/" + k.date + "/" + k.cls; }

const ClassOutcome* outcome(const SourceReport& r, const std::string& cls) {
    for (const auto& c : r.classes) {
        if (c.cls == cls) {
            return &c;
        }
    }
    return nullptr;
}

const IgnoredFeatures* ignored(const SourceReport& r, const std::string& reason_part) {
    for (const auto& g : r.ignored) {
        if (g.reason.find(reason_part) != std::string::npos) {
            return &g;
        }
    }
    return nullptr;
}

geo::Geometry stored(const geo::Context& ctx, const Store& store, const std::string& provider, const std::string& date,
                     const std::string& cls) {
    return geo::Geometry::from_wkb(ctx, store.load_wkb(SnapshotKey{provider, date, cls}));
}

double overlap_m2(const geo::Geometry& a, const geo::Geometry& b) {
    return geo::geodesic_area_m2(geo::intersection(a, b, geo::kDefaultGridSizeDeg));
}

// --- A full map export --------------------------------------------------------------------------

TEST(IngestRules, ExportGivesOneSnapshotPerClassClippedResolvedAndCleaned) {
    geo::Context ctx;
    TempDir dir;
    IngestOptions o = preset_options(dir.file("s.gpkg"), {fixture(kExport)}, "deepstate");
    o.clip = fixture(kBoundary);
    IngestReport report = ingest_files(ctx, o);

    // One snapshot per class, main classes in precedence order, then the sub-classes.
    std::vector<std::string> classes;
    for (const auto& f : report.files) {
        EXPECT_EQ(f.key.provider, "deepstate") << "the preset's provider";
        EXPECT_EQ(f.key.date, "2023-11-14") << "from the Unix timestamp";
        EXPECT_EQ(f.status, IngestStatus::added);
        classes.push_back(f.key.cls);
    }
    EXPECT_EQ(classes, (std::vector<std::string>{"occupied", "contested", "liberated", "occupied_crimea", "occupied_ordlo"}));
    EXPECT_TRUE(report.rules_used);
    EXPECT_EQ(report.precedence, (std::vector<std::string>{"occupied", "contested", "liberated"}));
    EXPECT_NEAR(report.clip_area_km2, area_km2(ctx, {box(22, 44, 31, 53), box(31, 44, 41, 53)}), 0.01)
        << "two units, one outline";

    // Areas: the fixture's rectangles, with the contested strip under occupied given to occupied,
    // the part east of lon 41 clipped, the stray triangle dropped, slivers removed.
    Store store = Store::open(o.store_path);
    const double occupied = area_km2(ctx, {box(36, 47, 38, 48), box(38, 47, 39, 48), box(36, 48, 37, 48.5),
                                           box(33, 44.5, 35, 45.5), box(38.5, 47.5, 40, 48.5), box(40.5, 48.6, 41, 49.4)});
    const double contested = area_km2(ctx, {box(35.5, 47, 36, 47.5), box(34, 48, 34.5, 48.5)});
    const double liberated = area_km2(ctx, {box(30, 46.5, 32, 47.5), "POLYGON ((31 49, 31.5 49.5, 31 50, 31 49))",
                                            "POLYGON ((32 49, 32 50, 31.5 49.5, 32 49))", box(33, 50, 34, 51),
                                            box(28, 48, 29, 49)});
    const double tolerance = 0.01;  // km²: lon/lat straight edges cut by the grid, slivers of under 1 m²
    EXPECT_NEAR(store.find({"deepstate", "2023-11-14", "occupied"})->area_km2, occupied, tolerance);
    EXPECT_NEAR(store.find({"deepstate", "2023-11-14", "contested"})->area_km2, contested, tolerance);
    EXPECT_NEAR(store.find({"deepstate", "2023-11-14", "liberated"})->area_km2, liberated, tolerance);
    EXPECT_NEAR(store.find({"deepstate", "2023-11-14", "occupied_crimea"})->area_km2, area_km2(ctx, {box(33, 44.5, 35, 45.5)}),
                tolerance);
    EXPECT_NEAR(store.find({"deepstate", "2023-11-14", "occupied_ordlo"})->area_km2, area_km2(ctx, {box(38.5, 47.5, 40, 48.5)}),
                tolerance);
    EXPECT_EQ(store.find({"deepstate", "2023-11-14", "liberated"})->repaired, 2);
    EXPECT_EQ(store.find({"deepstate", "2023-11-14", "occupied"})->repaired, 0);

    // Classes do not overlap; sub-classes lie inside their class; everything is valid and inside.
    const geo::Geometry g_occ = stored(ctx, store, "deepstate", "2023-11-14", "occupied");
    const geo::Geometry g_con = stored(ctx, store, "deepstate", "2023-11-14", "contested");
    const geo::Geometry g_lib = stored(ctx, store, "deepstate", "2023-11-14", "liberated");
    const geo::Geometry g_cri = stored(ctx, store, "deepstate", "2023-11-14", "occupied_crimea");
    EXPECT_LT(overlap_m2(g_occ, g_con), 1.0);
    EXPECT_LT(overlap_m2(g_occ, g_lib), 1.0);
    EXPECT_LT(overlap_m2(g_con, g_lib), 1.0);
    EXPECT_NEAR(overlap_m2(g_occ, g_cri), geo::geodesic_area_m2(g_cri), 1.0);
    geo::Geometry outline = geo::Geometry::from_wkt(ctx, box(22, 44, 41, 53));
    for (const auto* g : {&g_occ, &g_con, &g_lib, &g_cri}) {
        EXPECT_FALSE(geo::invalid_reason(*g).has_value());
        EXPECT_LT(geo::geodesic_area_m2(geo::difference(*g, outline, geo::kDefaultGridSizeDeg)), 1.0);
    }

    // The report says what happened to every feature.
    ASSERT_EQ(report.sources.size(), 1u);
    const SourceReport& r = report.sources[0];
    EXPECT_EQ(r.file, fixture(kExport));
    EXPECT_EQ(r.date, "2023-11-14");
    EXPECT_EQ(r.provider, "deepstate");
    EXPECT_EQ(r.rules, "preset deepstate");
    EXPECT_EQ(r.sha256, sha256_file(fixture(kExport)));
    EXPECT_EQ(r.features, 16);
    EXPECT_EQ(r.polygonal_features, 15);
    EXPECT_EQ(r.used_features, 13);
    const IgnoredFeatures* point = ignored(r, "not a polygon (Point)");
    ASSERT_NE(point, nullptr);
    EXPECT_EQ(point->features, 1);
    const IgnoredFeatures* abroad = ignored(r, "outside Ukraine");
    ASSERT_NE(abroad, nullptr);
    EXPECT_EQ(abroad->features, 1);
    EXPECT_FALSE(abroad->unmatched);
    const IgnoredFeatures* unknown = ignored(r, "matched no rule");
    ASSERT_NE(unknown, nullptr);
    EXPECT_TRUE(unknown->unmatched);
    EXPECT_EQ(unknown->values, std::vector<std::string>{"Щось нове /// Something new"});

    const ClassOutcome* occ = outcome(r, "occupied");
    ASSERT_NE(occ, nullptr);
    EXPECT_EQ(occ->features, 6);  // features 2, 3 (a GeometryCollection), 4, 5, 13, 15
    // Edges are geodesics, so the two halves of a rectangle do not add up to it exactly: what was
    // cut off is the rectangle minus its western half.
    EXPECT_NEAR(occ->clipped_km2, area_km2(ctx, {box(40.5, 48.6, 41.5, 49.4)}) - area_km2(ctx, {box(40.5, 48.6, 41, 49.4)}),
                tolerance);
    EXPECT_EQ(occ->parts_outside, 0);
    EXPECT_EQ(occ->sliver_parts, 1) << "the 1 m triangle";
    EXPECT_GT(occ->sliver_parts_km2, 0.0);
    EXPECT_LT(occ->sliver_parts_km2, 1e-6);
    EXPECT_EQ(occ->sliver_holes, 1) << "the 0.5 m hole";
    EXPECT_NEAR(occ->area_km2, occupied, tolerance);
    EXPECT_TRUE(occ->stored);
    const ClassOutcome* con = outcome(r, "contested");
    ASSERT_NE(con, nullptr);
    EXPECT_EQ(con->parts_outside, 1) << "the triangle in the Arabian Sea";
    EXPECT_NEAR(con->outside_km2, area_km2(ctx, {"POLYGON ((63 13, 66 13, 64.5 15, 63 13))"}), tolerance);
    const double overlap = area_km2(ctx, {box(35.5, 47, 36.5, 47.5)}) - area_km2(ctx, {box(35.5, 47, 36, 47.5)});
    EXPECT_NEAR(con->overlap_km2, overlap, tolerance);
    const ClassOutcome* cri = outcome(r, "occupied_crimea");
    ASSERT_NE(cri, nullptr);
    EXPECT_EQ(cri->parent, "occupied");

    ASSERT_EQ(r.overlaps.size(), 1u);
    EXPECT_EQ(r.overlaps[0].cls, "contested");
    EXPECT_EQ(r.overlaps[0].kept_by, "occupied");
    EXPECT_NEAR(r.overlaps[0].area_km2, overlap, tolerance);

    ASSERT_EQ(r.repairs.size(), 2u);
    EXPECT_EQ(r.repairs[0].repair.feature, 8);
    EXPECT_TRUE(contains(r.repairs[0].repair.reason, "Self-intersection[31.5 49.5]"));
    EXPECT_EQ(r.repairs[0].cls, "liberated");
    EXPECT_EQ(r.repairs[1].repair.feature, 9);
    EXPECT_TRUE(contains(r.repairs[1].repair.reason, "Hole lies outside shell"));
    EXPECT_NEAR(r.repairs[1].repair.area_after_m2 / 1e6, area_km2(ctx, {box(33, 50, 34, 51)}), tolerance)
        << "a hole outside its shell takes nothing away";
    EXPECT_TRUE(r.implausible.empty()) << "with --clip the stray polygon is clipped, not flagged";

    bool colour_rule = false;
    for (const auto& hit : r.rules_used) {
        colour_rule = colour_rule || (hit.rule == "fill = #0288d1" && hit.features == 1);
    }
    EXPECT_TRUE(colour_rule) << "the unlabelled polygon was classed by its colour";
}

TEST(IngestRules, WithoutClipTheStrayPolygonIsFlaggedNotDropped) {
    geo::Context ctx;
    TempDir dir;
    IngestReport report = ingest_files(ctx, preset_options(dir.file("s.gpkg"), {fixture(kExport)}, "deepstate"));
    const SourceReport& r = report.sources.at(0);
    ASSERT_EQ(r.implausible.size(), 1u);
    EXPECT_EQ(r.implausible[0].cls, "contested");
    EXPECT_NEAR(r.implausible[0].area_km2, area_km2(ctx, {"POLYGON ((63 13, 66 13, 64.5 15, 63 13))"}), 0.01);
    EXPECT_NEAR(r.implausible[0].lon, 64.5, 1e-9);
    EXPECT_NEAR(r.implausible[0].lat, 14.0, 1e-9);
    EXPECT_GT(r.implausible[0].distance_km, 4000.0);
    EXPECT_EQ(outcome(r, "occupied")->clipped_km2, 0.0);
    // The stray polygon is still in the snapshot: flagging changes nothing stored.
    EXPECT_GT(Store::open(dir.file("s.gpkg")).find({"deepstate", "2023-11-14", "contested"})->area_km2, 30000.0);

    IngestOptions far = preset_options(dir.file("t.gpkg"), {fixture(kExport)}, "deepstate");
    far.max_distance_km = 10000.0;
    EXPECT_TRUE(ingest_files(ctx, far).sources.at(0).implausible.empty());
}

TEST(IngestRules, ReingestIsUnchangedByteForByte) {
    geo::Context ctx;
    TempDir dir;
    IngestOptions o = preset_options(dir.file("s.gpkg"), {fixture(kExport)}, "deepstate");
    o.clip = fixture(kBoundary);
    ingest_files(ctx, o);
    const std::string before = test::read_bytes(o.store_path);
    for (const auto& f : ingest_files(ctx, o).files) {
        EXPECT_EQ(f.status, IngestStatus::unchanged) << f.key.cls;
    }
    EXPECT_TRUE(test::read_bytes(o.store_path) == before);
}

TEST(IngestRules, ProviderAndSliverOptions) {
    geo::Context ctx;
    TempDir dir;
    IngestOptions o = preset_options(dir.file("s.gpkg"), {fixture(kExport)}, "deepstate");
    o.provider = "deepstate_raw";
    o.min_area_km2 = 0.0;
    o.min_width_m = 0.0;
    IngestReport report = ingest_files(ctx, o);
    EXPECT_EQ(report.files.at(0).key.provider, "deepstate_raw") << "--provider wins over the preset's name";
    const ClassOutcome* occ = outcome(report.sources.at(0), "occupied");
    EXPECT_EQ(occ->sliver_parts, 0) << "thresholds of 0 keep everything";
    EXPECT_EQ(occ->sliver_holes, 0);

    IngestOptions bad = preset_options(dir.file("t.gpkg"), {fixture(kExport)}, "deepstate");
    bad.min_width_m = -1;
    EXPECT_TRUE(contains(ingest_error(ctx, bad), "--min-width-m"));
    bad = preset_options(dir.file("t.gpkg"), {fixture(kExport)}, "nosuch");
    EXPECT_TRUE(contains(ingest_error(ctx, bad), "--preset nosuch"));
    bad = preset_options(dir.file("t.gpkg"), {fixture(kExport)}, "deepstate");
    bad.clip = dir.file("missing.geojson");
    EXPECT_TRUE(contains(ingest_error(ctx, bad), "--clip"));
    bad = preset_options(dir.file("t.gpkg"), {fixture(kExport)}, "");
    bad.class_field = "status";
    EXPECT_TRUE(contains(ingest_error(ctx, bad), "--class-map"));
    EXPECT_FALSE(Store::exists(dir.file("t.gpkg")));
}

// --- The plain ingest is what it was -------------------------------------------------------------

TEST(IngestRules, WithoutRulesEveryPolygonIsOneClassAndNothingIsCleaned) {
    geo::Context ctx;
    TempDir dir;
    IngestOptions o;
    o.store_path = dir.file("s.gpkg");
    o.files = {fixture(kExport)};
    o.cls = "all_statuses";
    IngestReport report = ingest_files(ctx, o);
    ASSERT_EQ(report.files.size(), 1u);
    EXPECT_EQ(report.files[0].key.provider, "default");
    EXPECT_FALSE(report.rules_used);
    // Exactly the dissolved polygons, as before presets existed: the sliver hole and the 1 m
    // triangle are kept, the annotation and the stray triangle too.
    SourceRead source = read_source(ctx, fixture(kExport));
    geo::Geometry expected = geo::dissolve(ctx, source.polygons, geo::kDefaultGridSizeDeg);
    geo::normalize(expected);
    Store store = Store::open(o.store_path);
    EXPECT_TRUE(store.load_wkb(report.files[0].key) == expected.to_wkb());
    EXPECT_EQ(store.find(report.files[0].key)->source_layers, "deepstate_like_1700000000");
    EXPECT_EQ(report.files[0].repairs.size(), 2u);
    EXPECT_EQ(report.files[0].polygonal_features, 15);
    EXPECT_EQ(report.files[0].other_features, 1);
    EXPECT_EQ(report.sources.at(0).implausible.size(), 2u) << "flagged in the report, even without rules";
}

// --- Several files of one date --------------------------------------------------------------------

TEST(IngestRules, IswLayersOfOneDateDoNotOverlapEither) {
    geo::Context ctx;
    TempDir dir;
    // The Advance layer: three real features of ISW's 2022-11-30 layer (one with a ring
    // self-intersection). The CoT layer: a made-up rectangle over part of feature 7.
    const std::string cot = dir.file("20221130_RussianAssessedCoTinUkraine.geojson");
    test::write_text(cot, R"({"type": "FeatureCollection", "features": [{"type": "Feature", "id": 1, "properties": {"FID": 1},
        "geometry": {"type": "Polygon", "coordinates": [[[37.40, 47.90], [37.55, 47.90], [37.55, 48.10], [37.40, 48.10], [37.40, 47.90]]]}}]})");
    const std::string advance = fixture("isw/20221130_RussianAssessedAdvanceinUkraine.geojson");
    IngestReport report = ingest_files(ctx, preset_options(dir.file("s.gpkg"), {advance, cot}, "isw"));
    ASSERT_EQ(report.files.size(), 2u);
    EXPECT_EQ(report.files[0].key.cls, "advanced");
    EXPECT_EQ(report.files[1].key.cls, "occupied");
    EXPECT_EQ(report.files[0].key.date, "2022-11-30");
    const SourceReport& adv = report.sources.at(0);
    ASSERT_EQ(adv.repairs.size(), 1u);
    EXPECT_EQ(adv.repairs[0].repair.feature, 2);
    EXPECT_TRUE(contains(adv.repairs[0].repair.reason, "Ring Self-intersection"));
    EXPECT_EQ(adv.repairs[0].cls, "advanced");
    ASSERT_EQ(adv.overlaps.size(), 1u) << "the advance under the CoT rectangle went to occupied";
    EXPECT_EQ(adv.overlaps[0].kept_by, "occupied");
    EXPECT_GT(adv.overlaps[0].area_km2, 0.05);
    Store store = Store::open(dir.file("s.gpkg"));
    EXPECT_LT(overlap_m2(stored(ctx, store, "isw", "2022-11-30", "advanced"), stored(ctx, store, "isw", "2022-11-30", "occupied")),
              1.0);
    EXPECT_EQ(store.find({"isw", "2022-11-30", "advanced"})->source_layers, "20221130_RussianAssessedAdvanceinUkraine");

    // Alone, the Advance file keeps the area.
    IngestReport alone = ingest_files(ctx, preset_options(dir.file("t.gpkg"), {advance}, "isw"));
    EXPECT_GT(alone.files.at(0).area_km2, report.files[0].area_km2 + 0.05);
}

TEST(IngestRules, IswOutlineMatchesNoClassAndIsAnError) {
    geo::Context ctx;
    TempDir dir;
    const std::string outline = dir.file("Ukraine_2022-11-30.geojson");
    test::write_text(outline, R"({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"layer": "x"},
        "geometry": {"type": "Polygon", "coordinates": [[[30, 48], [31, 48], [31, 49], [30, 49], [30, 48]]]}}]})");
    const std::string msg = ingest_error(ctx, preset_options(dir.file("s.gpkg"), {outline}, "isw"));
    EXPECT_TRUE(contains(msg, outline));
    EXPECT_TRUE(contains(msg, "matched a class of preset isw"));
    EXPECT_TRUE(contains(msg, "layer"));
}

// --- NZZ: a FeatureCollection wrapped in {"value": ...} ------------------------------------------

std::string nzz_collection() {
    return R"({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"type": "nochange", "date": "2022-09-08"}, "geometry": {"type": "Polygon",
         "coordinates": [[[37, 47], [37, 48], [38, 48], [38, 47], [37, 47]]]}},
        {"type": "Feature", "properties": {"type": "gains"}, "geometry": {"type": "MultiPolygon",
         "coordinates": [[[[38, 47], [38, 47.5], [38.123456789, 47.5], [38.123456789, 47], [38, 47]]]]}},
        {"type": "Feature", "properties": {"type": "losses"}, "geometry": {"type": "Polygon",
         "coordinates": [[[36, 47], [36, 48], [37, 48], [37, 47], [36, 47]]]}}]})";
}

TEST(IngestRules, NzzFilesAreReadAsPublished) {
    geo::Context ctx;
    TempDir dir;
    const std::string wrapped = dir.file("2022-09-10.json");
    test::write_text(wrapped, "{\"value\": " + nzz_collection() + "}\n");
    IngestReport report = ingest_files(ctx, preset_options(dir.file("s.gpkg"), {wrapped}, "nzz"));
    ASSERT_EQ(report.files.size(), 2u);
    EXPECT_EQ(key_text(report.files[0].key), "nzz/2022-09-10/occupied");
    EXPECT_EQ(report.files[1].key.cls, "liberated");
    EXPECT_NEAR(report.files[0].area_km2, area_km2(ctx, {box(37, 47, 38, 48), box(38, 47, 38.123456789, 47.5)}), 0.01);
    EXPECT_NEAR(report.files[1].area_km2, area_km2(ctx, {box(36, 47, 37, 48)}), 0.01);
    EXPECT_EQ(report.sources[0].sha256, sha256_file(wrapped)) << "of the file as published";
    Store store = Store::open(dir.file("s.gpkg"));
    EXPECT_EQ(store.find({"nzz", "2022-09-10", "occupied"})->source_layers, "2022-09-10") << "named after the file";

    // The same collection unwrapped gives the same snapshots, byte for byte: nothing was lost
    // or rounded on the way through /vsimem/.
    const std::string bare = dir.file("bare_2022-09-10.json");
    test::write_text(bare, nzz_collection());
    IngestOptions o = preset_options(dir.file("s.gpkg"), {bare}, "nzz");
    for (const auto& f : ingest_files(ctx, o).files) {
        EXPECT_EQ(f.status, IngestStatus::unchanged) << f.key.cls;
    }

    const std::string wrong = dir.file("2022-09-11.json");
    test::write_text(wrong, "{\"data\": " + nzz_collection() + "}");
    std::string msg = ingest_error(ctx, preset_options(dir.file("s.gpkg"), {wrong}, "nzz"));
    EXPECT_TRUE(contains(msg, wrong));
    EXPECT_TRUE(contains(msg, "'value'"));
    const std::string broken = dir.file("2022-09-12.json");
    test::write_text(broken, "{\"value\": {\"type\": \"FeatureCollection\", ");
    msg = ingest_error(ctx, preset_options(dir.file("s.gpkg"), {broken}, "nzz"));
    EXPECT_TRUE(contains(msg, broken));
}

// --- Any other provider: --class-field and --class-map ------------------------------------------

std::string status_export() {
    return R"({"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": 1, "properties": {"status": "RU"}, "geometry": {"type": "Polygon",
         "coordinates": [[[30, 48], [31, 48], [31, 49], [30, 49], [30, 48]]]}},
        {"type": "Feature", "id": 2, "properties": {"status": "grey zone"}, "geometry": {"type": "Polygon",
         "coordinates": [[[31, 48], [31.5, 48], [31.5, 49], [31, 49], [31, 48]]]}},
        {"type": "Feature", "id": 3, "properties": {"status": "label"}, "geometry": {"type": "Polygon",
         "coordinates": [[[32, 48], [33, 48], [33, 49], [32, 49], [32, 48]]]}},
        {"type": "Feature", "id": 4, "properties": {"status": "UA retaken 2022"}, "geometry": {"type": "Polygon",
         "coordinates": [[[29, 48], [30, 48], [30, 49], [29, 49], [29, 48]]]}}]})";
}

TEST(IngestRules, AClassMapDescribesAnyProvider) {
    geo::Context ctx;
    TempDir dir;
    const std::string file = dir.file("export_2024-05-01.geojson");
    test::write_text(file, status_export());
    test::write_text(dir.file("map.json"), R"({"values": {"RU": "occupied", "label": "ignore"},
                                             "patterns": {"grey": "contested", "^UA retaken": "liberated"}})");
    IngestOptions o;
    o.store_path = dir.file("s.gpkg");
    o.files = {file};
    o.provider = "tracker";
    o.class_map = dir.file("map.json");
    o.class_field = "status";
    IngestReport report = ingest_files(ctx, o);
    ASSERT_EQ(report.files.size(), 3u);
    EXPECT_EQ(key_text(report.files[0].key), "tracker/2024-05-01/occupied");
    EXPECT_EQ(report.files[1].key.cls, "contested");
    EXPECT_EQ(report.files[2].key.cls, "liberated");
    EXPECT_EQ(report.sources[0].rules, "class map " + dir.file("map.json"));
    EXPECT_EQ(report.sources[0].used_features, 3);
    ASSERT_EQ(report.sources[0].ignored.size(), 1u);
    EXPECT_EQ(report.sources[0].ignored[0].reason, "ignored by rule status = label");

    // Without the field, or with a field no feature has, nothing matches: an error that lists the
    // attributes the file has.
    IngestOptions no_field = o;
    no_field.class_field = "";
    no_field.store_path = dir.file("t.gpkg");
    EXPECT_TRUE(contains(ingest_error(ctx, no_field), "--class-field"));
    IngestOptions typo = o;
    typo.class_field = "stauts";
    typo.store_path = dir.file("t.gpkg");
    const std::string msg = ingest_error(ctx, typo);
    EXPECT_TRUE(contains(msg, "none of its 4 polygonal feature(s) matched"));
    EXPECT_TRUE(contains(msg, "its attributes are status"));
    EXPECT_FALSE(Store::exists(dir.file("t.gpkg")));

    // "unmatched": "error" names the feature.
    test::write_text(dir.file("strict.json"), R"({"field": "status", "values": {"RU": "occupied"}, "unmatched": "error"})");
    IngestOptions strict = o;
    strict.class_map = dir.file("strict.json");
    strict.class_field = "";
    strict.store_path = dir.file("t.gpkg");
    EXPECT_TRUE(contains(ingest_error(ctx, strict), "feature 2: no rule of class map"));
}

TEST(IngestRules, AFailingFileLeavesTheStoreByteIdentical) {
    geo::Context ctx;
    TempDir dir;
    IngestOptions first = preset_options(dir.file("s.gpkg"), {fixture(kExport)}, "deepstate");
    ingest_files(ctx, first);
    const std::string before = test::read_bytes(first.store_path);
    const std::string good = dir.file("2022-09-10.json");
    test::write_text(good, "{\"value\": " + nzz_collection() + "}");
    const std::string bad = dir.file("2022-09-11.json");
    test::write_text(bad, R"({"value": {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"type": "x"},
        "geometry": {"type": "Polygon", "coordinates": [[[30, 48], [31, 48], [31, 49], [30, 49], [30, 48]]]}}]}})");
    const std::string msg = ingest_error(ctx, preset_options(first.store_path, {good, bad}, "nzz"));
    EXPECT_TRUE(contains(msg, bad));
    EXPECT_TRUE(test::read_bytes(first.store_path) == before) << "the store changed";
}

// --- Each kind of repair ---------------------------------------------------------------------------

TEST(IngestRules, EachKindOfRepairIsReportedWithItsClass) {
    geo::Context ctx;
    TempDir dir;
    const std::string file = dir.file("broken_2024-05-01.geojson");
    test::write_text(file, R"({"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": 1, "properties": {"status": "RU"}, "geometry": {"type": "Polygon",
         "coordinates": [[[30, 48], [31, 49], [31, 48], [30, 49], [30, 48]]]}},
        {"type": "Feature", "id": 2, "properties": {"status": "RU"}, "geometry": {"type": "Polygon",
         "coordinates": [[[32, 48], [33, 48], [32.5, 48.5], [33, 49], [32, 49], [32.5, 48.5], [32, 48]]]}},
        {"type": "Feature", "id": 3, "properties": {"status": "RU"}, "geometry": {"type": "Polygon",
         "coordinates": [[[34, 48], [35, 48], [35, 49], [34, 49], [34, 48]], [[36, 48], [36.5, 48], [36.5, 48.5], [36, 48]]]}},
        {"type": "Feature", "id": 4, "properties": {"status": "RU"}, "geometry": {"type": "Polygon",
         "coordinates": [[[30, 46], [32, 46], [32, 47], [30, 47], [30, 46]], [[31, 46], [32, 46.5], [31, 47], [30, 46.5], [31, 46]]]}},
        {"type": "Feature", "id": 5, "properties": {"status": "grey"}, "geometry": {"type": "MultiPolygon",
         "coordinates": [[[[34, 46], [36, 46], [36, 47], [34, 47], [34, 46]]], [[[34.5, 46.2], [35, 46.2], [35, 46.7], [34.5, 46.7], [34.5, 46.2]]]]}},
        {"type": "Feature", "id": 6, "properties": {"status": "grey"}, "geometry": {"type": "Polygon",
         "coordinates": [[[37, 46], [38, 47], [37.5, 46.5], [37, 46]]]}}]})");
    test::write_text(dir.file("map.json"), R"({"field": "status", "values": {"RU": "occupied", "grey": "contested"}})");
    IngestOptions o;
    o.store_path = dir.file("s.gpkg");
    o.files = {file};
    o.class_map = dir.file("map.json");
    IngestReport report = ingest_files(ctx, o);
    const SourceReport& r = report.sources.at(0);
    // Feature 5's parts are each valid: the inner one is merged by the dissolve, no repair needed.
    ASSERT_EQ(r.repairs.size(), 5u);
    const std::vector<std::pair<int, std::string>> kinds = {{1, "Self-intersection[30.5 48.5]"},
                                                            {2, "Ring Self-intersection[32.5 48.5]"},
                                                            {3, "Hole lies outside shell[36 48]"},
                                                            {4, "Interior is disconnected"},
                                                            {6, "Self-intersection[37.5 46.5]"}};
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        EXPECT_EQ(r.repairs[i].repair.feature, kinds[i].first);
        EXPECT_TRUE(contains(r.repairs[i].repair.reason, kinds[i].second)) << i;
        EXPECT_EQ(r.repairs[i].cls, i < 4 ? "occupied" : "contested") << i;
    }
    // What each repair kept, against what the ring outlines enclose.
    EXPECT_NEAR(r.repairs[0].repair.area_after_m2 / 1e6,
                area_km2(ctx, {"POLYGON ((30 48, 30.5 48.5, 30 49, 30 48))", "POLYGON ((31 48, 31 49, 30.5 48.5, 31 48))"}), 0.01)
        << "a bow-tie keeps both lobes";
    EXPECT_NEAR(r.repairs[1].repair.area_after_m2 / 1e6,
                area_km2(ctx, {"POLYGON ((32 48, 33 48, 32.5 48.5, 32 48))", "POLYGON ((32.5 48.5, 33 49, 32 49, 32.5 48.5))"}),
                0.01)
        << "a ring touching itself keeps its two loops";
    EXPECT_NEAR(r.repairs[2].repair.area_after_m2 / 1e6, area_km2(ctx, {box(34, 48, 35, 49)}), 0.01);
    EXPECT_NEAR(r.repairs[3].repair.area_after_m2 / 1e6,
                area_km2(ctx, {"POLYGON ((30 46, 31 46, 30 46.5, 30 46))", "POLYGON ((31 46, 32 46, 32 46.5, 31 46))",
                               "POLYGON ((32 46.5, 32 47, 31 47, 32 46.5))", "POLYGON ((31 47, 30 47, 30 46.5, 31 47))"}),
                0.01)
        << "a hole that cuts the polygon into corners still takes its area";
    EXPECT_EQ(r.repairs[4].repair.area_after_m2, 0.0) << "a ring with no area is dropped";
    EXPECT_EQ(outcome(r, "occupied")->repairs, 4);
    EXPECT_EQ(outcome(r, "contested")->repairs, 1);
    EXPECT_NEAR(outcome(r, "contested")->area_km2, area_km2(ctx, {box(34, 46, 36, 47)}), 0.01)
        << "a part inside another adds nothing";
    Store store = Store::open(o.store_path);
    EXPECT_EQ(store.find({"default", "2024-05-01", "occupied"})->repaired, 4);
    EXPECT_EQ(store.find({"default", "2024-05-01", "contested"})->repaired, 1);
}

// --- The geometry helpers behind it ----------------------------------------------------------------

TEST(IngestRulesGeometry, RemoveSliversDropsThinPartsAndFillsThinHoles) {
    geo::Context ctx;
    geo::Geometry g = geo::Geometry::from_wkt(
        ctx,
        "MULTIPOLYGON (((30 48, 31 48, 31 49, 30 49, 30 48), (30.2 48.2, 30.2 48.8, 30.2000001 48.8, 30.2000001 48.2, 30.2 48.2),"
        " (30.5 48.5, 30.5 48.7, 30.7 48.7, 30.7 48.5, 30.5 48.5)), ((32 48, 32.5 48, 32.5 48.0000001, 32 48.0000001, 32 48)))");
    geo::SliverRemoval s = geo::remove_slivers(g, 100.0, 1.0);
    EXPECT_EQ(s.parts, 1) << "the 1 cm strip";
    EXPECT_EQ(s.holes, 1) << "the 7 mm slit; the 0.2° hole stays";
    EXPECT_GT(s.parts_area_m2, 0.0);
    EXPECT_GT(s.holes_area_m2, 0.0);
    EXPECT_NEAR(geo::geodesic_area_m2(s.result),
                geo::geodesic_area_m2(geo::Geometry::from_wkt(ctx, box(30, 48, 31, 49))) -
                    geo::geodesic_area_m2(geo::Geometry::from_wkt(ctx, box(30.5, 48.5, 30.7, 48.7))),
                1.0);
    EXPECT_FALSE(geo::invalid_reason(s.result).has_value());
    geo::SliverRemoval none = geo::remove_slivers(g, 0.0, 0.0);
    EXPECT_EQ(none.parts + none.holes, 0);
}

TEST(IngestRulesGeometry, ClipAreaPlacesAndClipsAgainstTheUnionOfItsPolygons) {
    geo::Context ctx;
    std::vector<geo::Geometry> units;
    units.push_back(geo::Geometry::from_wkt(ctx, box(22, 44, 31, 53)));
    units.push_back(geo::Geometry::from_wkt(ctx, box(31, 44, 41, 53)));
    geo::ClipArea clip(ctx, units, geo::kDefaultGridSizeDeg);
    EXPECT_EQ(clip.area().num_geometries(), 1) << "adjacent units merge";
    using P = geo::ClipArea::Placement;
    EXPECT_EQ(clip.placement(geo::Geometry::from_wkt(ctx, box(30, 48, 32, 49))), P::inside) << "across the inner border";
    EXPECT_EQ(clip.placement(geo::Geometry::from_wkt(ctx, box(40, 48, 41, 49))), P::inside) << "touching the edge";
    EXPECT_EQ(clip.placement(geo::Geometry::from_wkt(ctx, box(63, 13, 66, 15))), P::outside);
    const geo::Geometry touching = geo::Geometry::from_wkt(ctx, box(41, 48, 42, 49));
    EXPECT_EQ(clip.placement(touching), P::crossing) << "touching from outside...";
    EXPECT_TRUE(clip.clip(touching).is_empty()) << "... leaves nothing inside";
    EXPECT_EQ(clip.placement(geo::Geometry::from_wkt(ctx, box(40.5, 48, 41.5, 49))), P::crossing);
    geo::Geometry cut = clip.clip(geo::Geometry::from_wkt(ctx, box(40.5, 48, 41.5, 49)));
    EXPECT_NEAR(geo::geodesic_area_m2(cut), geo::geodesic_area_m2(geo::Geometry::from_wkt(ctx, box(40.5, 48, 41, 49))), 1.0);
    EXPECT_THROW(geo::ClipArea(ctx, {}, geo::kDefaultGridSizeDeg), InputError);
}

TEST(IngestRulesGeometry, IntersectionOnTheGrid) {
    geo::Context ctx;
    geo::Geometry a = geo::Geometry::from_wkt(ctx, box(30, 48, 31, 49));
    geo::Geometry b = geo::Geometry::from_wkt(ctx, box(30.5, 48.5, 31.5, 49.5));
    geo::Geometry i = geo::intersection(a, b, geo::kDefaultGridSizeDeg);
    EXPECT_EQ(i.type_id(), GEOS_MULTIPOLYGON);
    EXPECT_NEAR(geo::geodesic_area_m2(i), geo::geodesic_area_m2(geo::Geometry::from_wkt(ctx, box(30.5, 48.5, 31, 49))), 1e-3);
    EXPECT_TRUE(geo::intersection(a, geo::Geometry::from_wkt(ctx, box(40, 40, 41, 41)), 1e-7).is_empty());
    const geo::Envelope e = geo::envelope(b);
    EXPECT_FALSE(e.empty);
    EXPECT_DOUBLE_EQ(e.min_lon, 30.5);
    EXPECT_DOUBLE_EQ(e.max_lat, 49.5);
    EXPECT_TRUE(geo::envelope(geo::Geometry::empty_multipolygon(ctx)).empty);
}

}  // namespace
}  // namespace frontline::ingest
