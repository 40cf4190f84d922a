// `frontline ceasefire`: hand-made proposals on sample_data/ (tests/data/ceasefire/, see its
// README), and the acceptance on the real 2026-08-22 snapshot against PostGIS
// (tests/reference/ceasefire_20260822.sql).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "cli/command_ceasefire.hpp"
#include "geo/polygon_ops.hpp"
#include "ingest/reader.hpp"
#include "ingest/regions_reader.hpp"
#include "ingest/vector_writer.hpp"
#include "tests/test_support.hpp"

namespace frontline {
namespace {

using nlohmann::json;

const std::string kSnapshot = "deepstatemap_occupied/data/deepstatemap_data_20260822.geojson";
const std::string kJanuary = "deepstatemap_occupied/data/deepstatemap_data_20260101.geojson";
const std::string kAdm1 = "boundaries/geoboundaries_ukr_adm1/geoBoundaries-UKR-ADM1.geojson";

std::string sample(const std::string& name) { return test::sample_dir() + "/" + name; }
std::string proposal(const std::string& name) { return "tests/data/ceasefire/" + name + ".geojson"; }

using test::ingest_into;

const json& check(const json& doc, int number) {
    for (const auto& c : doc["checks"]) {
        if (c["number"] == number) {
            return c;
        }
    }
    static const json none = json::object();
    ADD_FAILURE() << "no check " << number << " in " << doc["checks"].dump();
    return none;
}

std::string verdict(const json& doc, int number) {
    const json& c = check(doc, number);
    return c.contains("verdict") ? c["verdict"].get<std::string>() : "";
}

/// Runs ceasefire on the sample 2026-01-01 snapshot and the eastern oblasts, from the source
/// folder (relative paths keep the checkout's location out of the output).
struct SampleRun {
    test::TempDir dir;
    std::string store = ingest_into(dir, {sample("deepstatemap_data_20260101.geojson")});
    test::RunResult run(std::vector<std::string> extra) {
        std::vector<std::string> args = {"ceasefire", "--store", store, "--date", "2026-01-01", "--border",
                                         "sample_data/ukraine_adm1_east.geojson"};
        args.insert(args.end(), extra.begin(), extra.end());
        return test::run_frontline(args, test::source_dir());
    }
};

TEST(CeasefireEndToEnd, ALineAlongTheFrontPasses) {
    SampleRun s;
    auto r = s.run({"--line", proposal("follows_front_20260101"), "--regions", "sample_data/ukraine_adm1_east.geojson",
                    "--places", "sample_data/sites.geojson", "--band", "5km", "--json", "-o", s.dir.file("report.geojson")});
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    EXPECT_EQ(r.err, "");
    json doc = json::parse(r.out);
    for (const char* key : {"checks", "ceded_km2", "regions", "changed_side", "max_offset_km", "mean_offset_km", "method"}) {
        EXPECT_TRUE(doc.contains(key)) << key;
    }
    for (int n : {1, 2, 3}) {
        EXPECT_EQ(verdict(doc, n), "pass") << check(doc, n).dump();
    }
    EXPECT_EQ(doc["checks"].size(), 7u);  // 1-7; no --history-from
    for (const auto& c : doc["checks"]) {
        const std::string v = c["verdict"];
        EXPECT_TRUE(v == "pass" || v == "warn" || v == "fail") << v;
        EXPECT_FALSE(c["detail"].get<std::string>().empty());
    }
    // The line is the front simplified within 0.02° (about 2 km): it stays within a few km of the
    // front. (The reverse direction is far larger: with an administrative outline alone the coast
    // counts as front.)
    EXPECT_GT(doc["max_offset_km"].get<double>(), 0.1);
    EXPECT_LT(doc["max_offset_km"].get<double>(), 10.0);
    EXPECT_LT(doc["mean_offset_km"].get<double>(), 2.0);
    EXPECT_LE(doc["mean_offset_km"].get<double>(), doc["max_offset_km"].get<double>());
    const double free_km2 = doc["ceded_km2"]["free"];
    const double occupied_km2 = doc["ceded_km2"]["occupied"];
    EXPECT_GT(free_km2, 1.0);
    EXPECT_GT(occupied_km2, 1.0);
    EXPECT_LT(occupied_km2, 1000.0);
    // On land each side gives up a strip along the line. The free side also "gives up" the
    // territorial sea off the occupied coast, which geoBoundaries' units include and DeepStateMap's
    // polygon leaves out (free today, on the occupying side of any line drawn on land): most of the
    // total, in the coastal regions. Inland regions give up little.
    EXPECT_GT(free_km2, 10000.0);
    double by_region_free = 0.0, by_region_occupied = 0.0;
    for (const auto& row : doc["regions"]) {
        by_region_free += row["ceded_by_free_km2"].get<double>();
        by_region_occupied += row["ceded_by_occupied_km2"].get<double>();
    }
    for (const auto& row : doc["regions"]) {
        const std::string name = row["region"];
        if (name == "Kharkiv Oblast" || name == "Luhansk Oblast" || name == "Dnipropetrovsk Oblast" || name == "Sumy Oblast") {
            EXPECT_LT(row["ceded_by_free_km2"].get<double>(), 100.0) << name;
        }
    }
    // Pieces cut at region borders gain vertices, so their geodesic areas add up to a hair more.
    EXPECT_NEAR(by_region_free, free_km2, 0.1);
    EXPECT_NEAR(by_region_occupied, occupied_km2, 0.1);
    EXPECT_TRUE(doc["changed_side"].empty()) << doc["changed_side"].dump();
    ASSERT_EQ(doc["bands"].size(), 2u);
    EXPECT_GT(doc["bands"][0]["area_km2"].get<double>(), 1000.0);
    EXPECT_NE(doc["method"].get<std::string>().find("WGS84"), std::string::npos);

    json fc = json::parse(test::read_bytes(s.dir.file("report.geojson")));
    std::map<std::string, int> kinds;
    for (const auto& f : fc["features"]) {
        ++kinds[f["properties"]["kind"].get<std::string>()];
        EXPECT_TRUE(f["properties"].contains("stroke"));
    }
    EXPECT_EQ(kinds["proposal"], 1);
    EXPECT_EQ(kinds["front"], 1);
    EXPECT_EQ(kinds["settlement"], 12);
    EXPECT_GT(kinds["transfer"], 0);
    EXPECT_GT(kinds["band"], 0);

    // The readable summary, golden.
    auto text = s.run({"--line", proposal("follows_front_20260101"), "--regions", "sample_data/ukraine_adm1_east.geojson",
                       "--places", "sample_data/sites.geojson", "--band", "5km"});
    ASSERT_EQ(text.exit_code, 0) << text.err;
    EXPECT_EQ(text.err, "");
    test::expect_golden(text.out, "ceasefire_follows_front_20260101.txt");
}

TEST(CeasefireEndToEnd, ASelfIntersectingLineFailsCheckOne) {
    SampleRun s;
    auto r = s.run({"--line", proposal("self_intersecting"), "--json"});
    ASSERT_EQ(r.exit_code, 3) << r.err << r.out;
    json doc = json::parse(r.out);
    EXPECT_EQ(verdict(doc, 1), "fail");
    EXPECT_NE(check(doc, 1)["detail"].get<std::string>().find("the line crosses or touches itself at "), std::string::npos)
        << check(doc, 1).dump();
    EXPECT_EQ(doc["hard_checks_pass"], false);
    EXPECT_EQ(doc["exit_code"], 3);
    auto text = s.run({"--line", proposal("self_intersecting")});
    EXPECT_EQ(text.exit_code, 3);
    EXPECT_NE(text.out.find("[FAIL] 1 line_geometry"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("verdict: FAILS hard check(s) 1"), std::string::npos) << text.out;
}

TEST(CeasefireEndToEnd, ALineThatStops30KmShortFailsChecksTwoAndThree) {
    SampleRun s;
    auto r = s.run({"--line", proposal("stops_30km_short"), "--json"});
    ASSERT_EQ(r.exit_code, 3) << r.err << r.out;
    json doc = json::parse(r.out);
    EXPECT_EQ(verdict(doc, 1), "pass");
    EXPECT_EQ(verdict(doc, 2), "fail");
    EXPECT_EQ(verdict(doc, 3), "fail");
    EXPECT_NE(check(doc, 2)["detail"].get<std::string>().find("stops 30.0 km short of the border or coast at (37.6"),
              std::string::npos)
        << check(doc, 2).dump();
    EXPECT_NE(check(doc, 3)["detail"].get<std::string>().find("cannot split the country"), std::string::npos);
    int short_ends = 0;
    for (const auto& e : doc["loose_ends"]) {
        if (!e["on_edge"].get<bool>()) {
            ++short_ends;
            // The file was cut where shapely's nearest point is 30.000 km away (geodesically);
            // frontline searches for the geodesically nearest point, which can only be nearer.
            EXPECT_NEAR(e["distance_to_edge_km"].get<double>(), 30.0, 0.3);
            EXPECT_LE(e["distance_to_edge_km"].get<double>(), 30.001);
        }
    }
    EXPECT_EQ(short_ends, 1);
    EXPECT_TRUE(doc["ceded_km2"].is_null());  // no sides, nothing measured
    EXPECT_TRUE(doc["max_offset_km"].is_null());
}

TEST(CeasefireEndToEnd, ALineThatLeavesAnEnclaveFailsCheckThree) {
    SampleRun s;
    auto r = s.run({"--line", proposal("leaves_enclave"), "--json"});
    ASSERT_EQ(r.exit_code, 3) << r.err << r.out;
    json doc = json::parse(r.out);
    EXPECT_EQ(verdict(doc, 1), "pass");
    EXPECT_EQ(verdict(doc, 2), "pass");
    EXPECT_EQ(verdict(doc, 3), "fail");
    ASSERT_EQ(doc["enclaves"].size(), 1u);
    EXPECT_EQ(doc["enclaves"][0]["side"], "occupied");
    // The ring is 0.14° × 0.09° at 48.3°N: about 10.35 × 10.0 km.
    EXPECT_NEAR(doc["enclaves"][0]["area_km2"].get<double>(), 103.6, 1.5);
    EXPECT_NE(check(doc, 3)["detail"].get<std::string>().find("1 enclave(s)/exclave(s)"), std::string::npos);
    // The sides still exist, so the enclave is also counted as given up by the free side.
    ASSERT_FALSE(doc["ceded_km2"].is_null());
    EXPECT_GT(doc["ceded_km2"]["free"].get<double>(), 100.0);
}

TEST(CeasefireEndToEnd, InputErrorsExitTwo) {
    SampleRun s;
    for (const auto& [args, mention] : std::vector<std::pair<std::vector<std::string>, std::string>>{
             {{}, "--line LINE_FILE or as --area"},
             {{"--line", proposal("self_intersecting"), "--area", "sample_data/deepstatemap_data_20250102.geojson"}, "one of them"},
             {{"--line", "sample_data/deepstatemap_data_20250102.geojson"}, "no LineString"},
             {{"--line", "tests/data/ceasefire/none.geojson"}, "none.geojson"},
             {{"--line", proposal("self_intersecting"), "--band", "5km", "--band-free", "2km"}, "one per side"},
             {{"--line", proposal("self_intersecting"), "--history-from", "2027-01-01"}, "--history-from"},
             {{"--line", proposal("self_intersecting"), "--end-tolerance", "far"}, "--end-tolerance far"}}) {
        auto r = s.run(args);
        EXPECT_EQ(r.exit_code, 2) << mention << ": " << r.err;
        EXPECT_NE(r.err.find(mention), std::string::npos) << r.err;
        EXPECT_EQ(r.out, "");
    }
}

TEST(CeasefireRealData, AllOfDonetskOblastToTheOccupyingSide) {
    FRONTLINE_REQUIRE_DATA(snapshot, kSnapshot);
    FRONTLINE_REQUIRE_DATA(adm1, kAdm1);
    test::TempDir dir;
    geo::Context ctx;
    const std::string store = ingest_into(dir, {snapshot});
    // The proposal: the occupied area of 2026-08-22 united with Donetsk oblast.
    std::vector<geo::Geometry> parts = ingest::read_source(ctx, snapshot).polygons;
    const std::size_t snapshot_parts = parts.size();
    for (auto& region : ingest::read_regions(ctx, adm1, "shapeName")) {
        if (region.name == "Donetsk Oblast") {
            parts.push_back(std::move(region.geometry));
        }
    }
    ASSERT_EQ(parts.size(), snapshot_parts + 1) << "Donetsk Oblast not found in " << adm1;
    const geo::Geometry area = geo::dissolve(ctx, parts, geo::kDefaultGridSizeDeg);
    const std::string area_path = dir.file("donetsk_to_occupied.geojson");
    ingest::write_features(area_path, "GeoJSON", "proposal", {}, {ingest::OutFeature{area.to_wkb(), {}}});

    cli::CeasefireOptions o;
    o.inputs.store = store;
    o.inputs.date = "2026-08-22";
    o.inputs.borders = {adm1};
    o.area = area_path;
    o.regions = adm1;
    o.places = sample("sites.geojson");
    o.band = "5km";
    cli::CeasefireReport r = cli::compute_ceasefire(ctx, o);
    json doc = json::parse(cli::ceasefire_json(r));

    // PostGIS: ST_Area(ST_Difference(Donetsk oblast, occupied ∩ country)::geography) = 7,686.5370 km²
    // (tests/reference/ceasefire_20260822.sql and .txt).
    const double ref_km2 = 7686.5370;
    EXPECT_NEAR(doc["ceded_km2"]["free"].get<double>(), ref_km2, ref_km2 * 0.001);
    EXPECT_NEAR(doc["ceded_km2"]["occupied"].get<double>(), 0.0, 0.01);
    double donetsk = -1.0;
    for (const auto& row : doc["regions"]) {
        if (row["region"] == "Donetsk Oblast") {
            donetsk = row["ceded_by_free_km2"];
        } else {
            EXPECT_LT(row["ceded_by_free_km2"].get<double>(), 0.5) << row.dump();
        }
        EXPECT_NEAR(row["ceded_by_occupied_km2"].get<double>(), 0.0, 0.01) << row.dump();
    }
    EXPECT_NEAR(donetsk, ref_km2, ref_km2 * 0.001);
    std::vector<std::string> changed = doc["changed_side"];
    EXPECT_NE(std::find(changed.begin(), changed.end(), "Kramatorsk"), changed.end()) << doc["changed_side"].dump();
    EXPECT_NE(std::find(changed.begin(), changed.end(), "Sloviansk"), changed.end()) << doc["changed_side"].dump();
    EXPECT_EQ(std::find(changed.begin(), changed.end(), "Kharkiv"), changed.end());
    EXPECT_EQ(std::find(changed.begin(), changed.end(), "Donetsk"), changed.end());  // occupied already
    for (int n : {1, 2}) {
        EXPECT_EQ(verdict(doc, n), "pass") << check(doc, n).dump();
    }
    EXPECT_NE(verdict(doc, 3), "fail") << check(doc, 3).dump();
    EXPECT_EQ(r.exit_code(), 0);
    EXPECT_EQ(verdict(doc, 5), "warn");
    // The new line runs along the Donetsk oblast border, up to ~80 km from today's front.
    EXPECT_GT(doc["max_offset_km"].get<double>(), 20.0);
}

TEST(CeasefireRealData, FreezeOnTheLineOfJanuaryEvaluatedInAugust) {
    FRONTLINE_REQUIRE_DATA(snapshot, kSnapshot);
    FRONTLINE_REQUIRE_DATA(january, kJanuary);
    FRONTLINE_REQUIRE_DATA(adm1, kAdm1);
    test::TempDir dir;
    geo::Context ctx;
    cli::CeasefireOptions o;
    o.inputs.store = ingest_into(dir, {january, snapshot});
    o.inputs.date = "2026-08-22";
    o.inputs.borders = {adm1};
    o.area = january;
    o.history_from = "2026-01-01";
    cli::CeasefireReport r = cli::compute_ceasefire(ctx, o);
    json doc = json::parse(cli::ceasefire_json(r));
    // PostGIS: the free side gives up what was occupied in January and is not now (302.5424 km²),
    // the occupying side what it took since (1,077.8587 km²).
    EXPECT_NEAR(doc["ceded_km2"]["free"].get<double>(), 302.5424, 302.5424 * 0.001);
    EXPECT_NEAR(doc["ceded_km2"]["occupied"].get<double>(), 1077.8587, 1077.8587 * 0.001);
    // Check 8: all of the area between the January line and the August front changed hands since
    // January: that is what put it between them.
    ASSERT_FALSE(doc["history"].is_null());
    EXPECT_EQ(verdict(doc, 8), "warn");
    EXPECT_NEAR(doc["history"]["changed_hands_km2"].get<double>(), doc["history"]["between_km2"].get<double>(), 0.5);
    EXPECT_NEAR(doc["history"]["taken_by_occupied_km2"].get<double>(), 1077.8587, 1.0);
    EXPECT_EQ(r.exit_code(), 0) << doc["checks"].dump();
}

}  // namespace
}  // namespace frontline
