#include "ingest/plain_geojson.hpp"

#include <cctype>
#include <utility>

namespace frontline::ingest {

namespace {

/// Whether GDAL's GeoJSON reader could take the string for a date, a time or a date-time (it
/// then types the field and reformats the value, "2024-01-31" as "2024/01/31"). Errs towards yes.
bool may_be_temporal(const std::string& s) {
    if (s.empty()) {
        return false;
    }
    const unsigned char c = static_cast<unsigned char>(s[0]);
    if (!std::isdigit(c) && c != '+' && c != '-') {
        return false;
    }
    return s.find_first_of("-/:", 1) != std::string::npos;
}

std::string folded(const std::string& s) {
    std::string out = s;
    for (auto& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

}  // namespace

PlainGeoJsonBuilder::PlainGeoJsonBuilder(std::string stem) : m_stem(std::move(stem)) {}

void PlainGeoJsonBuilder::give_up(const std::string& why) {
    if (m_gave_up.empty()) {
        m_gave_up = why;
    }
    m_out.features.clear();
    m_out.features.shrink_to_fit();
}

void PlainGeoJsonBuilder::null_value() {
    if (!m_gave_up.empty()) {
        return;
    }
    if (in(Ctx::feature) && (m_key == "geometry" || m_key == "properties")) {
        return;  // a feature without geometry, or without properties
    }
    if (in(Ctx::properties)) {
        return;  // an unset field
    }
    give_up("null as the value of '" + m_key + "'");
}

void PlainGeoJsonBuilder::boolean_value() {
    if (m_gave_up.empty()) {
        give_up("a boolean value ('" + m_key + "')");
    }
}

void PlainGeoJsonBuilder::integer_value(std::int64_t v) {
    if (!m_gave_up.empty()) {
        return;
    }
    if (in(Ctx::coordinates)) {
        number(static_cast<double>(v));
        return;
    }
    if (in(Ctx::feature) && m_key == "id") {
        if (v < 0 || !m_ids.insert(v).second) {
            give_up("a negative or repeated feature id");
            return;
        }
        m_has_id = true;
        m_out.features.back().fid = v;
        return;
    }
    if (in(Ctx::properties)) {
        auto [it, added] = m_property_kinds.emplace(m_key, 'i');
        if (!added && it->second != 'i') {
            give_up("property '" + m_key + "' holds strings and integers");
            return;
        }
        m_out.features.back().attributes[m_key] = std::to_string(v);
        return;
    }
    give_up("a number as the value of '" + m_key + "'");
}

void PlainGeoJsonBuilder::unsigned_value(std::uint64_t v) {
    if (!m_gave_up.empty()) {
        return;
    }
    if (in(Ctx::coordinates)) {
        number(static_cast<double>(v));
        return;
    }
    if (v > static_cast<std::uint64_t>(INT64_MAX)) {
        give_up("an integer beyond 64 bits");
        return;
    }
    integer_value(static_cast<std::int64_t>(v));
}

void PlainGeoJsonBuilder::float_value(double v) {
    if (!m_gave_up.empty()) {
        return;
    }
    if (in(Ctx::coordinates)) {
        number(v);
        return;
    }
    give_up("a decimal number as the value of '" + m_key + "'");
}

void PlainGeoJsonBuilder::number(double v) {
    if (m_position.size() >= 2) {
        give_up("a position with more than two numbers");  // GDAL makes the layer's CRS EPSG:4979
        return;
    }
    m_position.push_back(v);
}

void PlainGeoJsonBuilder::string_value(const std::string& s) {
    if (!m_gave_up.empty()) {
        return;
    }
    if (in(Ctx::top)) {
        if (m_key == "type") {
            m_is_collection = s == "FeatureCollection";
            if (!m_is_collection) {
                give_up("not a FeatureCollection");
            }
        } else if (m_key == "name") {
            m_layer = s;
            if (s.empty()) {
                give_up("an empty layer name");  // GDAL names the layer "", not after the file
            }
        } else {
            give_up("top-level member '" + m_key + "'");
        }
        return;
    }
    if (in(Ctx::crs)) {
        if (m_key != "type" || s != "name") {
            give_up("a crs that is not named");
        }
        return;
    }
    if (in(Ctx::crs_properties)) {
        if (m_key != "name" || (s != "urn:ogc:def:crs:OGC:1.3:CRS84" && s != "urn:ogc:def:crs:OGC::CRS84" &&
                                s != "http://www.opengis.net/def/crs/OGC/1.3/CRS84")) {
            give_up("a crs other than CRS84");
        }
        return;
    }
    if (in(Ctx::feature)) {
        if (m_key == "type" && s == "Feature") {
            m_feature_typed = true;
        } else {
            give_up("feature member '" + m_key + "' is the string '" + s + "'");
        }
        return;
    }
    if (in(Ctx::properties)) {
        if (may_be_temporal(s)) {
            give_up("property '" + m_key + "' may be a date or time");
            return;
        }
        auto [it, added] = m_property_kinds.emplace(m_key, 's');
        if (!added && it->second != 's') {
            give_up("property '" + m_key + "' holds strings and integers");
            return;
        }
        m_out.features.back().attributes[m_key] = s;
        return;
    }
    if (in(Ctx::geometry) && m_key == "type") {
        m_geometry_type = s;
        return;
    }
    give_up("a string as the value of '" + m_key + "'");
}

void PlainGeoJsonBuilder::key(const std::string& k) {
    if (!m_gave_up.empty()) {
        return;
    }
    m_key = k;
    if (in(Ctx::top)) {
        if (k != "type" && k != "name" && k != "crs" && k != "features") {
            give_up("top-level member '" + k + "'");
        }
    } else if (in(Ctx::feature)) {
        if (k != "type" && k != "geometry" && k != "properties" && k != "id") {
            give_up("feature member '" + k + "'");
        }
    } else if (in(Ctx::geometry)) {
        if (k != "type" && k != "coordinates") {
            give_up("geometry member '" + k + "'");
        }
    } else if (in(Ctx::properties)) {
        if (m_property_kinds.count(k) == 0) {
            const std::string f = folded(k);
            if (k.empty() || f == "id" || !m_property_names_folded.insert(f).second) {
                give_up("property name '" + k + "' (empty, 'id', or repeated in another case)");
            }
        }
    }
}

void PlainGeoJsonBuilder::start_object() {
    if (!m_gave_up.empty()) {
        return;
    }
    if (m_stack.empty()) {
        if (m_done) {
            give_up("more than one top-level value");
            return;
        }
        m_stack.push_back(Ctx::top);
    } else if (in(Ctx::top) && m_key == "crs") {
        m_stack.push_back(Ctx::crs);
    } else if (in(Ctx::crs) && m_key == "properties") {
        m_stack.push_back(Ctx::crs_properties);
    } else if (in(Ctx::features)) {
        m_stack.push_back(Ctx::feature);
        m_out.features.emplace_back();
        m_out.features.back().fid = static_cast<std::int64_t>(m_out.features.size() - 1);
        m_feature_typed = false;
        m_has_id = false;
    } else if (in(Ctx::feature) && m_key == "properties") {
        m_stack.push_back(Ctx::properties);
    } else if (in(Ctx::feature) && m_key == "geometry") {
        m_stack.push_back(Ctx::geometry);
        m_geometry_type.clear();
        m_coordinates_height = -1;
    } else {
        give_up("an object as the value of '" + m_key + "'");
        return;
    }
    m_key.clear();
}

void PlainGeoJsonBuilder::end_object() {
    if (!m_gave_up.empty()) {
        return;
    }
    const Ctx c = m_stack.back();
    m_stack.pop_back();
    switch (c) {
        case Ctx::top:
            if (!m_is_collection || !m_has_features) {
                give_up("no FeatureCollection with features");
                return;
            }
            if (m_with_id != 0 && m_with_id != m_out.features.size()) {
                give_up("some features have an id, some not");
                return;
            }
            m_done = true;
            break;
        case Ctx::geometry:
            finish_geometry();
            break;
        case Ctx::feature:
            finish_feature();
            break;
        default:
            break;
    }
    // the key of the enclosing object is consumed; its next key comes before any further value
}

void PlainGeoJsonBuilder::finish_geometry() {
    const bool polygon = m_geometry_type == "Polygon" && m_coordinates_height == 2;
    const bool multi = m_geometry_type == "MultiPolygon" && m_coordinates_height == 3;
    if (!polygon && !multi) {
        give_up("a geometry that is not a Polygon or MultiPolygon with coordinates");
        return;
    }
    m_out.features.back().polygons = std::move(m_polygons);
    m_polygons.clear();
}

void PlainGeoJsonBuilder::finish_feature() {
    if (!m_feature_typed) {
        give_up("a feature without \"type\": \"Feature\"");
        return;
    }
    if (m_has_id) {
        ++m_with_id;
    }
}

void PlainGeoJsonBuilder::start_array() {
    if (!m_gave_up.empty()) {
        return;
    }
    if (in(Ctx::top) && m_key == "features") {
        m_stack.push_back(Ctx::features);
        m_has_features = true;
        return;
    }
    if (in(Ctx::geometry) && m_key == "coordinates") {
        m_stack.push_back(Ctx::coordinates);
        m_heights.assign(1, -1);
        return;
    }
    if (in(Ctx::coordinates)) {
        if (!m_position.empty()) {
            give_up("a position holding an array");
            return;
        }
        m_stack.push_back(Ctx::coordinates);
        m_heights.push_back(-1);
        return;
    }
    give_up("an array as the value of '" + m_key + "'");
}

void PlainGeoJsonBuilder::end_array() {
    if (!m_gave_up.empty()) {
        return;
    }
    if (in(Ctx::features)) {
        m_stack.pop_back();
        return;
    }
    // A coordinates array: a position (numbers), a ring (positions), a polygon (rings) or a
    // multipolygon (polygons).
    const int children = m_heights.back();
    m_heights.pop_back();
    m_stack.pop_back();
    int height = 0;
    if (children < 0) {
        if (m_position.size() < 2) {
            give_up(m_position.empty() ? "an empty coordinates array" : "a position with one number");
            return;
        }
        m_ring.x.push_back(m_position[0]);
        m_ring.y.push_back(m_position[1]);
        m_position.clear();
    } else {
        height = children + 1;
        if (height == 1) {
            const std::size_t n = m_ring.x.size();
            if (n < 4 || m_ring.x[0] != m_ring.x[n - 1] || m_ring.y[0] != m_ring.y[n - 1]) {
                give_up("a ring of fewer than four positions or not closed");
                return;
            }
            m_polygon.push_back(std::move(m_ring));
            m_ring = PlainRing{};
        } else if (height == 2) {
            m_polygons.push_back(std::move(m_polygon));
            m_polygon.clear();
        } else if (height > 3) {
            give_up("coordinates nested too deep");
            return;
        }
    }
    if (m_heights.empty()) {
        m_coordinates_height = height;
        return;
    }
    int& parent = m_heights.back();
    if (parent >= 0 && parent != height) {
        give_up("coordinates nested unevenly");
        return;
    }
    parent = height;
}

std::optional<PlainGeoJson> PlainGeoJsonBuilder::take() {
    if (!m_gave_up.empty() || !m_done) {
        return std::nullopt;
    }
    m_out.layer = m_layer.empty() ? m_stem : m_layer;
    return std::move(m_out);
}

}  // namespace frontline::ingest
