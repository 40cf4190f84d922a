// The GeoPackage snapshot store: creating, refusing what is not a store, listing and loading.
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "geo/error.hpp"
#include "geo/geodesic.hpp"
#include "geo/polygon_ops.hpp"
#include "ingest/gdal_env.hpp"
#include "ingest/hash.hpp"
#include "ingest/store.hpp"
#include "tests/test_support.hpp"

namespace frontline::ingest {
namespace {

using test::TempDir;

constexpr const char* kCellB = "POLYGON ((30 48, 31 48, 31 49, 30 49, 30 48))";
constexpr const char* kCellBSouth = "POLYGON ((30 48, 31 48, 31 48.5, 30 48.5, 30 48))";
constexpr const char* kTwoCells =
    "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 1, 0 0)), ((30 48, 31 48, 31 49, 30 49, 30 48), "
    "(30.25 48.25, 30.25 48.75, 30.75 48.75, 30.75 48.25, 30.25 48.25)))";

::testing::AssertionResult contains(const std::string& text, const std::string& part) {
    if (text.find(part) != std::string::npos) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << part << "\"";
}

/// The message of the InputError Store::open throws, or "" with a test failure if it throws none.
std::string open_error(const std::string& path) {
    try {
        Store s = Store::open(path);
        ADD_FAILURE() << "Store::open(" << path << ") succeeded";
    } catch (const InputError& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "Store::open(" << path << ") threw something else than InputError: " << e.what();
    }
    return "";
}

/// A snapshot as ingest builds it: normalised MultiPolygon, its WKB hash and geodesic area.
Snapshot make_snapshot(const geo::Context& ctx, const std::string& provider, const std::string& date,
                       const std::string& cls, const std::string& wkt) {
    geo::Geometry g = geo::polygonal_part(geo::Geometry::from_wkt(ctx, wkt));
    geo::normalize(g);
    Snapshot s;
    s.wkb = g.to_wkb();
    s.info.key = SnapshotKey{provider, date, cls};
    s.info.area_km2 = geo::geodesic_area_m2(g) / 1e6;
    s.info.content_sha256 = sha256_hex(s.wkb);
    s.info.source_file = provider + "_" + date + ".geojson";
    s.info.source_layers = "layer_a,layer_b";
    s.info.source_sha256 = std::string(64, 'f');
    s.info.repaired = 2;
    s.info.ingested_at = "2025-01-03T04:05:06Z";
    return s;
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

std::vector<std::string> dates_of(const std::vector<SnapshotInfo>& infos) {
    std::vector<std::string> out;
    for (const auto& i : infos) {
        out.push_back(i.key.provider + "/" + i.key.cls + "/" + i.key.date);
    }
    return out;
}

/// Runs SQL on a GeoPackage through GDAL (the way a user with sqlite3 could edit it).
void execute_sql(const std::string& path, const std::string& sql) {
    init_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    ASSERT_TRUE(ds) << path;
    OGRLayer* result = ds->ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (result != nullptr) {
        ds->ReleaseResultSet(result);
    }
}

TEST(IngestStore, WriteCreatesANewStoreAndEveryFieldRoundTrips) {
    geo::Context ctx;
    TempDir dir;
    const std::string path = dir.file("new.gpkg");
    ASSERT_FALSE(Store::exists(path));
    const Snapshot s = make_snapshot(ctx, "deepstate", "2025-01-02", "occupied", kCellB);
    Store::write(path, {s});
    ASSERT_TRUE(Store::exists(path));
    EXPECT_EQ(folder_names(dir.path()), std::vector<std::string>{"new.gpkg"}) << "no temporary file left";

    Store store = Store::open(path);
    EXPECT_EQ(store.path(), path);
    const auto rows = store.list();
    ASSERT_EQ(rows.size(), 1u);
    const SnapshotInfo& got = rows[0];
    EXPECT_EQ(got.key.provider, "deepstate");
    EXPECT_EQ(got.key.date, "2025-01-02");
    EXPECT_EQ(got.key.cls, "occupied");
    EXPECT_DOUBLE_EQ(got.area_km2, s.info.area_km2);
    EXPECT_NEAR(got.area_km2, 8217.589924770447, 1e-6);
    EXPECT_EQ(got.content_sha256, s.info.content_sha256);
    EXPECT_EQ(got.source_file, s.info.source_file);
    EXPECT_EQ(got.source_layers, "layer_a,layer_b");
    EXPECT_EQ(got.source_sha256, s.info.source_sha256);
    EXPECT_EQ(got.repaired, 2);
    EXPECT_EQ(got.ingested_at, "2025-01-03T04:05:06Z");
}

TEST(IngestStore, EmptyWriteCreatesAnEmptyStore) {
    TempDir dir;
    const std::string path = dir.file("empty.gpkg");
    Store::write(path, {});
    Store store = Store::open(path);
    EXPECT_TRUE(store.list().empty());
    EXPECT_FALSE(store.latest_on_or_before("p", "occupied", "2999-12-31").has_value());
}

TEST(IngestStore, WriteIntoAMissingFolderIsAnInputError) {
    geo::Context ctx;
    TempDir dir;
    const std::string path = dir.file("no_such_folder/store.gpkg");
    EXPECT_THROW(Store::write(path, {make_snapshot(ctx, "p", "2025-01-02", "occupied", kCellB)}), InputError);
    EXPECT_TRUE(folder_names(dir.path()).empty());
}

TEST(IngestStore, OpenMissingFile) {
    TempDir dir;
    const std::string path = dir.file("missing.gpkg");
    const std::string msg = open_error(path);
    EXPECT_TRUE(contains(msg, path));
    EXPECT_TRUE(contains(msg, "no such file"));
    EXPECT_FALSE(Store::exists(path)) << "opening must not create it";
}

TEST(IngestStore, OpenTextFile) {
    TempDir dir;
    const std::string path = dir.file("notes.gpkg");
    test::write_text(path, "provider,date\ndeepstate,2025-01-02\n");
    const std::string msg = open_error(path);
    EXPECT_TRUE(contains(msg, path));
    EXPECT_TRUE(contains(msg, "not a GeoPackage"));
    EXPECT_EQ(test::read_bytes(path), "provider,date\ndeepstate,2025-01-02\n");
}

TEST(IngestStore, OpenGeoPackageThatIsNotAStore) {
    init_gdal();
    TempDir dir;
    const std::string path = dir.file("roads.gpkg");
    {
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
        ASSERT_NE(driver, nullptr);
        GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        ASSERT_TRUE(ds);
        OGRSpatialReference wgs84;
        wgs84.SetWellKnownGeogCS("WGS84");
        ASSERT_NE(ds->CreateLayer("roads", &wgs84, wkbLineString, nullptr), nullptr);
    }
    const std::string msg = open_error(path);
    EXPECT_TRUE(contains(msg, path));
    EXPECT_TRUE(contains(msg, "not a frontline store"));
    // Writing to it is refused the same way, and leaves it alone.
    const std::string before = test::read_bytes(path);
    geo::Context ctx;
    EXPECT_THROW(Store::write(path, {make_snapshot(ctx, "p", "2025-01-02", "occupied", kCellB)}), InputError);
    EXPECT_EQ(test::read_bytes(path), before);
}

TEST(IngestStore, OpenNewerSchemaVersion) {
    geo::Context ctx;
    TempDir dir;
    const std::string path = dir.file("v2.gpkg");
    Store::write(path, {make_snapshot(ctx, "p", "2025-01-02", "occupied", kCellB)});
    ASSERT_NO_THROW(Store::open(path));
    execute_sql(path, "UPDATE frontline_meta SET value = '2' WHERE key = 'schema_version'");
    const std::string msg = open_error(path);
    EXPECT_TRUE(contains(msg, path));
    EXPECT_TRUE(contains(msg, "schema version 2"));
    EXPECT_TRUE(contains(msg, "newer"));
    // And a write does not touch it.
    const std::string before = test::read_bytes(path);
    EXPECT_THROW(Store::write(path, {make_snapshot(ctx, "p", "2025-01-03", "occupied", kCellB)}), InputError);
    EXPECT_EQ(test::read_bytes(path), before);
}

TEST(IngestStore, OpenWithoutSchemaVersion) {
    geo::Context ctx;
    TempDir dir;
    const std::string path = dir.file("v0.gpkg");
    Store::write(path, {make_snapshot(ctx, "p", "2025-01-02", "occupied", kCellB)});
    execute_sql(path, "DELETE FROM frontline_meta WHERE key = 'schema_version'");
    const std::string msg = open_error(path);
    EXPECT_TRUE(contains(msg, "schema version"));
    EXPECT_TRUE(contains(msg, path));
}

TEST(IngestStore, ListIsOrderedByProviderClassDate) {
    geo::Context ctx;
    TempDir dir;
    const std::string path = dir.file("s.gpkg");
    // Written in a scrambled order, in two transactions (new store, then existing store).
    Store::write(path, {make_snapshot(ctx, "nzz", "2025-03-01", "occupied", kCellB),
                        make_snapshot(ctx, "deepstate", "2025-02-01", "occupied", kCellB),
                        make_snapshot(ctx, "deepstate", "2024-12-31", "occupied", kCellB)});
    Store::write(path, {make_snapshot(ctx, "deepstate", "2025-01-15", "contested", kCellB),
                        make_snapshot(ctx, "deepstate", "2025-01-02", "occupied", kCellB),
                        make_snapshot(ctx, "deepstate", "2024-06-01", "contested", kCellB),
                        make_snapshot(ctx, "isw", "2022-11-30", "occupied", kCellB)});
    Store store = Store::open(path);
    const std::vector<std::string> expected = {
        "deepstate/contested/2024-06-01", "deepstate/contested/2025-01-15", "deepstate/occupied/2024-12-31",
        "deepstate/occupied/2025-01-02",  "deepstate/occupied/2025-02-01",  "isw/occupied/2022-11-30",
        "nzz/occupied/2025-03-01"};
    EXPECT_EQ(dates_of(store.list()), expected);
}

TEST(IngestStore, LatestOnOrBefore) {
    geo::Context ctx;
    TempDir dir;
    const std::string path = dir.file("s.gpkg");
    Store::write(path, {make_snapshot(ctx, "p", "2025-02-01", "occupied", kCellB),
                        make_snapshot(ctx, "p", "2025-01-02", "occupied", kCellB),
                        make_snapshot(ctx, "p", "2025-01-05", "occupied", kCellB),
                        make_snapshot(ctx, "p", "2025-01-10", "contested", kCellB),
                        make_snapshot(ctx, "q", "2025-01-03", "occupied", kCellB)});
    Store store = Store::open(path);
    auto date_of = [&](const std::string& provider, const std::string& cls, const std::string& date) {
        auto got = store.latest_on_or_before(provider, cls, date);
        return got ? got->key.date : std::string("none");
    };
    EXPECT_EQ(date_of("p", "occupied", "2025-01-04"), "2025-01-02");
    EXPECT_EQ(date_of("p", "occupied", "2025-01-05"), "2025-01-05") << "on the date itself";
    EXPECT_EQ(date_of("p", "occupied", "2025-01-31"), "2025-01-05");
    EXPECT_EQ(date_of("p", "occupied", "2999-12-31"), "2025-02-01");
    EXPECT_EQ(date_of("p", "occupied", "2025-01-02"), "2025-01-02");
    EXPECT_EQ(date_of("p", "occupied", "2025-01-01"), "none") << "before the first snapshot";
    EXPECT_EQ(date_of("p", "contested", "2025-01-09"), "none") << "only its own class counts";
    EXPECT_EQ(date_of("p", "contested", "2025-12-31"), "2025-01-10");
    EXPECT_EQ(date_of("q", "occupied", "2025-01-04"), "2025-01-03") << "only its own provider counts";
    EXPECT_EQ(date_of("r", "occupied", "2025-01-04"), "none");
    auto found = store.latest_on_or_before("p", "occupied", "2025-01-04");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->key.provider, "p");
    EXPECT_EQ(found->key.cls, "occupied");
}

TEST(IngestStore, Find) {
    geo::Context ctx;
    TempDir dir;
    const std::string path = dir.file("s.gpkg");
    Store::write(path, {make_snapshot(ctx, "p", "2025-01-02", "occupied", kCellB),
                        make_snapshot(ctx, "p", "2025-01-03", "occupied", kCellBSouth)});
    Store store = Store::open(path);
    auto hit = store.find(SnapshotKey{"p", "2025-01-03", "occupied"});
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->content_sha256, make_snapshot(ctx, "p", "2025-01-03", "occupied", kCellBSouth).info.content_sha256);
    EXPECT_FALSE(store.find(SnapshotKey{"p", "2025-01-04", "occupied"}));
    EXPECT_FALSE(store.find(SnapshotKey{"p", "2025-01-03", "contested"}));
    EXPECT_FALSE(store.find(SnapshotKey{"q", "2025-01-03", "occupied"}));
}

TEST(IngestStore, LoadWkbRoundTripsTheGeometry) {
    geo::Context ctx;
    TempDir dir;
    const std::string path = dir.file("s.gpkg");
    const Snapshot two = make_snapshot(ctx, "p", "2025-01-02", "occupied", kTwoCells);
    const Snapshot one = make_snapshot(ctx, "p", "2025-01-03", "occupied", kCellB);
    Store::write(path, {two, one});
    Store store = Store::open(path);

    const std::vector<unsigned char> wkb = store.load_wkb(two.info.key);
    EXPECT_EQ(wkb, two.wkb) << "the same 2-D ISO WKB bytes";
    EXPECT_EQ(sha256_hex(wkb), store.find(two.info.key).value().content_sha256)
        << "content_sha256 describes the stored bytes";
    geo::Geometry g = geo::Geometry::from_wkb(ctx, wkb);
    EXPECT_EQ(g.type_id(), 6);  // GEOS_MULTIPOLYGON
    EXPECT_EQ(g.num_geometries(), 2);
    EXPECT_NEAR(geo::geodesic_area_m2(g) / 1e6, 12308.778361469453 + 6163.145585500672, 1e-6);

    // A single Polygon is stored as a MultiPolygon of one.
    geo::Geometry single = geo::Geometry::from_wkb(ctx, store.load_wkb(one.info.key));
    EXPECT_EQ(single.type_id(), 6);
    EXPECT_EQ(single.num_geometries(), 1);
    EXPECT_EQ(single.to_wkb(), one.wkb);

    try {
        store.load_wkb(SnapshotKey{"p", "2025-01-04", "occupied"});
        ADD_FAILURE() << "load_wkb of a missing key returned";
    } catch (const InputError& e) {
        EXPECT_TRUE(contains(e.what(), "2025-01-04"));
        EXPECT_TRUE(contains(e.what(), path));
    }
}

TEST(IngestStore, WriteReplacesARowWithTheSameKey) {
    geo::Context ctx;
    TempDir dir;
    const std::string path = dir.file("s.gpkg");
    const Snapshot first = make_snapshot(ctx, "p", "2025-01-02", "occupied", kCellB);
    Store::write(path, {first});
    Snapshot south = make_snapshot(ctx, "p", "2025-01-02", "occupied", kCellBSouth);
    south.replaces_sha256 = first.info.content_sha256;  // what ingest --replace saw stored
    Store::write(path, {south});
    Store store = Store::open(path);
    const auto rows = store.list();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].content_sha256, south.info.content_sha256);
    EXPECT_EQ(store.load_wkb(south.info.key), south.wkb);
}

TEST(IngestStore, FailedWriteToAnExistingStoreLandsNoRow) {
    geo::Context ctx;
    TempDir dir;
    const std::string path = dir.file("s.gpkg");
    Store::write(path, {make_snapshot(ctx, "p", "2025-01-02", "occupied", kCellB)});
    const std::string before = test::read_bytes(path);

    Snapshot bad = make_snapshot(ctx, "p", "2025-01-04", "occupied", kCellB);
    bad.wkb = {1, 2, 3};  // not WKB
    const Snapshot replacing = make_snapshot(ctx, "p", "2025-01-02", "occupied", kCellBSouth);
    const Snapshot adding = make_snapshot(ctx, "p", "2025-01-03", "occupied", kCellB);
    EXPECT_ANY_THROW(Store::write(path, {replacing, adding, bad}));

    Store store = Store::open(path);
    EXPECT_EQ(dates_of(store.list()), std::vector<std::string>{"p/occupied/2025-01-02"});
    EXPECT_EQ(store.find(replacing.info.key).value().content_sha256,
              make_snapshot(ctx, "p", "2025-01-02", "occupied", kCellB).info.content_sha256);
    EXPECT_EQ(folder_names(dir.path()), std::vector<std::string>{"s.gpkg"});
    EXPECT_TRUE(test::read_bytes(path) == before) << "the rolled-back store is byte-identical";
}

TEST(IngestStore, FailedWriteOfANewStoreLeavesNothing) {
    geo::Context ctx;
    TempDir dir;
    const std::string path = dir.file("s.gpkg");
    Snapshot bad = make_snapshot(ctx, "p", "2025-01-04", "occupied", kCellB);
    bad.wkb = {1, 2, 3};
    EXPECT_ANY_THROW(Store::write(path, {make_snapshot(ctx, "p", "2025-01-02", "occupied", kCellB), bad}));
    EXPECT_FALSE(Store::exists(path));
    EXPECT_TRUE(folder_names(dir.path()).empty()) << "no temporary file or journal left";
}

// A concurrent writer: another ingest stored the key between this run's check and its write.
// The write must fail cleanly (nothing of it lands) instead of silently overwriting that row.
TEST(IngestStore, WriteNeverOverwritesWhatAnotherWriterStoredMeanwhile) {
    geo::Context ctx;
    TempDir dir;
    const std::string path = dir.file("s.gpkg");
    const Snapshot first = make_snapshot(ctx, "p", "2025-01-02", "occupied", kCellB);
    Store::write(path, {first});
    const std::string before = Store::open(path).find(first.info.key)->content_sha256;

    Snapshot other = make_snapshot(ctx, "p", "2025-01-02", "occupied", kCellBSouth);
    Snapshot unrelated = make_snapshot(ctx, "p", "2025-01-03", "occupied", kCellBSouth);
    ASSERT_NE(other.info.content_sha256, before);
    // Planned as an add (the key was absent when this run looked).
    try {
        Store::write(path, {unrelated, other});
        ADD_FAILURE() << "the write went through";
    } catch (const RunError& e) {
        EXPECT_TRUE(contains(e.what(), "another ingest stored")) << e.what();
        EXPECT_TRUE(contains(e.what(), "nothing from this run was written")) << e.what();
    }
    // Planned as a replacement of something else than what is stored now.
    other.replaces_sha256 = std::string(64, '0');
    EXPECT_THROW(Store::write(path, {other}), RunError);
    {
        Store store = Store::open(path);
        EXPECT_EQ(store.list().size(), 1u) << "the unrelated snapshot of the failed run did not land";
        EXPECT_EQ(store.find(first.info.key)->content_sha256, before);
    }
    // A replacement of exactly what is stored goes through.
    other.replaces_sha256 = before;
    Store::write(path, {other});
    EXPECT_EQ(Store::open(path).find(first.info.key)->content_sha256, other.info.content_sha256);
}

}  // namespace
}  // namespace frontline::ingest
