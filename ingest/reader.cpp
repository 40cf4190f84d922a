#include "ingest/reader.hpp"

#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <cpl_vsi.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <sys/stat.h>

#include "geo/geodesic.hpp"
#include "geo/polygon_ops.hpp"
#include "ingest/gdal_env.hpp"
#include "ingest/hash.hpp"
#include "ingest/plain_geojson.hpp"
#include "ingest/source_checks.hpp"

namespace frontline::ingest {

namespace {

std::string lower_extension(const std::string& path) {
    auto dot = path.find_last_of('.');
    auto slash = path.find_last_of('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
        return "";
    }
    std::string ext = path.substr(dot + 1);
    for (auto& c : ext) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return ext;
}

GDALDatasetUniquePtr open_vector(const std::string& path) {
    return GDALDatasetUniquePtr(
        GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_VERBOSE_ERROR | GDAL_OF_READONLY));
}

/// Opens the file, or what an archive holds when GDAL does not open the archive itself.
GDALDatasetUniquePtr open_source(const std::string& path, GdalErrors& errors) {
    if (auto ds = open_vector(path)) {
        return ds;
    }
    const std::string ext = lower_extension(path);
    if (ext != "zip" && ext != "kmz") {
        return nullptr;
    }
    const std::string root = "/vsizip/" + path;
    if (auto ds = open_vector(root)) {  // a folder of shapefiles
        errors.clear();
        return ds;
    }
    char** entries = VSIReadDirRecursive(root.c_str());
    GDALDatasetUniquePtr found;
    for (int i = 0; entries != nullptr && entries[i] != nullptr && !found; ++i) {
        const std::string entry = entries[i];
        const std::string entry_ext = lower_extension(entry);
        if (entry.empty() || entry.back() == '/' || entry_ext == "dbf" || entry_ext == "shx" ||
            entry_ext == "prj" || entry_ext == "cpg") {
            continue;
        }
        found = open_vector(root + "/" + entry);
    }
    CSLDestroy(entries);
    if (found) {
        errors.clear();
    }
    return found;
}

/// The bytes of a file, through GDAL's virtual file system. Throws InputError.
std::string read_all(const std::string& path) {
    init_gdal();
    VSILFILE* f = VSIFOpenL(path.c_str(), "rb");
    if (f == nullptr) {
        throw InputError(path + ": cannot read the file; check its permissions");
    }
    std::string bytes;
    char buf[1 << 16];
    std::size_t n = 0;
    while ((n = VSIFReadL(buf, 1, sizeof buf, f)) > 0) {
        bytes.append(buf, n);
    }
    VSIFCloseL(f);
    return bytes;
}

/// A minimal scanner over JSON text, enough to find one member of the top-level object and the
/// exact bytes of its value (so numbers keep every digit the publisher wrote).
class JsonScanner {
public:
    explicit JsonScanner(const std::string& text) : m_text(text) {}

    /// [begin, end) of the value of top-level member `name`; nothing if the text is not an object
    /// or has no such member. Throws std::runtime_error on malformed JSON.
    std::optional<std::pair<std::size_t, std::size_t>> member(const std::string& name) {
        m_pos = m_text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;  // a UTF-8 byte order mark
        skip_ws();
        if (!consume('{')) {
            return std::nullopt;
        }
        skip_ws();
        if (consume('}')) {
            return std::nullopt;
        }
        while (true) {
            skip_ws();
            const std::string key = string();
            skip_ws();
            expect(':');
            skip_ws();
            const std::size_t begin = m_pos;
            value();
            if (key == name) {
                return std::make_pair(begin, m_pos);
            }
            skip_ws();
            if (consume('}')) {
                return std::nullopt;
            }
            expect(',');
        }
    }

private:
    void skip_ws() {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\n' ||
                                         m_text[m_pos] == '\r')) {
            ++m_pos;
        }
    }
    bool consume(char c) {
        if (m_pos < m_text.size() && m_text[m_pos] == c) {
            ++m_pos;
            return true;
        }
        return false;
    }
    void expect(char c) {
        if (!consume(c)) {
            throw std::runtime_error(std::string("expected '") + c + "' at byte " + std::to_string(m_pos));
        }
    }
    std::string string() {
        expect('"');
        std::string out;
        while (m_pos < m_text.size() && m_text[m_pos] != '"') {
            if (m_text[m_pos] == '\\') {
                ++m_pos;
            }
            if (m_pos < m_text.size()) {
                out += m_text[m_pos++];
            }
        }
        expect('"');
        return out;
    }
    void value() {
        if (m_pos >= m_text.size()) {
            throw std::runtime_error("unexpected end of the file");
        }
        const char c = m_text[m_pos];
        if (c == '"') {
            string();
            return;
        }
        if (c == '{' || c == '[') {
            int depth = 0;
            while (m_pos < m_text.size()) {
                const char d = m_text[m_pos];
                if (d == '"') {
                    string();
                    continue;
                }
                ++m_pos;
                if (d == '{' || d == '[') {
                    ++depth;
                } else if (d == '}' || d == ']') {
                    if (--depth == 0) {
                        return;
                    }
                }
            }
            throw std::runtime_error("unexpected end of the file");
        }
        while (m_pos < m_text.size() && m_text[m_pos] != ',' && m_text[m_pos] != '}' && m_text[m_pos] != ']' &&
               m_text[m_pos] != ' ' && m_text[m_pos] != '\n' && m_text[m_pos] != '\r' && m_text[m_pos] != '\t') {
            ++m_pos;
        }
    }

    const std::string& m_text;
    std::size_t m_pos = 0;
};

/// An in-memory file under /vsimem/, removed when the object dies (after the dataset reading it).
class MemFile {
public:
    MemFile(std::string path, std::string bytes) : m_path(std::move(path)), m_bytes(std::move(bytes)) {
        VSILFILE* f = VSIFileFromMemBuffer(m_path.c_str(), reinterpret_cast<GByte*>(m_bytes.data()),
                                           static_cast<vsi_l_offset>(m_bytes.size()), FALSE);
        if (f == nullptr) {
            throw RunError("cannot create the in-memory file " + m_path);
        }
        VSIFCloseL(f);
    }
    ~MemFile() { VSIUnlink(m_path.c_str()); }
    MemFile(const MemFile&) = delete;
    MemFile& operator=(const MemFile&) = delete;
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
    std::string m_bytes;
};

/// The file name without folders and without its extension.
std::string stem(const std::string& path) {
    const auto slash = path.find_last_of('/');
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    const auto dot = name.find_last_of('.');
    return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

/// For ReadOptions::unwrap_member: the member's FeatureCollection as an in-memory GeoJSON file
/// named after the source, or nothing when the file is a bare FeatureCollection already.
std::unique_ptr<MemFile> unwrap(const std::string& path, const std::string& member) {
    std::string text = read_all(path);
    JsonScanner scanner(text);
    std::optional<std::pair<std::size_t, std::size_t>> range;
    try {
        range = scanner.member(member);
        if (!range && scanner.member("type")) {
            return nullptr;  // a bare GeoJSON object: read as it is
        }
    } catch (const std::runtime_error& e) {
        throw InputError(path + ": not valid JSON (" + e.what() + "); the file should hold {\"" + member +
                         "\": {\"type\": \"FeatureCollection\", ...}}");
    }
    if (!range || text[range->first] != '{') {
        throw InputError(path + ": no '" + member + "' object at the top level of the JSON; the file should hold {\"" +
                         member + "\": {\"type\": \"FeatureCollection\", ...}} (or be a bare FeatureCollection)");
    }
    static std::atomic<int> serial{0};  // a fresh name per file; ingest reads files in parallel
    return std::make_unique<MemFile>("/vsimem/frontline_unwrap_" + std::to_string(++serial) + "/" + stem(path) + ".geojson",
                                     text.substr(range->first, range->second - range->first));
}

std::string where(const std::string& path, const std::string& layer, GIntBig fid) {
    return path + ", layer '" + layer + "', feature " + std::to_string(fid);
}

/// Appends every polygon in `g` (recursing into collections, linearising curves) to `out`.
void collect_polygons(const OGRGeometry* g, std::vector<std::unique_ptr<OGRPolygon>>& out) {
    if (g == nullptr || g->IsEmpty()) {
        return;
    }
    switch (wkbFlatten(g->getGeometryType())) {
        case wkbPolygon:
            out.emplace_back(g->clone()->toPolygon());
            break;
        case wkbMultiPolygon:
        case wkbMultiSurface:
        case wkbGeometryCollection:
            for (const OGRGeometry* sub : *g->toGeometryCollection()) {
                collect_polygons(sub, out);
            }
            break;
        case wkbCurvePolygon: {
            std::unique_ptr<OGRGeometry> linear(g->getLinearGeometry());
            collect_polygons(linear.get(), out);
            break;
        }
        case wkbPolyhedralSurface:
        case wkbTIN: {
            std::unique_ptr<OGRGeometry> mp(OGRGeometryFactory::forceToMultiPolygon(g->clone()));
            collect_polygons(mp.get(), out);
            break;
        }
        default:
            break;
    }
}

// The coordinate checks below read OGR polygons (sources GDAL reads) and plain GeoJSON polygons
// (read without loading GDAL) alike, through these accessors.
int point_count(const OGRLinearRing& r) { return r.getNumPoints(); }
double x_at(const OGRLinearRing& r, int i) { return r.getX(i); }
double y_at(const OGRLinearRing& r, int i) { return r.getY(i); }
int point_count(const PlainRing& r) { return static_cast<int>(r.x.size()); }
double x_at(const PlainRing& r, int i) { return r.x[static_cast<std::size_t>(i)]; }
double y_at(const PlainRing& r, int i) { return r.y[static_cast<std::size_t>(i)]; }

template <class F>
void for_each_ring(const OGRPolygon& poly, F&& f) {
    for (const OGRLinearRing* ring : poly) {
        f(*ring);
    }
}
template <class F>
void for_each_ring(const PlainPolygon& poly, F&& f) {
    for (const PlainRing& ring : poly) {
        f(ring);
    }
}

/// Throws InputError if a coordinate is not a finite number (GDAL reads NaN and Infinity).
template <class Polygon>
void check_finite(const Polygon& poly, const std::string& at) {
    for_each_ring(poly, [&](const auto& ring) {
        for (int i = 0; i < point_count(ring); ++i) {
            if (!std::isfinite(x_at(ring, i)) || !std::isfinite(y_at(ring, i))) {
                throw InputError(at + ": coordinate " + std::to_string(i) +
                                 " is not a finite number (NaN or Infinity); fix or remove this feature");
            }
        }
    });
}

/// Throws InputError if a coordinate is not a longitude/latitude.
template <class Polygon>
void check_lonlat(const Polygon& poly, const std::string& at, bool has_crs) {
    for_each_ring(poly, [&](const auto& ring) {
        for (int i = 0; i < point_count(ring); ++i) {
            double x = x_at(ring, i);
            double y = y_at(ring, i);
            if (x < -180.0 || x > 180.0 || y < -90.0 || y > 90.0) {
                char buf[96];
                std::snprintf(buf, sizeof buf, "(%.6f, %.6f)", x, y);
                const bool metres = std::fabs(x) > 1000.0 || std::fabs(y) > 1000.0;
                throw InputError(at + ": coordinate " + buf + " is not a longitude/latitude" +
                                 (has_crs ? " in WGS84" : "; the layer has no CRS, so it must be lon/lat") +
                                 (metres ? " (it looks like projected metres labelled as degrees)" : "") +
                                 "; check the source's CRS (a .prj file, or the 'crs' member)");
            }
        }
    });
}

/// Throws InputError if an edge spans more than 180 degrees of longitude: a polygon drawn across
/// the antimeridian, which read as straight lon/lat edges would wrap the other way round the Earth.
template <class Polygon>
void check_antimeridian(const Polygon& poly, const std::string& at) {
    for_each_ring(poly, [&](const auto& ring) {
        for (int i = 1; i < point_count(ring); ++i) {
            if (std::fabs(x_at(ring, i) - x_at(ring, i - 1)) > 180.0) {
                char buf[128];
                std::snprintf(buf, sizeof buf, "an edge from longitude %.6f to %.6f", x_at(ring, i - 1), x_at(ring, i));
                throw InputError(at + ": the polygon crosses the antimeridian (" + buf +
                                 "); split it at 180 degrees into a MultiPolygon (RFC 7946, 3.1.9)");
            }
        }
    });
}

/// Vertices in every ring of `poly`.
template <class Polygon>
std::size_t vertices_of(const Polygon& poly) {
    std::size_t vertices = 0;
    for_each_ring(poly, [&](const auto& ring) { vertices += static_cast<std::size_t>(point_count(ring)); });
    return vertices;
}

/// 2-D ISO WKB of a plain polygon, byte for byte what OGRPolygon::exportToWkb(wkbNDR) gives.
std::vector<unsigned char> plain_wkb(const PlainPolygon& poly) {
    std::vector<unsigned char> wkb;
    auto put_u32 = [&](std::uint32_t v) {
        unsigned char b[4];
        std::memcpy(b, &v, 4);  // little-endian hosts only, as wkbNDR
        wkb.insert(wkb.end(), b, b + 4);
    };
    std::size_t size = 9;
    for (const auto& r : poly) {
        size += 4 + 16 * r.x.size();
    }
    wkb.reserve(size);
    wkb.push_back(1);  // NDR
    put_u32(3);        // Polygon
    put_u32(static_cast<std::uint32_t>(poly.size()));
    for (const auto& r : poly) {
        put_u32(static_cast<std::uint32_t>(r.x.size()));
        for (std::size_t i = 0; i < r.x.size(); ++i) {
            unsigned char b[16];
            std::memcpy(b, &r.x[i], 8);
            std::memcpy(b + 8, &r.y[i], 8);
            wkb.insert(wkb.end(), b, b + 16);
        }
    }
    return wkb;
}

/// The checks of a source's bytes that GDAL does not make (source_checks.hpp), chosen by the file
/// name and by what its first bytes say it is.
/// With `builder`, a GeoJSON file's parse also feeds it.
void check_source_bytes(const std::string& path, const SourceLimits& limits, PlainGeoJsonBuilder* builder) {
    const std::string ext = lower_extension(path);
    const Sniffed sniffed = sniff_file(path);
    const char* seen = sniffed == Sniffed::json ? "JSON" : sniffed == Sniffed::xml ? "XML" : "something else";
    if ((ext == "zip" || ext == "kmz") && sniffed != Sniffed::zip) {
        throw InputError(path + ": named ." + ext + " but it is not a zip archive (its bytes look like " + seen +
                         "); rename it to what it is (.geojson, .kml, ...) or export it again");
    }
    if ((ext == "geojson" || ext == "json" || ext == "kml") && sniffed == Sniffed::zip) {
        throw InputError(path + ": named ." + ext +
                         " but it is a zip archive; rename it .zip (or .kmz for zipped KML)");
    }
    if (ext == "geojson" || ext == "json" || sniffed == Sniffed::json) {
        check_geojson_file(path, path, limits, builder);
    } else if (ext == "kml") {
        GdalErrors errors;
        check_kml_text(read_all(path), path);
    } else if (ext == "kmz" || ext == "zip") {
        init_gdal();
        GdalErrors errors;
        const std::string root = "/vsizip/" + path;
        char** entries = VSIReadDirRecursive(root.c_str());
        std::vector<std::string> kml;
        for (int i = 0; entries != nullptr && entries[i] != nullptr; ++i) {
            if (lower_extension(entries[i]) == "kml") {
                kml.emplace_back(entries[i]);
            }
        }
        CSLDestroy(entries);
        for (const auto& entry : kml) {
            check_kml_text(read_all(root + "/" + entry), path + " (" + entry + ")");
        }
    }
}

/// Appends the polygon `wkb` (checked already) to `out`, repaired when invalid.
void add_polygon_wkb(const geo::Context& ctx, SourceRead& out, const SourceFeature& record, const std::string& at,
                     const std::vector<unsigned char>& wkb) {
    geo::Geometry g = [&] {
        try {
            return geo::Geometry::from_wkb(ctx, wkb);
        } catch (const InputError& e) {
            throw InputError(at + ": " + e.what() + "; fix or remove this feature");
        }
    }();
    if (g.is_empty()) {
        return;
    }
    if (auto reason = geo::invalid_reason(g)) {
        geo::Geometry fixed = geo::make_valid_polygonal(g);
        // Measured on the store's grid, as the snapshot will be: the snapshot's measure at the end
        // of ingest then walks the same edges, and the edge memo (geodesic.cpp) solves each once.
        // On ISW's files, whose one big feature is repaired, 8 % of the ingest's CPU.
        const double kept_m2 = geo::geodesic_area_m2(geo::round_to_grid(fixed, geo::kDefaultGridSizeDeg));
        out.repairs.push_back(Repair{record.layer, record.fid, *reason, kept_m2});
        if (!fixed.is_empty()) {
            out.polygons.push_back(std::move(fixed));
        }
    } else {
        out.polygons.push_back(std::move(g));
    }
}

void check_vertex_limit(std::size_t vertices, const ReadOptions& options, const std::string& at) {
    if (vertices > options.limits.max_vertices) {
        throw InputError(at + ": " + std::to_string(vertices) + " vertices, more than the limit of " +
                         std::to_string(options.limits.max_vertices) +
                         " for one feature; simplify or split it, or raise --max-vertices");
    }
}

/// Adds the polygons of one feature (`record`, whose attributes are set) to `out`: checked,
/// transformed to WGS84 with `ct` when given, repaired when invalid.
void add_polygons(const geo::Context& ctx, SourceRead& out, const ReadOptions& options, const std::string& at,
                  SourceFeature record, std::vector<std::unique_ptr<OGRPolygon>>& polys,
                  OGRCoordinateTransformation* ct, bool has_crs, GdalErrors& errors) {
    record.first_polygon = out.polygons.size();
    std::size_t vertices = 0;
    for (const auto& poly : polys) {
        vertices += vertices_of(*poly);
    }
    check_vertex_limit(vertices, options, at);
    for (auto& poly : polys) {
        poly->flattenTo2D();
        check_finite(*poly, at);
        if (ct != nullptr) {
            if (poly->transform(ct) != OGRERR_NONE) {
                throw InputError(at + ": cannot transform the polygon to WGS84 (" +
                                 errors.last_error() + "); check the source's CRS");
            }
        }
        check_lonlat(*poly, at, has_crs);
        check_antimeridian(*poly, at);
        std::vector<unsigned char> wkb(poly->WkbSize());
        poly->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
        add_polygon_wkb(ctx, out, record, at, wkb);
    }
    record.polygon_count = out.polygons.size() - record.first_polygon;
    out.records.push_back(std::move(record));
}

/// The file read by PlainGeoJsonBuilder, through the same checks and repairs as GDAL's reading,
/// without GDAL: plain GeoJSON is WGS84 lon/lat (RFC 7946) and 2-D already.
SourceRead read_plain(const geo::Context& ctx, SourceRead out, PlainGeoJson plain, const ReadOptions& options) {
    out.reader = "plain GeoJSON";
    bool has_polygons = false;
    for (auto& feature : plain.features) {
        ++out.features;
        if (feature.polygons.empty()) {
            ++out.other_features;
            ++out.other_geometry_types["none"];
            continue;
        }
        ++out.polygonal_features;
        has_polygons = true;
        SourceFeature record;
        record.layer = plain.layer;
        record.fid = feature.fid;
        record.attributes = std::move(feature.attributes);
        record.first_polygon = out.polygons.size();
        const std::string at = where(out.path, plain.layer, feature.fid);
        std::size_t vertices = 0;
        for (const auto& poly : feature.polygons) {
            vertices += vertices_of(poly);
        }
        check_vertex_limit(vertices, options, at);
        for (const auto& poly : feature.polygons) {
            check_finite(poly, at);
            check_lonlat(poly, at, true);
            check_antimeridian(poly, at);
            add_polygon_wkb(ctx, out, record, at, plain_wkb(poly));
        }
        feature.polygons.clear();
        record.polygon_count = out.polygons.size() - record.first_polygon;
        out.records.push_back(std::move(record));
    }
    if (has_polygons) {
        out.layers.push_back(plain.layer);
    }
    return out;
}

/// Throws InputError if the source gave no polygon at all.
void require_polygons(const SourceRead& out) {
    if (out.polygonal_features == 0) {
        throw InputError(out.path + ": no polygonal geometry in " + std::to_string(out.features) +
                         " feature(s); frontline ingests control areas as polygons");
    }
}

}  // namespace

SourceRead read_source(const geo::Context& ctx, const std::string& path, const ReadOptions& options) {
    SourceRead out;
    out.path = path;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        throw InputError(path + ": no such file; check the path");
    }
    if (S_ISDIR(st.st_mode)) {
        throw InputError(path + ": is a folder; name the data files themselves");
    }
    PlainGeoJsonBuilder builder(stem(path));
    const bool try_plain = options.unwrap_member.empty() && !options.gdal_only;
    check_source_bytes(path, options.limits, try_plain ? &builder : nullptr);
    if (std::optional<PlainGeoJson> plain = try_plain ? builder.take() : std::nullopt) {
        out.sha256 = sha256_file(path);
        out = read_plain(ctx, std::move(out), std::move(*plain), options);
        require_polygons(out);
        return out;
    }
    // Everything else is read through GDAL, loaded from here on (gdal_env.hpp, load_gdal).
    init_gdal();
    GdalErrors errors;
    std::unique_ptr<MemFile> unwrapped;  // outlives `ds`, which reads it
    if (!options.unwrap_member.empty()) {
        unwrapped = unwrap(path, options.unwrap_member);
    }
    GDALDatasetUniquePtr ds = unwrapped ? open_vector(unwrapped->path()) : open_source(path, errors);
    if (!ds) {
        std::string why = errors.last_error();
        throw InputError(path + ": GDAL cannot open it as vector data" +
                         (why.empty() ? std::string() : " (" + why + ")") +
                         "; give a GeoJSON, KML/KMZ, Shapefile, GeoPackage or FlatGeobuf file");
    }
    out.sha256 = sha256_file(path);
    out.reader = std::string("GDAL ") + ds->GetDriverName();

    OGRSpatialReference wgs84;
    wgs84.SetWellKnownGeogCS("WGS84");
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);

    for (OGRLayer* layer : ds->GetLayers()) {
        const std::string layer_name = layer->GetName();
        const OGRSpatialReference* srs = layer->GetSpatialRef();
        std::unique_ptr<OGRCoordinateTransformation> ct;
        if (srs != nullptr && !srs->IsSame(&wgs84)) {
            ct.reset(OGRCreateCoordinateTransformation(srs, &wgs84));
            if (!ct) {
                throw InputError(path + ", layer '" + layer_name +
                                 "': cannot transform its CRS to WGS84 (" + errors.last_error() +
                                 "); reproject the file to EPSG:4326 first");
            }
        }
        bool layer_has_polygons = false;
        for (auto& feature : *layer) {
            ++out.features;
            const GIntBig fid = feature->GetFID();
            const std::string at = where(path, layer_name, fid);
            std::vector<std::unique_ptr<OGRPolygon>> polys;
            for (int f = 0; f < feature->GetGeomFieldCount(); ++f) {
                collect_polygons(feature->GetGeomFieldRef(f), polys);
            }
            if (polys.empty()) {
                ++out.other_features;
                const OGRGeometry* g = feature->GetGeometryRef();
                ++out.other_geometry_types[g == nullptr || g->IsEmpty() ? std::string("none")
                                                                        : std::string(OGRGeometryTypeToName(wkbFlatten(g->getGeometryType())))];
                continue;
            }
            ++out.polygonal_features;
            layer_has_polygons = true;
            SourceFeature record;
            record.layer = layer_name;
            record.fid = static_cast<std::int64_t>(fid);
            for (int i = 0; i < feature->GetFieldCount(); ++i) {
                if (feature->IsFieldSetAndNotNull(i)) {
                    record.attributes[feature->GetFieldDefnRef(i)->GetNameRef()] = feature->GetFieldAsString(i);
                }
            }
            add_polygons(ctx, out, options, at, std::move(record), polys, ct.get(), srs != nullptr, errors);
        }
        if (layer_has_polygons) {
            out.layers.push_back(layer_name);
        }
        if (ct && layer_has_polygons) {
            const char* auth = srs->GetAuthorityName(nullptr);
            const char* code = srs->GetAuthorityCode(nullptr);
            out.notes.push_back("layer '" + layer_name + "' is in " + srs->GetName() +
                                (auth != nullptr && code != nullptr ? std::string(" (") + auth + ":" + code + ")" : std::string()) +
                                "; transformed to WGS84 longitude/latitude");
        }
        if (srs == nullptr && layer_has_polygons) {
            out.notes.push_back("layer '" + layer_name + "' has no CRS; its coordinates are all within lon/lat range, so they were read as WGS84 longitude/latitude");
        }
    }
    require_polygons(out);
    return out;
}

}  // namespace frontline::ingest
