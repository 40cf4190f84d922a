// Provider presets, clipping, the --report and `compare`: end to end with goldens on fixtures
// and sample_data, and the issue's acceptance on the real data in ../shared/data (skipped with a
// message when it is absent). DeepStateMap exports and NZZ files state no licence: they are only
// ever read from ../shared/data, never copied into the repository.
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <dirent.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "cli/command_compare.hpp"
#include "cli/command_delta.hpp"
#include "cli/command_ingest.hpp"
#include "geo/geodesic.hpp"
#include "geo/delta.hpp"
#include "geo/polygon_ops.hpp"
#include "ingest/ingest_job.hpp"
#include "ingest/reader.hpp"
#include "ingest/store.hpp"
#include "tests/test_support.hpp"

namespace frontline {
namespace {

using nlohmann::json;

const std::string kBoundary = "boundaries/geoboundaries_ukr_adm1/geoBoundaries-UKR-ADM1.geojson";
const std::string kExports = "deepstatemap_raw/geojsons/";

std::string fixture(const std::string& name) { return test::source_dir() + "/tests/data/ingest/" + name; }
std::string sample(const std::string& name) { return test::sample_dir() + "/" + name; }

void expect_input_error(const test::RunResult& r, const std::vector<std::string>& mentions) {
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.find("frontline: error: "), 0u) << r.err;
    for (const auto& m : mentions) {
        EXPECT_NE(r.err.find(m), std::string::npos) << "stderr should mention '" << m << "': " << r.err;
    }
}

// --- End to end on fixtures --------------------------------------------------------------------

/// The made-up export and boundary copied into `dir`, so paths in the outputs are relative.
void copy_fixtures(const test::TempDir& dir) {
    test::copy_file(fixture("deepstate_like_1700000000.geojson"), dir.file("deepstate_like_1700000000.geojson"));
    test::copy_file(fixture("boundary_two_units.geojson"), dir.file("boundary_two_units.geojson"));
}

TEST(PresetsEndToEnd, SummaryAndReportMatchGoldens) {
    test::TempDir dir;
    copy_fixtures(dir);
    auto r = test::run_frontline({"ingest", "--store", "s.gpkg", "--preset", "deepstate", "--clip",
                                  "boundary_two_units.geojson", "--report", "report.json",
                                  "deepstate_like_1700000000.geojson"},
                                 dir.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    test::expect_golden(r.out, "presets_deepstate_like.txt");
    const std::string text = test::read_bytes(dir.file("report.json"));
    test::expect_golden(text, "presets_deepstate_like_report.json");

    json doc = json::parse(text);
    EXPECT_EQ(doc["clip"]["file"], "boundary_two_units.geojson");
    EXPECT_EQ(doc["precedence"], json({"occupied", "contested", "liberated"}));
    ASSERT_EQ(doc["files"].size(), 1u);
    const json& f = doc["files"][0];
    for (const char* key : {"file", "date", "provider", "rules", "sha256", "features", "classes", "rules_used", "ignored",
                            "repairs", "overlaps", "implausible", "notes"}) {
        EXPECT_TRUE(f.contains(key)) << key;
    }
    EXPECT_EQ(f["date"], "2023-11-14");
    EXPECT_EQ(f["features"], json({{"read", 16}, {"polygonal", 15}, {"used", 13}, {"ignored", 3}}));
    std::map<std::string, json> classes;
    for (const auto& c : f["classes"]) {
        classes[c["class"]] = c;
    }
    ASSERT_EQ(classes.size(), 5u);
    EXPECT_EQ(classes["occupied_crimea"]["parent"], "occupied");
    EXPECT_TRUE(classes["occupied"]["parent"].is_null());
    EXPECT_EQ(classes["contested"]["clipped"]["parts_outside"], 1);
    EXPECT_GT(classes["contested"]["clipped"]["km2"].get<double>(), 35000.0);
    EXPECT_GT(classes["contested"]["overlap_km2"].get<double>(), 2000.0);
    EXPECT_EQ(classes["occupied"]["slivers"]["parts"], 1);
    EXPECT_EQ(classes["occupied"]["slivers"]["holes"], 1);
    EXPECT_EQ(classes["liberated"]["repairs"], 2);
    EXPECT_EQ(classes["liberated"]["snapshot"], "added");
    ASSERT_EQ(f["repairs"].size(), 2u);
    EXPECT_EQ(f["repairs"][0]["class"], "liberated");
    EXPECT_NE(f["repairs"][0]["reason"].get<std::string>().find("Self-intersection"), std::string::npos);
    ASSERT_EQ(f["overlaps"].size(), 1u);
    EXPECT_EQ(f["overlaps"][0]["kept_by"], "occupied");
    bool unmatched = false;
    for (const auto& g : f["ignored"]) {
        unmatched = unmatched || g["unmatched"].get<bool>();
    }
    EXPECT_TRUE(unmatched);

    // --json carries the same per-file entries as "sources".
    auto again = test::run_frontline({"ingest", "--store", "s.gpkg", "--preset", "deepstate", "--clip",
                                      "boundary_two_units.geojson", "--json", "deepstate_like_1700000000.geojson"},
                                     dir.path());
    ASSERT_EQ(again.exit_code, 0) << again.err;
    json summary = json::parse(again.out);
    ASSERT_EQ(summary["files"].size(), 5u);
    EXPECT_EQ(summary["files"][0]["status"], "unchanged");
    json sources = summary["sources"];
    json files = doc["files"];
    for (auto* d : {&sources, &files}) {
        for (auto& c : (*d)[0]["classes"]) {
            c.erase("snapshot");  // "added" the first time, "unchanged" now
        }
    }
    EXPECT_EQ(sources, files);
}

TEST(PresetsEndToEnd, WithoutPresetTheJsonSummaryKeepsItsShape) {
    test::TempDir dir;
    auto r = test::run_frontline({"ingest", "--store", "s.gpkg", "--json", sample("deepstatemap_data_20250102.geojson")},
                                 dir.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    nlohmann::ordered_json doc = nlohmann::ordered_json::parse(r.out);
    std::vector<std::string> keys;
    for (const auto& [k, v] : doc.items()) {
        keys.push_back(k);
    }
    EXPECT_EQ(keys, (std::vector<std::string>{"store", "files", "method"}));
}

TEST(PresetsEndToEnd, UsageErrors) {
    test::TempDir dir;
    copy_fixtures(dir);
    expect_input_error(test::run_frontline({"ingest", "--store", "s.gpkg", "--preset", "deepstate", "--class", "occupied",
                                            "deepstate_like_1700000000.geojson"},
                                           dir.path()),
                       {"--class", "--preset"});
    expect_input_error(test::run_frontline({"ingest", "--store", "s.gpkg", "--preset", "liveuamap",
                                            "deepstate_like_1700000000.geojson"},
                                           dir.path()),
                       {"--preset liveuamap", "deepstate, cyterat, isw, nzz"});
    expect_input_error(test::run_frontline({"ingest", "--store", "s.gpkg", "--preset", "deepstate", "--report",
                                            "no/such/folder/r.json", "deepstate_like_1700000000.geojson"},
                                           dir.path()),
                       {"--report", "no/such/folder"});
    expect_input_error(test::run_frontline({"ingest", "--store", "s.gpkg", "--preset", "deepstate", "--clip", "missing.geojson",
                                            "deepstate_like_1700000000.geojson"},
                                           dir.path()),
                       {"--clip", "missing.geojson"});
    EXPECT_FALSE(test::file_exists(dir.file("s.gpkg"))) << "nothing was stored";
    auto help = test::run_frontline({"compare", "--help"});
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("Example:"), std::string::npos);
}

// --- compare ---------------------------------------------------------------------------------------

/// Two "providers" from sample_data: the archive of 2025-08-01 as `a`, of 2026-01-01 as `b`,
/// both stored under 2025-08-01.
std::string compare_store(const test::TempDir& dir) {
    const std::string store = dir.file("c.gpkg");
    for (const auto& [provider, file] : std::vector<std::pair<std::string, std::string>>{
             {"a", "deepstatemap_data_20250801.geojson"}, {"b", "deepstatemap_data_20260101.geojson"}}) {
        auto r = test::run_frontline({"ingest", "--store", store, "--provider", provider, "--date", "2025-08-01", sample(file)});
        EXPECT_EQ(r.exit_code, 0) << r.err;
    }
    return store;
}

TEST(CompareEndToEnd, SummaryAndPartsMatchGoldens) {
    test::TempDir dir;
    compare_store(dir);
    auto r = test::run_frontline({"compare", "--store", "c.gpkg", "--date", "2025-08-03", "--provider", "a", "--provider",
                                  "b", "--json", "-o", "cmp.geojson"},
                                 dir.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    test::expect_golden(r.out, "compare_sample_20250801.json");
    json s = json::parse(r.out);
    EXPECT_EQ(s["snapshot_a"], "2025-08-01");
    // A = agree + only A, B = agree + only B, up to the dropped slivers and 1e-5 of the area: the
    // overlay puts new vertices on straight lon/lat segments, which the geodesic measure then
    // joins by geodesics (0.26 km² here over thousands of km of shared edges).
    const double slivers = s["slivers_dropped"]["area_km2"].get<double>();
    const double a = s["area_a_km2"].get<double>();
    const double b = s["area_b_km2"].get<double>();
    EXPECT_NEAR(s["agree_km2"].get<double>() + s["only_a_km2"].get<double>(), a, a * 1e-5 + slivers);
    EXPECT_NEAR(s["agree_km2"].get<double>() + s["only_b_km2"].get<double>(), b, b * 1e-5 + slivers);
    EXPECT_NEAR(s["difference_km2"].get<double>(), s["area_b_km2"].get<double>() - s["area_a_km2"].get<double>(), 1e-3);

    const std::string text = test::read_bytes(dir.file("cmp.geojson"));
    json fc = json::parse(text);
    EXPECT_FALSE(fc.contains("crs"));
    EXPECT_FALSE(std::regex_search(text, std::regex(R"(\d\.\d{8,})"))) << "more than 7 decimals";
    ASSERT_EQ(fc["features"].size(), static_cast<std::size_t>(s["agree_parts"].get<int>() + s["only_a_parts"].get<int>() +
                                                               s["only_b_parts"].get<int>()));
    std::map<std::string, double> sums;
    double previous = 1e300;
    for (const auto& f : fc["features"]) {
        const auto& p = f["properties"];
        sums[p["comparison"]] += p["area_km2"].get<double>();
        EXPECT_LE(p["area_km2"].get<double>(), previous) << "largest first";
        previous = p["area_km2"].get<double>();
        EXPECT_EQ(p["date"], "2025-08-03");
        EXPECT_EQ(p["provider"], p["comparison"] == "agree" ? "a+b" : p["comparison"] == "only_a" ? "a" : "b");
        EXPECT_EQ(p["stroke"], p["fill"]);
    }
    EXPECT_NEAR(sums["agree"], s["agree_km2"].get<double>(), 0.01);
    EXPECT_NEAR(sums["only_a"], s["only_a_km2"].get<double>(), 0.01);
    EXPECT_NEAR(sums["only_b"], s["only_b_km2"].get<double>(), 0.01);

    auto table = test::run_frontline({"compare", "--store", "c.gpkg", "--date", "2025-08-03", "--provider", "a",
                                      "--provider", "b"},
                                     dir.path());
    ASSERT_EQ(table.exit_code, 0) << table.err;
    test::expect_golden(table.out, "compare_sample_20250801.txt");
}

TEST(CompareEndToEnd, ComparingASnapshotWithItselfAgreesEverywhere) {
    test::TempDir dir;
    const std::string store = compare_store(dir);
    geo::Context ctx;
    cli::CompareOptions o;
    o.store = store;
    o.date = "2025-08-01";
    o.providers = {"a", "b"};
    o.classes = {"occupied"};
    cli::CompareReport r = cli::compute_compare(ctx, o);
    EXPECT_GT(r.only_a_m2 + r.only_b_m2, 0.0);
    // Same provider, same class: refused; the other way round: the mirror image.
    o.providers = {"a", "a"};
    EXPECT_THROW(cli::compute_compare(ctx, o), InputError);
    o.providers = {"b", "a"};
    cli::CompareReport m = cli::compute_compare(ctx, o);
    EXPECT_NEAR(m.only_a_m2, r.only_b_m2, 1.0);
    EXPECT_NEAR(m.agree_m2, r.agree_m2, 1.0);
    // Two classes of one provider.
    auto self = test::run_frontline({"ingest", "--store", store, "--provider", "a", "--class", "copy", "--date", "2025-08-01",
                                     sample("deepstatemap_data_20250801.geojson")});
    ASSERT_EQ(self.exit_code, 0) << self.err;
    o.providers = {"a", "a"};
    o.classes = {"occupied", "copy"};
    cli::CompareReport same = cli::compute_compare(ctx, o);
    EXPECT_EQ(same.only_a_m2, 0.0);
    EXPECT_EQ(same.only_b_m2, 0.0);
    EXPECT_NEAR(same.agreement_pct(), 100.0, 1e-9);
}

TEST(CompareEndToEnd, Errors) {
    test::TempDir dir;
    const std::string store = compare_store(dir);
    expect_input_error(test::run_frontline({"compare", "--store", store, "--date", "2025-08-01", "--provider", "a"}),
                       {"--provider", "exactly two"});
    expect_input_error(test::run_frontline({"compare", "--store", store, "--date", "2025-08-01", "--provider", "a",
                                            "--provider", "isw"}),
                       {"provider 'isw'", "no snapshot"});
    expect_input_error(test::run_frontline({"compare", "--store", store, "--date", "2020-01-01", "--provider", "a",
                                            "--provider", "b"}),
                       {"--date 2020-01-01", "2025-08-01 to 2025-08-01"});
    expect_input_error(test::run_frontline({"compare", "--store", store, "--date", "2025-13-01", "--provider", "a",
                                            "--provider", "b"}),
                       {"--date"});
    expect_input_error(test::run_frontline({"compare", "--store", store, "--provider", "a", "--provider", "b"}), {"--date"});
}

// --- Real data --------------------------------------------------------------------------------------

/// The 48 DeepStateMap exports, in time order (their names are Unix timestamps).
std::vector<std::string> deepstate_exports(const std::string& dir) {
    std::vector<std::string> out;
    if (DIR* d = opendir(dir.c_str())) {
        while (dirent* e = readdir(d)) {
            const std::string name = e->d_name;
            if (name.size() > 8 && name.substr(name.size() - 8) == ".geojson") {
                out.push_back(dir + "/" + name);
            }
        }
        closedir(d);
    }
    std::sort(out.begin(), out.end());
    return out;
}

/// The clip boundary as the tests check against it: geoBoundaries ADM1, read, united and grown by
/// 1e-6° (about 10 cm), so that edges the clip put on the 1e-7° grid count as inside.
std::unique_ptr<geo::ClipArea> boundary(const geo::Context& ctx, const std::string& path) {
    ingest::SourceRead b = ingest::read_source(ctx, path);
    geo::ClipArea exact(ctx, b.polygons, geo::kDefaultGridSizeDeg);
    std::vector<geo::Geometry> grown;
    grown.emplace_back(ctx, GEOSBuffer_r(ctx.handle(), exact.area().get(), 1e-6, 2));
    return std::make_unique<geo::ClipArea>(ctx, grown, geo::kDefaultGridSizeDeg);
}

/// No stored snapshot has area outside the boundary: every part is covered by it.
void expect_inside(const geo::Context& ctx, const std::string& store_path, const geo::ClipArea& area) {
    ingest::Store store = ingest::Store::open(store_path);
    for (const auto& info : store.list()) {
        geo::Geometry g = geo::Geometry::from_wkb(ctx, store.load_wkb(info.key));
        double outside_m2 = 0.0;
        for (const auto& part : geo::polygons_of(g)) {
            if (area.placement(part) != geo::ClipArea::Placement::inside) {
                outside_m2 += geo::geodesic_area_m2(geo::difference(part, area.area(), geo::kDefaultGridSizeDeg));
            }
        }
        EXPECT_LT(outside_m2, 1.0) << info.key.provider << " " << info.key.date << " " << info.key.cls;
    }
}

/// Every polygon of every file got a class or a known reason to be ignored.
void expect_every_label_known(const ingest::IngestReport& report) {
    for (const auto& s : report.sources) {
        for (const auto& g : s.ignored) {
            EXPECT_FALSE(g.unmatched) << s.file << ": " << g.features << " feature(s) matched no rule, e.g. '"
                                      << (g.values.empty() ? "" : g.values.front()) << "'";
        }
    }
}

ingest::IngestReport ingest_real(const geo::Context& ctx, const std::string& store, const std::vector<std::string>& files,
                                 const std::string& preset, const std::string& clip, int threads = 0) {
    ingest::IngestOptions o;
    o.store_path = store;
    o.files = files;
    o.preset = preset;
    o.clip = clip;
    o.threads = threads;
    return ingest::ingest_files(ctx, o);
}

const ingest::ClassOutcome* outcome(const ingest::SourceReport& r, const std::string& cls) {
    for (const auto& c : r.classes) {
        if (c.cls == cls) {
            return &c;
        }
    }
    return nullptr;
}

/// 2022's or the later exports, each with every class of every vocabulary era.
void check_deepstate_half(const geo::Context& ctx, const std::vector<std::string>& files, const std::string& store,
                          const std::string& clip) {
    ingest::IngestReport report = ingest_real(ctx, store, files, "deepstate", clip);
    ASSERT_EQ(report.sources.size(), files.size());
    expect_every_label_known(report);
    for (const auto& s : report.sources) {
        for (const char* cls : {"occupied", "contested", "liberated", "occupied_crimea", "occupied_ordlo"}) {
            const ingest::ClassOutcome* c = outcome(s, cls);
            ASSERT_NE(c, nullptr) << s.file << " " << cls;
            EXPECT_TRUE(c->stored) << s.file << " " << cls;
        }
        // Crimea and ORDLO lie inside occupied, and together are far from all of it.
        EXPECT_LT(outcome(s, "occupied_crimea")->area_km2 + outcome(s, "occupied_ordlo")->area_km2,
                  outcome(s, "occupied")->area_km2)
            << s.file;
        EXPECT_GT(outcome(s, "occupied")->area_km2, 80000.0) << s.file;
        EXPECT_LT(outcome(s, "occupied")->area_km2, 130000.0) << s.file;
        EXPECT_TRUE(s.implausible.empty()) << "clipped, not flagged";
    }
    expect_inside(ctx, store, *boundary(ctx, clip));
}

TEST(PresetsRealData, DeepStateExports2022IngestWithEveryClassAndShowTheKharkivCounterOffensive) {
    FRONTLINE_REQUIRE_DATA(clip, kBoundary);
    FRONTLINE_REQUIRE_DATA(first, kExports + "1648989208.geojson");
    const auto all = deepstate_exports(test::data_dir() + "/" + kExports);
    ASSERT_EQ(all.size(), 48u);
    const std::vector<std::string> files(all.begin(), all.begin() + 21);  // 2022-04-03 .. 2022-12-01
    geo::Context ctx;
    test::TempDir dir;
    check_deepstate_half(ctx, files, dir.file("s.gpkg"), clip);

    // 2022-09-05 .. 2022-09-16, twelve consecutive daily exports: Kharkiv.
    cli::DeltaOptions d;
    d.store = dir.file("s.gpkg");
    d.provider = "deepstate";
    d.from = "2022-09-05";
    d.to = "2022-09-16";
    cli::DeltaReport delta = cli::compute_delta_report(ctx, d);
    EXPECT_EQ(delta.from_snapshot, "2022-09-05");
    EXPECT_EQ(delta.to_snapshot, "2022-09-16");
    EXPECT_GT(delta.result.lost_m2 / 1e6, 5000.0) << "several thousand km² lost by the occupied class";
    EXPECT_LT(delta.result.gained_m2 / 1e6, 500.0) << "and little gained";
    // ... and gained by the liberated class.
    d.cls = "liberated";
    EXPECT_GT(cli::compute_delta_report(ctx, d).result.gained_m2 / 1e6, 5000.0);
}

TEST(PresetsRealData, DeepStateExports2023To2025IngestAndAgreeWithTheDailyArchive) {
    FRONTLINE_REQUIRE_DATA(clip, kBoundary);
    FRONTLINE_REQUIRE_DATA(stray, kExports + "1675299936.geojson");
    FRONTLINE_REQUIRE_DATA(archive, "deepstatemap_occupied/data/deepstatemap_data_20250803.geojson");
    const auto all = deepstate_exports(test::data_dir() + "/" + kExports);
    ASSERT_EQ(all.size(), 48u);
    const std::vector<std::string> files(all.begin() + 21, all.end());  // 2023-01-01 .. 2025-08-03
    geo::Context ctx;
    test::TempDir dir;
    const std::string store = dir.file("s.gpkg");
    check_deepstate_half(ctx, files, store, clip);

    // 2023-02-02: the 25,700 km² "Unknown status" triangle in the Arabian Sea is clipped away.
    ingest::Store s = ingest::Store::open(store);
    auto row = s.find({"deepstate", "2023-02-02", "contested"});
    ASSERT_TRUE(row);
    const double contested = row->area_km2;
    EXPECT_GT(contested, 50.0);
    EXPECT_LT(contested, 1000.0) << "a few hundred km² at most, not tens of thousands";

    // The export of 2025-08-03 and the daily archive of the same day describe the same map.
    ingest::IngestReport cyterat = ingest_real(ctx, store, {archive}, "cyterat", "");
    ASSERT_EQ(cyterat.files.size(), 1u);
    EXPECT_EQ(cyterat.files[0].key.provider, "cyterat");
    cli::CompareOptions o;
    o.store = store;
    o.date = "2025-08-03";
    o.providers = {"deepstate", "cyterat"};
    cli::CompareReport cmp = cli::compute_compare(ctx, o);
    EXPECT_EQ(cmp.snapshot_a, "2025-08-03");
    EXPECT_EQ(cmp.snapshot_b, "2025-08-03");
    EXPECT_LT(std::abs(cmp.area_b_m2 - cmp.area_a_m2) / cmp.area_a_m2, 0.005) << "within 0.5%";
    EXPECT_GT(cmp.agreement_pct(), 99.0);
    EXPECT_LT((cmp.only_a_m2 + cmp.only_b_m2) / 1e6, 500.0);
}

TEST(PresetsRealData, WithoutClipTheArabianSeaTriangleIsFlagged) {
    FRONTLINE_REQUIRE_DATA(path, kExports + "1675299936.geojson");
    geo::Context ctx;
    test::TempDir dir;
    ingest::IngestReport report = ingest_real(ctx, dir.file("s.gpkg"), {path}, "deepstate", "");
    const ingest::SourceReport& r = report.sources.at(0);
    ASSERT_FALSE(r.implausible.empty());
    EXPECT_EQ(r.implausible[0].cls, "contested");
    EXPECT_NEAR(r.implausible[0].area_km2, 25700.0, 300.0);
    EXPECT_GT(r.implausible[0].lon, 63.0);
    EXPECT_LT(r.implausible[0].lon, 66.0);
    EXPECT_GT(r.implausible[0].distance_km, 3000.0);
    // The Ukrainian polygons are all where they belong.
    for (const auto& p : r.implausible) {
        EXPECT_GT(p.distance_km, 2000.0);
    }
}

TEST(PresetsRealData, IswLayersIngestWithTheirClasses) {
    FRONTLINE_REQUIRE_DATA(clip, kBoundary);
    FRONTLINE_REQUIRE_DATA(
        cot, "isw_via_nikkei/geoJSON/2022/September/RussianAssessedCoTinUkraine/20220910_RussianAssessedCoTinUkraine.geojson");
    std::vector<std::string> files;
    for (const char* month_day : {"February_March/%/20220224", "February_March/%/20220301", "April/%/20220401",
                                  "September/%/20220901", "September/%/20220910", "October/%/20221001",
                                  "November/%/20221130"}) {
        for (const char* layer : {"RussianAssessedCoTinUkraine", "RussianAssessedAdvanceinUkraine"}) {
            std::string rel = std::string("isw_via_nikkei/geoJSON/2022/") + month_day + "_" + layer + ".geojson";
            rel.replace(rel.find('%'), 1, layer);
            if (auto p = test::real_data(rel)) {
                files.push_back(*p);
            }
        }
    }
    ASSERT_EQ(files.size(), 12u) << "7 CoT and 5 Advance layers";
    geo::Context ctx;
    test::TempDir dir;
    ingest::IngestReport report = ingest_real(ctx, dir.file("s.gpkg"), files, "isw", clip);
    expect_every_label_known(report);
    int occupied = 0;
    int advanced = 0;
    for (const auto& f : report.files) {
        EXPECT_EQ(f.key.provider, "isw");
        occupied += f.key.cls == "occupied" ? 1 : 0;
        advanced += f.key.cls == "advanced" ? 1 : 0;
        EXPECT_EQ(f.key.cls, f.file.find("CoT") != std::string::npos ? "occupied" : "advanced") << f.file;
    }
    EXPECT_EQ(occupied, 7);
    EXPECT_EQ(advanced, 5);
    // The recurring ring self-intersection near 34.93°E 45.83°N is repaired and reported.
    int repaired = 0;
    for (const auto& s : report.sources) {
        for (const auto& r : s.repairs) {
            repaired += r.repair.reason.find("Self-intersection") != std::string::npos ? 1 : 0;
        }
    }
    EXPECT_GE(repaired, 7);
    ingest::Store store = ingest::Store::open(dir.file("s.gpkg"));
    EXPECT_GT(store.find({"isw", "2022-09-10", "occupied"})->area_km2, 100000.0) << "with Crimea and the 2014 Donbas";
    expect_inside(ctx, dir.file("s.gpkg"), *boundary(ctx, clip));

    // Files are read and built in parallel (one GEOS context and clip copy per worker); one
    // worker must store the very same bytes, and report the same.
    ingest::IngestReport one = ingest_real(ctx, dir.file("one.gpkg"), files, "isw", clip, 1);
    ingest::Store single = ingest::Store::open(dir.file("one.gpkg"));
    const auto listed = store.list();
    ASSERT_EQ(listed.size(), 12u);
    ASSERT_EQ(single.list().size(), listed.size());
    for (const auto& s : listed) {
        auto other = single.find(s.key);
        ASSERT_TRUE(other) << s.key.date << " " << s.key.cls;
        EXPECT_EQ(other->content_sha256, s.content_sha256) << s.key.date << " " << s.key.cls;
        EXPECT_EQ(other->area_km2, s.area_km2) << s.key.date << " " << s.key.cls;
    }
    ASSERT_EQ(one.sources.size(), report.sources.size());
    for (std::size_t i = 0; i < one.sources.size(); ++i) {
        EXPECT_EQ(one.sources[i].file, report.sources[i].file) << "reported in command-line order";
    }

    // The ISW maps change everywhere from month to month: every overlay of consecutive snapshots
    // takes the floating overlay put on the grid (polygon_ops.cpp), which must give what
    // snap-rounding both inputs gives, within 0.01 km², and valid results on the grid.
    std::vector<geo::Geometry> occupied_geoms;
    for (const auto& s : listed) {
        if (s.key.cls == "occupied") {
            occupied_geoms.push_back(geo::Geometry::from_wkb(ctx, store.load_wkb(s.key)));
        }
    }
    ASSERT_EQ(occupied_geoms.size(), 7u);
    for (std::size_t i = 1; i < occupied_geoms.size(); ++i) {
        const geo::Geometry& a = occupied_geoms[i - 1];
        const geo::Geometry& b = occupied_geoms[i];
        for (const auto& [x, y] : {std::pair<const geo::Geometry*, const geo::Geometry*>{&b, &a}, {&a, &b}}) {
            geo::Geometry fast = geo::difference(*x, *y, geo::kDefaultGridSizeDeg);
            geo::Geometry snapped(ctx, GEOSDifferencePrec_r(ctx.handle(), x->get(), y->get(), geo::kDefaultGridSizeDeg));
            EXPECT_FALSE(geo::invalid_reason(fast).has_value()) << "pair " << i;
            EXPECT_NEAR(geo::geodesic_area_m2(fast) / 1e6, geo::geodesic_area_m2(snapped) / 1e6, 0.01) << "pair " << i;
            // On the grid: within a few units in the last place of a multiple of 1e-7° (GEOS's
            // snap-rounding computes round(x / g) · g, frontline's rounding round(x · 1e7) / 1e7).
            int off_grid = 0;
            auto count = [](double* px, double* py, void* data) -> int {
                for (double v : {*px, *py}) {
                    *static_cast<int*>(data) += std::fabs(v * 1e7 - std::floor(v * 1e7 + 0.5)) > 1e-6 ? 1 : 0;
                }
                return 1;
            };
            geo::Geometry visited(ctx, GEOSGeom_transformXY_r(ctx.handle(), fast.get(), count, &off_grid));
            EXPECT_EQ(off_grid, 0) << "pair " << i << ": coordinates off the grid";
        }
    }

    // The change-window fast path (geo/change_windows.hpp) on these maps: taken where consecutive
    // maps share most of their outline, and then the same areas as the full overlay.
    int fast_pairs = 0;
    for (std::size_t i = 1; i < occupied_geoms.size(); ++i) {
        geo::DeltaOptions full;
        full.clip_to_changes = false;
        const geo::DeltaResult a = geo::compute_delta(occupied_geoms[i - 1], occupied_geoms[i], full);
        const geo::DeltaResult b = geo::compute_delta(occupied_geoms[i - 1], occupied_geoms[i], geo::DeltaOptions{});
        EXPECT_NEAR(a.gained_m2 / 1e6, b.gained_m2 / 1e6, 0.01) << "pair " << i;
        EXPECT_NEAR(a.lost_m2 / 1e6, b.lost_m2 / 1e6, 0.01) << "pair " << i;
        EXPECT_EQ(a.parts.size(), b.parts.size()) << "pair " << i;
        fast_pairs += b.windows >= 0 ? 1 : 0;
    }
    EXPECT_GE(fast_pairs, 2) << "the fast path was taken on too few ISW pairs to test it";

    // ISW reprojects each map anew: most vertices a map keeps from the one before lie 1-3 cm from
    // where they were once on the grid (geo/delta.hpp, same_vertex_deg). Overlaid as stored, each
    // makes a hairline part and the windows find no shared outline; with the vertices snapped,
    // only the real changes remain, within the 0.1 % asked of the stored overlay's figures.
    geo::DeltaOptions kept;  // slivers kept
    kept.min_area_m2 = 0.0;
    kept.min_width_m = 0.0;
    int parts_as_stored = 0;
    int parts_snapped = 0;
    int windows_as_stored = 0;
    int windows_snapped = 0;
    for (std::size_t i = 1; i < occupied_geoms.size(); ++i) {
        geo::DeltaOptions as_stored = kept;
        as_stored.same_vertex_deg = 0.0;
        const geo::DeltaResult a = geo::compute_delta(occupied_geoms[i - 1], occupied_geoms[i], as_stored);
        const geo::DeltaResult b = geo::compute_delta(occupied_geoms[i - 1], occupied_geoms[i], kept);
        for (auto [x, y] : {std::pair<double, double>{a.gained_m2, b.gained_m2}, {a.lost_m2, b.lost_m2}}) {
            EXPECT_NEAR(x / 1e6, y / 1e6, std::min(0.03, x / 1e6 * 0.001)) << "pair " << i;
        }
        parts_as_stored += static_cast<int>(a.parts.size());
        parts_snapped += static_cast<int>(b.parts.size());
        windows_as_stored += a.windows >= 0 ? 1 : 0;
        windows_snapped += b.windows >= 0 ? 1 : 0;
        std::printf("ISW pair %zu: %zu parts as stored, %zu snapped; windows %d / %d; gained %.4f / %.4f, lost %.4f / %.4f\n",
                    i, a.parts.size(), b.parts.size(), a.windows, b.windows, a.gained_m2 / 1e6, b.gained_m2 / 1e6,
                    a.lost_m2 / 1e6, b.lost_m2 / 1e6);
    }
    // Measured: 23,090 parts as stored, 1,673 snapped; windows on 3 and on all 6 pairs.
    EXPECT_LT(parts_snapped * 10, parts_as_stored);
    EXPECT_EQ(windows_snapped, 6);
    EXPECT_LT(windows_as_stored, windows_snapped);

    // The larger side of each change derived from the areas (what `series` does without -o or
    // --regions, slivers kept: DeltaOptions::parts_wanted) against it overlaid, both against an
    // overlay that is consistent with geodesic edges (tests/reference/isw_consistent_overlay.py
    // on this store: both snapshots densified along their geodesics, Shapely, pyproj). These maps
    // have edges up to 58 km long and any planar overlay splits them at points on the straight
    // lon/lat segment, up to ~70 m off the geodesic, so the overlaid parts do not add up exactly
    // to the snapshots' areas: 1.5 km² on 03-01 → 04-01. Derived or overlaid, each side stays
    // within 1 km² of the consistent figure.
    const double gained_reference_km2[] = {45158.4412, 23568.2901, 24900.8053, 98.7278, 905.9498, 28.2372};
    const double lost_reference_km2[] = {5366.4175, 19559.1305, 27431.9826, 6124.8229, 4050.5319, 6516.3893};
    ASSERT_EQ(std::size(lost_reference_km2), occupied_geoms.size() - 1);
    int derived_gained = 0;
    for (std::size_t i = 1; i < occupied_geoms.size(); ++i) {
        geo::DeltaOptions areas_only = kept;
        areas_only.parts_wanted = false;
        const geo::DeltaResult a = geo::compute_delta(occupied_geoms[i - 1], occupied_geoms[i], kept);
        const geo::DeltaResult b = geo::compute_delta(occupied_geoms[i - 1], occupied_geoms[i], areas_only);
        ASSERT_TRUE(b.derived.has_value()) << "pair " << i;
        const bool gained_is_derived = *b.derived == geo::Change::gained;
        derived_gained += gained_is_derived ? 1 : 0;
        // The overlaid side, measured off GEOS's floating result instead of on the grid.
        EXPECT_NEAR((gained_is_derived ? b.lost_m2 : b.gained_m2) / 1e6, (gained_is_derived ? a.lost_m2 : a.gained_m2) / 1e6,
                    0.001)
            << "pair " << i;
        for (const geo::DeltaResult* r : {&a, &b}) {
            EXPECT_NEAR(r->gained_m2 / 1e6, gained_reference_km2[i - 1], 1.0) << "pair " << i << (r == &a ? "" : ", derived");
            EXPECT_NEAR(r->lost_m2 / 1e6, lost_reference_km2[i - 1], 1.0) << "pair " << i << (r == &a ? "" : ", derived");
        }
        std::printf("ISW pair %zu: %s derived; gained %.4f / %.4f, lost %.4f / %.4f (overlaid / with one side derived), "
                    "consistent reference %.4f, %.4f km2\n",
                    i, gained_is_derived ? "gained" : "lost", a.gained_m2 / 1e6, b.gained_m2 / 1e6, a.lost_m2 / 1e6,
                    b.lost_m2 / 1e6, gained_reference_km2[i - 1], lost_reference_km2[i - 1]);
    }
    EXPECT_EQ(derived_gained, 2) << "02-24 → 03-01 and 03-01 → 04-01 grew, the others shrank";
    std::printf("ISW: fast path taken on %d of %zu consecutive pairs\n", fast_pairs, occupied_geoms.size() - 1);
}

TEST(PresetsRealData, NzzFilesIngestAsPublished) {
    FRONTLINE_REQUIRE_DATA(clip, kBoundary);
    FRONTLINE_REQUIRE_DATA(glitch, "nzz_liveuamap/data/2023-10-24.json");
    std::vector<std::string> files;
    for (const char* day : {"2022-02-24", "2022-09-10", "2023-07-01", "2023-10-23", "2023-10-24", "2024-03-13", "2024-03-14",
                            "2025-07-01", "2026-08-22"}) {
        auto p = test::real_data(std::string("nzz_liveuamap/data/") + day + ".json");
        ASSERT_TRUE(p) << day;
        files.push_back(*p);
    }
    geo::Context ctx;
    test::TempDir dir;
    ingest::IngestReport report = ingest_real(ctx, dir.file("s.gpkg"), files, "nzz", clip);
    ASSERT_EQ(report.sources.size(), 9u);
    expect_every_label_known(report);
    // 2023-10-24: the Afghanistan-sized "losses" polygon is clipped away whole.
    const ingest::ClassOutcome* lost = outcome(report.sources[4], "liberated");
    ASSERT_NE(lost, nullptr);
    EXPECT_EQ(lost->parts_outside, 1);
    EXPECT_GT(lost->outside_km2, 600000.0);
    EXPECT_FALSE(lost->stored) << "nothing of it is in Ukraine";
    // The source drops the pre-2022 Donbas from 2024-03-14 on.
    ingest::Store store = ingest::Store::open(dir.file("s.gpkg"));
    const double before = store.find({"nzz", "2024-03-13", "occupied"})->area_km2;
    const double after = store.find({"nzz", "2024-03-14", "occupied"})->area_km2;
    EXPECT_GT(before - after, 10000.0);
    expect_inside(ctx, dir.file("s.gpkg"), *boundary(ctx, clip));

    // Unwrapping is lossless: what GDAL itself reads from the wrapped file gives the same bytes.
    test::write_text(dir.file("map.json"),
                     R"({"field": "type", "values": {"nochange": "occupied", "gains": "occupied", "losses": "liberated"}})");
    ingest::IngestOptions o;
    o.store_path = dir.file("t.gpkg");
    o.files = {files[1]};
    o.preset = "nzz";
    ingest::ingest_files(ctx, o);
    ingest::IngestOptions direct = o;
    direct.preset = "";
    direct.provider = "nzz";
    direct.class_map = dir.file("map.json");
    for (const auto& f : ingest::ingest_files(ctx, direct).files) {
        EXPECT_EQ(f.status, ingest::IngestStatus::unchanged) << f.key.cls;
    }
}

TEST(PresetsRealData, TheBinaryWritesTheReportForARealExport) {
    FRONTLINE_REQUIRE_DATA(clip, kBoundary);
    FRONTLINE_REQUIRE_DATA(path, kExports + "1651387795.geojson");  // 2022-05-01: two repairs, a GeometryCollection
    test::TempDir dir;
    auto r = test::run_frontline({"ingest", "--store", dir.file("s.gpkg"), "--preset", "deepstate", "--clip", clip,
                                  "--report", dir.file("r.json"), path});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    json doc = json::parse(test::read_bytes(dir.file("r.json")));
    const json& f = doc["files"][0];
    EXPECT_EQ(f["date"], "2022-05-01");
    ASSERT_EQ(f["repairs"].size(), 2u);
    std::string reasons = f["repairs"][0]["reason"].get<std::string>() + f["repairs"][1]["reason"].get<std::string>();
    EXPECT_NE(reasons.find("Interior is disconnected"), std::string::npos);
    EXPECT_NE(reasons.find("Hole lies outside shell"), std::string::npos);
    EXPECT_GT(f["features"]["ignored"].get<int>(), 100) << "the unit markers";
    EXPECT_NE(r.out.find("added  deepstate 2022-05-01 occupied_crimea"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace frontline
