// front and zones on the real 2026-08-22 snapshot (the acceptance of the front-line issue), and
// end-to-end goldens on sample_data/.
#include <gtest/gtest.h>
#include <geos_c.h>
#include <nlohmann/json.hpp>

#include <cmath>

#include "cli/command_front.hpp"
#include "cli/command_zones.hpp"
#include "geo/geodesic.hpp"
#include "geo/polygon_ops.hpp"
#include "ingest/ingest_job.hpp"
#include "ingest/reader.hpp"
#include "tests/test_support.hpp"

namespace frontline {
namespace {

using nlohmann::json;
using test::expect_golden;

const std::string kSnapshot = "deepstatemap_occupied/data/deepstatemap_data_20260822.geojson";
const std::string kAdm1 = "boundaries/geoboundaries_ukr_adm1/geoBoundaries-UKR-ADM1.geojson";
const std::string kLand = "boundaries/stanford_national_boundary/stanford.geojson";

std::string sample(const std::string& name) { return test::sample_dir() + "/" + name; }

std::string make_store(const test::TempDir& dir, const std::string& file) { return test::ingest_into(dir, {file}); }

/// Every vertex of a lon/lat linear or polygonal geometry.
std::vector<std::pair<double, double>> vertices(const geo::Geometry& g) {
    std::vector<std::pair<double, double>> out;
    auto* h = g.context().handle();
    GEOSCoordSequence* seq = nullptr;
    geo::Geometry pts(g.context(), GEOSGeom_extractUniquePoints_r(h, g.get()));
    for (int i = 0; i < pts.num_geometries(); ++i) {
        double x = 0, y = 0;
        const GEOSGeometry* p = GEOSGetGeometryN_r(h, pts.get(), i);
        GEOSGeomGetX_r(h, p, &x);
        GEOSGeomGetY_r(h, p, &y);
        out.emplace_back(x, y);
    }
    (void)seq;
    return out;
}

TEST(FrontRealData, LengthIsTheOrderOfTheCitedFrontAndStaysOffBorderAndCoast) {
    FRONTLINE_REQUIRE_DATA(snapshot, kSnapshot);
    FRONTLINE_REQUIRE_DATA(adm1, kAdm1);
    FRONTLINE_REQUIRE_DATA(land, kLand);
    test::TempDir dir;
    geo::Context ctx;
    cli::FrontCommandOptions o;
    o.inputs.store = make_store(dir, snapshot);
    o.inputs.date = "2026-08-22";
    o.inputs.borders = {adm1, land};
    o.regions = adm1;
    o.output = dir.file("front.geojson");
    cli::FrontReport r = cli::compute_front(ctx, o);
    // Ukraine's commander-in-chief cited about 1,250 km for 2025. PostGIS measures the line written
    // here at 1,253.982 km (tests/reference/front_sites_20260822.json).
    EXPECT_NEAR(r.length_m / 1e3, 1253.982, 1.0);
    ASSERT_TRUE(r.regions.has_value());
    double by_region = 0.0;
    for (const auto& row : *r.regions) {
        by_region += row.length_m;
    }
    EXPECT_NEAR(by_region / 1e3, r.length_m / 1e3, 0.1);

    // No vertex lies within the tolerance of the land outline's edge (Russian border, Azov coast).
    json fc = json::parse(test::read_bytes(o.output));
    ingest::SourceRead land_read = ingest::read_source(ctx, land);
    geo::Geometry outline = geo::dissolve(ctx, land_read.polygons, 0.0);
    geo::Geometry edge(ctx, GEOSBoundary_r(ctx.handle(), outline.get()));
    int checked = 0;
    std::vector<json> lines;
    for (const auto& f : fc["features"]) {
        if (f["geometry"]["type"] == "LineString") {
            lines.push_back(f["geometry"]["coordinates"]);
        } else {
            for (const auto& l : f["geometry"]["coordinates"]) {
                lines.push_back(l);
            }
        }
    }
    for (const auto& coords : lines) {
        for (std::size_t i = 0; i < coords.size(); i += 25) {
            const double x = coords[i][0];
            const double y = coords[i][1];
            geo::Geometry p = geo::Geometry::from_wkt(ctx, "POINT (" + std::to_string(x) + " " + std::to_string(y) + ")");
            GEOSCoordSequence* nearest = GEOSNearestPoints_r(ctx.handle(), edge.get(), p.get());
            double nx = 0, ny = 0;
            GEOSCoordSeq_getXY_r(ctx.handle(), nearest, 0, &nx, &ny);
            GEOSCoordSeq_destroy_r(ctx.handle(), nearest);
            EXPECT_GT(geo::geodesic_distance_m(x, y, nx, ny), 900.0) << "front vertex near the border at " << x << " " << y;
            ++checked;
        }
    }
    EXPECT_GT(checked, 50);
}

TEST(ZonesRealData, SitesAgreeWithPostgisAndThePlacementZoneHoldsTheRearCities) {
    FRONTLINE_REQUIRE_DATA(snapshot, kSnapshot);
    FRONTLINE_REQUIRE_DATA(adm1, kAdm1);
    FRONTLINE_REQUIRE_DATA(land, kLand);
    test::TempDir dir;
    geo::Context ctx;
    cli::ZonesOptions o;
    o.inputs.store = make_store(dir, snapshot);
    o.inputs.date = "2026-08-22";
    o.inputs.borders = {adm1, land};
    o.band = "40km";
    o.placement = true;
    o.min_distance = "50km";
    o.sites = sample("sites.geojson");
    cli::ZonesReport r = cli::compute_zones(ctx, o);

    json ref = json::parse(test::read_bytes(test::source_dir() + "/tests/reference/front_sites_20260822.json"));
    ASSERT_EQ(r.sites.size(), 12u);
    for (const auto& s : r.sites) {
        const double expected = ref["distance_km"][s.name];
        EXPECT_NEAR(s.distance_m / 1e3, expected, expected * 0.01) << s.name;
        const bool occupied = s.name == "Donetsk" || s.name == "Mariupol";
        EXPECT_EQ(s.side, occupied ? "occupied" : "free") << s.name;
        const bool rear = s.name == "Kyiv" || s.name == "Odesa" || s.name == "Lviv" || s.name == "Dnipro";
        if (rear) {
            EXPECT_TRUE(s.in_placement) << s.name;
        }
        if (s.name == "Kramatorsk" || s.name == "Kharkiv" || s.name == "Zaporizhzhia") {
            EXPECT_FALSE(s.in_placement) << s.name;
        }
    }
    for (std::size_t i = 1; i < r.sites.size(); ++i) {
        EXPECT_LE(r.sites[i - 1].distance_m, r.sites[i].distance_m) << "sites are sorted by distance";
    }
    ASSERT_EQ(r.bands.size(), 2u);
    EXPECT_GT(r.bands[0].area_m2, 1e9);
    EXPECT_GT(r.bands[1].area_m2, 1e9);
    // A 40 km band along ~1,250 km of front covers at most 2 × 40 × 1,254 km² (less where it meets
    // the border and the coast, and where the front bends).
    EXPECT_LT((r.bands[0].area_m2 + r.bands[1].area_m2) / 1e6, 2 * 40 * 1254.0);

    // The outer edge of the occupied-side band is 40 km from the front, geodesically, within 0.5%:
    // check vertices of the band that are far from the front line against a densified front.
    geo::Geometry band = geo::Geometry::from_wkb(ctx, r.bands[0].parts_wkb.front());
    cli::FrontCommandOptions fo;
    fo.inputs = o.inputs;
    cli::LoadedFront loaded = cli::load_front(ctx, fo.inputs);
    geo::Geometry dense(ctx, GEOSDensify_r(ctx.handle(), loaded.analysis->front().get(), 0.002));
    auto front_points = vertices(dense);
    // Vertices on the country's edge (where the band is clipped) are nearer than 40 km: leave out
    // those within about 300 m of either outline's edge.
    std::vector<geo::Geometry> edges;
    for (const auto& path : {adm1, land}) {
        geo::Geometry outline = geo::dissolve(ctx, ingest::read_source(ctx, path).polygons, 0.0);
        edges.emplace_back(ctx, GEOSBoundary_r(ctx.handle(), outline.get()));
    }
    auto on_edge = [&](double x, double y) {
        geo::Geometry p = geo::Geometry::from_wkt(ctx, "POINT (" + std::to_string(x) + " " + std::to_string(y) + ")");
        for (const auto& e : edges) {
            double d = 0.0;
            GEOSDistance_r(ctx.handle(), e.get(), p.get(), &d);
            if (d < 0.004) {
                return true;
            }
        }
        return false;
    };
    int checked = 0;
    auto band_points = vertices(band);
    for (std::size_t i = 0; i < band_points.size() && checked < 150; i += 7) {
        const auto [x, y] = band_points[i];
        double best = 1e300;
        for (const auto& [fx, fy] : front_points) {
            if (std::fabs(fx - x) < 1.0 && std::fabs(fy - y) < 0.6) {
                best = std::min(best, geo::geodesic_distance_m(x, y, fx, fy));
            }
        }
        EXPECT_LT(best, 40200.0) << "no point of the band is farther than its width: " << x << " " << y;
        if (best < 30000.0 || on_edge(x, y)) {
            continue;  // on the front line itself or on the country's edge
        }
        EXPECT_NEAR(best, 40000.0, 200.0) << "band vertex " << x << " " << y;
        ++checked;
    }
    EXPECT_GT(checked, 20);
}

TEST(FrontEndToEnd, GoldensOnSampleData) {
    test::TempDir dir;
    const std::string store = make_store(dir, sample("deepstatemap_data_20260101.geojson"));
    const std::string border = sample("ukraine_adm1_east.geojson");
    // Relative paths, run from sample_data/: the golden must not hold the checkout's location.
    auto front = test::run_frontline({"front", "--store", store, "--date", "2026-01-01", "--border", "ukraine_adm1_east.geojson",
                                      "--regions", "ukraine_adm1_east.geojson", "--json"},
                                     test::sample_dir());
    ASSERT_EQ(front.exit_code, 0) << front.err;
    EXPECT_EQ(front.err, "");
    json doc = json::parse(front.out);
    for (const char* key : {"date", "snapshot", "length_km", "parts", "regions", "method"}) {
        EXPECT_TRUE(doc.contains(key)) << key;
    }
    EXPECT_GT(doc["length_km"].get<double>(), 1000.0);
    expect_golden(front.out, "front_20260101_east.json");

    auto zones = test::run_frontline({"zones", "--store", store, "--date", "2026-01-01", "--border", border, "--band-occupied",
                                      "5km", "--band-free", "20km", "--placement", "--min-distance", "50km", "--max-distance",
                                      "150km", "--sites", sample("sites.geojson"), "--json", "-o", "zones.geojson"},
                                     dir.path());
    ASSERT_EQ(zones.exit_code, 0) << zones.err;
    EXPECT_EQ(zones.err, "");
    json z = json::parse(zones.out);
    ASSERT_EQ(z["bands"].size(), 2u);
    EXPECT_EQ(z["bands"][0]["side"], "occupied");
    EXPECT_EQ(z["bands"][1]["side"], "free");
    EXPECT_GT(z["bands"][1]["area_km2"].get<double>(), z["bands"][0]["area_km2"].get<double>());
    EXPECT_FALSE(z["placement"].is_null());
    expect_golden(zones.out, "zones_20260101_east.json");
    json fc = json::parse(test::read_bytes(dir.file("zones.geojson")));
    int sites = 0;
    for (const auto& f : fc["features"]) {
        sites += f["properties"]["kind"] == "site" ? 1 : 0;
    }
    EXPECT_EQ(sites, 12);
}

TEST(FrontEndToEnd, LengthOverTime) {
    test::TempDir dir;
    geo::Context ctx;
    ingest::IngestOptions io;
    io.store_path = dir.file("s.gpkg");
    io.files = {sample("deepstatemap_data_20250102.geojson"), sample("deepstatemap_data_20260101.geojson")};
    ingest::ingest_files(ctx, io);
    auto r = test::run_frontline({"front", "--store", io.store_path, "--from", "2025-01-02", "--to", "2026-01-01", "--step",
                                  "year", "--border", sample("ukraine_adm1_east.geojson"), "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json doc = json::parse(r.out);
    ASSERT_EQ(doc["steps"].size(), 2u);
    EXPECT_EQ(doc["steps"][0]["snapshot"], "2025-01-02");
    // The same length as the single-date run (tests/golden/front_20260101_east.json).
    EXPECT_NEAR(doc["steps"][1]["length_km"].get<double>(), 3309.091, 0.001);
    auto both = test::run_frontline({"front", "--store", io.store_path, "--date", "2026-01-01", "--from", "2025-01-02", "--to",
                                     "2026-01-01", "--border", sample("ukraine_adm1_east.geojson")});
    EXPECT_EQ(both.exit_code, 2);
    EXPECT_NE(both.err.find("--date and --from/--to"), std::string::npos) << both.err;
}

TEST(FrontEndToEnd, BadOptions) {
    test::TempDir dir;
    const std::string store = make_store(dir, sample("deepstatemap_data_20260101.geojson"));
    const std::string border = sample("ukraine_adm1_east.geojson");
    auto run = [&](std::vector<std::string> args) { return test::run_frontline(args); };
    for (const auto& [args, mention] : std::vector<std::pair<std::vector<std::string>, std::string>>{
             {{"front", "--store", store, "--date", "2026-01-01"}, "--border"},
             {{"front", "--store", store, "--date", "2020-01-01", "--border", border}, "no snapshot"},
             {{"front", "--store", store, "--date", "2026-01-01", "--border", border, "--border-tolerance", "abc"}, "--border-tolerance abc"},
             {{"front", "--store", store, "--date", "2026-01-01", "--border", border, "--border-tolerance", "0km"}, "greater than 0"},
             {{"front", "--store", store, "--date", "2026-01-01", "--border", dir.file("none.geojson")}, "none.geojson"},
             {{"zones", "--store", store, "--date", "2026-01-01", "--border", border}, "ask for --band"},
             {{"zones", "--store", store, "--date", "2026-01-01", "--border", border, "--band", "5km", "--band-free", "2km"}, "one per side"},
             {{"zones", "--store", store, "--date", "2026-01-01", "--border", border, "--placement"}, "--min-distance"},
             {{"zones", "--store", store, "--date", "2026-01-01", "--border", border, "--placement", "--min-distance", "50km",
               "--max-distance", "20km"}, "--max-distance"},
             {{"zones", "--store", store, "--date", "2026-01-01", "--border", border, "--band", "5km", "--sites", border,
               "--site-name-field", "name"}, "no point features"}}) {
        auto r = run(args);
        EXPECT_EQ(r.exit_code, 2) << mention << ": " << r.err;
        EXPECT_NE(r.err.find(mention), std::string::npos) << r.err;
    }
}

}  // namespace
}  // namespace frontline
