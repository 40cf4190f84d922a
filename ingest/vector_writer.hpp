#pragma once
/// Writing features through OGR: RFC 7946 GeoJSON by default, any OGR vector driver on request.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace frontline::ingest {

/// A property value: text, real or integer.
using PropertyValue = std::variant<std::string, double, std::int64_t>;

/// One feature to write: geometry as 2-D WKB in WGS84 lon/lat, properties in schema order.
struct OutFeature {
    std::vector<unsigned char> wkb;
    std::vector<PropertyValue> properties;
};

/// A property's name and type (the type of the first feature's value decides the field type).
struct OutField {
    std::string name;
    enum class Type { text, real, integer } type = Type::text;
};

/// The OGR driver for `path`: `format` if given (an OGR short name such as "GPKG"), else one
/// guessed from the extension (.gpkg, .fgb, .geojsonl/.geojsons, .csv, .shp, .kml), else GeoJSON.
/// Throws InputError if GDAL has no such driver or it cannot write vectors.
std::string output_driver(const std::string& path, const std::string& format);

/// Writes `features` as one layer to `path` with driver `driver`. GeoJSON is written per RFC 7946
/// (counter-clockwise exterior rings, no `crs` member, 7 decimals, bbox), with feature ids 1..n in
/// the given order. Single-file formats are written to a temporary file and renamed into place,
/// so a failure never leaves a half-written output; an existing file is replaced.
/// Throws InputError (unwritable path) or RunError.
void write_features(const std::string& path, const std::string& driver, const std::string& layer_name,
                    const std::vector<OutField>& fields, const std::vector<OutFeature>& features);

}  // namespace frontline::ingest
