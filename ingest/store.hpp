#pragma once
/// The snapshot store: a GeoPackage file written through GDAL (PostGIS later, through the same
/// OGR code path). One row per (provider, date, class): a MultiPolygon in WGS84 lon/lat plus
/// where it came from. The file records a schema version and frontline refuses newer ones.
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
};

/// A store opened for reading.
class Store {
public:
    /// The schema this build writes and understands.
    static constexpr int kSchemaVersion = 1;

    /// Opens an existing store. Throws InputError when it is missing, not a GeoPackage, not a
    /// frontline store, or written with a newer schema.
    static Store open(const std::string& path);
    /// True if a file exists at `path`.
    static bool exists(const std::string& path);

    /// Writes every snapshot in one transaction, replacing rows with the same key; creates the
    /// store (atomically, through a temporary file renamed into place) if it does not exist.
    /// Either all rows land or the store is left as it was; throws RunError or InputError then.
    static void write(const std::string& path, const std::vector<Snapshot>& snapshots);

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
    std::vector<unsigned char> load_wkb(const SnapshotKey& key) const;

    const std::string& path() const { return m_path; }

private:
    struct Impl;
    Store(std::string path, std::unique_ptr<Impl> impl);
    std::string m_path;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace frontline::ingest
