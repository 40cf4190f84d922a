// ingest_files: the whole ingest job, from files on disk to rows in the store.
// The store must change only when every file has passed, and a re-ingest of the same content must
// not touch it at all (compared byte for byte).
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "geo/error.hpp"
#include "geo/geodesic.hpp"
#include "ingest/dates.hpp"
#include "ingest/hash.hpp"
#include "ingest/ingest_job.hpp"
#include "tests/test_support.hpp"

namespace frontline::ingest {
namespace {

using test::TempDir;

constexpr double kCellB_km2 = 8217.589924770447;  // lon 30..31, lat 48..49

std::string fixture(const std::string& name) { return test::source_dir() + "/tests/data/ingest/" + name; }

::testing::AssertionResult contains(const std::string& text, const std::string& part) {
    if (text.find(part) != std::string::npos) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << part << "\"";
}

/// A GeoJSON FeatureCollection holding one lon/lat rectangle.
std::string rectangle_geojson(double lon0, double lat0, double lon1, double lat1) {
    auto pt = [](double x, double y) { return "[" + std::to_string(x) + ", " + std::to_string(y) + "]"; };
    return R"({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, )"
           R"("geometry": {"type": "Polygon", "coordinates": [[)" +
           pt(lon0, lat0) + ", " + pt(lon1, lat0) + ", " + pt(lon1, lat1) + ", " + pt(lon0, lat1) + ", " +
           pt(lon0, lat0) + "]]}}]}\n";
}

/// Cell B (lon 30..31, lat 48..49) and its southern half: same key, different content.
std::string cell_b() { return rectangle_geojson(30, 48, 31, 49); }
std::string cell_b_south() { return rectangle_geojson(30, 48, 31, 48.5); }

IngestOptions options_for(const std::string& store, const std::vector<std::string>& files) {
    IngestOptions o;
    o.store_path = store;
    o.provider = "deepstate";
    o.files = files;
    return o;
}

/// The message of the InputError ingest_files throws, or "" with a test failure if it throws none.
std::string ingest_error(const geo::Context& ctx, const IngestOptions& options) {
    try {
        IngestReport r = ingest_files(ctx, options);
        ADD_FAILURE() << "ingest_files succeeded with " << r.files.size() << " file(s)";
    } catch (const InputError& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "ingest_files threw something else than InputError: " << e.what();
    }
    return "";
}

/// The names in a folder, sorted.
std::vector<std::string> folder_names(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        out.push_back(e.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> keys_of(const Store& store) {
    std::vector<std::string> out;
    for (const auto& i : store.list()) {
        out.push_back(i.key.provider + "/" + i.key.cls + "/" + i.key.date);
    }
    return out;
}

/// True if every vertex of the polygonal `g` is a multiple of `grid_deg` (to rounding error).
::testing::AssertionResult on_grid(const geo::Geometry& g, double grid_deg) {
    auto* h = g.context().handle();
    int vertices = 0;
    auto off_grid = [&](const GEOSGeometry* ring) -> std::string {
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, ring);
        unsigned int n = 0;
        GEOSCoordSeq_getSize_r(h, seq, &n);
        for (unsigned int i = 0; i < n; ++i, ++vertices) {
            double x = 0, y = 0;
            GEOSCoordSeq_getXY_r(h, seq, i, &x, &y);
            for (double v : {x, y}) {
                const double steps = v / grid_deg;
                if (std::abs(steps - std::round(steps)) > 1e-6) {
                    return std::to_string(v);
                }
            }
        }
        return "";
    };
    for (const auto& poly : geo::polygons_of(g)) {
        std::vector<const GEOSGeometry*> rings = {GEOSGetExteriorRing_r(h, poly.get())};
        for (int i = 0; i < GEOSGetNumInteriorRings_r(h, poly.get()); ++i) {
            rings.push_back(GEOSGetInteriorRingN_r(h, poly.get(), i));
        }
        for (const GEOSGeometry* ring : rings) {
            const std::string bad = off_grid(ring);
            if (!bad.empty()) {
                return ::testing::AssertionFailure() << "coordinate " << bad << " is not on the " << grid_deg
                                                     << "° grid";
            }
        }
    }
    if (vertices == 0) {
        return ::testing::AssertionFailure() << "no vertices";
    }
    return ::testing::AssertionSuccess() << vertices << " vertices on the grid";
}

// --- A single file --------------------------------------------------------------------------------

TEST(IngestFiles, AddsASnapshotToANewStore) {
    geo::Context ctx;
    TempDir dir;
    const std::string file = dir.file("cell_2025-01-02.geojson");
    test::write_text(file, cell_b());
    const std::string store_path = dir.file("store.gpkg");
    IngestReport report = ingest_files(ctx, options_for(store_path, {file}));

    EXPECT_EQ(report.store_path, store_path);
    ASSERT_EQ(report.files.size(), 1u);
    const IngestedFile& f = report.files[0];
    EXPECT_EQ(f.file, file);
    EXPECT_EQ(f.status, IngestStatus::added);
    EXPECT_STREQ(to_string(f.status), "added");
    EXPECT_EQ(f.key.provider, "deepstate");
    EXPECT_EQ(f.key.date, "2025-01-02");
    EXPECT_EQ(f.key.cls, "occupied");
    EXPECT_EQ(f.features, 1);
    EXPECT_EQ(f.polygonal_features, 1);
    EXPECT_EQ(f.other_features, 0);
    EXPECT_EQ(f.parts, 1);
    EXPECT_TRUE(f.repairs.empty());
    EXPECT_NEAR(f.area_km2, kCellB_km2, 1e-6);

    EXPECT_EQ(folder_names(dir.path()), (std::vector<std::string>{"cell_2025-01-02.geojson", "store.gpkg"}));
    Store store = Store::open(store_path);
    auto row = store.find(f.key);
    ASSERT_TRUE(row);
    EXPECT_DOUBLE_EQ(row->area_km2, f.area_km2);
    EXPECT_EQ(row->source_file, "cell_2025-01-02.geojson") << "no folders";
    EXPECT_EQ(row->source_layers, "cell_2025-01-02");
    EXPECT_EQ(row->source_sha256, sha256_file(file));
    EXPECT_EQ(row->repaired, 0);
    EXPECT_TRUE(std::regex_match(row->ingested_at, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)")))
        << row->ingested_at;
    const auto wkb = store.load_wkb(f.key);
    EXPECT_EQ(sha256_hex(wkb), row->content_sha256);
    geo::Geometry g = geo::Geometry::from_wkb(ctx, wkb);
    EXPECT_EQ(g.type_id(), GEOS_MULTIPOLYGON);
    EXPECT_NEAR(geo::geodesic_area_m2(g) / 1e6, kCellB_km2, 1e-6);
}

TEST(IngestFiles, ReingestOfTheSameContentIsUnchangedAndByteIdentical) {
    geo::Context ctx;
    TempDir dir;
    const std::string file = dir.file("cell_2025-01-02.geojson");
    test::write_text(file, cell_b());
    const std::string store_path = dir.file("store.gpkg");
    ingest_files(ctx, options_for(store_path, {file}));
    const std::string before = test::read_bytes(store_path);
    ASSERT_FALSE(before.empty());

    IngestReport again = ingest_files(ctx, options_for(store_path, {file}));
    ASSERT_EQ(again.files.size(), 1u);
    EXPECT_EQ(again.files[0].status, IngestStatus::unchanged);
    EXPECT_STREQ(to_string(again.files[0].status), "unchanged");
    EXPECT_TRUE(test::read_bytes(store_path) == before) << "the store file changed";

    // --replace does not rewrite identical content either.
    IngestOptions replace = options_for(store_path, {file});
    replace.replace = true;
    EXPECT_EQ(ingest_files(ctx, replace).files.at(0).status, IngestStatus::unchanged);
    EXPECT_TRUE(test::read_bytes(store_path) == before) << "the store file changed under --replace";

    // "Identical" is about the stored geometry, not the source bytes: the same square as 3-D
    // GeoJSON and as KMZ is the same snapshot.
    for (const char* same : {"square_3d.geojson", "square.kmz"}) {
        IngestOptions other = options_for(store_path, {fixture(same)});
        other.date = "2025-01-02";
        EXPECT_EQ(ingest_files(ctx, other).files.at(0).status, IngestStatus::unchanged) << same;
    }
    EXPECT_TRUE(test::read_bytes(store_path) == before);
    EXPECT_EQ(folder_names(dir.path()), (std::vector<std::string>{"cell_2025-01-02.geojson", "store.gpkg"}));
}

TEST(IngestFiles, ConflictingReingestNeedsReplaceAndLeavesTheStoreAlone) {
    geo::Context ctx;
    TempDir dir;
    const std::string first = dir.file("a_2025-01-02.geojson");
    const std::string second = dir.file("b_2025-01-02.geojson");
    test::write_text(first, cell_b());
    test::write_text(second, cell_b_south());
    const std::string store_path = dir.file("store.gpkg");
    ingest_files(ctx, options_for(store_path, {first}));
    const std::string before = test::read_bytes(store_path);

    const std::string msg = ingest_error(ctx, options_for(store_path, {second}));
    EXPECT_TRUE(contains(msg, "--replace"));
    EXPECT_TRUE(contains(msg, second));
    EXPECT_TRUE(contains(msg, "2025-01-02"));
    EXPECT_TRUE(contains(msg, "a_2025-01-02.geojson")) << "names where the stored snapshot came from";
    EXPECT_TRUE(test::read_bytes(store_path) == before) << "the store file changed";
}

TEST(IngestFiles, ReplaceOverwritesDifferentContent) {
    geo::Context ctx;
    TempDir dir;
    const std::string first = dir.file("a_2025-01-02.geojson");
    const std::string other_day = dir.file("a_2025-01-01.geojson");
    const std::string second = dir.file("b_2025-01-02.geojson");
    test::write_text(first, cell_b());
    test::write_text(other_day, cell_b());
    test::write_text(second, cell_b_south());
    const std::string store_path = dir.file("store.gpkg");
    ingest_files(ctx, options_for(store_path, {first, other_day}));
    const SnapshotKey kept{"deepstate", "2025-01-01", "occupied"};
    const std::string kept_sha = Store::open(store_path).find(kept).value().content_sha256;

    IngestOptions o = options_for(store_path, {second});
    o.replace = true;
    IngestReport report = ingest_files(ctx, o);
    ASSERT_EQ(report.files.size(), 1u);
    EXPECT_EQ(report.files[0].status, IngestStatus::replaced);
    EXPECT_STREQ(to_string(report.files[0].status), "replaced");
    EXPECT_LT(report.files[0].area_km2, kCellB_km2 * 0.6);

    Store store = Store::open(store_path);
    EXPECT_EQ(keys_of(store),
              (std::vector<std::string>{"deepstate/occupied/2025-01-01", "deepstate/occupied/2025-01-02"}));
    auto row = store.find({"deepstate", "2025-01-02", "occupied"});
    ASSERT_TRUE(row);
    EXPECT_EQ(row->source_file, "b_2025-01-02.geojson");
    EXPECT_DOUBLE_EQ(row->area_km2, report.files[0].area_km2);
    EXPECT_EQ(sha256_hex(store.load_wkb(row->key)), row->content_sha256);
    EXPECT_EQ(store.find(kept).value().content_sha256, kept_sha) << "other rows untouched";
}

// --- Several files, and failures ------------------------------------------------------------------

TEST(IngestFiles, FailingMultiFileIngestLeavesAnExistingStoreByteIdentical) {
    geo::Context ctx;
    TempDir dir;
    const std::string existing = dir.file("a_2025-01-01.geojson");
    const std::string good = dir.file("a_2025-01-02.geojson");
    const std::string conflicting = dir.file("b_2025-01-01.geojson");
    const std::string garbage = dir.file("c_2025-01-03.geojson");
    const std::string points = dir.file("points_2025-01-04.geojson");
    test::write_text(existing, cell_b());
    test::write_text(good, cell_b_south());
    test::write_text(conflicting, cell_b_south());
    test::write_text(garbage, "not GeoJSON at all");
    test::copy_file(fixture("points_only.geojson"), points);
    const std::string store_path = dir.file("store.gpkg");
    ingest_files(ctx, options_for(store_path, {existing}));
    const std::string before = test::read_bytes(store_path);
    const std::vector<std::string> names_before = folder_names(dir.path());

    for (const std::string& bad : {garbage, points, dir.file("missing_2025-01-05.geojson"), conflicting}) {
        for (bool bad_first : {false, true}) {
            const std::vector<std::string> files = bad_first ? std::vector<std::string>{bad, good}
                                                             : std::vector<std::string>{good, bad};
            const std::string msg = ingest_error(ctx, options_for(store_path, files));
            EXPECT_TRUE(contains(msg, bad)) << "bad first: " << bad_first;
            EXPECT_TRUE(test::read_bytes(store_path) == before) << bad << ", bad first: " << bad_first;
            EXPECT_EQ(folder_names(dir.path()), names_before) << "no temporary files";
        }
    }
    EXPECT_EQ(keys_of(Store::open(store_path)), std::vector<std::string>{"deepstate/occupied/2025-01-01"});
}

TEST(IngestFiles, FailingMultiFileIngestCreatesNoStore) {
    geo::Context ctx;
    TempDir dir;
    const std::string good = dir.file("a_2025-01-02.geojson");
    const std::string points = dir.file("points_2025-01-03.geojson");
    const std::string nan = dir.file("nan_2025-01-04.geojson");
    test::write_text(good, cell_b());
    test::copy_file(fixture("points_only.geojson"), points);
    test::copy_file(fixture("nan_coordinate.geojson"), nan);
    const std::string store_path = dir.file("store.gpkg");
    const std::vector<std::string> names_before = folder_names(dir.path());

    for (const std::string& bad : {points, nan}) {
        for (bool bad_first : {false, true}) {
            const std::vector<std::string> files = bad_first ? std::vector<std::string>{bad, good}
                                                             : std::vector<std::string>{good, bad};
            EXPECT_TRUE(contains(ingest_error(ctx, options_for(store_path, files)), bad));
            EXPECT_FALSE(Store::exists(store_path)) << bad << ", bad first: " << bad_first;
            EXPECT_EQ(folder_names(dir.path()), names_before) << "no temporary files";
        }
    }
}

TEST(IngestFiles, FileNameDatesOfAllThreeKinds) {
    geo::Context ctx;
    TempDir dir;
    const std::string compact = dir.file("deepstatemap_data_20250102.geojson");
    const std::string iso = dir.file("x_2025-01-03.kml");
    const std::string timestamp = dir.file("1648989208.geojson");  // 2022-04-03T12:33:28Z
    test::write_text(compact, cell_b());
    test::write_text(iso, R"(<?xml version="1.0" encoding="utf-8" ?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>cell b</name><Polygon><outerBoundaryIs><LinearRing>
<coordinates>30,48 31,48 31,49 30,49 30,48</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>
)");
    test::write_text(timestamp, cell_b_south());
    const std::string store_path = dir.file("store.gpkg");
    IngestReport report = ingest_files(ctx, options_for(store_path, {compact, iso, timestamp}));
    ASSERT_EQ(report.files.size(), 3u);
    EXPECT_EQ(report.files[0].key.date, "2025-01-02");
    EXPECT_EQ(report.files[1].key.date, "2025-01-03");
    EXPECT_EQ(report.files[2].key.date, "2022-04-03");
    for (const auto& f : report.files) {
        EXPECT_EQ(f.status, IngestStatus::added) << f.file;
    }
    Store store = Store::open(store_path);
    EXPECT_EQ(keys_of(store), (std::vector<std::string>{"deepstate/occupied/2022-04-03", "deepstate/occupied/2025-01-02",
                                                        "deepstate/occupied/2025-01-03"}));
    const SnapshotInfo from_kml = store.find({"deepstate", "2025-01-03", "occupied"}).value();
    EXPECT_EQ(from_kml.source_file, "x_2025-01-03.kml");
    EXPECT_NEAR(from_kml.area_km2, kCellB_km2, 1e-6);
}

TEST(IngestFiles, DateOptionOverridesTheFileName) {
    geo::Context ctx;
    TempDir dir;
    const std::string file = dir.file("deepstatemap_data_20250102.geojson");
    test::write_text(file, cell_b());
    IngestOptions o = options_for(dir.file("store.gpkg"), {file});
    o.date = "2024-12-31";
    EXPECT_EQ(ingest_files(ctx, o).files.at(0).key.date, "2024-12-31");
    EXPECT_EQ(keys_of(Store::open(o.store_path)), std::vector<std::string>{"deepstate/occupied/2024-12-31"});
}

TEST(IngestFiles, FutureDatesAreRefused) {
    geo::Context ctx;
    TempDir dir;
    const std::string file = dir.file("cell.geojson");
    const std::string future_name = dir.file("cell_29990101.geojson");
    test::write_text(file, cell_b());
    test::write_text(future_name, cell_b());
    const std::string store_path = dir.file("store.gpkg");

    IngestOptions o = options_for(store_path, {file});
    o.date = "2999-01-01";
    std::string msg = ingest_error(ctx, o);
    EXPECT_TRUE(contains(msg, "future"));
    EXPECT_TRUE(contains(msg, "2999-01-01"));
    msg = ingest_error(ctx, options_for(store_path, {future_name}));
    EXPECT_TRUE(contains(msg, "future"));
    EXPECT_TRUE(contains(msg, future_name));
    EXPECT_FALSE(Store::exists(store_path));

    // Today itself is not the future.
    o.date = today_utc();
    EXPECT_EQ(ingest_files(ctx, o).files.at(0).status, IngestStatus::added);
}

TEST(IngestFiles, SameDateWithDifferentContentInOneRunIsRefused) {
    geo::Context ctx;
    TempDir dir;
    const std::string a = dir.file("a_2025-01-02.geojson");
    const std::string b = dir.file("b_20250102.geojson");
    test::write_text(a, cell_b());
    test::write_text(b, cell_b_south());
    const std::string store_path = dir.file("store.gpkg");
    const std::string msg = ingest_error(ctx, options_for(store_path, {a, b}));
    EXPECT_TRUE(contains(msg, b));
    EXPECT_TRUE(contains(msg, "a_2025-01-02.geojson"));
    EXPECT_TRUE(contains(msg, "2025-01-02"));
    EXPECT_FALSE(Store::exists(store_path));
    EXPECT_EQ(folder_names(dir.path()), (std::vector<std::string>{"a_2025-01-02.geojson", "b_20250102.geojson"}));
}

TEST(IngestFiles, SameDateWithTheSameContentInOneRunIsStoredOnce) {
    geo::Context ctx;
    TempDir dir;
    const std::string a = dir.file("a_2025-01-02.geojson");
    test::write_text(a, cell_b());
    const std::string store_path = dir.file("store.gpkg");
    IngestOptions o = options_for(store_path, {a, fixture("square_3d.geojson")});
    o.date = "2025-01-02";
    IngestReport report = ingest_files(ctx, o);
    ASSERT_EQ(report.files.size(), 2u);
    EXPECT_EQ(report.files[0].status, IngestStatus::added);
    EXPECT_EQ(report.files[1].status, IngestStatus::unchanged);
    Store store = Store::open(store_path);
    ASSERT_EQ(store.list().size(), 1u);
    EXPECT_EQ(store.list()[0].source_file, "a_2025-01-02.geojson");
}

TEST(IngestFiles, RepairsAreReportedAndCounted) {
    geo::Context ctx;
    TempDir dir;
    IngestOptions o = options_for(dir.file("store.gpkg"), {fixture("bowtie.geojson")});
    o.date = "2025-01-02";
    IngestReport report = ingest_files(ctx, o);
    ASSERT_EQ(report.files.size(), 1u);
    ASSERT_EQ(report.files[0].repairs.size(), 1u);
    EXPECT_TRUE(contains(report.files[0].repairs[0].reason, "Self-intersection"));
    EXPECT_EQ(report.files[0].parts, 2);
    EXPECT_GT(report.files[0].area_km2, 0.0);
    EXPECT_EQ(Store::open(o.store_path).list().at(0).repaired, 1);
}

TEST(IngestFiles, NothingLeftAfterRepairIsAnInputError) {
    geo::Context ctx;
    TempDir dir;
    const std::string file = dir.file("flat_2025-01-02.geojson");
    test::write_text(file, R"({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [[[30, 48], [31, 49], [30.5, 48.5], [30, 48]]]}}]})");
    const std::string store_path = dir.file("store.gpkg");
    const std::string msg = ingest_error(ctx, options_for(store_path, {file}));
    EXPECT_TRUE(contains(msg, file));
    EXPECT_TRUE(contains(msg, "no area"));
    EXPECT_FALSE(Store::exists(store_path));
}

TEST(IngestFiles, AStorePathThatIsNotAStoreIsLeftAlone) {
    geo::Context ctx;
    TempDir dir;
    const std::string file = dir.file("cell_2025-01-02.geojson");
    const std::string not_a_store = dir.file("cell_2025-01-03.geojson");  // e.g. a mistyped --store
    test::write_text(file, cell_b());
    test::write_text(not_a_store, cell_b_south());
    const std::string msg = ingest_error(ctx, options_for(not_a_store, {file}));
    EXPECT_TRUE(contains(msg, not_a_store));
    EXPECT_TRUE(contains(msg, "not a GeoPackage"));
    EXPECT_EQ(test::read_bytes(not_a_store), cell_b_south());
    EXPECT_EQ(folder_names(dir.path()),
              (std::vector<std::string>{"cell_2025-01-02.geojson", "cell_2025-01-03.geojson"}));
}

// --- Options --------------------------------------------------------------------------------------

TEST(IngestFiles, InvalidNamesAreRefused) {
    geo::Context ctx;
    TempDir dir;
    const std::string file = dir.file("cell_2025-01-02.geojson");
    test::write_text(file, cell_b());
    const std::string store_path = dir.file("store.gpkg");
    for (const char* bad : {"a b", "", "-x", "a/b", "a'b", "ü"}) {
        IngestOptions o = options_for(store_path, {file});
        o.provider = bad;
        EXPECT_TRUE(contains(ingest_error(ctx, o), "--provider")) << "'" << bad << "'";
    }
    IngestOptions o = options_for(store_path, {file});
    o.cls = "a b";
    EXPECT_TRUE(contains(ingest_error(ctx, o), "--class"));
    EXPECT_FALSE(Store::exists(store_path));
}

TEST(IngestFiles, BadOptionsAreInputErrors) {
    geo::Context ctx;
    TempDir dir;
    const std::string file = dir.file("cell_2025-01-02.geojson");
    const std::string undated = dir.file("cell.geojson");
    test::write_text(file, cell_b());
    test::write_text(undated, cell_b());
    const std::string store_path = dir.file("store.gpkg");

    EXPECT_TRUE(contains(ingest_error(ctx, options_for(store_path, {})), "no input files"));

    IngestOptions o = options_for(store_path, {file});
    o.date = "2025-02-30";
    EXPECT_TRUE(contains(ingest_error(ctx, o), "--date"));

    std::string msg = ingest_error(ctx, options_for(store_path, {undated}));
    EXPECT_TRUE(contains(msg, undated));
    EXPECT_TRUE(contains(msg, "--date")) << "says how to give the date";

    for (double grid : {0.0, -1e-7, 0.1}) {
        IngestOptions g = options_for(store_path, {file});
        g.grid_size_deg = grid;
        EXPECT_TRUE(contains(ingest_error(ctx, g), "--grid-size-deg")) << grid;
    }
    EXPECT_FALSE(Store::exists(store_path));
}

// --- Real data ------------------------------------------------------------------------------------

struct ReferenceArea {
    const char* file;
    const char* date;
    double area_km2;  // tests/reference/reference_values.json, snapshot_areas.csv
};

/// Ingests real snapshots in one run and checks each stored area against the independent
/// reference (pyproj / PostGIS on the raw file) within 0.001 %; the stored geometry is snapped to
/// the 1e-7° grid, which moves the area by far less than that.
void check_reference_areas(const std::vector<std::string>& paths, const std::vector<ReferenceArea>& refs) {
    geo::Context ctx;
    TempDir dir;
    const std::string store_path = dir.file("store.gpkg");
    IngestReport report = ingest_files(ctx, options_for(store_path, paths));
    ASSERT_EQ(report.files.size(), refs.size());
    Store store = Store::open(store_path);
    for (std::size_t i = 0; i < refs.size(); ++i) {
        const ReferenceArea& ref = refs[i];
        const IngestedFile& f = report.files[i];
        EXPECT_EQ(f.status, IngestStatus::added) << ref.file;
        EXPECT_EQ(f.key.date, ref.date) << ref.file;
        auto row = store.find(f.key);
        ASSERT_TRUE(row) << ref.file;
        EXPECT_NEAR(row->area_km2, ref.area_km2, ref.area_km2 * 1e-5) << ref.file;
        geo::Geometry g = geo::Geometry::from_wkb(ctx, store.load_wkb(f.key));
        EXPECT_NEAR(geo::geodesic_area_m2(g) / 1e6, row->area_km2, row->area_km2 * 1e-12)
            << "stored area_km2 is the area of the stored geometry";
        EXPECT_TRUE(on_grid(g, geo::kDefaultGridSizeDeg)) << ref.file;
        EXPECT_FALSE(geo::invalid_reason(g).has_value()) << ref.file;
    }

    // Real-data idempotency: a second run changes nothing, byte for byte.
    const std::string before = test::read_bytes(store_path);
    for (const auto& f : ingest_files(ctx, options_for(store_path, paths)).files) {
        EXPECT_EQ(f.status, IngestStatus::unchanged) << f.file;
    }
    EXPECT_TRUE(test::read_bytes(store_path) == before);
}

TEST(IngestFilesSampleData, OnGridHelperSeesOffGridVertices) {
    geo::Context ctx;
    EXPECT_TRUE(on_grid(geo::Geometry::from_wkt(ctx, "POLYGON ((30 48, 31.1234567 48, 31 49, 30 48))"), 1e-7));
    EXPECT_FALSE(on_grid(geo::Geometry::from_wkt(ctx, "POLYGON ((30 48, 31.12345678 48, 31 49, 30 48))"), 1e-7));
    EXPECT_FALSE(on_grid(geo::Geometry::from_wkt(ctx, "POLYGON ((30 48, 31 48, 31 49.00000004, 30 48))"), 1e-7));
}

TEST(IngestFilesSampleData, AreasMatchTheIndependentReference) {
    const std::string dir = test::sample_dir();
    check_reference_areas({dir + "/deepstatemap_data_20250102.geojson", dir + "/deepstatemap_data_20250801.geojson",
                           dir + "/deepstatemap_data_20260101.geojson"},
                          {{"deepstatemap_data_20250102.geojson", "2025-01-02", 111885.558870},
                           {"deepstatemap_data_20250801.geojson", "2025-08-01", 114261.576819},
                           {"deepstatemap_data_20260101.geojson", "2026-01-01", 116218.648181}});
}

TEST(IngestFilesRealData, DeepStateMapOccupiedAreasMatchTheIndependentReference) {
    FRONTLINE_REQUIRE_DATA(a, "deepstatemap_occupied/data/deepstatemap_data_20260812.geojson");
    FRONTLINE_REQUIRE_DATA(b, "deepstatemap_occupied/data/deepstatemap_data_20260813.geojson");
    check_reference_areas({a, b}, {{"deepstatemap_data_20260812.geojson", "2026-08-12", 117065.689777},
                                   {"deepstatemap_data_20260813.geojson", "2026-08-13", 116949.855566}});
}

TEST(IngestFilesRealData, DeepStateMapRawExportIsDatedByItsTimestamp) {
    FRONTLINE_REQUIRE_DATA(path, "deepstatemap_raw/geojsons/1648989208.geojson");
    geo::Context ctx;
    TempDir dir;
    IngestOptions o = options_for(dir.file("store.gpkg"), {path});
    o.cls = "all_statuses";  // a full export: every status polygon, dissolved
    IngestReport report = ingest_files(ctx, o);
    ASSERT_EQ(report.files.size(), 1u);
    EXPECT_EQ(report.files[0].key.date, "2022-04-03");
    EXPECT_EQ(report.files[0].other_features, 7);
    EXPECT_FALSE(report.files[0].repairs.empty());
    auto row = Store::open(o.store_path).find(report.files[0].key);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->source_file, "1648989208.geojson");
    EXPECT_EQ(row->repaired, static_cast<int>(report.files[0].repairs.size()));
    EXPECT_GT(row->area_km2, 0.0);
}

}  // namespace
}  // namespace frontline::ingest
