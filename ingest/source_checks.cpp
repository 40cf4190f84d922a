#include "ingest/source_checks.hpp"

#include <nlohmann/json.hpp>
#include <rapidjson/reader.h>

#include <algorithm>
#include <charconv>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "geo/error.hpp"
#include "ingest/plain_geojson.hpp"

namespace frontline::ingest {

namespace {

std::string stem_of(const std::string& path) {
    const auto slash = path.find_last_of('/');
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    const auto dot = name.find_last_of('.');
    return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

std::string lower(std::string s) {
    for (auto& c : s) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

/// Shortens text quoted in a message and keeps it on one line.
std::string quote_text(const std::string& s) {
    std::string out;
    for (char c : s.substr(0, 40)) {
        out += (static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
    }
    return "'" + out + (s.size() > 40 ? "...'" : "'");
}

struct GeometryType {
    const char* name;
    int depth;  ///< nesting depth of the arrays holding numbers; 0 for types without coordinates
};
constexpr std::array<GeometryType, 9> kTypes{{{"Point", 1},
                                              {"MultiPoint", 2},
                                              {"LineString", 2},
                                              {"MultiLineString", 3},
                                              {"Polygon", 3},
                                              {"MultiPolygon", 4},
                                              {"GeometryCollection", 0},
                                              {"Feature", 0},
                                              {"FeatureCollection", 0}}};

enum class Role { top, feature, geometry, other };

/// One open JSON object or (non-coordinate) array.
struct Frame {
    bool object = false;
    Role role = Role::other;
    bool features_array = false;    ///< the "features" array
    bool geometries_array = false;  ///< a GeometryCollection's "geometries"
    std::vector<std::string> keys;  ///< an object's keys so far
    std::string key;                ///< an object's current key
    std::string type;               ///< an object's "type" string
    bool has_type = false;
    bool has_coordinates = false;
    bool coordinates_null = false;
    int leaf_depth = -1;            ///< depth of the number arrays in "coordinates"; -1: none seen
};

/// SAX handler: returns false (stopping the parse) with m_error set at the first problem.
class GeoJsonChecker {
public:
    using json = nlohmann::json;

    GeoJsonChecker(std::string shown, const SourceLimits& limits, std::size_t size)
        : m_shown(std::move(shown)), m_layer(stem_of(m_shown)), m_limits(limits), m_size(size) {}

    const std::string& error() const { return m_error; }

    bool null() { return scalar("null"); }
    bool boolean(bool) { return scalar("true/false"); }
    bool number_integer(json::number_integer_t) { return number(); }
    bool number_unsigned(json::number_unsigned_t) { return number(); }
    bool number_float(json::number_float_t v, const json::string_t& s) {
        if (!std::isfinite(v)) {
            return fail("the number " + quote_text(s) + " is not a finite double",
                        "write coordinates as ordinary decimal numbers");
        }
        return number();
    }
    bool string(json::string_t& s) {
        if (m_coord_depth > 0) {
            return fail("a position holds the string " + quote_text(s) + ", not a number",
                        "write coordinates as numbers, without quotes");
        }
        if (!m_frames.empty() && m_frames.back().object) {
            Frame& f = m_frames.back();
            if (f.key == "type") {
                f.type = s;
                f.has_type = true;
            } else if (f.key == "coordinates" && is_geometry(f)) {
                return fail("'coordinates' is a string", "write coordinates as nested arrays of numbers");
            }
        }
        return true;
    }
    bool binary(json::binary_t&) { return true; }

    bool start_object(std::size_t) {
        if (m_coord_depth > 0) {
            return fail("a position is an object, not [lon, lat]", "write each position as [lon, lat]");
        }
        if (!deeper()) {
            return false;
        }
        Frame f;
        f.object = true;
        if (m_frames.empty()) {
            f.role = Role::top;
        } else {
            const Frame& parent = m_frames.back();
            if (parent.features_array) {
                f.role = Role::feature;
                ++m_feature;
                m_vertices = 0;
            } else if (parent.geometries_array || (parent.object && parent.key == "geometry" && parent.role != Role::other)) {
                f.role = Role::geometry;
            } else if (parent.object && parent.key == "features" && parent.role == Role::top) {
                return fail("'features' is not an array", "write \"features\": [ ... ]");
            } else if (parent.object && parent.key == "coordinates" && is_geometry(parent)) {
                return fail("'coordinates' is an object", "write coordinates as nested arrays of numbers");
            }
        }
        m_frames.push_back(std::move(f));
        return true;
    }

    bool key(json::string_t& k) {
        Frame& f = m_frames.back();
        for (const auto& seen : f.keys) {
            if (seen == k) {
                return fail("the key " + quote_text(k) + " appears twice in one object (GDAL would silently keep the last)",
                            "remove the duplicate");
            }
        }
        f.keys.push_back(k);
        f.key = k;
        return true;
    }

    bool end_object() {
        Frame f = std::move(m_frames.back());
        m_frames.pop_back();
        --m_depth;
        if (f.role == Role::other) {
            return true;
        }
        const GeometryType* type = nullptr;
        if (f.has_type) {
            for (const auto& t : kTypes) {
                if (f.type == t.name) {
                    type = &t;
                } else if (lower(f.type) == lower(t.name)) {
                    return fail("the type " + quote_text(f.type) + " must be spelled " + quote_text(t.name) +
                                    " (GeoJSON type names are case-sensitive; GDAL drops the geometry)",
                                std::string("write \"type\": \"") + t.name + "\"");
                }
            }
        }
        if (f.has_coordinates || f.coordinates_null) {
            if (type == nullptr) {
                return fail("unknown geometry type " + (f.has_type ? quote_text(f.type) : std::string("(no 'type')")),
                            "use Polygon or MultiPolygon");
            }
            if (type->depth == 0) {
                return fail("a " + std::string(type->name) + " has 'coordinates'", "check the nesting of the file");
            }
            if (f.coordinates_null) {
                return fail("the " + std::string(type->name) + "'s 'coordinates' is null",
                            "give the geometry coordinates, or make the feature's geometry null");
            }
            if (f.leaf_depth >= 0 && f.leaf_depth != type->depth) {
                return fail("the " + std::string(type->name) + "'s coordinates are nested " +
                                std::to_string(f.leaf_depth) + " deep; a " + type->name + " needs " +
                                std::to_string(type->depth) + " (GDAL would drop it)",
                            "check the brackets, or the type (Polygon vs MultiPolygon)");
            }
        }
        return true;
    }

    bool start_array(std::size_t) {
        if (!deeper()) {
            return false;
        }
        if (m_coord_depth > 0) {
            const auto d = static_cast<std::size_t>(m_coord_depth);
            if (m_numbers[d] > 0) {
                return fail("a position mixes numbers and arrays", "write each position as [lon, lat]");
            }
            m_has_array[d] = true;
            ++m_coord_depth;
            const auto n = static_cast<std::size_t>(m_coord_depth);
            if (m_numbers.size() <= n) {
                m_numbers.resize(n + 1);
                m_has_array.resize(n + 1);
            }
            m_numbers[n] = 0;
            m_has_array[n] = false;
            return true;
        }
        Frame f;
        if (!m_frames.empty() && m_frames.back().object) {
            Frame& parent = m_frames.back();
            if (parent.key == "coordinates" && is_geometry(parent)) {
                parent.has_coordinates = true;
                m_coord_depth = 1;
                m_numbers.assign(2, 0);
                m_has_array.assign(2, false);
                m_leaf_depth = -1;
                return true;
            }
            f.features_array = parent.key == "features" && parent.role == Role::top;
            f.geometries_array = parent.key == "geometries" && parent.role != Role::other;
        }
        m_frames.push_back(std::move(f));
        return true;
    }

    bool end_array() {
        --m_depth;
        if (m_coord_depth > 0) {
            const auto d = static_cast<std::size_t>(m_coord_depth);
            if (!m_has_array[d]) {  // an array of numbers: one position (or an empty array)
                const int n = m_numbers[d];
                if (n == 1 || n > 4) {
                    return fail("a position has " + std::to_string(n) + " number(s); it needs 2 (lon, lat) or 3-4 (with z, m)",
                                "write each position as [lon, lat]");
                }
                if (n > 0) {
                    if (m_leaf_depth < 0) {
                        m_leaf_depth = m_coord_depth;
                    } else if (m_leaf_depth != m_coord_depth) {
                        return fail("positions are nested at different depths in one geometry",
                                    "check the brackets of its coordinates");
                    }
                    if (++m_vertices > m_limits.max_vertices) {
                        return fail("more than " + std::to_string(m_limits.max_vertices) + " vertices in one feature",
                                    "simplify or split it, or raise --max-vertices");
                    }
                }
            }
            if (--m_coord_depth == 0) {
                m_frames.back().leaf_depth = m_leaf_depth;
            }
            return true;
        }
        m_frames.pop_back();
        return true;
    }

    bool parse_error(std::size_t position, const std::string& last_token, const nlohmann::detail::exception& ex) {
        if (!m_error.empty()) {
            return false;
        }
        std::string what = ex.what();
        const auto bracket = what.find("] ");
        if (what.rfind("[json.exception", 0) == 0 && bracket != std::string::npos) {
            what = what.substr(bracket + 2);
        }
        const std::string at = " at byte " + std::to_string(position > 0 ? position - 1 : 0);
        if (ex.id == 406) {
            return fail("the number " + quote_text(last_token) + at + " is beyond the range of a double (it would become Infinity)",
                        "write coordinates as ordinary decimal numbers");
        }
        const char last = last_token.empty() ? ' ' : last_token.back();
        if (what.find("invalid literal") != std::string::npos && (last == 'N' || last == 'I' || last == 'n' || last == 'i')) {
            return fail("a NaN or Infinity" + at + " is not a JSON number (GDAL would read a non-finite coordinate)",
                        "fix or remove this coordinate");
        }
        if (what.find("UTF-8") != std::string::npos || what.find("ill-formed") != std::string::npos) {
            return fail("the text" + at + " is not UTF-8 (GeoJSON must be UTF-8)",
                        "re-save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)");
        }
        if (what.find("unexpected end of input") != std::string::npos || position >= m_size) {
            return fail("the JSON ends" + at + " before it is complete (a truncated file?)",
                        "download or export the file again");
        }
        if (what.find("expected end of input") != std::string::npos) {
            return fail("unexpected text" + at + " after the end of the JSON (" + quote_text(last_token) + ")",
                        "remove what follows the closing bracket, or export the file again");
        }
        return fail("not valid JSON" + at + " (" + what + ")", "check the file in a JSON validator");
    }

private:
    static bool is_geometry(const Frame& f) { return f.role == Role::geometry || f.role == Role::top; }

    bool deeper() {
        if (++m_depth > m_limits.max_json_depth) {
            return fail("arrays and objects are nested more than " + std::to_string(m_limits.max_json_depth) +
                            " deep (GDAL would read no geometry)",
                        "check the brackets of its coordinates");
        }
        return true;
    }

    bool number() {
        if (m_coord_depth > 0) {
            const auto d = static_cast<std::size_t>(m_coord_depth);
            if (m_has_array[d]) {
                return fail("a position mixes numbers and arrays", "write each position as [lon, lat]");
            }
            ++m_numbers[d];
            return true;
        }
        return scalar("a number");
    }

    bool scalar(const char* what) {
        if (m_coord_depth > 0) {
            return fail(std::string("a position holds ") + what + ", not a number", "write each position as [lon, lat]");
        }
        if (!m_frames.empty() && m_frames.back().object) {
            Frame& f = m_frames.back();
            if (f.key == "coordinates" && is_geometry(f)) {
                if (std::strcmp(what, "null") == 0) {
                    f.coordinates_null = true;
                    return true;
                }
                return fail(std::string("'coordinates' is ") + what + ", not an array",
                            "write coordinates as nested arrays of numbers");
            }
            if (f.key == "features" && f.role == Role::top) {
                return fail("'features' is not an array", "write \"features\": [ ... ]");
            }
        }
        return true;
    }

    bool fail(const std::string& problem, const std::string& hint) {
        if (m_error.empty()) {
            m_error = m_shown + ", layer '" + m_layer + "'" +
                      (m_feature >= 0 ? ", feature index " + std::to_string(m_feature) : std::string()) + ": " +
                      problem + "; " + hint;
        }
        return false;
    }

    std::string m_shown;
    std::string m_layer;
    SourceLimits m_limits;
    std::size_t m_size = 0;  ///< of the text, in bytes
    std::string m_error;
    std::vector<Frame> m_frames;
    int m_depth = 0;
    long m_feature = -1;            ///< index in "features" of the feature being read
    std::size_t m_vertices = 0;     ///< positions in that feature so far
    int m_coord_depth = 0;          ///< >0: inside "coordinates", this many arrays deep
    int m_leaf_depth = -1;
    std::vector<int> m_numbers;     ///< per coordinate depth: numbers in the open array
    std::vector<char> m_has_array;  ///< per coordinate depth: the open array holds arrays
};

/// Sends each parse event to the checker and, while the checker is content, to the builder:
/// one lexing pass for both.
class CheckAndBuild {
public:
    using json = nlohmann::json;

    CheckAndBuild(GeoJsonChecker& checker, PlainGeoJsonBuilder& builder) : m_c(checker), m_b(builder) {}

    bool null() { return m_c.null() && (m_b.null_value(), true); }
    bool boolean(bool v) { return m_c.boolean(v) && (m_b.boolean_value(), true); }
    bool number_integer(json::number_integer_t v) { return m_c.number_integer(v) && (m_b.integer_value(v), true); }
    bool number_unsigned(json::number_unsigned_t v) { return m_c.number_unsigned(v) && (m_b.unsigned_value(v), true); }
    bool number_float(json::number_float_t v, const json::string_t& s) {
        return m_c.number_float(v, s) && (m_b.float_value(v), true);
    }
    bool string(json::string_t& s) { return m_c.string(s) && (m_b.string_value(s), true); }
    bool binary(json::binary_t& b) { return m_c.binary(b); }
    bool start_object(std::size_t n) { return m_c.start_object(n) && (m_b.start_object(), true); }
    bool key(json::string_t& k) { return m_c.key(k) && (m_b.key(k), true); }
    bool end_object() { return m_c.end_object() && (m_b.end_object(), true); }
    bool start_array(std::size_t n) { return m_c.start_array(n) && (m_b.start_array(), true); }
    bool end_array() { return m_c.end_array() && (m_b.end_array(), true); }
    bool parse_error(std::size_t position, const std::string& last_token, const nlohmann::detail::exception& ex) {
        return m_c.parse_error(position, last_token, ex);
    }

private:
    GeoJsonChecker& m_c;
    PlainGeoJsonBuilder& m_b;
};

/// RapidJSON's SAX events handed on in nlohmann's form, so that the checker and the builder see
/// exactly what nlohmann's parse gives them. Numbers arrive as their text (RapidJSON checks
/// their syntax) and are converted as nlohmann's lexer does: an integer token (no fraction, no
/// exponent) is unsigned, or signed when it has a minus, and a double when it overflows 64 bits;
/// any other is a double, correctly rounded (std::from_chars, as nlohmann's strtod). A string
/// holding a lone UTF-16 surrogate (which RapidJSON 1.1 lets through and nlohmann refuses)
/// stops the parse, like any syntax error: the file is then parsed again by nlohmann for its
/// message (check_geojson_file).
template <typename Handler>
class RapidEvents : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, RapidEvents<Handler>> {
public:
    using json = nlohmann::json;
    explicit RapidEvents(Handler& h) : m_h(h) {}

    bool Null() { return m_h.null(); }
    bool Bool(bool v) { return m_h.boolean(v); }
    bool RawNumber(const char* text, rapidjson::SizeType n, bool) {
        const char* end = text + n;
        const bool integer = std::find_if(text, end, [](char c) { return c == '.' || c == 'e' || c == 'E'; }) == end;
        if (integer && text[0] == '-') {
            json::number_integer_t v = 0;
            if (std::from_chars(text, end, v).ec == std::errc{}) {
                return m_h.number_integer(v);
            }
        } else if (integer) {
            json::number_unsigned_t v = 0;
            if (std::from_chars(text, end, v).ec == std::errc{}) {
                return m_h.number_unsigned(v);
            }
        }
        double d = 0.0;
        const auto r = std::from_chars(text, end, d);
        if (r.ec == std::errc::result_out_of_range) {
            return false;  // 1e400: nlohmann's parse names it
        }
        m_text.assign(text, n);
        return m_h.number_float(d, m_text);
    }
    bool String(const char* text, rapidjson::SizeType n, bool) {
        if (!take(text, n)) {
            return false;
        }
        return m_h.string(m_text);
    }
    bool Key(const char* text, rapidjson::SizeType n, bool) {
        if (!take(text, n)) {
            return false;
        }
        return m_h.key(m_text);
    }
    bool StartObject() { return m_h.start_object(static_cast<std::size_t>(-1)); }
    bool EndObject(rapidjson::SizeType) { return m_h.end_object(); }
    bool StartArray() { return m_h.start_array(static_cast<std::size_t>(-1)); }
    bool EndArray(rapidjson::SizeType) { return m_h.end_array(); }

private:
    /// The string, unless it holds an encoded UTF-16 surrogate (0xED 0xA0-0xBF ...).
    bool take(const char* text, rapidjson::SizeType n) {
        for (rapidjson::SizeType i = 0; i + 1 < n; ++i) {
            if (static_cast<unsigned char>(text[i]) == 0xED && static_cast<unsigned char>(text[i + 1]) >= 0xA0) {
                return false;
            }
        }
        m_text.assign(text, n);
        return true;
    }

    Handler& m_h;
    std::string m_text;
};

/// One parse of `bytes` by RapidJSON into `handler`; false at a syntax error, or when the handler
/// stops it. In situ, on a copy: strings and numbers are then read where they are, and RapidJSON
/// 1.1's internal stack, whose first use offsets a null pointer (UndefinedBehaviorSanitizer stops
/// there), is never used. Not iterative (that needs the stack): the recursion is as deep as the
/// arrays, and the checker stops the parse at SourceLimits::max_json_depth.
template <typename Handler>
bool rapid_parse(const std::string& bytes, Handler& handler) {
    const std::size_t from = bytes.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;  // nlohmann skips a BOM too
    // A NUL byte would end the text early: only a parse that reads every byte counts.
    if (std::strlen(bytes.c_str() + from) != bytes.size() - from) {
        return false;
    }
    std::vector<char> text(bytes.begin() + static_cast<std::ptrdiff_t>(from), bytes.end());
    text.push_back('\0');
    rapidjson::InsituStringStream in(text.data());
    RapidEvents<Handler> events(handler);
    rapidjson::Reader reader;
    constexpr unsigned kFlags =
        rapidjson::kParseInsituFlag | rapidjson::kParseValidateEncodingFlag | rapidjson::kParseNumbersAsStringsFlag;
    return !reader.Parse<kFlags>(in, events).IsError();
}

std::string read_file_bytes(const std::string& file, const std::string& shown) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw InputError(shown + ": cannot read the file; check its permissions");
    }
    in.seekg(0, std::ios::end);
    const auto size = in.tellg();
    in.seekg(0, std::ios::beg);
    std::string bytes;
    if (size > 0) {
        bytes.resize(static_cast<std::size_t>(size));
        in.read(bytes.data(), size);
    }
    return bytes;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

void check_geojson_file(const std::string& file, const std::string& shown, const SourceLimits& limits,
                        PlainGeoJsonBuilder* builder, bool nlohmann_only) {
    const std::string bytes = read_file_bytes(file, shown);
    if (bytes.empty()) {
        throw InputError(shown + ": the file is empty (0 bytes); export or download it again");
    }
    if (bytes.find_first_not_of(" \t\r\n") == std::string::npos) {
        throw InputError(shown + ": holds no JSON, only white space; export or download it again");
    }
    // RapidJSON reads the bytes in about a third of nlohmann's time (on ISW's files a fifth of
    // ingest's CPU was this parse). Where it stops without the checker having found a problem (a
    // syntax error, a number out of range, a lone surrogate), the file is parsed again by
    // nlohmann from scratch, which accepts or refuses it with the messages it always gave.
    // One parse into the checker, and into the builder too when there is one.
    auto parse = [&](GeoJsonChecker& checker, auto&& run) {
        if (builder != nullptr) {
            CheckAndBuild both(checker, *builder);
            return run(both);
        }
        return run(checker);
    };
    if (!nlohmann_only) {
        GeoJsonChecker checker(shown, limits, bytes.size());
        const bool ok = parse(checker, [&](auto& handler) { return rapid_parse(bytes, handler); });
        if (!checker.error().empty()) {
            throw InputError(checker.error());
        }
        if (ok) {
            return;
        }
        if (builder != nullptr) {
            builder->reset();
        }
    }
    GeoJsonChecker checker(shown, limits, bytes.size());
    const bool ok = parse(checker, [&](auto& handler) {
        return nlohmann::json::sax_parse(bytes.begin(), bytes.end(), &handler, nlohmann::json::input_format_t::json,
                                         true, false);
    });
    if (!ok || !checker.error().empty()) {
        throw InputError(checker.error().empty() ? shown + ": not valid JSON; check the file" : checker.error());
    }
}

void check_kml_text(const std::string& text, const std::string& shown) {
    if (text.find("<!ENTITY") != std::string::npos) {
        throw InputError(shown + ": declares XML entities (<!ENTITY ...>), which frontline refuses "
                                 "(entity expansion can exhaust memory or read other files); remove the DOCTYPE");
    }
    int placemark = 0;
    std::size_t pos = 0;
    while ((pos = text.find('<', pos)) != std::string::npos) {
        ++pos;
        if (pos >= text.size() || text[pos] == '/' || text[pos] == '?' || text[pos] == '!') {
            continue;
        }
        std::size_t end = pos;
        while (end < text.size() && !is_space(text[end]) && text[end] != '>' && text[end] != '/') {
            ++end;
        }
        std::string name = text.substr(pos, end - pos);
        const auto colon = name.find(':');
        if (colon != std::string::npos) {
            name = name.substr(colon + 1);
        }
        if (name == "Placemark") {
            ++placemark;
            continue;
        }
        if (name != "coordinates") {
            continue;
        }
        const std::size_t open_end = text.find('>', end);
        if (open_end == std::string::npos || text[open_end - 1] == '/') {
            continue;
        }
        const std::size_t close = text.find('<', open_end);
        const std::string content =
            text.substr(open_end + 1, (close == std::string::npos ? text.size() : close) - open_end - 1);
        std::size_t i = 0;
        while (i < content.size()) {
            while (i < content.size() && is_space(content[i])) {
                ++i;
            }
            std::size_t j = i;
            while (j < content.size() && !is_space(content[j])) {
                ++j;
            }
            if (j == i) {
                break;
            }
            const std::string tuple = content.substr(i, j - i);
            int values = 0;
            bool ok = true;
            std::size_t start = 0;
            while (ok) {
                const std::size_t comma = tuple.find(',', start);
                const std::string part = tuple.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
                char* stop = nullptr;
                const double v = part.empty() ? 0.0 : std::strtod(part.c_str(), &stop);
                ok = !part.empty() && stop != nullptr && *stop == '\0' && std::isfinite(v);
                ++values;
                if (comma == std::string::npos) {
                    break;
                }
                start = comma + 1;
            }
            if (!ok || values < 2 || values > 3) {
                throw InputError(shown + ", Placemark " + std::to_string(placemark) + ": the coordinate tuple " +
                                 quote_text(tuple) +
                                 " is not lon,lat[,alt] in finite numbers (GDAL would read a wrong position); "
                                 "fix the coordinates of this Placemark");
            }
            i = j;
        }
        pos = open_end;
    }
}

Sniffed sniff_file(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) {
        return Sniffed::other;
    }
    char buf[64] = {};
    const std::size_t n = std::fread(buf, 1, sizeof buf, f);
    std::fclose(f);
    std::size_t i = n >= 3 && std::memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (n >= 4 && std::memcmp(buf, "PK\x03\x04", 4) == 0) {
        return Sniffed::zip;
    }
    while (i < n && is_space(buf[i])) {
        ++i;
    }
    if (i < n && (buf[i] == '{' || buf[i] == '[')) {
        return Sniffed::json;
    }
    if (i < n && buf[i] == '<') {
        return Sniffed::xml;
    }
    return Sniffed::other;
}

}  // namespace frontline::ingest
