// The SQLite writer of new stores (ingest/gpkg_writer.hpp) against GDAL's writing of the same
// snapshots: every table of the two files, row by row and byte by byte, on the sample data and
// the real daily archive; and what it leaves to GDAL.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "geo/geometry.hpp"
#include "ingest/gpkg_direct.hpp"
#include "ingest/gpkg_writer.hpp"
#include "ingest/hash.hpp"
#include "ingest/store.hpp"
#include "tests/test_support.hpp"

namespace frontline::ingest {
namespace {

using test::TempDir;

bool file_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

/// Every row `sql` gives on the file at `path`, each as its columns' text joined by '|' (blobs
/// as hex, reals as SQLite prints them).
std::vector<std::string> rows_of(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    std::vector<std::string> rows;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        ADD_FAILURE() << "cannot open " << path;
        sqlite3_close_v2(db);
        return rows;
    }
    auto collect = [](void* out, int n, char** values, char**) {
        std::string row;
        for (int i = 0; i < n; ++i) {
            row += std::string(i == 0 ? "" : "|") + (values[i] != nullptr ? values[i] : "NULL");
        }
        static_cast<std::vector<std::string>*>(out)->push_back(row);
        return 0;
    };
    char* error = nullptr;
    if (sqlite3_exec(db, sql.c_str(), collect, &rows, &error) != SQLITE_OK) {
        ADD_FAILURE() << sql << " on " << path << ": " << (error != nullptr ? error : "?");
    }
    sqlite3_free(error);
    sqlite3_close_v2(db);
    return rows;
}

/// Asserts that the two GeoPackages hold the same schema and the same rows in every table (the
/// tables' last_change times aside), and that SQLite finds nothing wrong with the first.
void expect_same_store(const std::string& direct, const std::string& gdal) {
    const char* const queries[] = {
        "PRAGMA application_id",
        "PRAGMA user_version",
        "PRAGMA page_size",
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name",
        "SELECT * FROM gpkg_spatial_ref_sys ORDER BY srs_id",
        "SELECT table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id "
        "FROM gpkg_contents ORDER BY table_name",
        "SELECT * FROM gpkg_ogr_contents ORDER BY table_name",
        "SELECT * FROM gpkg_geometry_columns",
        "SELECT * FROM gpkg_extensions",
        "SELECT * FROM frontline_meta ORDER BY fid",
        "SELECT * FROM sqlite_sequence ORDER BY name",
        "SELECT fid, hex(geom), provider, date, class, area_km2, typeof(area_km2), content_sha256, source_file, "
        "source_layers, source_sha256, repaired, typeof(repaired), ingested_at FROM snapshots ORDER BY fid",
        "SELECT * FROM rtree_snapshots_geom ORDER BY id",
    };
    for (const char* q : queries) {
        SCOPED_TRACE(q);
        const auto a = rows_of(direct, q);
        const auto b = rows_of(gdal, q);
        EXPECT_FALSE(b.empty());
        EXPECT_EQ(a, b);
    }
    EXPECT_EQ(rows_of(direct, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
    EXPECT_EQ(rows_of(direct, "SELECT count(*) FROM gpkg_contents WHERE last_change LIKE '____-__-__T__:__:__.___Z'"),
              std::vector<std::string>{"2"});
}

/// The snapshots of a store, as Store::write takes them.
std::vector<Snapshot> snapshots_of(const std::string& path) {
    Store store = Store::open(path);
    std::vector<Snapshot> out;
    for (const SnapshotInfo& info : store.list()) {
        Snapshot s;
        s.info = info;
        s.wkb = store.load_wkb(info.key);
        out.push_back(std::move(s));
    }
    return out;
}

/// Ingests `files` into a new store (written by the SQLite writer), writes the same snapshots
/// through GDAL into another, and compares the two files.
void expect_gdal_writes_the_same(const std::vector<std::string>& files, std::size_t expected_rows) {
    TempDir dir;
    const std::string direct = test::ingest_into(dir, files);
    ASSERT_FALSE(file_exists(direct + ".tmp-" + std::to_string(::getpid())));
    const std::vector<Snapshot> snaps = snapshots_of(direct);
    ASSERT_EQ(snaps.size(), expected_rows);
    const std::string gdal = dir.file("gdal.gpkg");
    Store::write(gdal, snaps, Store::Writer::gdal);
    expect_same_store(direct, gdal);
    // And GDAL reads it, through its RTree too.
    Store boxed = Store::open(direct);
    boxed.restrict_to(BBox{36.0, 47.0, 38.0, 49.0});
    EXPECT_EQ(sha256_hex(boxed.load_wkb(snaps.front().info.key)).size(), 64u);
}

TEST(GpkgWriter, WritesTheStoreGdalWritesForTheSampleData) {
    expect_gdal_writes_the_same({test::sample_dir() + "/deepstatemap_data_20250102.geojson",
                                 test::sample_dir() + "/deepstatemap_data_20250801.geojson",
                                 test::sample_dir() + "/deepstatemap_data_20260101.geojson"},
                                3);
}

TEST(GpkgWriter, WritesTheStoreGdalWritesForTheDailyArchive) {
    const auto files = test::archive_files();
    if (files.size() < 79) {
        GTEST_SKIP() << "the daily archive is not in " << test::data_dir() << " (set FRONTLINE_DATA_DIR)";
    }
    expect_gdal_writes_the_same(files, 79);
}

TEST(GpkgWriter, StoresAPolygonAsAMultiPolygonAsGdalDoes) {
    geo::Context ctx;
    TempDir dir;
    std::vector<Snapshot> snaps;
    for (const char* wkt : {"POLYGON ((30 48, 31 48, 31 49, 30 49, 30 48), (30.2 48.2, 30.2 48.4, 30.4 48.4, 30.2 48.2))",
                            "MULTIPOLYGON (((-10 -5, -9 -5, -9 -4, -10 -5)), ((30 48, 31 48, 31 49, 30 48)))"}) {
        Snapshot s;
        s.wkb = geo::Geometry::from_wkt(ctx, wkt).to_wkb();
        s.info.key = SnapshotKey{"p", snaps.empty() ? "2025-01-01" : "2025-01-02", "occupied"};
        s.info.area_km2 = 1234.567890123456789;
        s.info.content_sha256 = sha256_hex(s.wkb);
        s.info.source_file = "x.geojson";
        s.info.source_layers = "a,b";
        s.info.repaired = 2;
        s.info.ingested_at = "2025-01-03T00:00:00Z";
        snaps.push_back(std::move(s));
    }
    ASSERT_TRUE(write_new_gpkg(dir.file("direct.gpkg"), snaps));
    Store::write(dir.file("gdal.gpkg"), snaps, Store::Writer::gdal);
    expect_same_store(dir.file("direct.gpkg"), dir.file("gdal.gpkg"));
    EXPECT_EQ(rows_of(dir.file("direct.gpkg"), "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE "
                                               "table_name = 'snapshots'"),
              std::vector<std::string>{"-10.0|-5.0|31.0|49.0"});
}

TEST(GpkgWriter, LeavesNoFileWhenItCannotWriteAndStoreFallsBackToGdal) {
    geo::Context ctx;
    TempDir dir;
    Snapshot s;
    s.info.key = SnapshotKey{"p", "2025-01-01", "occupied"};
    // Not WKB at all, WKB cut short, a geometry it leaves to GDAL, no such folder.
    s.wkb = {1, 2, 3};
    EXPECT_FALSE(write_new_gpkg(dir.file("a.gpkg"), {s}));
    EXPECT_FALSE(file_exists(dir.file("a.gpkg")));
    s.wkb = geo::Geometry::from_wkt(ctx, "MULTIPOLYGON (((30 48, 31 48, 31 49, 30 48)))").to_wkb();
    s.wkb.resize(s.wkb.size() - 8);
    EXPECT_FALSE(write_new_gpkg(dir.file("b.gpkg"), {s}));
    EXPECT_FALSE(file_exists(dir.file("b.gpkg")));
    EXPECT_FALSE(file_exists(dir.file("b.gpkg-journal")));
    s.wkb = geo::Geometry::from_wkt(ctx, "MULTIPOLYGON EMPTY").to_wkb();
    EXPECT_FALSE(write_new_gpkg(dir.file("c.gpkg"), {s}));
    EXPECT_FALSE(file_exists(dir.file("c.gpkg")));
    EXPECT_FALSE(write_new_gpkg(dir.file("no/such/folder/d.gpkg"), {s}));

    // Store::write then goes through GDAL: the empty geometry is stored, the broken WKB refused
    // with GDAL's message and no store left behind.
    Store::write(dir.file("c.gpkg"), {s});
    EXPECT_EQ(Store::open(dir.file("c.gpkg")).load_wkb(s.info.key), s.wkb);
    s.wkb = {1, 2, 3};
    try {
        Store::write(dir.file("a.gpkg"), {s});
        ADD_FAILURE() << "no error for WKB that is not WKB";
    } catch (const RunError& e) {
        EXPECT_NE(std::string(e.what()).find("cannot convert a snapshot geometry"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(file_exists(dir.file("a.gpkg")));
    EXPECT_FALSE(file_exists(dir.file("a.gpkg.tmp-" + std::to_string(::getpid()))));
}

}  // namespace
}  // namespace frontline::ingest
