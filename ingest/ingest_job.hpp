#pragma once
/// The whole `ingest` job as a plain function: read every file, classify its features, build one
/// snapshot per class (clipped, overlaps resolved, slivers cleaned), and store them all in one
/// transaction.
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
    std::string provider = "default";                   ///< provider name stored with each snapshot; with a
                                                        ///< preset, "default" means the preset's provider
    std::string cls = "occupied";                       ///< class every polygon is assigned to (no preset or map)
    std::string date;                                   ///< "YYYY-MM-DD"; empty: from each file name
    bool replace = false;                               ///< overwrite snapshots with different content
    double grid_size_deg = geo::kDefaultGridSizeDeg;    ///< precision grid of stored geometry, degrees
    std::vector<std::string> files;                     ///< sources, any vector format GDAL reads

    std::string preset;             ///< provider preset (deepstate, cyterat, isw, nzz); empty: none
    std::string class_map;          ///< JSON class map file; replaces the preset's rules; empty: none
    std::string class_field;        ///< attribute the class map reads (overrides its "field")
    std::string clip;               ///< boundary file: snapshots are clipped to the union of its polygons
    double min_area_km2 = 0.0001;   ///< with class rules: parts and holes smaller than this are slivers, km²
    double min_width_m = 1.0;       ///< with class rules: parts and holes thinner than this (2A/P) are slivers, m
    double max_distance_km = 1000.0;  ///< without --clip: parts whose centre is farther than this from the
                                      ///< median centre of the file's parts are flagged as implausible, km
    std::size_t max_vertices = SourceLimits{}.max_vertices;  ///< most vertices one source feature may have
    int threads = 0;                ///< files read and built at once, one GEOS context each; 0: one per core
};

/// What happened to one snapshot.
enum class IngestStatus { added, replaced, unchanged };

/// "added", "replaced" or "unchanged".
const char* to_string(IngestStatus s);

/// The outcome for one snapshot (one class of one file).
struct IngestedFile {
    std::string file;
    SnapshotKey key;
    IngestStatus status = IngestStatus::added;
    double area_km2 = 0.0;          ///< geodesic area of the stored snapshot
    int features = 0;               ///< features read from the file
    int polygonal_features = 0;     ///< features that gave polygons to this snapshot
    int other_features = 0;         ///< features of the file without polygons (ignored)
    int parts = 0;                  ///< polygons in the stored MultiPolygon
    std::vector<Repair> repairs;     ///< repairs of the polygons this snapshot uses
    std::vector<std::string> notes;
};

/// One repair in the per-file report, with the class of the feature repaired.
struct ClassedRepair {
    Repair repair;
    std::string cls;  ///< the feature's class, or "ignored"
};

/// One class of one file in the report.
struct ClassOutcome {
    std::string cls;
    std::string parent;             ///< for a sub-class (occupied_crimea): its main class; else ""
    int features = 0;               ///< features assigned to it
    double area_before_km2 = 0.0;   ///< its polygons dissolved, before clipping and overlaps
    double area_km2 = 0.0;          ///< what is stored
    int parts = 0;                  ///< polygons stored
    int parts_outside = 0;          ///< parts entirely outside the clip boundary (dropped)
    double outside_km2 = 0.0;       ///< their area
    double clipped_km2 = 0.0;       ///< area cut off parts that cross the clip boundary
    double overlap_km2 = 0.0;       ///< area given up to classes of higher precedence
    int sliver_parts = 0;           ///< sliver parts dropped
    double sliver_parts_km2 = 0.0;
    int sliver_holes = 0;           ///< sliver holes filled
    double sliver_holes_km2 = 0.0;
    int repairs = 0;                ///< repaired polygons among its features
    bool stored = false;            ///< false when nothing was left, so no snapshot was made
};

/// Features left out, grouped by why.
struct IgnoredFeatures {
    std::string reason;               ///< "not a polygon (Point)", "annotation polygon outside Ukraine", ...
    int features = 0;
    std::vector<std::string> values;  ///< distinct labels of those features (at most 12), for rule-based reasons
    bool unmatched = false;           ///< no rule matched them (a vocabulary the rules do not know)
};

/// How many features one rule decided.
struct RuleHit {
    std::string rule;                  ///< Classifier::describe
    std::vector<std::string> classes;  ///< empty: ignored
    int features = 0;
};

/// Area of one class taken by a class of higher precedence where the two overlapped.
struct OverlapResolved {
    std::string cls;         ///< the class that gave the area up
    std::string kept_by;     ///< the class that kept it
    double area_km2 = 0.0;
};

/// A part whose location is implausible next to the rest of the file (without --clip).
struct ImplausiblePart {
    std::string cls;
    double area_km2 = 0.0;
    double lon = 0.0;          ///< centre of its bounding box
    double lat = 0.0;
    double distance_km = 0.0;  ///< from the median centre of the file's parts
};

/// Everything done to one file.
struct SourceReport {
    std::string file;
    std::string provider;
    std::string date;
    std::string rules;                 ///< "preset deepstate", "class map M.json" or "single class"
    std::string sha256;                ///< of the file's bytes
    int features = 0;                  ///< features read
    int polygonal_features = 0;        ///< features with polygons
    int used_features = 0;             ///< features that gave a class
    std::vector<ClassOutcome> classes; ///< main classes in precedence order, then sub-classes
    std::vector<RuleHit> rules_used;   ///< in rule order
    std::vector<IgnoredFeatures> ignored;
    std::vector<ClassedRepair> repairs;
    std::vector<OverlapResolved> overlaps;
    std::vector<ImplausiblePart> implausible;
    std::vector<std::string> notes;
};

/// The outcome of a run.
struct IngestReport {
    std::string store_path;
    std::vector<IngestedFile> files;     ///< one entry per snapshot, in file order then class order
    std::vector<SourceReport> sources;   ///< one entry per file
    bool rules_used = false;             ///< a preset or class map was in effect
    std::vector<std::string> precedence; ///< main classes, the one that keeps overlaps first
    std::string clip_path;               ///< --clip, or ""
    double clip_area_km2 = 0.0;          ///< geodesic area of the clip boundary
    double min_area_km2 = 0.0;           ///< sliver thresholds in effect (0 when not cleaning)
    double min_width_m = 0.0;
};

/// Runs the ingest. Every file is read and checked before the store is touched; the store is then
/// written in one transaction, so a failure for any file leaves it exactly as it was.
/// Throws InputError for bad options, unreadable files, missing dates and conflicting content
/// (a different snapshot already stored for the same key, without `replace`).
IngestReport ingest_files(const geo::Context& ctx, const IngestOptions& options);

}  // namespace frontline::ingest
