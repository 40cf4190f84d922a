#pragma once
/// The whole `ingest` job as a plain function: read every file, build one snapshot per file, and
/// store them all in one transaction.
#include <string>
#include <vector>

#include "geo/geometry.hpp"
#include "geo/polygon_ops.hpp"
#include "ingest/reader.hpp"
#include "ingest/store.hpp"

namespace frontline::ingest {

/// Options of `frontline ingest`.
struct IngestOptions {
    std::string store_path = "frontline.gpkg";          ///< GeoPackage file
    std::string provider = "default";                   ///< provider name stored with each snapshot
    std::string cls = "occupied";                       ///< class every polygon is assigned to
    std::string date;                                   ///< "YYYY-MM-DD"; empty: from each file name
    bool replace = false;                               ///< overwrite snapshots with different content
    double grid_size_deg = geo::kDefaultGridSizeDeg;    ///< precision grid of stored geometry, degrees
    std::vector<std::string> files;                     ///< sources, any vector format GDAL reads
};

/// What happened to one file's snapshot.
enum class IngestStatus { added, replaced, unchanged };

/// "added", "replaced" or "unchanged".
const char* to_string(IngestStatus s);

/// The outcome for one file.
struct IngestedFile {
    std::string file;
    SnapshotKey key;
    IngestStatus status = IngestStatus::added;
    double area_km2 = 0.0;          ///< geodesic area of the stored snapshot
    int features = 0;               ///< features read
    int polygonal_features = 0;     ///< features that gave polygons
    int other_features = 0;         ///< features without polygons (ignored)
    int parts = 0;                  ///< polygons in the stored MultiPolygon
    std::vector<Repair> repairs;
    std::vector<std::string> notes;
};

/// The outcome of a run.
struct IngestReport {
    std::string store_path;
    std::vector<IngestedFile> files;
};

/// Runs the ingest. Every file is read and checked before the store is touched; the store is then
/// written in one transaction, so a failure for any file leaves it exactly as it was.
/// Throws InputError for bad options, unreadable files, missing dates and conflicting content
/// (a different snapshot already stored for the same key, without `replace`).
IngestReport ingest_files(const geo::Context& ctx, const IngestOptions& options);

}  // namespace frontline::ingest
