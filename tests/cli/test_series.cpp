// series and delta --regions: step arithmetic, invariants on the real archive, parallel
// determinism, glitch rules, and goldens on sample_data/.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <dirent.h>

#include <algorithm>
#include <cmath>

#include "cli/command_delta.hpp"
#include "cli/command_series.hpp"
#include "geo/error.hpp"
#include "ingest/ingest_job.hpp"
#include "tests/test_support.hpp"

namespace frontline {
namespace {

using nlohmann::json;
using test::expect_golden;
using test::archive_files;

std::string sample(const std::string& name) { return test::sample_dir() + "/" + name; }

std::string ingest_files(const test::TempDir& dir, const std::vector<std::string>& files,
                         const std::string& date = "") {
    geo::Context ctx;
    ingest::IngestOptions o;
    o.store_path = dir.file("s.gpkg");
    o.files = files;
    o.date = date;
    ingest::ingest_files(ctx, o);
    return o.store_path;
}

TEST(SeriesSteps, CalendarArithmetic) {
    using V = std::vector<std::string>;
    EXPECT_EQ(cli::step_boundaries("2025-01-31", "2025-04-15", "month"),
              (V{"2025-01-31", "2025-02-28", "2025-03-31", "2025-04-15"}));
    EXPECT_EQ(cli::step_boundaries("2024-02-29", "2026-01-01", "year"), (V{"2024-02-29", "2025-02-28", "2026-01-01"}));
    EXPECT_EQ(cli::step_boundaries("2025-01-01", "2026-01-01", "quarter"),
              (V{"2025-01-01", "2025-04-01", "2025-07-01", "2025-10-01", "2026-01-01"}));
    EXPECT_EQ(cli::step_boundaries("2025-12-30", "2026-01-02", "day"),
              (V{"2025-12-30", "2025-12-31", "2026-01-01", "2026-01-02"}));
    EXPECT_EQ(cli::step_boundaries("2025-01-01", "2025-01-20", "week"), (V{"2025-01-01", "2025-01-08", "2025-01-15", "2025-01-20"}));
    EXPECT_EQ(cli::step_boundaries("2025-01-01", "2026-01-01", "year"), (V{"2025-01-01", "2026-01-01"}));
    EXPECT_THROW(cli::step_boundaries("2025-01-01", "2026-01-01", "fortnight"), InputError);
}

TEST(SeriesRealData, StepsAddUpAndRegionsAddUp) {
    FRONTLINE_REQUIRE_DATA(regions, "boundaries/geoboundaries_ukr_adm1/geoBoundaries-UKR-ADM1.geojson");
    auto files = archive_files();
    ASSERT_EQ(files.size(), 79u);
    test::TempDir dir;
    cli::SeriesOptions o;
    o.store = ingest_files(dir, files);
    o.from = "2025-01-01";
    o.to = "2026-01-01";
    o.step = "month";
    o.regions = regions;
    o.min_area_km2 = 0.0;  // keep every part, so nets telescope exactly up to overlay noise
    o.min_width_m = 0.0;
    cli::SeriesReport r = cli::compute_series(o);
    ASSERT_EQ(r.steps.size(), 12u);
    double net = 0.0;
    for (std::size_t i = 0; i < r.steps.size(); ++i) {
        const auto& s = r.steps[i];
        if (i > 0) {
            EXPECT_EQ(s.from_snapshot, r.steps[i - 1].to_snapshot);
        }
        net += s.result.net_m2();
        ASSERT_TRUE(s.regional.has_value());
        double gained = 0.0;
        double lost = 0.0;
        double area_to = 0.0;
        for (const auto& row : s.regional->rows) {
            gained += row.gained_m2;
            lost += row.lost_m2;
            area_to += row.area_to_m2;
            if (auto share = row.share_to_pct()) {
                EXPECT_GE(*share, 0.0) << row.region;
                EXPECT_LE(*share, 100.0 + 1e-9) << row.region;
            }
        }
        EXPECT_EQ(s.regional->rows.back().region, "(outside all regions)");
        EXPECT_NEAR(gained / 1e6, s.result.gained_m2 / 1e6, 0.01) << "step " << i + 1;
        EXPECT_NEAR(lost / 1e6, s.result.lost_m2 / 1e6, 0.01) << "step " << i + 1;
        EXPECT_NEAR(area_to / 1e6, s.result.area_to_m2 / 1e6, 0.01) << "step " << i + 1;
    }
    EXPECT_NEAR(net / 1e6, r.totals.result.net_m2() / 1e6, 0.05);
    EXPECT_NEAR(r.totals.result.net_m2() / 1e6, (r.totals.result.area_to_m2 - r.totals.result.area_from_m2) / 1e6, 0.01);
    // Donetsk oblast: about 71.6% of geoBoundaries' unit (which reaches into the Sea of Azov).
    const auto& rows = r.totals.regional->rows;
    auto donetsk = std::find_if(rows.begin(), rows.end(), [](const cli::RegionRow& x) { return x.region == "Donetsk Oblast"; });
    ASSERT_NE(donetsk, rows.end());
    EXPECT_GT(*donetsk->share_to_pct(), donetsk->share_from_pct().value());
    EXPECT_GT(donetsk->gained_m2 / 1e6, 2500.0);
}

TEST(SeriesRealData, ParallelAndSingleThreadedAgreeToTheByte) {
    FRONTLINE_REQUIRE_DATA(first, "deepstatemap_occupied/data/deepstatemap_data_20240708.geojson");
    auto files = archive_files();
    test::TempDir dir;
    cli::SeriesOptions o;
    o.store = ingest_files(dir, files);
    o.from = "2024-11-01";
    o.to = "2024-12-01";
    o.step = "snapshot";
    o.regions = sample("ukraine_adm1_east.geojson");
    o.threads = 1;
    const std::string one = cli::series_json(cli::compute_series(o));
    o.threads = 3;
    const std::string three = cli::series_json(cli::compute_series(o));
    EXPECT_EQ(one, three);
    EXPECT_EQ(json::parse(one)["steps"].size(), 30u);
}

/// With slivers kept and neither -o nor --regions, each step overlays the smaller side of its
/// change and derives the larger one from the snapshots' areas (one overlay per pair, not two):
/// on the real archive the overlaid side is within 0.001 km² of a run that overlays both (it is
/// measured off GEOS's floating result, not put on the grid), the derived one within 0.01 km²,
/// and the step nets add up exactly to the whole range's net. With -o both sides are overlaid and
/// written.
TEST(SeriesRealData, OneSideIsDerivedOnlyWhenNoPartIsWritten) {
    FRONTLINE_REQUIRE_DATA(first, "deepstatemap_occupied/data/deepstatemap_data_20240708.geojson");
    auto files = archive_files();
    test::TempDir dir;
    cli::SeriesOptions o;
    o.store = ingest_files(dir, files);
    o.from = "2024-07-08";
    o.to = "2026-08-22";
    o.step = "snapshot";
    o.min_area_km2 = 0.0;
    o.min_width_m = 0.0;
    const cli::SeriesReport derived = cli::compute_series(o);
    o.output = dir.file("parts.geojson");
    const cli::SeriesReport overlaid = cli::compute_series(o);
    ASSERT_EQ(derived.steps.size(), 78u);
    ASSERT_EQ(overlaid.steps.size(), derived.steps.size());
    double net = 0.0;
    int lost_derived = 0;
    for (std::size_t i = 0; i < derived.steps.size(); ++i) {
        const geo::DeltaResult& d = derived.steps[i].result;
        const geo::DeltaResult& v = overlaid.steps[i].result;
        ASSERT_TRUE(d.derived.has_value()) << "step " << i + 1;
        EXPECT_FALSE(v.derived.has_value()) << "step " << i + 1;
        if (*d.derived == geo::Change::gained) {
            EXPECT_NEAR(d.lost_m2 / 1e6, v.lost_m2 / 1e6, 0.001) << "step " << i + 1;
            EXPECT_NEAR(d.gained_m2 / 1e6, v.gained_m2 / 1e6, 0.01) << "step " << i + 1;
        } else {
            ++lost_derived;
            EXPECT_NEAR(d.gained_m2 / 1e6, v.gained_m2 / 1e6, 0.001) << "step " << i + 1;
            EXPECT_NEAR(d.lost_m2 / 1e6, v.lost_m2 / 1e6, 0.01) << "step " << i + 1;
        }
        net += d.net_m2();
    }
    EXPECT_GE(lost_derived, 1) << "no step of the archive shrank: the lost side was never derived";
    const geo::DeltaResult& whole = derived.totals.result;
    EXPECT_NEAR(net, whole.area_to_m2 - whole.area_from_m2, 1.0);
    EXPECT_NEAR(whole.net_m2(), whole.area_to_m2 - whole.area_from_m2, 1e-3);
    EXPECT_NEAR(whole.gained_m2 / 1e6, overlaid.totals.result.gained_m2 / 1e6, 0.01);
    int lost_features = 0;
    const json written = json::parse(test::read_bytes(o.output));
    for (const auto& f : written["features"]) {
        lost_features += f["properties"]["change"] == "lost" ? 1 : 0;
    }
    EXPECT_GT(lost_features, 0) << "-o writes the lost parts";
}

/// A store of 1°-wide cells whose size jumps: a spike on 2025-01-03, a lasting shift on 2025-01-05.
std::string glitch_store(const test::TempDir& dir) {
    auto cell = [&](const std::string& name, double width) {
        const std::string w = std::to_string(30.0 + width);
        test::write_text(dir.file(name), R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},)"
                                         R"("geometry":{"type":"Polygon","coordinates":[[[30,48],[)" + w + R"(,48],[)" + w +
                                             R"(,49],[30,49],[30,48]]]}}]})");
        return dir.file(name);
    };
    ingest_files(dir, {cell("a_20250101.geojson", 1.0), cell("a_20250102.geojson", 1.01), cell("a_20250103.geojson", 3.0),
                       cell("a_20250104.geojson", 1.02), cell("a_20250105.geojson", 1.5), cell("a_20250106.geojson", 1.51)});
    return dir.file("s.gpkg");
}

TEST(SeriesGlitches, SpikesAndShiftsAreFlaggedAndSpikesDroppedOnRequest) {
    test::TempDir dir;
    cli::SeriesOptions o;
    o.store = glitch_store(dir);
    o.from = "2025-01-01";
    o.to = "2025-01-06";
    o.step = "day";
    cli::SeriesReport flagged = cli::compute_series(o);
    ASSERT_EQ(flagged.flagged.size(), 2u);
    EXPECT_EQ(flagged.flagged[0].date, "2025-01-03");
    EXPECT_EQ(flagged.flagged[0].kind, "spike");
    EXPECT_FALSE(flagged.flagged[0].dropped);
    EXPECT_EQ(flagged.flagged[1].date, "2025-01-05");
    EXPECT_EQ(flagged.flagged[1].kind, "shift");
    EXPECT_EQ(flagged.steps[1].to_snapshot, "2025-01-03");

    o.max_step_change_pct = 50.0;
    cli::SeriesReport dropped = cli::compute_series(o);
    ASSERT_EQ(dropped.flagged.size(), 2u);
    EXPECT_TRUE(dropped.flagged[0].dropped);
    EXPECT_FALSE(dropped.flagged[1].dropped) << "a lasting shift is reported, never dropped";
    EXPECT_EQ(dropped.steps[1].to_snapshot, "2025-01-02") << "the spike is not used";
    // Net over the range does not depend on the spike.
    EXPECT_NEAR(dropped.totals.result.net_m2(), flagged.totals.result.net_m2(), 1.0);

    o.max_step_change_pct = 0.0;
    o.exclude_dates = {"2025-01-03"};
    cli::SeriesReport excluded = cli::compute_series(o);
    EXPECT_EQ(excluded.excluded, (std::vector<std::string>{"2025-01-03"}));
    EXPECT_EQ(excluded.steps[1].to_snapshot, "2025-01-02");
    o.exclude_dates = {"2025-01-09"};
    EXPECT_THROW(cli::compute_series(o), InputError);
}

TEST(SeriesEndToEnd, CsvAndJsonGoldensOnSampleData) {
    test::TempDir dir;
    auto ingest = test::run_frontline({"ingest", "--store", dir.file("s.gpkg"), sample("deepstatemap_data_20250102.geojson"),
                                       sample("deepstatemap_data_20250801.geojson"), sample("deepstatemap_data_20260101.geojson")});
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
    const std::vector<std::string> base = {"series", "--store", dir.file("s.gpkg"), "--from", "2025-01-02", "--to",
                                           "2026-01-01", "--step", "quarter", "--regions", sample("ukraine_adm1_east.geojson")};
    auto args = base;
    args.push_back("--csv");
    auto csv = test::run_frontline(args);
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    EXPECT_EQ(csv.err, "");
    expect_golden(csv.out, "series_quarter_regions.csv");

    args = base;
    args.insert(args.end(), {"--json", "-o", "series.geojson"});  // relative: the golden must not hold a temp path
    auto js = test::run_frontline(args, dir.path());
    ASSERT_EQ(js.exit_code, 0) << js.err;
    EXPECT_EQ(js.err, "");
    expect_golden(js.out, "series_quarter_regions.json");
    json doc = json::parse(js.out);
    ASSERT_EQ(doc["steps"].size(), 4u);
    json fc = json::parse(test::read_bytes(dir.file("series.geojson")));
    ASSERT_FALSE(fc["features"].empty());
    for (const auto& f : fc["features"]) {
        const auto& p = f["properties"];
        const int step = p["step"];
        ASSERT_GE(step, 1);
        ASSERT_LE(step, 4);
        EXPECT_EQ(p["start"], doc["steps"][step - 1]["from_snapshot"]);
        EXPECT_EQ(p["end"], doc["steps"][step - 1]["to_snapshot"]);
        EXPECT_TRUE(p.contains("region"));
    }
}

TEST(SeriesEndToEnd, AFailedOverlayFailsItsPairOnlyAndTheExitCodeSaysSo) {
    test::TempDir dir;
    auto ingest = test::run_frontline({"ingest", "--store", dir.file("s.gpkg"), sample("deepstatemap_data_20250102.geojson"),
                                       sample("deepstatemap_data_20250801.geojson"), sample("deepstatemap_data_20260101.geojson")});
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
    const std::vector<std::string> args = {"series", "--store", dir.file("s.gpkg"), "--from", "2025-01-02", "--to",
                                           "2026-01-01", "--step", "quarter", "--json", "--threads", "2"};
    auto good = test::run_frontline(args);
    ASSERT_EQ(good.exit_code, 0) << good.err;
    const json before = json::parse(good.out);
    EXPECT_EQ(before["failed_pairs"], 0);

    // The third step's overlay fails (test hook: a GeosError as if every retry had failed).
    ASSERT_EQ(setenv("FRONTLINE_TEST_FAIL_PAIR_FROM", "2025-07-02", 1), 0);
    auto bad = test::run_frontline(args);
    unsetenv("FRONTLINE_TEST_FAIL_PAIR_FROM");
    EXPECT_EQ(bad.exit_code, 3) << bad.err;
    EXPECT_EQ(bad.err,
              "frontline: warning: pair 2025-07-02 to 2025-10-02 (snapshots 2025-01-02, 2025-08-01) failed: polygon "
              "difference failed (injected by FRONTLINE_TEST_FAIL_PAIR_FROM); its figures are left out\n");
    const json after = json::parse(bad.out);
    EXPECT_EQ(after["failed_pairs"], 1);
    ASSERT_EQ(after["steps"].size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
        if (i == 2) {
            EXPECT_NE(after["steps"][i]["error"].get<std::string>().find("injected"), std::string::npos);
            EXPECT_FALSE(after["steps"][i].contains("gained_km2"));
        } else {
            EXPECT_EQ(after["steps"][i], before["steps"][i]) << "step " << i + 1 << " changed";
        }
    }
    EXPECT_EQ(after["totals"]["gained_km2"], before["totals"]["gained_km2"]);

    // The table says so too.
    std::vector<std::string> table_args(args.begin(), args.end() - 3);
    ASSERT_EQ(setenv("FRONTLINE_TEST_FAIL_PAIR_FROM", "2025-07-02", 1), 0);
    auto table = test::run_frontline(table_args);
    unsetenv("FRONTLINE_TEST_FAIL_PAIR_FROM");
    EXPECT_EQ(table.exit_code, 3);
    EXPECT_NE(table.out.find("FAILED: polygon difference failed"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("failed pairs: 1"), std::string::npos) << table.out;
}

TEST(SeriesEndToEnd, BadOptions) {
    test::TempDir dir;
    auto run = [&](std::vector<std::string> extra) {
        std::vector<std::string> args = {"series", "--store", sample("none.gpkg")};
        args.insert(args.end(), extra.begin(), extra.end());
        return test::run_frontline(args);
    };
    for (const auto& [extra, mention] : std::vector<std::pair<std::vector<std::string>, std::string>>{
             {{"--from", "2025-01-01", "--to", "2025-01-01"}, "must be before"},
             {{"--from", "2025-01-01", "--to", "2026-01-01", "--step", "fortnight"}, "--step fortnight"},
             {{"--from", "2025-01-01", "--to", "2026-01-01", "--csv", "--json"}, "choose one"},
             {{"--from", "2025-01-01", "--to", "2026-01-01", "--threads", "-1"}, "--threads"},
             {{"--from", "2025-01-01", "--to", "2026-01-01", "--same-vertex-deg", "-1e-7"}, "--same-vertex-deg"},
             {{"--from", "2025-01-01", "--to", "2026-01-01", "--same-vertex-deg", "0.01"}, "--same-vertex-deg"},
             {{"--from", "2025-01-01", "--to", "2026-01-01", "--exclude-dates", "2025-13-01"}, "--exclude-dates"},
             {{"--from", "2025-01-01", "--to", "2026-01-01"}, "none.gpkg"}}) {
        auto r = run(extra);
        EXPECT_EQ(r.exit_code, 2) << mention << ": " << r.err;
        EXPECT_NE(r.err.find(mention), std::string::npos) << r.err;
    }
}

TEST(DeltaRegions, BreakdownAddsUpAndPartsCarryTheirRegion) {
    test::TempDir dir;
    const std::string store = ingest_files(dir, {sample("deepstatemap_data_20250102.geojson"), sample("deepstatemap_data_20260101.geojson")});
    auto r = test::run_frontline({"delta", "--store", store, "--from", "2025-01-02", "--to", "2026-01-01", "--regions",
                                  sample("ukraine_adm1_east.geojson"), "--json", "-o", dir.file("d.geojson")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json doc = json::parse(r.out);
    ASSERT_EQ(doc["regions"].size(), 10u);  // 9 units + outside
    double gained = 0.0;
    for (const auto& row : doc["regions"]) {
        gained += row["gained_km2"].get<double>();
        for (const char* key : {"region", "area_from_km2", "area_to_km2", "share_from_pct", "share_to_pct", "gained_km2",
                                "lost_km2", "net_km2"}) {
            EXPECT_TRUE(row.contains(key)) << key;
        }
    }
    EXPECT_NEAR(gained, doc["gained_km2"].get<double>(), 0.01);
    EXPECT_TRUE(doc["regions"].back()["share_to_pct"].is_null());
    json fc = json::parse(test::read_bytes(dir.file("d.geojson")));
    double donetsk = 0.0;
    for (const auto& f : fc["features"]) {
        if (f["properties"]["region"] == "Donetsk Oblast" && f["properties"]["change"] == "gained") {
            donetsk += f["properties"]["area_km2"].get<double>();
        }
    }
    for (const auto& row : doc["regions"]) {
        if (row["region"] == "Donetsk Oblast") {
            EXPECT_NEAR(donetsk, row["gained_km2"].get<double>(), 0.01);
            EXPECT_GT(donetsk, 2500.0);
        }
    }
    auto bad = test::run_frontline({"delta", "--store", store, "--from", "2025-01-02", "--to", "2026-01-01", "--regions",
                                    sample("ukraine_adm1_east.geojson"), "--region-field", "oblast"});
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("--region-field oblast"), std::string::npos) << bad.err;
    EXPECT_NE(bad.err.find("shapeName"), std::string::npos) << "should list the fields that exist: " << bad.err;
}

}  // namespace
}  // namespace frontline
