// The plain GeoJSON reader (ingest/plain_geojson.hpp) against GDAL's GeoJSON driver: on every
// GeoJSON file of the real data and on hand-made edge cases, read_source gives the same result
// (layers, FIDs, attributes, polygons byte for byte, repairs, notes, errors) whichever reads it,
// and files outside the plain profile go to GDAL.
#include <gtest/gtest.h>

#include <filesystem>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "geo/error.hpp"
#include "geo/geometry.hpp"
#include "ingest/plain_geojson.hpp"
#include "ingest/reader.hpp"
#include "ingest/source_checks.hpp"
#include "tests/test_support.hpp"

namespace frontline::ingest {
namespace {

using test::TempDir;

/// What read_source gave: the result, or the InputError's message.
struct Outcome {
    std::optional<SourceRead> read;
    std::string error;
};

Outcome read_with(const geo::Context& ctx, const std::string& path, bool gdal_only) {
    ReadOptions options;
    options.gdal_only = gdal_only;
    Outcome o;
    try {
        o.read = read_source(ctx, path, options);
    } catch (const InputError& e) {
        o.error = e.what();
    }
    return o;
}

/// Every observable part of two reads of `path` is the same.
void expect_same(const SourceRead& gdal, const SourceRead& plain, const std::string& path) {
    SCOPED_TRACE(path);
    EXPECT_EQ(gdal.sha256, plain.sha256);
    EXPECT_EQ(gdal.layers, plain.layers);
    EXPECT_EQ(gdal.features, plain.features);
    EXPECT_EQ(gdal.polygonal_features, plain.polygonal_features);
    EXPECT_EQ(gdal.other_features, plain.other_features);
    EXPECT_EQ(gdal.other_geometry_types, plain.other_geometry_types);
    EXPECT_EQ(gdal.notes, plain.notes);
    ASSERT_EQ(gdal.records.size(), plain.records.size());
    for (std::size_t i = 0; i < gdal.records.size(); ++i) {
        const SourceFeature& a = gdal.records[i];
        const SourceFeature& b = plain.records[i];
        EXPECT_EQ(a.layer, b.layer) << "record " << i;
        EXPECT_EQ(a.fid, b.fid) << "record " << i;
        EXPECT_EQ(a.attributes, b.attributes) << "record " << i;
        EXPECT_EQ(a.first_polygon, b.first_polygon) << "record " << i;
        EXPECT_EQ(a.polygon_count, b.polygon_count) << "record " << i;
    }
    ASSERT_EQ(gdal.repairs.size(), plain.repairs.size());
    for (std::size_t i = 0; i < gdal.repairs.size(); ++i) {
        EXPECT_EQ(gdal.repairs[i].layer, plain.repairs[i].layer);
        EXPECT_EQ(gdal.repairs[i].feature, plain.repairs[i].feature);
        EXPECT_EQ(gdal.repairs[i].reason, plain.repairs[i].reason);
        EXPECT_EQ(gdal.repairs[i].area_after_m2, plain.repairs[i].area_after_m2);
    }
    ASSERT_EQ(gdal.polygons.size(), plain.polygons.size());
    for (std::size_t i = 0; i < gdal.polygons.size(); ++i) {
        EXPECT_TRUE(gdal.polygons[i].to_wkb() == plain.polygons[i].to_wkb()) << "polygon " << i << " differs";
    }
}

/// Reads `path` both ways; returns the reader the default way chose ("" when both failed alike).
std::string compare_readers(const geo::Context& ctx, const std::string& path) {
    const Outcome gdal = read_with(ctx, path, true);
    const Outcome chosen = read_with(ctx, path, false);
    EXPECT_EQ(gdal.error, chosen.error) << path;
    if (gdal.read && chosen.read) {
        EXPECT_NE(gdal.read->reader.rfind("GDAL ", 0), std::string::npos) << path;
        expect_same(*gdal.read, *chosen.read, path);
        return chosen.read->reader;
    }
    EXPECT_EQ(gdal.read.has_value(), chosen.read.has_value()) << path;
    return "";
}

TEST(PlainGeoJson, ReadsEveryRealGeoJsonFileAsGdalDoes) {
    namespace fs = std::filesystem;
    const fs::path root = test::data_dir();
    if (!fs::is_directory(root / "deepstatemap_occupied")) {
        GTEST_SKIP() << "real data not found: " << root.string() << " (set FRONTLINE_DATA_DIR to the shared data folder)";
    }
    std::vector<std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
        const std::string ext = e.path().extension().string();
        if (e.is_regular_file() && (ext == ".geojson" || ext == ".json")) {
            files.push_back(e.path().string());
        }
    }
    for (const auto& e : fs::directory_iterator(test::sample_dir())) {
        if (e.path().extension() == ".geojson") {
            files.push_back(e.path().string());
        }
    }
    std::sort(files.begin(), files.end());
    ASSERT_GT(files.size(), 100U);
    geo::Context ctx;
    int plain = 0;
    int dsm_plain = 0;
    int isw_plain = 0;
    for (const auto& f : files) {
        const std::string reader = compare_readers(ctx, f);
        if (reader == "plain GeoJSON") {
            ++plain;
            dsm_plain += f.find("deepstatemap_occupied") != std::string::npos ? 1 : 0;
            isw_plain += f.find("RussianAssessedCoTinUkraine") != std::string::npos ? 1 : 0;
        }
    }
    // The profile must keep covering the files it was made for, or the speed-up silently goes.
    EXPECT_EQ(dsm_plain, 79);
    EXPECT_GE(isw_plain, 7);
    std::cout << "[          ] " << plain << " of " << files.size() << " real GeoJSON files read by the plain reader\n";
}

struct EdgeCase {
    const char* name;
    const char* json;
    bool plain;  ///< whether the plain reader should take it
};

constexpr const char* kSquare = R"([[[30,48],[31,48],[31,49],[30,49],[30,48]]])";

std::string feature(const std::string& props, const std::string& geometry, const std::string& extra = "") {
    return R"({"type":"Feature",)" + extra + R"("properties":)" + props + R"(,"geometry":)" + geometry + "}";
}
std::string polygon(const std::string& coords = kSquare) { return R"({"type":"Polygon","coordinates":)" + coords + "}"; }
std::string collection(const std::string& features, const std::string& extra = "") {
    return R"({"type":"FeatureCollection",)" + extra + R"("features":[)" + features + "]}";
}

TEST(PlainGeoJson, EdgeCasesReadAsGdalDoesOrGoToGdal) {
    const std::string sq = polygon();
    const std::string bowtie = polygon(R"([[[30,48],[31,49],[31,48],[30,49],[30,48]]])");
    const std::string holed = polygon(R"([[[30,48],[31,48],[31,49],[30,49],[30,48]],[[30.2,48.2],[30.2,48.4],[30.4,48.4],[30.4,48.2],[30.2,48.2]]])");
    const std::string multi =
        R"({"type":"MultiPolygon","coordinates":[[[[30,48],[31,48],[31,49],[30,49],[30,48]]],[[[32,48],[33,48],[33,49],[32,49],[32,48]]]]})";
    const std::vector<std::pair<std::string, std::pair<std::string, bool>>> cases = {
        {"bare", {collection(feature("{}", sq)), true}},
        {"named_layer", {collection(feature("{}", sq), R"("name":"another_name",)"), true}},
        {"empty_layer_name", {collection(feature("{}", sq), R"("name":"",)"), false}},
        {"crs84", {collection(feature("{}", sq), R"("crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},)"), true}},
        {"string_and_int_props", {collection(feature(R"({"name":"occupied","n":3,"big":12345678901,"none":null})", sq) + "," +
                                             feature(R"({"name":"","n":-4})", multi)), true}},
        {"int_ids", {collection(feature("{}", sq, R"("id":7,)") + "," + feature("{}", multi, R"("id":3,)")), true}},
        {"three_d", {collection(feature("{}", polygon(R"([[[30,48,1],[31,48,2],[31,49,3],[30,49,4],[30,48,1]]])"))), false}},
        {"null_geometry_and_properties", {collection(feature("null", "null") + "," + feature("{}", holed)), true}},
        {"bowtie_repaired", {collection(feature("{}", bowtie)), true}},
        {"not_lonlat", {collection(feature("{}", polygon(R"([[[300,48],[310,48],[310,49],[300,49],[300,48]]])"))), true}},
        {"antimeridian", {collection(feature("{}", polygon(R"([[[179,48],[-179,48],[-179,49],[179,49],[179,48]]])"))), true}},
        {"no_features", {collection(""), true}},
        {"utf8_and_escapes", {collection(feature(R"({"name":"Запоріжжя \"окупована\" \u00e9"})", sq)), true}},
        {"string_id", {collection(feature("{}", sq, R"("id":"a",)")), false}},
        {"repeated_id", {collection(feature("{}", sq, R"("id":1,)") + "," + feature("{}", sq, R"("id":1,)")), false}},
        {"some_ids", {collection(feature("{}", sq, R"("id":1,)") + "," + feature("{}", sq)), false}},
        {"date_property", {collection(feature(R"({"date":"2024-01-31"})", sq)), false}},
        {"time_property", {collection(feature(R"({"at":"12:30:00"})", sq)), false}},
        {"float_property", {collection(feature(R"({"km2":1.5})", sq)), false}},
        {"bool_property", {collection(feature(R"({"ok":true})", sq)), false}},
        {"object_property", {collection(feature(R"({"o":{"a":1}})", sq)), false}},
        {"mixed_property", {collection(feature(R"({"v":"a"})", sq) + "," + feature(R"({"v":2})", sq)), false}},
        {"case_folded_names", {collection(feature(R"({"Name":"a"})", sq) + "," + feature(R"({"name":"b"})", sq)), false}},
        {"id_property", {collection(feature(R"({"id":"x"})", sq)), false}},
        {"epsg4326", {collection(feature("{}", sq), R"("crs":{"type":"name","properties":{"name":"EPSG:4326"}},)"), false}},
        {"bbox", {collection(feature("{}", sq), R"("bbox":[30,48,31,49],)"), false}},
        {"point", {collection(feature("{}", R"({"type":"Point","coordinates":[30,48]})") + "," + feature("{}", sq)), false}},
        {"geometry_collection", {collection(feature("{}", R"({"type":"GeometryCollection","geometries":[)" + sq + "]}")), false}},
        {"unclosed_ring", {collection(feature("{}", polygon(R"([[[30,48],[31,48],[31,49],[30,49]]])"))), false}},
        {"four_d", {collection(feature("{}", polygon(R"([[[30,48,1,2],[31,48,1,2],[31,49,1,2],[30,49,1,2],[30,48,1,2]]])"))), false}},
        {"foreign_member", {collection(feature("{}", sq, R"("title":"x",)")), false}},
        {"bare_feature", {feature("{}", sq), false}},
    };
    TempDir dir;
    geo::Context ctx;
    for (const auto& [name, c] : cases) {
        const std::string path = dir.file(name + ".geojson");
        std::ofstream(path) << c.first;
        const std::string reader = compare_readers(ctx, path);
        if (reader.empty()) {
            continue;  // both failed, with the same message
        }
        EXPECT_EQ(reader == "plain GeoJSON", c.second) << name << " was read by " << reader;
    }
}

/// Parses `path` as check_geojson_file() does, RapidJSON first or nlohmann only: the error, or
/// what the builder made of it, written out in full.
std::string parse_outcome(const std::string& path, bool nlohmann_only) {
    PlainGeoJsonBuilder builder("stem");
    try {
        check_geojson_file(path, path, SourceLimits{}, &builder, nlohmann_only);
    } catch (const InputError& e) {
        return std::string("error: ") + e.what();
    }
    auto plain = builder.take();
    if (!plain) {
        return "not plain: " + builder.gave_up();
    }
    std::ostringstream out;
    out.precision(17);
    out << plain->layer << "\n";
    for (const auto& f : plain->features) {
        out << "feature " << f.fid << "\n";
        for (const auto& [k, v] : f.attributes) {
            out << k << "=" << v << "\n";
        }
        for (const auto& poly : f.polygons) {
            for (const auto& ring : poly) {
                for (std::size_t i = 0; i < ring.x.size(); ++i) {
                    out << std::signbit(ring.x[i]) << ring.x[i] << "," << std::signbit(ring.y[i]) << ring.y[i] << " ";
                }
                out << "\n";
            }
        }
    }
    return out.str();
}

TEST(PlainGeoJson, RapidJsonAndNlohmannGiveTheSameEventsAndErrors) {
    // check_geojson_file() parses with RapidJSON and falls back to nlohmann for a file RapidJSON
    // stops on. Where the two parsers differ (numbers at the edges of double and of 64-bit
    // integers, -0, lone surrogates, a NUL byte, a byte order mark) the outcome must be nlohmann's.
    const std::string sq = polygon();
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"plain", collection(feature(R"({"name":"a"})", sq))},
        {"minus_zero", collection(feature("{}", polygon("[[[-0,48],[31,-0.0],[31,49],[30,49],[-0,48]]]")))},
        {"exponents", collection(feature("{}", polygon("[[[3e1,48],[31,4.8E1],[31,49],[30,49],[3e1,48]]]")))},
        {"underflow", collection(feature("{}", polygon("[[[30,48],[31,48],[31,49],[30,1e-400],[30,48]]]")))},
        {"overflow", collection(feature("{}", polygon("[[[30,48],[31,48],[31,49],[30,1e400],[30,48]]]")))},
        {"big_integer", collection(feature(R"({"n":18446744073709551616})", sq))},
        {"big_negative", collection(feature(R"({"n":-9223372036854775809})", sq))},
        {"max_integers", collection(feature(R"({"n":18446744073709551615,"m":-9223372036854775808})", sq))},
        {"integer_coordinates", collection(feature("{}", polygon("[[[30,48],[31,48],[31,49],[30,49],[30,48]]]")))},
        {"lone_low_surrogate", collection(feature(R"({"name":"a\udc00"})", sq))},
        {"lone_high_surrogate", collection(feature(R"({"name":"a\ud800"})", sq))},
        {"surrogate_pair", collection(feature(R"({"name":"a\ud83d\ude00"})", sq))},
        {"nul_after", collection(feature("{}", sq)) + std::string(1, '\0') + "x"},
        {"bom", "\xEF\xBB\xBF" + collection(feature("{}", sq))},
        {"bad_utf8", collection(feature("{\"name\":\"a\xC3\x28\"}", sq))},
        {"control_char", collection(feature("{\"name\":\"a\tb\"}", sq))},
        {"leading_zero", collection(feature(R"({"n":01})", sq))},
        {"trailing_comma", collection(feature("{}", sq) + ",")},
        {"trailing_garbage", collection(feature("{}", sq)) + " x"},
        {"duplicate_key", collection(feature(R"({"a":"1","a":"2"})", sq))},
        {"deep", std::string(200, '[') + std::string(200, ']')},
        {"truncated", collection(feature("{}", sq)).substr(0, 60)},
    };
    TempDir dir;
    for (const auto& [name, text] : cases) {
        const std::string path = dir.file(name + ".geojson");
        std::ofstream(path, std::ios::binary) << text;
        EXPECT_EQ(parse_outcome(path, false), parse_outcome(path, true)) << name;
    }
    // And every GeoJSON file of the real data.
    namespace fs = std::filesystem;
    const fs::path root = test::data_dir();
    if (!fs::is_directory(root / "deepstatemap_occupied")) {
        GTEST_SKIP() << "real data not found: " << root.string() << " (set FRONTLINE_DATA_DIR to the shared data folder)";
    }
    int files = 0;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
        const std::string ext = e.path().extension().string();
        if (e.is_regular_file() && (ext == ".geojson" || ext == ".json")) {
            EXPECT_EQ(parse_outcome(e.path().string(), false), parse_outcome(e.path().string(), true)) << e.path();
            ++files;
        }
    }
    EXPECT_GT(files, 100);
}

}  // namespace
}  // namespace frontline::ingest
