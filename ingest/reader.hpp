#pragma once
/// Reading the polygons of any vector source GDAL opens.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "geo/geometry.hpp"
#include "ingest/source_checks.hpp"

namespace frontline::ingest {

/// One polygon that was invalid in the source and was repaired with GEOS MakeValid.
struct Repair {
    std::string layer;
    std::int64_t feature = -1;   ///< the feature's id in the source (FID)
    std::string reason;          ///< GEOS's validity message, with the location
    double area_after_m2 = 0.0;  ///< geodesic area of what the repair kept, on the store's 1e-7° grid
};

/// One source feature that gave polygons: where it is, its attributes, and which of
/// SourceRead::polygons came from it.
struct SourceFeature {
    std::string layer;
    std::int64_t fid = -1;                          ///< the feature's id in the source (FID)
    std::map<std::string, std::string> attributes;  ///< every set field, as text
    std::size_t first_polygon = 0;                  ///< index into SourceRead::polygons
    std::size_t polygon_count = 0;                  ///< polygons it gave (after repair)
};

/// Everything read from one source file.
struct SourceRead {
    std::string path;                    ///< as given by the user
    std::string sha256;                  ///< of the file's bytes
    std::vector<std::string> layers;     ///< layers that held at least one polygon
    std::vector<geo::Geometry> polygons; ///< valid Polygons/MultiPolygons in WGS84 lon/lat
    std::vector<SourceFeature> records;  ///< the polygonal features, in source order
    int features = 0;                    ///< features read, in every layer
    int polygonal_features = 0;          ///< features that gave at least one polygon
    int other_features = 0;              ///< features with no polygonal geometry (points, lines, none)
    std::map<std::string, int> other_geometry_types;  ///< those features by geometry type ("Point", "none")
    std::vector<Repair> repairs;
    std::vector<std::string> notes;      ///< assumptions made, for the report (e.g. a missing CRS)
    std::string reader;                  ///< "GDAL <driver>", or "plain GeoJSON" (plain_geojson.hpp)
};

/// How to open a source.
struct ReadOptions {
    /// If set, the file is JSON whose top-level object holds the FeatureCollection in this member
    /// (NZZ's `{"value": {...}}`): that member is read, byte for byte, through GDAL's /vsimem/.
    /// A file that is already a bare FeatureCollection is read as it is.
    std::string unwrap_member;
    /// Per-feature limits (vertices, JSON nesting), checked before and while reading.
    SourceLimits limits;
    /// Read GeoJSON with GDAL even when it keeps to the plain profile frontline reads itself
    /// (plain_geojson.hpp); the tests compare the two.
    bool gdal_only = false;
};

/// Opens `path` with GDAL (any vector format; .zip and .kmz archives are looked into) and returns
/// every polygon of every layer, including Polygons inside GeometryCollections and curved
/// polygons (linearised). Z and M are dropped; coordinates are transformed from the layer's CRS
/// to WGS84 lon/lat (x = longitude); invalid polygons are repaired and reported.
/// Throws InputError naming the file, layer and feature when the file cannot be opened, holds no
/// polygon, has non-finite coordinates, coordinates that are not lon/lat after transformation,
/// or a geometry GEOS cannot read.
/// With `options.unwrap_member`, also throws InputError when the file is not JSON or the member
/// is not an object.
SourceRead read_source(const geo::Context& ctx, const std::string& path, const ReadOptions& options = {});

}  // namespace frontline::ingest
