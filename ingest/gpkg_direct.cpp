#include "ingest/gpkg_direct.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace frontline::ingest {

namespace {

/// GDAL's busy timeout for SQLite, so a reader waits for a committing writer as long as before.
constexpr int kBusyTimeoutMs = 5000;

bool file_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

bool is_locked(int rc) {
    const int primary = rc & 0xff;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

struct StatementDeleter {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

/// The prepared statement, or null when SQLite cannot prepare it (a table or column missing: the
/// file is not what this reader expects). Throws GpkgReadError when the schema is locked.
Statement prepare(sqlite3* db, const char* sql) {
    sqlite3_stmt* s = nullptr;
    const int rc = sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(s);
        if (is_locked(rc)) {
            throw GpkgReadError(sqlite3_errmsg(db), true);
        }
        return nullptr;
    }
    return Statement(s);
}

/// sqlite3_step, with errors thrown: SQLITE_ROW → true, SQLITE_DONE → false.
bool step(sqlite3* db, sqlite3_stmt* s) {
    const int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    throw GpkgReadError(sqlite3_errmsg(db), is_locked(rc));
}

std::string text(sqlite3_stmt* s, int column) {
    const unsigned char* t = sqlite3_column_text(s, column);
    return t == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(t));
}

/// True if the first row's first column of `sql` is the text `expected`; false when it is not or
/// the statement cannot run.
bool first_value_is(sqlite3* db, const char* sql, const std::string& expected) {
    Statement s = prepare(db, sql);
    return s && step(db, s.get()) && text(s.get(), 0) == expected;
}

std::uint32_t read_u32_le(const unsigned char* p) {
    return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
           static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

/// True if `wkb` starts with a little-endian 2-D MultiPolygon header (what Store writes: GDAL
/// stores the OGRMultiPolygon it is given, NDR on this platform).
bool is_le_multipolygon(const unsigned char* wkb, std::size_t size) {
    return size >= 9 && wkb[0] == 1 && read_u32_le(wkb + 1) == 6;
}

}  // namespace

std::optional<std::size_t> gpkg_wkb_offset(const unsigned char* blob, std::size_t size) {
    // magic "GP", version 0, flags, srs_id (int32), envelope; flags: bit 0 byte order of the
    // header, bits 1-3 the envelope's contents, bit 4 empty, bit 5 extended (vendor WKB).
    if (size < 8 || blob[0] != 'G' || blob[1] != 'P' || blob[2] != 0) {
        return std::nullopt;
    }
    const unsigned flags = blob[3];
    if ((flags & 0x20U) != 0) {
        return std::nullopt;
    }
    static const std::size_t envelope_bytes[] = {0, 32, 48, 48, 64};
    const unsigned code = (flags >> 1) & 0x7U;
    if (code > 4) {
        return std::nullopt;
    }
    const std::size_t offset = 8 + envelope_bytes[code];
    if (size < offset) {
        return std::nullopt;
    }
    return offset;
}

std::unique_ptr<GpkgDirect> GpkgDirect::open(const std::string& path, int schema_version) {
    // A rollback journal left by a killed write must be rolled back by a connection with write
    // access, and a write-ahead log needs its -shm beside it: both are GDAL's business (Store).
    if (file_exists(path + "-journal") || file_exists(path + "-wal")) {
        return nullptr;
    }
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    std::unique_ptr<GpkgDirect> out(raw == nullptr ? nullptr : new GpkgDirect(raw));
    if (rc != SQLITE_OK || !out) {
        return nullptr;
    }
    sqlite3_busy_timeout(raw, kBusyTimeoutMs);
    sqlite3_extended_result_codes(raw, 1);
    // The first 256 MB of the file are read through a memory map, not copied through read()
    // into SQLite's own cache (the daily archive's store: 4 MB). Not the whole file: mapped pages
    // count in the process's resident size, and a year of 300,000-vertex snapshots is 2.2 GB.
    sqlite3_exec(raw, "PRAGMA mmap_size = 268435456", nullptr, nullptr, nullptr);
    // A GeoPackage ('GPKG', or 'GP10'/'GP11' of the 1.0/1.1 specifications), holding our tables
    // in our schema version, with the geometry in the column Store names "geom". A file that is
    // no SQLite database fails at the first statement with SQLITE_NOTADB.
    try {
        Statement app = prepare(raw, "PRAGMA application_id");
        if (!app || !step(raw, app.get())) {
            return nullptr;
        }
        const auto id = static_cast<std::uint32_t>(sqlite3_column_int64(app.get(), 0));
        if (id != 0x47504B47U && id != 0x47503130U && id != 0x47503131U) {
            return nullptr;
        }
        if (!first_value_is(raw, "SELECT value FROM frontline_meta WHERE key = 'schema_version'",
                            std::to_string(schema_version)) ||
            !first_value_is(raw, "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = 'snapshots'",
                            "geom")) {
            return nullptr;
        }
    } catch (const GpkgReadError& e) {
        if (e.locked()) {
            throw;
        }
        return nullptr;
    }
    return out;
}

GpkgDirect::~GpkgDirect() { sqlite3_close_v2(m_db); }

std::vector<SnapshotInfo> GpkgDirect::list() const {
    Statement s = prepare(m_db,
                          "SELECT provider, date, \"class\", area_km2, content_sha256, source_file, source_layers, "
                          "source_sha256, repaired, ingested_at FROM snapshots");
    if (!s) {
        throw GpkgReadError(sqlite3_errmsg(m_db), false);
    }
    std::vector<SnapshotInfo> out;
    while (step(m_db, s.get())) {
        SnapshotInfo info;
        info.key.provider = text(s.get(), 0);
        info.key.date = text(s.get(), 1);
        info.key.cls = text(s.get(), 2);
        info.area_km2 = sqlite3_column_double(s.get(), 3);
        info.content_sha256 = text(s.get(), 4);
        info.source_file = text(s.get(), 5);
        info.source_layers = text(s.get(), 6);
        info.source_sha256 = text(s.get(), 7);
        info.repaired = sqlite3_column_int(s.get(), 8);
        info.ingested_at = text(s.get(), 9);
        out.push_back(std::move(info));
    }
    return out;
}

GpkgDirect::Loaded GpkgDirect::load_wkb(const SnapshotKey& key) const {
    Statement s = prepare(m_db, "SELECT geom FROM snapshots WHERE provider = ?1 AND \"class\" = ?2 AND date = ?3");
    if (!s) {
        throw GpkgReadError(sqlite3_errmsg(m_db), false);
    }
    sqlite3_bind_text(s.get(), 1, key.provider.c_str(), static_cast<int>(key.provider.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(s.get(), 2, key.cls.c_str(), static_cast<int>(key.cls.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(s.get(), 3, key.date.c_str(), static_cast<int>(key.date.size()), SQLITE_TRANSIENT);
    Loaded out;
    if (!step(m_db, s.get()) || sqlite3_column_type(s.get(), 0) == SQLITE_NULL) {
        return out;
    }
    if (sqlite3_column_type(s.get(), 0) != SQLITE_BLOB) {
        out.kind = Loaded::Kind::foreign;
        return out;
    }
    const auto* blob = static_cast<const unsigned char*>(sqlite3_column_blob(s.get(), 0));
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(s.get(), 0));
    const auto offset = blob == nullptr ? std::nullopt : gpkg_wkb_offset(blob, size);
    if (!offset || !is_le_multipolygon(blob + *offset, size - *offset)) {
        out.kind = Loaded::Kind::foreign;
        return out;
    }
    out.kind = Loaded::Kind::wkb;
    out.wkb.assign(blob + *offset, blob + size);
    return out;
}

}  // namespace frontline::ingest
