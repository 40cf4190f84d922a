#pragma once
/// Cheap checks of a source's bytes before GDAL reads them, for what GDAL 3.6 accepts silently
/// and wrongly: a duplicated "coordinates" key (GDAL keeps the last), NaN/Infinity/1e400, a
/// geometry type in the wrong case or nested at the wrong depth (a NULL geometry with no error),
/// string or one-element positions, trailing garbage, text that is not UTF-8; KML coordinate
/// tuples such as "31,abc" (read as 31,0) and XML entity declarations (entity expansion); a file
/// whose content is not what its name says. Each runs in one streaming pass.
#include <cstddef>
#include <string>

namespace frontline::ingest {

/// Per-feature limits that keep a broken or hostile file from exhausting memory.
struct SourceLimits {
    /// Most vertices one feature may have. The largest feature of the real DeepStateMap exports
    /// has about 0.25 million; this is far above that and far below what exhausts memory.
    std::size_t max_vertices = 20'000'000;
    /// Deepest nesting of JSON arrays and objects (a GeometryCollection in a Feature in a
    /// FeatureCollection needs under 10).
    int max_json_depth = 64;
};

class PlainGeoJsonBuilder;  // plain_geojson.hpp

/// Checks GeoJSON text in the file `path` (or the file named `file` and shown as `shown`).
/// Throws InputError naming the file, its layer (the file's stem, GDAL's GeoJSON layer name),
/// the feature (its index in "features") and what is wrong, with what to try.
/// With `builder`, the same parse also feeds it (plain_geojson.hpp).
/// The parse is RapidJSON's, and nlohmann's again for a file RapidJSON stops on (its messages);
/// `nlohmann_only` skips the first, for the tests that compare the two.
void check_geojson_file(const std::string& file, const std::string& shown, const SourceLimits& limits,
                        PlainGeoJsonBuilder* builder = nullptr, bool nlohmann_only = false);

/// Checks KML text (`text`, from `shown`): no <!ENTITY> declarations and every <coordinates>
/// tuple is two or three finite numbers. Throws InputError naming the Placemark.
void check_kml_text(const std::string& text, const std::string& shown);

/// What the first bytes of a file say it is.
enum class Sniffed { json, zip, xml, other };

/// Reads the first bytes of `path` (after a UTF-8 byte order mark and white space).
Sniffed sniff_file(const std::string& path);

}  // namespace frontline::ingest
