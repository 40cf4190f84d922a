#pragma once
/// A frontline GeoPackage store read straight through SQLite, for Store's read path.
///
/// Why not GDAL here: opening a GeoPackage through GDAL costs about 20 ms (it builds every
/// layer's definition and a spatial reference from PROJ's database), and each row comes back as
/// an OGRFeature whose geometry is parsed from WKB and written to WKB again. On the daily archive
/// that is a fifth of a whole `series` run, and a quarter of the 365-day scale job's series. The
/// snapshots table is ours (written by GDAL, or by gpkg_writer.hpp the way GDAL writes it), so reading
/// it needs three SELECTs and the GeoPackage geometry header (OGC 12-128r18, section 2.1.3).
///
/// Anything this reader is not sure of (a hot rollback journal, a write-ahead log, a table that
/// does not look like ours, a schema version it does not know, a geometry blob it does not parse)
/// makes open() return null, and Store goes through GDAL as before, which has the messages for
/// every such case. Only "database is locked" is reported from here, since GDAL would wait for the
/// same lock again.
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "ingest/store.hpp"

struct sqlite3;

namespace frontline::ingest {

/// An SQLite error while reading: the statement failed (`locked` when another connection held the
/// lock past the busy timeout).
class GpkgReadError : public std::runtime_error {
public:
    GpkgReadError(const std::string& message, bool locked) : std::runtime_error(message), m_locked(locked) {}
    bool locked() const { return m_locked; }

private:
    bool m_locked;
};

class GpkgDirect {
public:
    /// Opens `path` read-only if it is a frontline store of schema version `schema_version` this
    /// reader can read; null otherwise (the caller then uses GDAL). Throws GpkgReadError with
    /// locked() when another process holds SQLite's lock for longer than 5 s.
    static std::unique_ptr<GpkgDirect> open(const std::string& path, int schema_version);
    ~GpkgDirect();
    GpkgDirect(const GpkgDirect&) = delete;
    GpkgDirect& operator=(const GpkgDirect&) = delete;

    /// Every row's columns but the geometry, in table order. Throws GpkgReadError.
    std::vector<SnapshotInfo> list() const;

    /// What load_wkb found.
    struct Loaded {
        enum class Kind {
            wkb,      ///< `wkb` holds the geometry: 2-D ISO WKB, little-endian, a MultiPolygon
            missing,  ///< no such row, or its geometry is NULL
            foreign,  ///< a blob this reader leaves to GDAL (not a standard GeoPackage geometry,
                      ///< or WKB that is not a little-endian 2-D MultiPolygon)
        };
        Kind kind = Kind::missing;
        std::vector<unsigned char> wkb;
    };
    /// The geometry of the row with this key. Throws GpkgReadError.
    Loaded load_wkb(const SnapshotKey& key) const;

private:
    explicit GpkgDirect(sqlite3* db) : m_db(db) {}
    sqlite3* m_db;
};

/// Where the WKB starts inside a standard GeoPackage geometry blob (OGC 12-128r18, 2.1.3);
/// nullopt for anything else (no "GP" magic, an unknown version or envelope code, an extended
/// blob, or a blob shorter than its header).
std::optional<std::size_t> gpkg_wkb_offset(const unsigned char* blob, std::size_t size);

}  // namespace frontline::ingest
