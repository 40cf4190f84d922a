// The store's SQLite read path (ingest/gpkg_direct.hpp) against GDAL's reading of the same
// GeoPackage: every row and every geometry byte of a real store, the GeoPackage geometry header,
// and the files and blobs it leaves to GDAL.
#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "geo/geometry.hpp"
#include "ingest/gdal_env.hpp"
#include "ingest/gpkg_direct.hpp"
#include "ingest/hash.hpp"
#include "ingest/store.hpp"
#include "tests/test_support.hpp"

namespace frontline::ingest {
namespace {

using test::TempDir;

/// The snapshots table as GDAL reads it: each row's fields and its geometry as 2-D ISO WKB.
struct GdalRow {
    SnapshotInfo info;
    std::vector<unsigned char> wkb;
};

std::vector<GdalRow> read_with_gdal(const std::string& path) {
    init_gdal();
    const char* const drivers[] = {"GPKG", nullptr};
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR, drivers));
    EXPECT_TRUE(ds) << path;
    std::vector<GdalRow> rows;
    if (!ds) {
        return rows;
    }
    OGRLayer* layer = ds->GetLayerByName("snapshots");
    EXPECT_NE(layer, nullptr);
    for (auto& f : *layer) {
        GdalRow r;
        r.info.key = SnapshotKey{f->GetFieldAsString("provider"), f->GetFieldAsString("date"),
                                 f->GetFieldAsString("class")};
        r.info.area_km2 = f->GetFieldAsDouble("area_km2");
        r.info.content_sha256 = f->GetFieldAsString("content_sha256");
        r.info.source_file = f->GetFieldAsString("source_file");
        r.info.source_layers = f->GetFieldAsString("source_layers");
        r.info.source_sha256 = f->GetFieldAsString("source_sha256");
        r.info.repaired = f->GetFieldAsInteger("repaired");
        r.info.ingested_at = f->GetFieldAsString("ingested_at");
        const OGRGeometry* g = f->GetGeometryRef();
        EXPECT_NE(g, nullptr);
        if (g != nullptr) {
            r.wkb.resize(g->WkbSize());
            g->exportToWkb(wkbNDR, r.wkb.data(), wkbVariantIso);
        }
        rows.push_back(std::move(r));
    }
    return rows;
}

void expect_same_info(const SnapshotInfo& a, const SnapshotInfo& b) {
    EXPECT_EQ(a.key.provider, b.key.provider);
    EXPECT_EQ(a.key.date, b.key.date);
    EXPECT_EQ(a.key.cls, b.key.cls);
    EXPECT_EQ(a.area_km2, b.area_km2) << a.key.date;  // the very same double
    EXPECT_EQ(a.content_sha256, b.content_sha256);
    EXPECT_EQ(a.source_file, b.source_file);
    EXPECT_EQ(a.source_layers, b.source_layers);
    EXPECT_EQ(a.source_sha256, b.source_sha256);
    EXPECT_EQ(a.repaired, b.repaired);
    EXPECT_EQ(a.ingested_at, b.ingested_at);
}

/// Runs `sql` on the GeoPackage through GDAL (whose SQLite connection has the ST_ functions the
/// RTree triggers call).
void gdal_sql(const std::string& path, const std::string& sql) {
    init_gdal();
    const char* const drivers[] = {"GPKG", nullptr};
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers));
    ASSERT_TRUE(ds) << path;
    ds->ReleaseResultSet(ds->ExecuteSQL(sql.c_str(), nullptr, nullptr));
}

std::string hex(const std::vector<unsigned char>& bytes) {
    static const char* digits = "0123456789ABCDEF";
    std::string out;
    for (unsigned char b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

TEST(GpkgDirect, ReadsEveryRowAndGeometryOfARealStoreAsGdalDoes) {
    const auto files = test::archive_files();
    if (files.size() < 79) {
        GTEST_SKIP() << "the daily archive is not in " << test::data_dir() << " (set FRONTLINE_DATA_DIR)";
    }
    TempDir dir;
    const std::string path = test::ingest_into(dir, files);
    const std::vector<GdalRow> expected = read_with_gdal(path);
    ASSERT_EQ(expected.size(), 79u);

    auto direct = GpkgDirect::open(path, Store::kSchemaVersion);
    ASSERT_TRUE(direct) << "a store ingest just wrote is read directly";
    const std::vector<SnapshotInfo> rows = direct->list();
    ASSERT_EQ(rows.size(), expected.size());
    Store store = Store::open(path);
    Store boxed = Store::open(path);
    boxed.restrict_to(BBox{-180, -90, 180, 90});  // through GDAL and the RTree
    for (std::size_t i = 0; i < rows.size(); ++i) {
        SCOPED_TRACE(expected[i].info.key.date);
        expect_same_info(rows[i], expected[i].info);
        const GpkgDirect::Loaded loaded = direct->load_wkb(rows[i].key);
        ASSERT_EQ(loaded.kind, GpkgDirect::Loaded::Kind::wkb);
        EXPECT_EQ(loaded.wkb, expected[i].wkb) << "the bytes GDAL gives";
        EXPECT_EQ(sha256_hex(loaded.wkb), rows[i].content_sha256) << "the bytes ingest hashed";
        EXPECT_EQ(store.load_wkb(rows[i].key), loaded.wkb);
        EXPECT_EQ(boxed.load_wkb(rows[i].key), loaded.wkb);
    }
    EXPECT_EQ(direct->load_wkb(SnapshotKey{"default", "1999-01-01", "occupied"}).kind,
              GpkgDirect::Loaded::Kind::missing);
    // Store::list() sorts; the rows are the same.
    const auto listed = store.list();
    ASSERT_EQ(listed.size(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        expect_same_info(listed[i], rows[i]);
    }
}

TEST(GpkgDirect, EmptyAndSmallGeometriesComeBackAsStored) {
    geo::Context ctx;
    TempDir dir;
    const std::string path = dir.file("s.gpkg");
    std::vector<Snapshot> snaps;
    for (const char* wkt : {"MULTIPOLYGON EMPTY", "MULTIPOLYGON (((30 48, 31 48, 31 49, 30 49, 30 48)))"}) {
        Snapshot s;
        s.wkb = geo::Geometry::from_wkt(ctx, wkt).to_wkb();
        s.info.key = SnapshotKey{"p", snaps.empty() ? "2025-01-01" : "2025-01-02", "occupied"};
        s.info.content_sha256 = sha256_hex(s.wkb);
        snaps.push_back(std::move(s));
    }
    Store::write(path, snaps);
    auto direct = GpkgDirect::open(path, Store::kSchemaVersion);
    ASSERT_TRUE(direct);
    Store store = Store::open(path);
    for (const auto& s : snaps) {
        const GpkgDirect::Loaded loaded = direct->load_wkb(s.info.key);
        ASSERT_EQ(loaded.kind, GpkgDirect::Loaded::Kind::wkb) << s.info.key.date;
        EXPECT_EQ(loaded.wkb, s.wkb) << s.info.key.date;
        EXPECT_EQ(store.load_wkb(s.info.key), s.wkb) << s.info.key.date;
    }
    // A NULL geometry is no snapshot, as through GDAL.
    gdal_sql(path, "UPDATE snapshots SET geom = NULL WHERE date = '2025-01-02'");
    EXPECT_EQ(GpkgDirect::open(path, Store::kSchemaVersion)->load_wkb(snaps[1].info.key).kind,
              GpkgDirect::Loaded::Kind::missing);
    EXPECT_THROW(Store::open(path).load_wkb(snaps[1].info.key), InputError);
}

TEST(GpkgDirect, BlobsItDoesNotReadAreLeftToGdal) {
    geo::Context ctx;
    TempDir dir;
    const std::string path = dir.file("s.gpkg");
    Snapshot s;
    s.wkb = geo::Geometry::from_wkt(ctx, "MULTIPOLYGON (((30 48, 31 48, 31 49, 30 49, 30 48)))").to_wkb();
    s.info.key = SnapshotKey{"p", "2025-01-01", "occupied"};
    Store::write(path, {s});
    // The same MultiPolygon as big-endian WKB behind a header without an envelope, as another
    // GeoPackage writer might store it.
    OGRGeometry* g = nullptr;
    ASSERT_EQ(OGRGeometryFactory::createFromWkb(s.wkb.data(), nullptr, &g, s.wkb.size()), OGRERR_NONE);
    std::vector<unsigned char> xdr(g->WkbSize());
    g->exportToWkb(wkbXDR, xdr.data(), wkbVariantIso);
    OGRGeometryFactory::destroyGeometry(g);
    std::vector<unsigned char> blob = {'G', 'P', 0, 0, 0, 0, 0x10, 0xE6};  // big-endian srs_id 4326
    blob.insert(blob.end(), xdr.begin(), xdr.end());
    gdal_sql(path, "UPDATE snapshots SET geom = X'" + hex(blob) + "'");

    auto direct = GpkgDirect::open(path, Store::kSchemaVersion);
    ASSERT_TRUE(direct);
    EXPECT_EQ(direct->load_wkb(s.info.key).kind, GpkgDirect::Loaded::Kind::foreign);
    EXPECT_EQ(Store::open(path).load_wkb(s.info.key), s.wkb) << "GDAL reads it, as little-endian ISO WKB";
}

TEST(GpkgDirect, FilesThatAreNotOurStoresAreLeftToGdal) {
    TempDir dir;
    test::write_text(dir.file("text.gpkg"), "not a database at all\n");
    EXPECT_EQ(GpkgDirect::open(dir.file("text.gpkg"), Store::kSchemaVersion), nullptr);
    EXPECT_EQ(GpkgDirect::open(dir.file("missing.gpkg"), Store::kSchemaVersion), nullptr);

    Store::write(dir.file("s.gpkg"), {});
    EXPECT_NE(GpkgDirect::open(dir.file("s.gpkg"), Store::kSchemaVersion), nullptr);
    EXPECT_EQ(GpkgDirect::open(dir.file("s.gpkg"), Store::kSchemaVersion + 1), nullptr) << "another schema version";
    // A rollback journal beside it: GDAL opens it for writing to roll the journal back.
    test::write_text(dir.file("s.gpkg-journal"), "");
    EXPECT_EQ(GpkgDirect::open(dir.file("s.gpkg"), Store::kSchemaVersion), nullptr);
}

TEST(GpkgWkbOffset, ReadsTheGeoPackageGeometryHeader) {
    std::vector<unsigned char> blob(8 + 64 + 9, 0);
    blob[0] = 'G';
    blob[1] = 'P';
    const std::size_t envelope[] = {0, 32, 48, 48, 64};
    for (unsigned code = 0; code <= 4; ++code) {
        blob[3] = static_cast<unsigned char>(1U | code << 1);
        EXPECT_EQ(gpkg_wkb_offset(blob.data(), blob.size()), 8 + envelope[code]) << code;
    }
    blob[3] = static_cast<unsigned char>(1U | 5U << 1);
    EXPECT_EQ(gpkg_wkb_offset(blob.data(), blob.size()), std::nullopt) << "envelope code 5 is reserved";
    blob[3] = 1U | 0x10U;
    EXPECT_EQ(gpkg_wkb_offset(blob.data(), blob.size()), 8u) << "the empty flag changes nothing";
    blob[3] = 1U | 0x20U;
    EXPECT_EQ(gpkg_wkb_offset(blob.data(), blob.size()), std::nullopt) << "an extended blob";
    blob[3] = 1U | 4U << 1;
    EXPECT_EQ(gpkg_wkb_offset(blob.data(), 8 + 63), std::nullopt) << "shorter than its envelope";
    blob[3] = 1;
    blob[2] = 1;
    EXPECT_EQ(gpkg_wkb_offset(blob.data(), blob.size()), std::nullopt) << "version 1";
    blob[2] = 0;
    blob[1] = 'X';
    EXPECT_EQ(gpkg_wkb_offset(blob.data(), blob.size()), std::nullopt) << "no magic";
    EXPECT_EQ(gpkg_wkb_offset(blob.data(), 7), std::nullopt);
}

}  // namespace
}  // namespace frontline::ingest
