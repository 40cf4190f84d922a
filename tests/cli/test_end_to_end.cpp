// End-to-end: the real binary on sample_data/, comparing exit codes, stderr and outputs with
// golden files in tests/golden/. Set FRONTLINE_UPDATE_GOLDEN=1 to rewrite the goldens after an
// intended change (and review the diff).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <regex>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <thread>

#include "tests/test_support.hpp"

namespace frontline {
namespace {

using nlohmann::json;
using test::expect_golden;

const std::string kFrom = "deepstatemap_data_20250102.geojson";
const std::string kTo = "deepstatemap_data_20260101.geojson";

std::string sample(const std::string& name) { return test::sample_dir() + "/" + name; }

/// A store holding the two sample snapshots, made with the binary in `dir`.
void ingest_samples(const test::TempDir& dir) {
    auto r = test::run_frontline({"ingest", "--store", dir.file("s.gpkg"), sample(kFrom), sample(kTo)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(r.err, "");
}

/// Signed planar area of a ring in lon/lat: > 0 for counter-clockwise.
double signed_area(const json& ring) {
    double s = 0.0;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        s += ring[i][0].get<double>() * ring[i + 1][1].get<double>() - ring[i + 1][0].get<double>() * ring[i][1].get<double>();
    }
    return s / 2.0;
}

TEST(EndToEnd, VersionNamesTheLibrariesLoaded) {
    auto r = test::run_frontline({"--version"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(^frontline \d+\.\d+\.\d+ \(GDAL \d+\.\d+\.\d+, GEOS \d+\.\d+\.\d+.*, PROJ \d+\.\d+\.\d+\))")))
        << r.out;
    EXPECT_EQ(r.err, "");
}

TEST(EndToEnd, HelpOnEveryCommand) {
    for (const char* cmd : {"ingest", "list", "delta"}) {
        auto r = test::run_frontline({cmd, "--help"});
        EXPECT_EQ(r.exit_code, 0) << cmd;
        EXPECT_NE(r.out.find("Example:"), std::string::npos) << cmd;
    }
}

TEST(EndToEnd, IngestReportsWhatItDidAndReingestIsANoOp) {
    test::TempDir dir;
    auto first = test::run_frontline({"ingest", "--store", "s.gpkg", "--json", sample(kFrom)}, dir.path());
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_EQ(first.err, "");
    json doc = json::parse(first.out);
    ASSERT_EQ(doc["files"].size(), 1u);
    EXPECT_EQ(doc["files"][0]["status"], "added");
    EXPECT_EQ(doc["files"][0]["date"], "2025-01-02");
    EXPECT_EQ(doc["files"][0]["parts"], 7);
    EXPECT_NEAR(doc["files"][0]["area_km2"].get<double>(), 111885.55886983877, 0.001);  // pyproj/PostGIS
    auto again = test::run_frontline({"ingest", "--store", "s.gpkg", sample(kFrom)}, dir.path());
    EXPECT_EQ(again.exit_code, 0);
    EXPECT_EQ(again.out.rfind("unchanged", 0), 0u) << again.out;
}

TEST(EndToEnd, DeltaJsonSummaryMatchesGolden) {
    test::TempDir dir;
    ingest_samples(dir);
    auto r = test::run_frontline({"delta", "--store", dir.file("s.gpkg"), "--from", "2025-01-02", "--to",
                                  "2026-01-01", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    json doc = json::parse(r.out);  // exactly one JSON object
    for (const char* key : {"from", "to", "from_snapshot", "to_snapshot", "provider", "class", "area_from_km2",
                            "area_to_km2", "gained_km2", "lost_km2", "net_km2", "changed_hands_km2",
                            "slivers_dropped", "method"}) {
        EXPECT_TRUE(doc.contains(key)) << key;
    }
    EXPECT_NEAR(doc["net_km2"].get<double>(), doc["gained_km2"].get<double>() - doc["lost_km2"].get<double>(), 1e-3);
    EXPECT_NE(doc["method"].get<std::string>().find("WGS84"), std::string::npos);
    expect_golden(r.out, "delta_20250102_20260101.json");
}

TEST(EndToEnd, DeltaTableMatchesGolden) {
    test::TempDir dir;
    ingest_samples(dir);
    auto r = test::run_frontline({"delta", "--store", dir.file("s.gpkg"), "--from", "2025-01-02", "--to", "2026-01-01"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    expect_golden(r.out, "delta_20250102_20260101.txt");
}

TEST(EndToEnd, ListJsonMatchesGolden) {
    test::TempDir dir;
    ingest_samples(dir);
    auto r = test::run_frontline({"list", "--store", dir.file("s.gpkg"), "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    json doc = json::parse(r.out);
    ASSERT_EQ(doc.size(), 2u);
    EXPECT_EQ(doc[0]["date"], "2025-01-02");
    EXPECT_EQ(doc[1]["source"], kTo);
    expect_golden(r.out, "list.json");
}

TEST(EndToEnd, GeoJsonOutputIsRfc7946) {
    test::TempDir dir;
    ingest_samples(dir);
    const std::string out = dir.file("delta.geojson");
    auto r = test::run_frontline({"delta", "--store", dir.file("s.gpkg"), "--from", "2025-01-02", "--to",
                                  "2026-01-01", "-o", out, "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    const std::string text = test::read_bytes(out);
    json fc = json::parse(text);
    json summary = json::parse(r.out);
    EXPECT_EQ(fc["type"], "FeatureCollection");
    EXPECT_FALSE(fc.contains("crs"));
    ASSERT_TRUE(fc.contains("bbox"));
    EXPECT_EQ(fc["bbox"].size(), 4u);
    // At most 7 decimals anywhere in the file.
    EXPECT_FALSE(std::regex_search(text, std::regex(R"(\d\.\d{8,})"))) << "more than 7 decimals";
    ASSERT_EQ(fc["features"].size(), static_cast<std::size_t>(summary["gained_parts"].get<int>() + summary["lost_parts"].get<int>()));
    double previous = 1e300;
    double gained = 0.0;
    double lost = 0.0;
    int id = 0;
    for (const auto& f : fc["features"]) {
        EXPECT_EQ(f["id"], ++id);
        const auto& p = f["properties"];
        const double area = p["area_km2"].get<double>();
        EXPECT_LE(area, previous) << "features must be ordered by area, largest first";
        previous = area;
        const std::string change = p["change"];
        ASSERT_TRUE(change == "gained" || change == "lost");
        (change == "gained" ? gained : lost) += area;
        EXPECT_EQ(p["fill"], change == "gained" ? "#d7191c" : "#2c7bb6");
        EXPECT_EQ(p["stroke"], p["fill"]);
        EXPECT_EQ(p["fill-opacity"], 0.6);
        EXPECT_EQ(p["from"], "2025-01-02");
        EXPECT_EQ(p["to"], "2026-01-01");
        EXPECT_EQ(p["provider"], "default");
        EXPECT_EQ(p["class"], "occupied");
        EXPECT_TRUE(f.contains("bbox"));
        ASSERT_EQ(f["geometry"]["type"], "Polygon");
        const auto& rings = f["geometry"]["coordinates"];
        EXPECT_GT(signed_area(rings[0]), 0.0) << "exterior ring must be counter-clockwise";
        for (std::size_t i = 1; i < rings.size(); ++i) {
            EXPECT_LT(signed_area(rings[i]), 0.0) << "holes must be clockwise";
        }
    }
    EXPECT_NEAR(gained, summary["gained_km2"].get<double>(), 0.01);
    EXPECT_NEAR(lost, summary["lost_km2"].get<double>(), 0.01);
}

TEST(EndToEnd, OtherFormatsOnRequest) {
    test::TempDir dir;
    ingest_samples(dir);
    for (const auto& [format, name] : std::vector<std::pair<std::string, std::string>>{
             {"GPKG", "d.gpkg"}, {"FlatGeobuf", "d.fgb"}, {"CSV", "d.csv"}, {"GeoJSONSeq", "d.geojsonl"}}) {
        auto r = test::run_frontline({"delta", "--store", dir.file("s.gpkg"), "--from", "2025-01-02", "--to",
                                      "2026-01-01", "-o", dir.file(name), "-f", format});
        EXPECT_EQ(r.exit_code, 0) << format << ": " << r.err;
        EXPECT_TRUE(test::file_exists(dir.file(name))) << format;
    }
    const std::string csv = test::read_bytes(dir.file("d.csv"));
    EXPECT_EQ(csv.rfind("WKT,change,area_km2", 0), 0u) << csv.substr(0, 80);
}

// --- errors: one clear line on stderr, exit 2, nothing written ---

void expect_input_error(const test::RunResult& r, const std::vector<std::string>& mentions) {
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.out, "");
    ASSERT_FALSE(r.err.empty());
    EXPECT_EQ(r.err.find("frontline: error: "), 0u) << r.err;
    for (const auto& m : mentions) {
        EXPECT_NE(r.err.find(m), std::string::npos) << "stderr should mention '" << m << "': " << r.err;
    }
}

TEST(EndToEndErrors, MissingInputFile) {
    test::TempDir dir;
    auto r = test::run_frontline({"ingest", "--store", dir.file("s.gpkg"), dir.file("nope_20250101.geojson")});
    expect_input_error(r, {"nope_20250101.geojson", "no such file"});
    EXPECT_FALSE(test::file_exists(dir.file("s.gpkg")));
}

TEST(EndToEndErrors, NoDateInFileName) {
    test::TempDir dir;
    test::copy_file(sample(kFrom), dir.file("occupied.geojson"));
    auto r = test::run_frontline({"ingest", "--store", dir.file("s.gpkg"), dir.file("occupied.geojson")});
    expect_input_error(r, {"occupied.geojson", "--date"});
    EXPECT_FALSE(test::file_exists(dir.file("s.gpkg")));
}

TEST(EndToEndErrors, NotVectorData) {
    test::TempDir dir;
    test::write_text(dir.file("notes_20250101.txt"), "this is not a map\n");
    auto r = test::run_frontline({"ingest", "--store", dir.file("s.gpkg"), dir.file("notes_20250101.txt")});
    expect_input_error(r, {"notes_20250101.txt", "cannot open"});
}

TEST(EndToEndErrors, NoPolygons) {
    test::TempDir dir;
    test::write_text(dir.file("points_20250101.geojson"),
                     R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[30,48]}}]})");
    auto r = test::run_frontline({"ingest", "--store", dir.file("s.gpkg"), dir.file("points_20250101.geojson")});
    expect_input_error(r, {"points_20250101.geojson", "no polygonal geometry"});
}

TEST(EndToEndErrors, FailingFileLeavesStoreUntouched) {
    test::TempDir dir;
    ingest_samples(dir);
    const std::string before = test::read_bytes(dir.file("s.gpkg"));
    auto r = test::run_frontline({"ingest", "--store", dir.file("s.gpkg"), sample("deepstatemap_data_20250801.geojson"),
                                  dir.file("missing_20250901.geojson")});
    expect_input_error(r, {"missing_20250901.geojson"});
    EXPECT_EQ(test::read_bytes(dir.file("s.gpkg")), before) << "the store changed";
}

TEST(EndToEndErrors, NoSnapshotBeforeDate) {
    test::TempDir dir;
    ingest_samples(dir);
    auto r = test::run_frontline({"delta", "--store", dir.file("s.gpkg"), "--from", "2020-01-01", "--to", "2026-01-01"});
    expect_input_error(r, {"--from 2020-01-01", "no snapshot", "2025-01-02 to 2026-01-01"});
}

TEST(EndToEndErrors, UnknownProviderSaysWhatTheStoreHolds) {
    test::TempDir dir;
    ingest_samples(dir);
    auto r = test::run_frontline({"delta", "--store", dir.file("s.gpkg"), "--from", "2025-01-02", "--to",
                                  "2026-01-01", "--provider", "isw"});
    expect_input_error(r, {"no snapshot of provider 'isw'"});
}

TEST(EndToEndErrors, BadDatesAndOptions) {
    test::TempDir dir;
    ingest_samples(dir);
    const std::string store = dir.file("s.gpkg");
    expect_input_error(test::run_frontline({"delta", "--store", store, "--from", "2025-02-30", "--to", "2026-01-01"}),
                       {"--from", "2025-02-30", "YYYY-MM-DD"});
    expect_input_error(test::run_frontline({"delta", "--store", store, "--from", "2026-01-01", "--to", "2025-01-01"}),
                       {"after --to"});
    expect_input_error(test::run_frontline({"delta", "--store", store, "--from", "2025-01-02"}), {"--to"});
    expect_input_error(test::run_frontline({"delta", "--store", store, "--from", "2025-01-02", "--to", "2026-01-01",
                                            "--min-area-km2", "-1"}),
                       {"--min-area-km2"});
    expect_input_error(test::run_frontline({"delta", "--store", store, "--from", "2025-01-02", "--to", "2026-01-01",
                                            "--same-vertex-deg", "nan"}),
                       {"--same-vertex-deg", "1e-5"});
    expect_input_error(test::run_frontline({"delta", "--store", store, "--from", "2025-01-02", "--to", "2026-01-01",
                                            "-o", dir.file("x.out"), "-f", "NoSuchDriver"}),
                       {"NoSuchDriver"});
    expect_input_error(test::run_frontline({"delta", "--store", store, "--from", "2025-01-02", "--to", "2026-01-01", "--bogus"}),
                       {"--bogus"});
    expect_input_error(test::run_frontline({}), {});
}

TEST(EndToEndErrors, StoreThatIsNotAGeoPackage) {
    test::TempDir dir;
    test::write_text(dir.file("s.gpkg"), "not a database");
    expect_input_error(test::run_frontline({"list", "--store", dir.file("s.gpkg")}), {"s.gpkg", "not a GeoPackage"});
    expect_input_error(test::run_frontline({"list", "--store", dir.file("none.gpkg")}), {"none.gpkg", "no such file"});
}

TEST(EndToEndErrors, OutputFolderMissing) {
    test::TempDir dir;
    ingest_samples(dir);
    auto r = test::run_frontline({"delta", "--store", dir.file("s.gpkg"), "--from", "2025-01-02", "--to", "2026-01-01",
                                  "-o", dir.file("no/such/folder/d.geojson")});
    expect_input_error(r, {"d.geojson"});
}


bool is_char_device(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISCHR(st.st_mode);
}

// Outputs are renamed into place only when the target is a regular file (or absent): renaming
// onto /dev/null replaced the device with a file for a user running as root.
TEST(EndToEnd, OutputsToDevNullAndToAPipeLeaveThemDevices) {
    ASSERT_TRUE(is_char_device("/dev/null"));
    test::TempDir dir;
    ingest_samples(dir);
    const std::vector<std::vector<std::string>> runs = {
        {"delta", "--store", dir.file("s.gpkg"), "--from", "2025-01-02", "--to", "2026-01-01", "-o", "/dev/null"},
        {"series", "--store", dir.file("s.gpkg"), "--from", "2025-01-02", "--to", "2026-01-01", "--quiet", "-o",
         "/dev/null"},
        {"ingest", "--store", dir.file("s.gpkg"), sample(kFrom), "--report", "/dev/null"},
    };
    for (const auto& args : runs) {
        auto r = test::run_frontline(args);
        EXPECT_EQ(r.exit_code, 0) << args[0] << ": " << r.err;
        ASSERT_TRUE(is_char_device("/dev/null")) << args[0] << " replaced /dev/null";
    }

    // A named pipe gets the whole GeoJSON, read as it is written, and stays a pipe.
    const std::string fifo = dir.file("parts.geojson");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    std::string received;
    std::thread reader([&] {
        std::ifstream in(fifo, std::ios::binary);
        received.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    });
    auto r = test::run_frontline({"delta", "--store", dir.file("s.gpkg"), "--from", "2025-01-02", "--to", "2026-01-01",
                                  "-o", fifo});
    if (const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK); fd >= 0) {
        ::close(fd);  // a reader still waiting means frontline never opened the pipe: release it
    }
    reader.join();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    struct stat st {};
    ASSERT_EQ(::stat(fifo.c_str(), &st), 0);
    EXPECT_TRUE(S_ISFIFO(st.st_mode));
    const json doc = json::parse(received);
    EXPECT_EQ(doc["type"], "FeatureCollection");
    EXPECT_GT(doc["features"].size(), 0U);
}

}  // namespace
}  // namespace frontline
