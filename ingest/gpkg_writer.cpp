#include "ingest/gpkg_writer.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>

#include "geo/polygon_ops.hpp"

namespace frontline::ingest {

namespace {

/// The schema and fixed rows of a new store, as GDAL 3.6's GPKG driver creates them for
/// Store::write (layer "snapshots" with SPATIAL_INDEX=YES, table "frontline_meta", the unique
/// key index): GDAL's SQL, in the order of the file's sqlite_master, verbatim (SQLite keeps each
/// statement's text in sqlite_master, and the test compares it with GDAL's), hence the long lines.
constexpr const char* kSchema = R"sql(
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL,srs_id INTEGER NOT NULL PRIMARY KEY,organization TEXT NOT NULL,organization_coordsys_id INTEGER NOT NULL,definition  TEXT NOT NULL,description TEXT);
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY,data_type TEXT NOT NULL,identifier TEXT UNIQUE,description TEXT DEFAULT '',last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),min_x DOUBLE, min_y DOUBLE,max_x DOUBLE, max_y DOUBLE,srs_id INTEGER,CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_ogr_contents(table_name TEXT NOT NULL PRIMARY KEY,feature_count INTEGER DEFAULT NULL);
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL,column_name TEXT NOT NULL,geometry_type_name TEXT NOT NULL,srs_id INTEGER NOT NULL,z TINYINT NOT NULL,m TINYINT NOT NULL,CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),CONSTRAINT uk_gc_table_name UNIQUE (table_name),CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE gpkg_tile_matrix_set (table_name TEXT NOT NULL PRIMARY KEY,srs_id INTEGER NOT NULL,min_x DOUBLE NOT NULL,min_y DOUBLE NOT NULL,max_x DOUBLE NOT NULL,max_y DOUBLE NOT NULL,CONSTRAINT fk_gtms_table_name FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),CONSTRAINT fk_gtms_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE gpkg_tile_matrix (table_name TEXT NOT NULL,zoom_level INTEGER NOT NULL,matrix_width INTEGER NOT NULL,matrix_height INTEGER NOT NULL,tile_width INTEGER NOT NULL,tile_height INTEGER NOT NULL,pixel_x_size DOUBLE NOT NULL,pixel_y_size DOUBLE NOT NULL,CONSTRAINT pk_ttm PRIMARY KEY (table_name, zoom_level),CONSTRAINT fk_tmm_table_name FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name));
CREATE TRIGGER 'gpkg_tile_matrix_zoom_level_insert' BEFORE INSERT ON 'gpkg_tile_matrix' FOR EACH ROW BEGIN SELECT RAISE(ABORT, 'insert on table ''gpkg_tile_matrix'' violates constraint: zoom_level cannot be less than 0') WHERE (NEW.zoom_level < 0); END;
CREATE TRIGGER 'gpkg_tile_matrix_zoom_level_update' BEFORE UPDATE of zoom_level ON 'gpkg_tile_matrix' FOR EACH ROW BEGIN SELECT RAISE(ABORT, 'update on table ''gpkg_tile_matrix'' violates constraint: zoom_level cannot be less than 0') WHERE (NEW.zoom_level < 0); END;
CREATE TRIGGER 'gpkg_tile_matrix_matrix_width_insert' BEFORE INSERT ON 'gpkg_tile_matrix' FOR EACH ROW BEGIN SELECT RAISE(ABORT, 'insert on table ''gpkg_tile_matrix'' violates constraint: matrix_width cannot be less than 1') WHERE (NEW.matrix_width < 1); END;
CREATE TRIGGER 'gpkg_tile_matrix_matrix_width_update' BEFORE UPDATE OF matrix_width ON 'gpkg_tile_matrix' FOR EACH ROW BEGIN SELECT RAISE(ABORT, 'update on table ''gpkg_tile_matrix'' violates constraint: matrix_width cannot be less than 1') WHERE (NEW.matrix_width < 1); END;
CREATE TRIGGER 'gpkg_tile_matrix_matrix_height_insert' BEFORE INSERT ON 'gpkg_tile_matrix' FOR EACH ROW BEGIN SELECT RAISE(ABORT, 'insert on table ''gpkg_tile_matrix'' violates constraint: matrix_height cannot be less than 1') WHERE (NEW.matrix_height < 1); END;
CREATE TRIGGER 'gpkg_tile_matrix_matrix_height_update' BEFORE UPDATE OF matrix_height ON 'gpkg_tile_matrix' FOR EACH ROW BEGIN SELECT RAISE(ABORT, 'update on table ''gpkg_tile_matrix'' violates constraint: matrix_height cannot be less than 1') WHERE (NEW.matrix_height < 1); END;
CREATE TRIGGER 'gpkg_tile_matrix_pixel_x_size_insert' BEFORE INSERT ON 'gpkg_tile_matrix' FOR EACH ROW BEGIN SELECT RAISE(ABORT, 'insert on table ''gpkg_tile_matrix'' violates constraint: pixel_x_size must be greater than 0') WHERE NOT (NEW.pixel_x_size > 0); END;
CREATE TRIGGER 'gpkg_tile_matrix_pixel_x_size_update' BEFORE UPDATE OF pixel_x_size ON 'gpkg_tile_matrix' FOR EACH ROW BEGIN SELECT RAISE(ABORT, 'update on table ''gpkg_tile_matrix'' violates constraint: pixel_x_size must be greater than 0') WHERE NOT (NEW.pixel_x_size > 0); END;
CREATE TRIGGER 'gpkg_tile_matrix_pixel_y_size_insert' BEFORE INSERT ON 'gpkg_tile_matrix' FOR EACH ROW BEGIN SELECT RAISE(ABORT, 'insert on table ''gpkg_tile_matrix'' violates constraint: pixel_y_size must be greater than 0') WHERE NOT (NEW.pixel_y_size > 0); END;
CREATE TRIGGER 'gpkg_tile_matrix_pixel_y_size_update' BEFORE UPDATE OF pixel_y_size ON 'gpkg_tile_matrix' FOR EACH ROW BEGIN SELECT RAISE(ABORT, 'update on table ''gpkg_tile_matrix'' violates constraint: pixel_y_size must be greater than 0') WHERE NOT (NEW.pixel_y_size > 0); END;
CREATE TABLE "frontline_meta" ( "fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "key" TEXT, "value" TEXT);
CREATE TABLE "snapshots" ( "fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "geom" MULTIPOLYGON, "provider" TEXT, "date" TEXT, "class" TEXT, "area_km2" REAL, "content_sha256" TEXT, "source_file" TEXT, "source_layers" TEXT, "source_sha256" TEXT, "repaired" MEDIUMINT, "ingested_at" TEXT);
CREATE TABLE gpkg_extensions (table_name TEXT,column_name TEXT,extension_name TEXT NOT NULL,definition TEXT NOT NULL,scope TEXT NOT NULL,CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
CREATE VIRTUAL TABLE "rtree_snapshots_geom" USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER "rtree_snapshots_geom_insert" AFTER INSERT ON "snapshots" WHEN (new."geom" NOT NULL AND NOT ST_IsEmpty(NEW."geom")) BEGIN INSERT OR REPLACE INTO "rtree_snapshots_geom" VALUES (NEW."fid",ST_MinX(NEW."geom"), ST_MaxX(NEW."geom"),ST_MinY(NEW."geom"), ST_MaxY(NEW."geom")); END;
CREATE TRIGGER "rtree_snapshots_geom_update1" AFTER UPDATE OF "geom" ON "snapshots" WHEN OLD."fid" = NEW."fid" AND (NEW."geom" NOTNULL AND NOT ST_IsEmpty(NEW."geom")) BEGIN INSERT OR REPLACE INTO "rtree_snapshots_geom" VALUES (NEW."fid",ST_MinX(NEW."geom"), ST_MaxX(NEW."geom"),ST_MinY(NEW."geom"), ST_MaxY(NEW."geom")); END;
CREATE TRIGGER "rtree_snapshots_geom_update2" AFTER UPDATE OF "geom" ON "snapshots" WHEN OLD."fid" = NEW."fid" AND (NEW."geom" ISNULL OR ST_IsEmpty(NEW."geom")) BEGIN DELETE FROM "rtree_snapshots_geom" WHERE id = OLD."fid"; END;
CREATE TRIGGER "rtree_snapshots_geom_update3" AFTER UPDATE ON "snapshots" WHEN OLD."fid" != NEW."fid" AND (NEW."geom" NOTNULL AND NOT ST_IsEmpty(NEW."geom")) BEGIN DELETE FROM "rtree_snapshots_geom" WHERE id = OLD."fid"; INSERT OR REPLACE INTO "rtree_snapshots_geom" VALUES (NEW."fid",ST_MinX(NEW."geom"), ST_MaxX(NEW."geom"),ST_MinY(NEW."geom"), ST_MaxY(NEW."geom")); END;
CREATE TRIGGER "rtree_snapshots_geom_update4" AFTER UPDATE ON "snapshots" WHEN OLD."fid" != NEW."fid" AND (NEW."geom" ISNULL OR ST_IsEmpty(NEW."geom")) BEGIN DELETE FROM "rtree_snapshots_geom" WHERE id IN (OLD."fid", NEW."fid"); END;
CREATE TRIGGER "rtree_snapshots_geom_delete" AFTER DELETE ON "snapshots" WHEN old."geom" NOT NULL BEGIN DELETE FROM "rtree_snapshots_geom" WHERE id = OLD."fid"; END;
CREATE TRIGGER "trigger_insert_feature_count_frontline_meta" AFTER INSERT ON "frontline_meta" BEGIN UPDATE gpkg_ogr_contents SET feature_count = feature_count + 1 WHERE lower(table_name) = lower('frontline_meta'); END;
CREATE TRIGGER "trigger_delete_feature_count_frontline_meta" AFTER DELETE ON "frontline_meta" BEGIN UPDATE gpkg_ogr_contents SET feature_count = feature_count - 1 WHERE lower(table_name) = lower('frontline_meta'); END;
CREATE UNIQUE INDEX snapshots_key ON snapshots(provider, "class", date);
CREATE TRIGGER "trigger_insert_feature_count_snapshots" AFTER INSERT ON "snapshots" BEGIN UPDATE gpkg_ogr_contents SET feature_count = feature_count + 1 WHERE lower(table_name) = lower('snapshots'); END;
CREATE TRIGGER "trigger_delete_feature_count_snapshots" AFTER DELETE ON "snapshots" BEGIN UPDATE gpkg_ogr_contents SET feature_count = feature_count - 1 WHERE lower(table_name) = lower('snapshots'); END;
INSERT INTO gpkg_spatial_ref_sys VALUES('Undefined Cartesian SRS',-1,'NONE',-1,'undefined','undefined Cartesian coordinate reference system');
INSERT INTO gpkg_spatial_ref_sys VALUES('Undefined geographic SRS',0,'NONE',0,'undefined','undefined geographic coordinate reference system');
INSERT INTO gpkg_spatial_ref_sys VALUES('WGS 84 geodetic',4326,'EPSG',4326,'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]','longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
INSERT INTO gpkg_geometry_columns VALUES('snapshots','geom','MULTIPOLYGON',4326,0,0);
INSERT INTO gpkg_extensions VALUES('snapshots','geom','gpkg_rtree_index','http://www.geopackage.org/spec120/#extension_rtree','write-only');
)sql";

constexpr std::int32_t kApplicationId = 0x47504B47;  // "GPKG"
constexpr std::int32_t kUserVersion = 10200;         // GeoPackage 1.2, as GDAL 3.6 writes it
constexpr std::uint32_t kWkbPolygon = 3;
constexpr std::uint32_t kWkbMultiPolygon = 6;

using geo::Envelope;

/// `e` grown to hold the point (x, y); geo::merged() for one point, inline for the WKB walk.
void add_point(Envelope& e, double x, double y) {
    if (e.empty) {
        e = Envelope{x, y, x, y, false};
        return;
    }
    e.min_lon = std::min(e.min_lon, x);
    e.min_lat = std::min(e.min_lat, y);
    e.max_lon = std::max(e.max_lon, x);
    e.max_lat = std::max(e.max_lat, y);
}

/// Reads little-endian 2-D WKB, checking every length against the bytes left.
class WkbCursor {
public:
    WkbCursor(const unsigned char* p, std::size_t n) : m_p(p), m_end(p + n) {}
    std::optional<std::uint32_t> u32() {
        if (m_end - m_p < 4) {
            return std::nullopt;
        }
        std::uint32_t v = 0;
        std::memcpy(&v, m_p, 4);  // little-endian host: checked by the caller
        m_p += 4;
        return v;
    }
    std::optional<double> f64() {
        if (m_end - m_p < 8) {
            return std::nullopt;
        }
        double v = 0.0;
        std::memcpy(&v, m_p, 8);
        m_p += 8;
        return v;
    }
    /// A byte-order mark of 1 (little-endian) and the type `type`.
    bool header(std::uint32_t type) {
        if (m_end - m_p < 1 || *m_p != 1) {
            return false;
        }
        ++m_p;
        auto t = u32();
        return t && *t == type;
    }
    bool at_end() const { return m_p == m_end; }

private:
    const unsigned char* m_p;
    const unsigned char* m_end;
};

/// The envelope of one polygon's rings (every ring, as OGR's getEnvelope).
bool polygon_envelope(WkbCursor& c, Envelope& env) {
    auto rings = c.u32();
    if (!rings) {
        return false;
    }
    for (std::uint32_t r = 0; r < *rings; ++r) {
        auto points = c.u32();
        if (!points) {
            return false;
        }
        for (std::uint32_t i = 0; i < *points; ++i) {
            auto x = c.f64();
            auto y = c.f64();
            if (!x || !y || !std::isfinite(*x) || !std::isfinite(*y)) {
                return false;
            }
            add_point(env, *x, *y);
        }
    }
    return true;
}

/// The GeoPackage geometry blob GDAL writes for `wkb` (a Polygon is made a MultiPolygon of one,
/// as Store's GDAL path does): "GP", version 0, flags 0x03 (little-endian, XY envelope), SRS 4326,
/// the envelope, the WKB. Nothing for WKB this writer does not know or an empty geometry.
std::optional<std::vector<unsigned char>> gpkg_blob(const std::vector<unsigned char>& wkb, Envelope& env) {
    WkbCursor c(wkb.data(), wkb.size());
    std::vector<unsigned char> multi;
    if (WkbCursor probe(wkb.data(), wkb.size()); probe.header(kWkbPolygon)) {
        c = probe;
        if (!polygon_envelope(c, env) || !c.at_end()) {
            return std::nullopt;
        }
        multi = {1, 6, 0, 0, 0, 1, 0, 0, 0};
        multi.insert(multi.end(), wkb.begin(), wkb.end());
    } else {
        if (!c.header(kWkbMultiPolygon)) {
            return std::nullopt;
        }
        auto polygons = c.u32();
        if (!polygons) {
            return std::nullopt;
        }
        for (std::uint32_t i = 0; i < *polygons; ++i) {
            if (!c.header(kWkbPolygon) || !polygon_envelope(c, env)) {
                return std::nullopt;
            }
        }
        if (!c.at_end()) {
            return std::nullopt;
        }
    }
    if (env.empty) {
        return std::nullopt;
    }
    const std::vector<unsigned char>& body = multi.empty() ? wkb : multi;
    std::vector<unsigned char> blob(8 + 32);
    blob[0] = 'G';
    blob[1] = 'P';
    blob[2] = 0;
    blob[3] = 0x03;
    const std::int32_t srs = 4326;
    std::memcpy(&blob[4], &srs, 4);
    const double box[4] = {env.min_lon, env.max_lon, env.min_lat, env.max_lat};
    std::memcpy(&blob[8], box, 32);
    blob.insert(blob.end(), body.begin(), body.end());
    return blob;
}

/// The envelope in a blob gpkg_blob() wrote; nothing for any other blob.
std::optional<Envelope> blob_envelope(sqlite3_value* v) {
    if (sqlite3_value_type(v) != SQLITE_BLOB || sqlite3_value_bytes(v) < 40) {
        return std::nullopt;
    }
    const auto* p = static_cast<const unsigned char*>(sqlite3_value_blob(v));
    if (p[0] != 'G' || p[1] != 'P' || p[3] != 0x03) {
        return std::nullopt;
    }
    double box[4];
    std::memcpy(box, p + 8, 32);
    return Envelope{box[0], box[2], box[1], box[3], false};
}

/// ST_MinX and friends, which the RTree triggers GDAL creates call (GDAL registers its own on
/// every connection it opens): the envelope from the blob's header.
template <int Which>
void st_envelope_value(sqlite3_context* ctx, int, sqlite3_value** argv) {
    auto env = blob_envelope(argv[0]);
    if (!env) {
        sqlite3_result_null(ctx);
        return;
    }
    const double values[4] = {env->min_lon, env->max_lon, env->min_lat, env->max_lat};
    sqlite3_result_double(ctx, values[Which]);
}

void st_is_empty(sqlite3_context* ctx, int, sqlite3_value** argv) {
    sqlite3_result_int(ctx, blob_envelope(argv[0]) ? 0 : 1);
}

struct DbCloser {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StatementDeleter {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

/// The prepared statement, or null when SQLite cannot prepare it.
Statement prepare(sqlite3* db, const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) {
        sqlite3_finalize(s);
        return nullptr;
    }
    return Statement(s);
}

bool exec(sqlite3* db, const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }

bool bind_text(sqlite3_stmt* s, int i, const std::string& t) {
    return sqlite3_bind_text(s, i, t.c_str(), static_cast<int>(t.size()), SQLITE_TRANSIENT) == SQLITE_OK;
}

bool write_all(sqlite3* db, const std::vector<Snapshot>& snapshots) {
    const int functions_ok =
        (sqlite3_create_function(db, "ST_MinX", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, st_envelope_value<0>,
                                 nullptr, nullptr) |
         sqlite3_create_function(db, "ST_MaxX", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, st_envelope_value<1>,
                                 nullptr, nullptr) |
         sqlite3_create_function(db, "ST_MinY", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, st_envelope_value<2>,
                                 nullptr, nullptr) |
         sqlite3_create_function(db, "ST_MaxY", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, st_envelope_value<3>,
                                 nullptr, nullptr) |
         sqlite3_create_function(db, "ST_IsEmpty", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, st_is_empty, nullptr,
                                 nullptr));
    if (functions_ok != SQLITE_OK) {
        return false;
    }
    const std::string pragmas = "PRAGMA application_id = " + std::to_string(kApplicationId) +
                                "; PRAGMA user_version = " + std::to_string(kUserVersion) + ";";
    if (!exec(db, pragmas.c_str()) || !exec(db, "BEGIN") || !exec(db, kSchema)) {
        return false;
    }
    const std::string contents =
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES "
        "('frontline_meta', 'attributes', 'frontline_meta', '', 0), "
        "('snapshots', 'features', 'snapshots', 'frontline control-area snapshots', 4326); "
        "INSERT INTO gpkg_ogr_contents VALUES ('frontline_meta', 0), ('snapshots', 0); "
        "INSERT INTO frontline_meta (key, value) VALUES ('schema_version', '" +
        std::to_string(Store::kSchemaVersion) + "'), ('created_by', 'frontline');";
    if (!exec(db, contents.c_str())) {
        return false;
    }
    Statement insert = prepare(db,
                               "INSERT INTO snapshots (geom, provider, date, class, area_km2, content_sha256, "
                               "source_file, source_layers, source_sha256, repaired, ingested_at) "
                               "VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    if (!insert) {
        return false;
    }
    Envelope extent;
    for (const Snapshot& s : snapshots) {
        Envelope env;
        auto blob = gpkg_blob(s.wkb, env);
        if (!blob) {
            return false;
        }
        extent = geo::merged(extent, env);
        sqlite3_stmt* st = insert.get();
        const bool bound =
            sqlite3_bind_blob(st, 1, blob->data(), static_cast<int>(blob->size()), SQLITE_STATIC) == SQLITE_OK &&
            bind_text(st, 2, s.info.key.provider) && bind_text(st, 3, s.info.key.date) &&
            bind_text(st, 4, s.info.key.cls) && sqlite3_bind_double(st, 5, stored_real(s.info.area_km2)) == SQLITE_OK &&
            bind_text(st, 6, s.info.content_sha256) && bind_text(st, 7, s.info.source_file) &&
            bind_text(st, 8, s.info.source_layers) && bind_text(st, 9, s.info.source_sha256) &&
            sqlite3_bind_int(st, 10, s.info.repaired) == SQLITE_OK && bind_text(st, 11, s.info.ingested_at);
        if (!bound || sqlite3_step(st) != SQLITE_DONE) {
            return false;
        }
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    insert.reset();
    if (!extent.empty) {
        Statement update = prepare(db,
                                   "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?, "
                                   "last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = 'snapshots'");
        sqlite3_stmt* ext = update.get();
        if (!update || sqlite3_bind_double(ext, 1, extent.min_lon) != SQLITE_OK ||
            sqlite3_bind_double(ext, 2, extent.min_lat) != SQLITE_OK ||
            sqlite3_bind_double(ext, 3, extent.max_lon) != SQLITE_OK ||
            sqlite3_bind_double(ext, 4, extent.max_lat) != SQLITE_OK || sqlite3_step(ext) != SQLITE_DONE) {
            return false;
        }
    }
    return exec(db, "COMMIT");
}

}  // namespace

double stored_real(double x) {
    char text[64];
    std::snprintf(text, sizeof text, "%.15g", x);
    return std::strtod(text, nullptr);
}

bool write_new_gpkg(const std::string& path, const std::vector<Snapshot>& snapshots) {
    static_assert(std::numeric_limits<double>::is_iec559, "WKB doubles are IEEE 754");
    const std::uint16_t probe = 1;
    unsigned char first = 0;
    std::memcpy(&first, &probe, 1);
    if (first != 1) {
        return false;  // a big-endian host: GDAL writes this file
    }
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    std::unique_ptr<sqlite3, DbCloser> db(raw);
    bool ok = rc == SQLITE_OK && write_all(db.get(), snapshots);
    if (!ok && db) {
        exec(db.get(), "ROLLBACK");
    }
    ok = sqlite3_close_v2(db.release()) == SQLITE_OK && ok;
    if (!ok) {
        ::unlink(path.c_str());
        ::unlink((path + "-journal").c_str());
    }
    return ok;
}

}  // namespace frontline::ingest
