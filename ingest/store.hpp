#pragma once
/// The snapshot store: a GeoPackage file, or a PostGIS database named by a "PG:..." connection
/// string, both written through GDAL/OGR with the same tables. One row per (provider, date, class):
/// a MultiPolygon in WGS84 lon/lat plus where it came from. The store records a schema version and
/// frontline refuses others.
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace frontline::ingest {

/// What identifies a snapshot.
struct SnapshotKey {
    std::string provider;
    std::string date;  ///< "YYYY-MM-DD"
    std::string cls;   ///< class: "occupied", "contested", ...
};

/// A snapshot's row without its geometry.
struct SnapshotInfo {
    SnapshotKey key;
    double area_km2 = 0.0;        ///< geodesic area at ingest time
    std::string content_sha256;   ///< SHA-256 of the stored geometry's WKB (what "identical" means)
    std::string source_file;      ///< file name the snapshot came from (no folders)
    std::string source_layers;    ///< layers that held its polygons, comma separated
    std::string source_sha256;    ///< SHA-256 of the source file's bytes
    int repaired = 0;             ///< polygons repaired at ingest
    std::string ingested_at;      ///< UTC, "YYYY-MM-DDTHH:MM:SSZ"
};

/// A snapshot with its geometry as 2-D ISO WKB (a MultiPolygon in WGS84 lon/lat).
struct Snapshot {
    SnapshotInfo info;
    std::vector<unsigned char> wkb;
    /// What the writer saw stored under this key when it decided to write: unset, the key must
    /// still be absent; set, the stored row's content_sha256 it replaces (ingest --replace).
    /// Store::write checks it inside its transaction, so a concurrent writer is never overwritten.
    std::optional<std::string> replaces_sha256;
};

/// A bounding box in WGS84 degrees (x = longitude).
struct BBox {
    double min_lon = 0.0;
    double min_lat = 0.0;
    double max_lon = 0.0;
    double max_lat = 0.0;
};

/// A store opened for reading.
class Store {
public:
    /// The schema this build writes and understands.
    static constexpr int kSchemaVersion = 1;

    /// Opens an existing store: a GeoPackage path or a "PG:..." connection string. Throws
    /// InputError when it is missing, not a GeoPackage, cannot be connected to, not a frontline
    /// store, or written with another schema version.
    static Store open(const std::string& path);
    /// True if a file exists at `path`, or, for a connection string, if the database holds the
    /// store's tables (throws InputError if it cannot connect).
    static bool exists(const std::string& path);
    /// True if `location` is a PostgreSQL connection string ("PG:...") rather than a file.
    static bool is_database(const std::string& location);
    /// `location` fit for messages: a connection string's password replaced by ***.
    static std::string display_name(const std::string& location);

    /// Writes every snapshot in one transaction, replacing rows with the same key; creates the
    /// store if it does not exist (a GeoPackage through a temporary file linked into place; in
    /// PostGIS the tables inside the same transaction, which needs the postgis extension).
    /// Either all rows land or the store is left as it was; throws RunError or InputError then,
    /// RunError naming the key when a concurrent writer stored the same key first.
    /// A new GeoPackage is written straight through SQLite (gpkg_writer.hpp) unless `writer` is
    /// Writer::gdal (tests compare the two); everything else goes through GDAL.
    enum class Writer { any, gdal };
    static void write(const std::string& path, const std::vector<Snapshot>& snapshots, Writer writer = Writer::any);

    ~Store();
    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;

    /// Every snapshot, ordered by provider, class and date.
    std::vector<SnapshotInfo> list() const;
    /// The snapshot with exactly this key.
    std::optional<SnapshotInfo> find(const SnapshotKey& key) const;
    /// The latest snapshot of (provider, class) dated on or before `date`.
    std::optional<SnapshotInfo> latest_on_or_before(const std::string& provider, const std::string& cls,
                                                    const std::string& date) const;
    /// The geometry of the snapshot with this key, as WKB. Throws InputError if there is none.
    /// After restrict_to(), a snapshot lying wholly outside the box comes back as an empty
    /// MultiPolygon without its geometry being read (the spatial index decides).
    std::vector<unsigned char> load_wkb(const SnapshotKey& key) const;
    /// Reads geometries through a spatial filter on `bbox` from now on: the PostgreSQL driver turns
    /// it into `geom && envelope` for the GiST index, a GeoPackage uses its RTree. The geometry of
    /// a snapshot touching the box comes back whole; clipping is the caller's business.
    void restrict_to(const BBox& bbox);

    const std::string& path() const { return m_path; }
    /// The store's name for messages (display_name of its path).
    std::string name() const;

private:
    struct Impl;
    Store(std::string path, std::unique_ptr<Impl> impl);
    std::string m_path;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace frontline::ingest
