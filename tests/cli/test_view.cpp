// `frontline view`: the page is self-contained, holds the series' steps and parts, and a failed
// run leaves nothing behind. The browser side is tests/browser/test_viewer.py.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "cli/command_series.hpp"
#include "cli/view/assets.hpp"
#include "geo/geodesic.hpp"
#include "tests/test_support.hpp"

namespace frontline {
namespace {

using nlohmann::json;

std::string sample(const std::string& name) { return test::sample_dir() + "/" + name; }

const std::vector<std::string> kSnapshots = {sample("deepstatemap_data_20250102.geojson"),
                                             sample("deepstatemap_data_20250801.geojson"),
                                             sample("deepstatemap_data_20260101.geojson")};

/// The text of <script type="application/json" id="ID">…</script>, parsed.
json embedded(const std::string& html, const std::string& id) {
    const std::string open = "<script type=\"application/json\" id=\"" + id + "\">";
    const auto a = html.find(open);
    EXPECT_NE(a, std::string::npos) << id;
    if (a == std::string::npos) {
        return json();
    }
    const auto b = html.find("</script>", a);
    return json::parse(html.substr(a + open.size(), b - a - open.size()));
}

/// Every number in a GeoJSON coordinate array, recursively.
void collect_numbers(const json& j, std::vector<double>& out) {
    if (j.is_number()) {
        out.push_back(j.get<double>());
    } else if (j.is_array()) {
        for (const auto& e : j) {
            collect_numbers(e, out);
        }
    }
}

struct Box {
    double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
};

Box box_of(const json& coordinates) {
    std::vector<double> v;
    collect_numbers(coordinates, v);
    Box b;
    for (std::size_t i = 0; i + 1 < v.size(); i += 2) {
        b.x0 = std::min(b.x0, v[i]);
        b.x1 = std::max(b.x1, v[i]);
        b.y0 = std::min(b.y0, v[i + 1]);
        b.y1 = std::max(b.y1, v[i + 1]);
    }
    return b;
}

class View : public ::testing::Test {
protected:
    void SetUp() override {
        store = test::ingest_into(dir, kSnapshots);
        args = {"--store", store, "--from", "2025-01-02", "--to", "2026-01-01", "--step", "week",
                "--regions", sample("ukraine_adm1_east.geojson")};
    }
    std::vector<std::string> with(std::vector<std::string> head, const std::vector<std::string>& tail) const {
        head.insert(head.end(), args.begin(), args.end());
        head.insert(head.end(), tail.begin(), tail.end());
        return head;
    }
    test::TempDir dir;
    std::string store;
    std::vector<std::string> args;
};

TEST_F(View, PageHoldsTheSeriesStepsAndItsPartsWithTheSameProperties) {
    const std::string page = dir.file("viewer.html");
    auto r = test::run_frontline(with({"view"}, {"-o", page}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_NE(r.out.find("viewer " + page + ": 52 steps"), std::string::npos) << r.out;
    const std::string html = test::read_bytes(page);
    EXPECT_LT(html.size(), 3'000'000u) << "a few MB at most";

    // The reference: `series` with the same options, its summary and its parts file.
    auto s = test::run_frontline(with({"series"}, {"--json", "-o", dir.file("parts.geojson")}));
    ASSERT_EQ(s.exit_code, 0) << s.err;
    json series = json::parse(s.out);
    json shown = embedded(html, "frontline-series");
    ASSERT_EQ(shown["steps"].size(), 52u);  // 2025-01-02 + 7k up to 2025-12-25, then 2026-01-01
    EXPECT_EQ(shown["steps"][51]["from"], "2025-12-25");
    EXPECT_EQ(shown["steps"][51]["to"], "2026-01-01");
    series["output"] = nullptr;  // the only difference: series wrote a parts file, the page does not
    EXPECT_EQ(shown, series);

    const json parts = embedded(html, "frontline-parts");
    const json reference = json::parse(test::read_bytes(dir.file("parts.geojson")));
    ASSERT_GT(reference["features"].size(), 0u);
    ASSERT_EQ(parts["features"].size(), reference["features"].size());
    std::set<int> steps_with_parts;
    for (std::size_t i = 0; i < parts["features"].size(); ++i) {
        const json& p = parts["features"][i];
        const json& q = reference["features"][i];
        EXPECT_EQ(p["properties"], q["properties"]) << "feature " << i;  // area_km2, dates, region, colours...
        steps_with_parts.insert(p["properties"]["step"].get<int>());
        // Display geometry: coordinates at most 6 decimals, simplified by a few metres at most, never more
        // vertices than the part has.
        std::vector<double> v;
        std::vector<double> w;
        collect_numbers(p["geometry"]["coordinates"], v);
        collect_numbers(q["geometry"]["coordinates"], w);
        EXPECT_LE(v.size(), w.size()) << "feature " << i;
        for (double x : v) {
            ASSERT_NEAR(x * 1e6, std::round(x * 1e6), 1e-6) << "feature " << i;
        }
        const Box a = box_of(p["geometry"]["coordinates"]);
        const Box b = box_of(q["geometry"]["coordinates"]);
        const double tol = 10.0 / 111320.0 * 2.0;  // 10 m in latitude; twice that for longitude at 48-52° N
        EXPECT_NEAR(a.x0, b.x0, tol) << "feature " << i;
        EXPECT_NEAR(a.x1, b.x1, tol) << "feature " << i;
        EXPECT_NEAR(a.y0, b.y0, tol) << "feature " << i;
        EXPECT_NEAR(a.y1, b.y1, tol) << "feature " << i;
    }
    // Parts come only where the snapshot changes: 2025-08-01 falls in step 31, 2026-01-01 in step 52.
    EXPECT_EQ(steps_with_parts, (std::set<int>{31, 52}));
    // Per step, the popups' area_km2 add up to the series' gained and lost figures.
    for (int step : steps_with_parts) {
        double gained = 0.0;
        double lost = 0.0;
        std::size_t n = 0;
        for (const auto& f : parts["features"]) {
            if (f["properties"]["step"] == step) {
                (f["properties"]["change"] == "gained" ? gained : lost) += f["properties"]["area_km2"].get<double>();
                ++n;
            }
        }
        const json& st = shown["steps"][step - 1];
        EXPECT_NEAR(gained, st["gained_km2"].get<double>(), 1e-4 * static_cast<double>(n)) << "step " << step;
        EXPECT_NEAR(lost, st["lost_km2"].get<double>(), 1e-4 * static_cast<double>(n)) << "step " << step;
    }

    const json base = embedded(html, "frontline-base");
    EXPECT_TRUE(base["border"].is_null());
    ASSERT_TRUE(base["regions"].is_object());
    EXPECT_EQ(base["regions"]["features"].size(), 9u);  // the nine units of the sample regions file
    EXPECT_EQ(base["parts_simplify_m"], 5.0);
}

/// Without --regions and with slivers kept, `series` alone overlays one side of each change
/// only (no parts are used); the page shows every part, so it must still get both sides.
TEST_F(View, WithoutRegionsAndWithSliversKeptThePageHoldsEveryPart) {
    args = {"--store", store, "--from", "2025-01-02", "--to", "2026-01-01", "--step", "month", "--min-area-km2", "0",
            "--min-width-m", "0"};
    const std::string page = dir.file("viewer.html");
    auto r = test::run_frontline(with({"view"}, {"-o", page}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto s = test::run_frontline(with({"series"}, {"--json", "-o", dir.file("parts.geojson")}));
    ASSERT_EQ(s.exit_code, 0) << s.err;
    const json parts = embedded(test::read_bytes(page), "frontline-parts");
    const json reference = json::parse(test::read_bytes(dir.file("parts.geojson")));
    std::map<std::string, int> shown;
    std::map<std::string, int> written;
    for (const auto& f : parts["features"]) {
        ++shown[f["properties"]["change"].get<std::string>()];
    }
    for (const auto& f : reference["features"]) {
        ++written[f["properties"]["change"].get<std::string>()];
    }
    EXPECT_GT(written["gained"], 0);
    EXPECT_GT(written["lost"], 0);
    EXPECT_EQ(shown, written);
}

TEST_F(View, PageIsSelfContained) {
    const std::string page = dir.file("viewer.html");
    auto r = test::run_frontline(with({"view"}, {"-o", page}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string html = test::read_bytes(page);

    // Leaflet is embedded whole (leaflet.min.js from Debian, its source-map comment removed).
    const std::string leaflet(cli::view::leaflet_js());
    ASSERT_GT(leaflet.size(), 100'000u);
    const auto leaflet_at = html.find(leaflet);
    ASSERT_NE(leaflet_at, std::string::npos);
    EXPECT_EQ(leaflet.find("sourceMappingURL"), std::string::npos);

    // Every http:// or https:// in the file is one of the two string constants in Leaflet's own
    // code, neither ever fetched: the SVG namespace name given to createElementNS, and the link in
    // Leaflet's default attribution prefix (the page replaces that prefix, so it is never shown;
    // the browser test checks no element has an href). Nothing else, anywhere.
    const std::set<std::string> allowed = {"http://www.w3.org/2000/svg", "https://leafletjs.com"};
    std::string lower = html;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::size_t found = 0;
    for (const char* scheme : {"http://", "https://"}) {
        for (auto at = lower.find(scheme); at != std::string::npos; at = lower.find(scheme, at + 1)) {
            ++found;
            const auto end = html.find_first_of("\"' )<>", at);
            const std::string url = html.substr(at, end - at);
            EXPECT_TRUE(at > leaflet_at && at < leaflet_at + leaflet.size()) << url << " outside the embedded Leaflet";
            EXPECT_EQ(allowed.count(url), 1u) << url;
        }
    }
    EXPECT_EQ(found, 2u);
    // Outside Leaflet's code (whose own source has generic src=/href= assignments for layers the
    // page does not use): no element or rule that could reach out.
    const std::string outside = lower.substr(0, leaflet_at) + lower.substr(leaflet_at + leaflet.size());
    for (const char* bad : {"src=", "href=", "<link", "<img", "<iframe", "@import", "//cdn", "ftp://", "file://"}) {
        EXPECT_EQ(outside.find(bad), std::string::npos) << bad;
    }
    // CSS url()s: only Leaflet's old-IE behaviour fragment remains (its image url()s are removed).
    std::size_t urls = 0;
    for (auto at = outside.find("url("); at != std::string::npos; at = outside.find("url(", at + 1)) {
        EXPECT_EQ(outside.compare(at, 17, "url(#default#vml)"), 0) << outside.substr(at, 40);
        ++urls;
    }
    EXPECT_EQ(urls, 1u);
}

TEST_F(View, BorderIsTheBaseMapSimplifiedForDisplay) {
    const std::string border = dir.file("border.geojson");
    // The union of the sample regions stands in for a country outline here.
    test::write_text(border, test::read_bytes(sample("ukraine_adm1_east.geojson")));
    const std::string page = dir.file("viewer.html");
    auto r = test::run_frontline(with({"view"}, {"--border", border, "--base-simplify-m", "1000", "-o", page}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json base = embedded(test::read_bytes(page), "frontline-base");
    ASSERT_TRUE(base["border"].is_object());
    ASSERT_EQ(base["border"]["features"].size(), 1u);
    std::vector<double> simplified;
    collect_numbers(base["border"]["features"][0]["geometry"]["coordinates"], simplified);
    std::vector<double> original;
    const json source = json::parse(test::read_bytes(border));
    for (const auto& f : source["features"]) {
        collect_numbers(f["geometry"]["coordinates"], original);
    }
    EXPECT_LT(simplified.size(), original.size() / 2) << "1 km simplification should drop most vertices";
    EXPECT_GT(simplified.size(), 40u);
    EXPECT_EQ(base["base_simplify_m"], 1000.0);
}

TEST_F(View, BadInputsExit2AndLeaveNoFile) {
    const std::string page = dir.file("viewer.html");
    auto count_files = [&] {
        std::size_t n = 0;
        for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) {
            ++n;
        }
        return n;
    };
    const std::size_t before = count_files();

    auto missing_border = test::run_frontline(with({"view"}, {"--border", dir.file("nope.geojson"), "-o", page}));
    EXPECT_EQ(missing_border.exit_code, 2);
    EXPECT_NE(missing_border.err.find("nope.geojson"), std::string::npos) << missing_border.err;
    EXPECT_FALSE(test::file_exists(page));
    EXPECT_EQ(count_files(), before) << "temporary files left behind";

    auto no_folder = test::run_frontline(with({"view"}, {"-o", dir.file("no/such/folder/v.html")}));
    EXPECT_EQ(no_folder.exit_code, 2);
    EXPECT_NE(no_folder.err.find("-o " + dir.file("no/such/folder/v.html") + ": cannot write"), std::string::npos)
        << no_folder.err;

    auto bad_step = test::run_frontline({"view", "--store", store, "--from", "2025-01-02", "--to", "2026-01-01", "--step",
                                         "fortnight", "-o", page});
    EXPECT_EQ(bad_step.exit_code, 2);
    EXPECT_NE(bad_step.err.find("--step fortnight"), std::string::npos) << bad_step.err;

    auto no_output = test::run_frontline({"view", "--store", store, "--from", "2025-01-02", "--to", "2026-01-01"});
    EXPECT_EQ(no_output.exit_code, 2);
    EXPECT_NE(no_output.err.find("--output"), std::string::npos) << no_output.err;

    // A page already there survives a failed run untouched.
    test::write_text(page, "old page");
    auto wrong_class = test::run_frontline(with({"view"}, {"--class", "contested", "-o", page}));
    EXPECT_EQ(wrong_class.exit_code, 2);
    EXPECT_NE(wrong_class.err.find("class 'contested'"), std::string::npos) << wrong_class.err;
    EXPECT_EQ(test::read_bytes(page), "old page");
    EXPECT_EQ(count_files(), before + 1);
}

TEST_F(View, AFailedPairStillGivesAPageThatSaysSoAndExits3) {
    const std::string page = dir.file("viewer.html");
    ASSERT_EQ(setenv("FRONTLINE_TEST_FAIL_PAIR_FROM", "2025-07-31", 1), 0);  // step 31's overlay fails
    auto r = test::run_frontline(with({"view"}, {"-o", page}));
    unsetenv("FRONTLINE_TEST_FAIL_PAIR_FROM");
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("pair 2025-07-31 to 2025-08-07 (snapshots 2025-01-02, 2025-08-01) failed"), std::string::npos)
        << r.err;
    const std::string html = test::read_bytes(page);
    const json series = embedded(html, "frontline-series");
    EXPECT_EQ(series["failed_pairs"], 1);
    EXPECT_NE(series["steps"][30]["error"].get<std::string>().find("injected"), std::string::npos);
    const json parts = embedded(html, "frontline-parts");  // kept alive for the loop below
    for (const auto& f : parts["features"]) {
        EXPECT_EQ(f["properties"]["step"], 52) << "a failed step has no parts";
    }
}

// The page is built from the report after compute_series has returned, so the parts' geometries
// must still be usable then: their GEOS contexts live in the report. (Under the sanitizer build a
// freed context is a heap-use-after-free here.)
TEST_F(View, SeriesPartsAreUsableAfterComputeSeriesReturns) {
    cli::SeriesOptions o;
    o.store = store;
    o.from = "2025-01-02";
    o.to = "2026-01-01";
    o.step = "month";
    o.regions = sample("ukraine_adm1_east.geojson");
    o.quiet = true;
    const cli::SeriesReport report = cli::compute_series(o);
    const auto records = cli::series_part_records(report);
    ASSERT_GT(records.size(), 10u);
    for (const auto& r : records) {
        EXPECT_NEAR(geo::geodesic_area_m2(*r.geometry), r.area_m2, 1e-6 * r.area_m2 + 1e-3);
    }
}

TEST(ViewHelp, HasAnExample) {
    auto r = test::run_frontline({"view", "--help"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("Example:"), std::string::npos);
    EXPECT_NE(r.out.find("--border"), std::string::npos);
}

}  // namespace
}  // namespace frontline
