#pragma once
/// A GeoJSON FeatureCollection read straight from the one streaming parse that checks its bytes
/// (source_checks.hpp), without GDAL, when the file keeps to a plain profile whose reading by
/// GDAL 3.6 is known exactly. On the 300,000-vertex snapshots of the scale benchmark GDAL's
/// GeoJSON driver (two parses, a json-c tree per feature, strtod through its own wrapper) was
/// 58 % of ingest's time; the checker's parse was already paid for.
///
/// The profile, and what GDAL makes of it (tests/ingest/test_plain_geojson.cpp compares the two
/// readers on every GeoJSON file of the real data and on edge cases):
/// - a top-level object with "type": "FeatureCollection", "features", and optionally a non-empty
///   "name" (the layer's name; else the file's stem; GDAL names the layer "" after an empty one)
///   and a "crs" naming OGC CRS84 (GDAL's default for
///   GeoJSON: WGS84 longitude/latitude);
/// - features with "type": "Feature", "geometry" (null, Polygon or MultiPolygon), "properties"
///   (null or an object) and optionally "id"; either no feature has an "id" (GDAL numbers them
///   from 0) or every feature has a distinct non-negative integer one (GDAL's FID);
/// - property values that are strings, integers or null, each property keeping one kind across
///   the file (GDAL would make a mixed one a string or real field and reformat its values);
///   strings that could be dates or times are left to GDAL, which types and reformats them;
/// - positions of two numbers (with a third, GDAL calls the CRS EPSG:4979 and notes a
///   transformation), rings of at least four positions whose last repeats the first.
/// Anything else (foreign members, GeometryCollections, floats or objects as properties, another
/// CRS, ...) makes the builder give up, and the file is read by GDAL as before.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace frontline::ingest {

/// One ring: longitudes and latitudes, closed (last position repeats the first).
struct PlainRing {
    std::vector<double> x;
    std::vector<double> y;
};

/// One polygon: its shell, then its holes.
using PlainPolygon = std::vector<PlainRing>;

/// One feature of the plain profile.
struct PlainFeature {
    std::int64_t fid = -1;                          ///< GDAL's FID: the "id", else its index
    std::map<std::string, std::string> attributes;  ///< set properties, as GDAL formats them
    std::vector<PlainPolygon> polygons;             ///< none for a null geometry
};

/// What a file of the plain profile holds.
struct PlainGeoJson {
    std::string layer;  ///< the layer name GDAL gives it
    std::vector<PlainFeature> features;
};

/// Receives the events of a JSON parse (after the checker has seen each) and builds the file's
/// features while they stay in the plain profile. Never fails: out of the profile it stops
/// building and take() returns nothing.
class PlainGeoJsonBuilder {
public:
    /// `stem`: the file's name without folder and extension (the layer name when there is no "name").
    explicit PlainGeoJsonBuilder(std::string stem);

    void null_value();
    void boolean_value();
    void integer_value(std::int64_t v);
    void unsigned_value(std::uint64_t v);
    void float_value(double v);
    void string_value(const std::string& s);
    void key(const std::string& k);
    void start_object();
    void end_object();
    void start_array();
    void end_array();

    /// Back to the state before the first event (a parse that stopped is started again).
    void reset() { *this = PlainGeoJsonBuilder(m_stem); }

    /// The features, or nothing if the file left the profile (or the parse did not end).
    std::optional<PlainGeoJson> take();

    /// Why the builder gave up (for tests), empty if it did not.
    const std::string& gave_up() const { return m_gave_up; }

private:
    enum class Ctx { top, crs, crs_properties, features, feature, properties, geometry, coordinates };

    void give_up(const std::string& why);
    bool in(Ctx c) const { return !m_stack.empty() && m_stack.back() == c; }
    void number(double v);
    void finish_geometry();
    void finish_feature();

    std::string m_stem;
    std::string m_gave_up;
    bool m_done = false;
    std::vector<Ctx> m_stack;
    std::string m_key;  // the key whose value comes next, in the innermost object

    // top level
    std::string m_layer;
    bool m_is_collection = false;
    bool m_has_features = false;
    PlainGeoJson m_out;

    // the feature being read
    bool m_feature_typed = false;
    bool m_has_id = false;
    std::size_t m_with_id = 0;
    std::set<std::int64_t> m_ids;
    std::map<std::string, char> m_property_kinds;  // 's' string, 'i' integer
    std::set<std::string> m_property_names_folded;

    // the geometry being read
    std::string m_geometry_type;
    int m_coordinates_height = -1;       // 0 position, 1 ring, 2 polygon, 3 multipolygon
    std::vector<int> m_heights;          // per open coordinates array: height of its children so far
    std::vector<double> m_position;
    PlainRing m_ring;
    PlainPolygon m_polygon;
    std::vector<PlainPolygon> m_polygons;
};

}  // namespace frontline::ingest
