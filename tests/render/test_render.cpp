// `render map` and `render chart` on the real sample snapshots (cyterat daily archive, GPL-3.0):
// the images are read back with GDAL's PNG driver (not Cairo) and probed at pixels computed
// through the very transform the renderer used; SVG paths are counted against what the inputs
// should produce; errors leave no file behind.
#define GEOS_USE_ONLY_R_API
#include <cpl_minixml.h>
#include <gdal_priv.h>
#include <geos_c.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>

#include "cli/command_delta.hpp"
#include "cli/command_render.hpp"
#include "cli/command_zones.hpp"
#include "geo/front.hpp"
#include "geo/polygon_ops.hpp"
#include "ingest/gdal_env.hpp"
#include "ingest/points_reader.hpp"
#include "ingest/regions_reader.hpp"
#include "tests/test_support.hpp"

namespace frontline {
namespace {

std::string sample(const std::string& name) { return test::sample_dir() + "/" + name; }

const std::string kRegions = "ukraine_adm1_east.geojson";

/// A store holding the three sample snapshots.
std::string sample_store(const test::TempDir& dir) {
    return test::ingest_into(dir, {sample("deepstatemap_data_20250102.geojson"), sample("deepstatemap_data_20250801.geojson"),
                                   sample("deepstatemap_data_20260101.geojson")});
}

/// A PNG read back through GDAL: width, height and 8-bit RGB.
struct Image {
    int width = 0;
    int height = 0;
    std::vector<unsigned char> r, g, b;
    std::array<int, 3> at(double x, double y) const {
        const int ix = static_cast<int>(std::floor(x));
        const int iy = static_cast<int>(std::floor(y));
        if (ix < 0 || iy < 0 || ix >= width || iy >= height) {
            return {-1, -1, -1};
        }
        const std::size_t i = static_cast<std::size_t>(iy) * static_cast<std::size_t>(width) + static_cast<std::size_t>(ix);
        return {r[i], g[i], b[i]};
    }
    int count(unsigned rgb) const {
        int n = 0;
        for (std::size_t i = 0; i < r.size(); ++i) {
            n += (r[i] == ((rgb >> 16) & 0xff) && g[i] == ((rgb >> 8) & 0xff) && b[i] == (rgb & 0xff)) ? 1 : 0;
        }
        return n;
    }
};

Image read_png(const std::string& path) {
    ingest::init_gdal();
    Image img;
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    EXPECT_TRUE(ds) << path;
    if (!ds) {
        return img;
    }
    EXPECT_STREQ(ds->GetDriver()->GetDescription(), "PNG");
    img.width = ds->GetRasterXSize();
    img.height = ds->GetRasterYSize();
    EXPECT_GE(ds->GetRasterCount(), 3);
    const std::size_t n = static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height);
    std::vector<unsigned char>* bands[3] = {&img.r, &img.g, &img.b};
    for (int k = 0; k < 3; ++k) {
        bands[k]->resize(n);
        EXPECT_EQ(ds->GetRasterBand(k + 1)->RasterIO(GF_Read, 0, 0, img.width, img.height, bands[k]->data(), img.width,
                                                      img.height, GDT_Byte, 0, 0),
                  CE_None);
    }
    return img;
}

std::array<int, 3> rgb(unsigned v) {
    return {static_cast<int>((v >> 16) & 0xff), static_cast<int>((v >> 8) & 0xff), static_cast<int>(v & 0xff)};
}

/// The point deepest inside `part` (lon/lat polygon) and its distance to the part's edge, in
/// pixels of `t`: GEOS's maximum inscribed circle, computed in the map's own projected metres.
struct Deep {
    double px, py, radius_px;
};
Deep deepest_pixel(const geo::Geometry& part, const render::MapTransform& t) {
    const geo::Context& ctx = part.context();
    geo::Geometry projected = t.projection().forward(part);
    geo::Geometry line(ctx, GEOSMaximumInscribedCircle_r(ctx.handle(), projected.get(), 1.0), "MIC");
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    geo::Geometry p0(ctx, GEOSGeomGetStartPoint_r(ctx.handle(), line.get()), "start");
    geo::Geometry p1(ctx, GEOSGeomGetEndPoint_r(ctx.handle(), line.get()), "end");
    GEOSGeomGetX_r(ctx.handle(), p0.get(), &x0);
    GEOSGeomGetY_r(ctx.handle(), p0.get(), &y0);
    GEOSGeomGetX_r(ctx.handle(), p1.get(), &x1);
    GEOSGeomGetY_r(ctx.handle(), p1.get(), &y1);
    // Ask the public lon/lat → pixel function, as a caller would: back to lon/lat first.
    double lon = x0;
    double lat = y0;
    EXPECT_TRUE(t.projection().inverse_point(lon, lat));
    Deep d{0, 0, std::hypot(x1 - x0, y1 - y0) / t.metres_per_pixel()};
    EXPECT_TRUE(t.pixel(lon, lat, d.px, d.py));
    return d;
}

const geo::DeltaPart* largest(const geo::DeltaResult& r, geo::Change change) {
    for (const auto& p : r.parts) {  // largest first
        if (p.change == change) {
            return &p;
        }
    }
    return nullptr;
}

cli::DeltaReport independent_delta(const geo::Context& ctx, const std::string& store, const std::string& from,
                                   const std::string& to) {
    cli::DeltaOptions d;
    d.store = store;
    d.from = from;
    d.to = to;
    return cli::compute_delta_report(ctx, d);
}

TEST(RenderMap, PngPixelsAreGainedLandAndBackgroundWhereTheyShouldBe) {
    test::TempDir dir;
    const std::string store = sample_store(dir);
    geo::Context ctx;
    cli::RenderMapOptions o;
    o.store = store;
    o.delta = {"2025-01-02", "2026-01-01"};
    o.borders = {sample(kRegions)};  // the nine eastern units stand in for the country here
    o.output = dir.file("map.png");
    const cli::RenderMapReport r = cli::render_map_job(ctx, o);
    ASSERT_TRUE(r.drawn);
    const render::MapTransform& t = r.drawn->transform;

    const Image img = read_png(o.output);
    ASSERT_EQ(img.width, 1600);
    ASSERT_EQ(img.height, 1200);

    const cli::DeltaReport d = independent_delta(ctx, store, "2025-01-02", "2026-01-01");
    EXPECT_EQ(r.gained_parts, 72);  // as tests/golden/delta_20250102_20260101.txt
    EXPECT_EQ(r.lost_parts, 52);
    const geo::DeltaPart* gained = largest(d.result, geo::Change::gained);
    ASSERT_NE(gained, nullptr);
    const Deep deep = deepest_pixel(gained->polygon, t);
    ASSERT_GT(deep.radius_px, 3.0) << "the largest gained part should be several pixels wide";
    EXPECT_EQ(img.at(deep.px, deep.py), rgb(render::colours::gained)) << deep.px << "," << deep.py;

    // Dnipro: inside the outlines, outside the occupied area → land. Krasnodar krai (Russia,
    // 39.8E 45.5N), inside the frame but outside every outline → background.
    geo::Geometry outline = geo::Geometry::from_wkb(ctx, cli::load_outlines(ctx, [&] {
                                                        cli::FrontInputs in;
                                                        in.borders = o.borders;
                                                        return in;
                                                    }())[0].to_wkb());
    double x = 0, y = 0;
    ASSERT_TRUE(geo::contains_point(outline, 35.0462, 48.4647));
    ASSERT_TRUE(t.pixel(35.0462, 48.4647, x, y));
    EXPECT_EQ(img.at(x + 6, y), rgb(render::colours::land));
    ASSERT_FALSE(geo::contains_point(outline, 39.8, 45.5));
    ASSERT_TRUE(t.pixel(39.8, 45.5, x, y));
    ASSERT_TRUE(x > t.frame().x && x < t.frame().x + t.frame().width && y > t.frame().y &&
                y < t.frame().y + t.frame().height);
    EXPECT_EQ(img.at(x, y), rgb(render::colours::background));

    // The red pixels add up to the gained area (geodesic km², from delta) within 10%: the
    // projection keeps areas within 1% here; the rest is edge pixels, blended or covered.
    const double px_km2 = std::pow(t.metres_per_pixel() / 1000.0, 2);
    const double red_km2 = img.count(render::colours::gained) * px_km2;
    EXPECT_NEAR(red_km2 / (d.result.gained_m2 / 1e6), 1.0, 0.10) << red_km2 << " km² of red pixels";
}

TEST(RenderMap, BboxZoomsOnALostPartDrawnBlue) {
    test::TempDir dir;
    const std::string store = sample_store(dir);
    geo::Context ctx;
    const cli::DeltaReport d = independent_delta(ctx, store, "2025-01-02", "2026-01-01");
    const geo::DeltaPart* lost = largest(d.result, geo::Change::lost);
    ASSERT_NE(lost, nullptr);
    const geo::Envelope e = geo::envelope(lost->polygon);
    char bbox[160];
    std::snprintf(bbox, sizeof bbox, "%.6f,%.6f,%.6f,%.6f", e.min_lon - 0.02, e.min_lat - 0.02, e.max_lon + 0.02,
                  e.max_lat + 0.02);
    cli::RenderMapOptions o;
    o.store = store;
    o.delta = {"2025-01-02", "2026-01-01"};
    o.bbox = bbox;
    o.width_px = 800;
    o.height_px = 600;
    o.output = dir.file("lost.png");
    const cli::RenderMapReport r = cli::render_map_job(ctx, o);
    const Image img = read_png(o.output);
    ASSERT_EQ(img.width, 800);
    ASSERT_EQ(img.height, 600);
    const Deep deep = deepest_pixel(lost->polygon, r.drawn->transform);
    ASSERT_GT(deep.radius_px, 3.0);
    EXPECT_EQ(img.at(deep.px, deep.py), rgb(render::colours::lost)) << deep.px << "," << deep.py;
}

/// Shapes drawn in an SVG: its `path` and `rect` elements (Cairo writes a fill of the whole page
/// as a rect), leaving out what <defs> holds (Cairo's glyph outlines). The SVG is parsed with
/// GDAL's XML parser (CPLParseXMLString), so a malformed file fails the test (-1).
int count_shapes(const CPLXMLNode* node) {
    int n = 0;
    for (; node != nullptr; node = node->psNext) {
        if (node->eType != CXT_Element) {
            continue;
        }
        const std::string name = node->pszValue;
        if (name == "defs") {
            continue;
        }
        n += (name == "path" || name == "rect") ? 1 : 0;
        n += count_shapes(node->psChild);
    }
    return n;
}
int drawn_paths(const std::string& svg) {
    CPLXMLNode* root = CPLParseXMLString(svg.c_str());
    if (root == nullptr) {
        ADD_FAILURE() << "the SVG does not parse: " << CPLGetLastErrorMsg();
        return -1;
    }
    const CPLXMLNode* top = CPLGetXMLNode(root, "=svg");
    EXPECT_NE(top, nullptr) << "no <svg> root element";
    const int n = top == nullptr ? -1 : count_shapes(top->psChild);
    CPLDestroyXMLNode(root);
    return n;
}

TEST(RenderMap, SvgHoldsOnePathPerPartAndPerLayer) {
    test::TempDir dir;
    const std::string store = sample_store(dir);
    geo::Context ctx;
    cli::RenderMapOptions o;
    o.store = store;
    o.delta = {"2025-01-02", "2026-01-01"};
    o.borders = {sample(kRegions)};
    o.regions = sample(kRegions);
    o.front = true;
    o.zones = "10km";
    o.sites = sample("sites.geojson");
    o.output = dir.file("map.svg");
    const cli::RenderMapReport r = cli::render_map_job(ctx, o);
    const std::string svg = test::read_bytes(o.output);
    ASSERT_EQ(svg.rfind("<?xml", 0), 0u);

    // The expectation from the inputs, computed apart from the renderer.
    const cli::DeltaReport d = independent_delta(ctx, store, "2025-01-02", "2026-01-01");
    cli::ZonesOptions z;
    z.inputs.store = store;
    z.inputs.date = "2026-01-01";
    z.inputs.borders = o.borders;
    z.band = "10km";
    const cli::ZonesReport zones = cli::compute_zones(ctx, z);
    ASSERT_EQ(zones.bands.size(), 2u);
    const int zone_parts = static_cast<int>(zones.bands[0].parts_wkb.size() + zones.bands[1].parts_wkb.size());
    const int parts = static_cast<int>(d.result.parts.size());
    EXPECT_EQ(parts, 72 + 52);
    const int legend_entries = 8;  // outline, regions, controlled, zones, gained, lost, front, sites
    // Cairo's SVG writer turns a fill followed by a stroke of the same path into one element:
    // the outline, the controlled area, the site dots and the legend box are one each.
    const int expected = 1            // background
                         + 1          // the one --border file: fill and edge
                         + 1          // every region outline in one dashed stroke
                         + 1          // controlled area: fill and edge
                         + zone_parts + parts  // one fill each
                         + 1          // front
                         + 1          // sites: dots filled and ringed
                         + 2          // title and caption bands
                         + 1 + legend_entries  // legend box and one swatch per entry
                         + 2;         // scale bar: dark segments, frame
    EXPECT_EQ(r.drawn->legend_entries, legend_entries);
    EXPECT_EQ(r.zone_parts, zone_parts);
    // The free-side band has crumbs along the border; one (about 50 m², under 1/256 px across at
    // this scale) covers no pixel, so Cairo would drop it and the renderer skips and counts it.
    EXPECT_LE(r.drawn->subpixel_parts, 2);
    EXPECT_EQ(drawn_paths(svg), expected - r.drawn->subpixel_parts);
    EXPECT_EQ(r.drawn->paint_ops, expected - r.drawn->subpixel_parts + 4);  // the four fill-and-stroke pairs
}

TEST(RenderMap, PdfHasAPage) {
    test::TempDir dir;
    const std::string store = sample_store(dir);
    auto run = test::run_frontline({"render", "map", "--store", store, "--date", "2025-08-01", "-o", dir.file("m.pdf"),
                                    "--width", "800", "--height", "600"});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(run.err, "");
    const std::string pdf = test::read_bytes(dir.file("m.pdf"));
    EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u);
    EXPECT_TRUE(std::regex_search(pdf, std::regex(R"(/Type\s*/Page\b)")));
    EXPECT_NE(pdf.find("%%EOF"), std::string::npos);
}

TEST(RenderChart, BarsAreRedUpAndBlueDownWhereTheStepsChanged) {
    test::TempDir dir;
    const std::string store = sample_store(dir);
    cli::RenderChartOptions o;
    o.store = store;
    o.from = "2025-01-02";
    o.to = "2026-01-01";
    o.output = dir.file("chart.png");
    const cli::RenderChartReport r = cli::render_chart_job(o);
    const Image img = read_png(o.output);
    ASSERT_EQ(img.width, 1600);
    ASSERT_EQ(img.height, 1000);
    ASSERT_EQ(r.data.boundaries.size(), 13u);  // 2025-01-02, 02-02, ..., 12-02, 2026-01-01
    ASSERT_EQ(r.drawn.bars.size(), 1u);
    const render::BarPanel& panel = r.drawn.bars[0];

    // The step 2025-07-02 → 2025-08-02 goes from snapshot 2025-01-02 to 2025-08-01; the last step
    // from 2025-08-01 to 2026-01-01; every other step stays on one snapshot and shows nothing.
    geo::Context ctx;
    const cli::DeltaReport jul = independent_delta(ctx, store, "2025-01-02", "2025-08-01");
    const cli::DeltaReport dec = independent_delta(ctx, store, "2025-08-01", "2026-01-01");
    const std::size_t steps = r.data.boundaries.size() - 1;
    for (std::size_t i = 0; i < steps; ++i) {
        const double cx = panel.box.x + (static_cast<double>(i) + 0.5) * panel.step_px;
        double gained = 0.0;
        double lost = 0.0;
        if (r.data.boundaries[i] == "2025-07-02") {
            gained = jul.result.gained_m2 / 1e6;
            lost = jul.result.lost_m2 / 1e6;
        } else if (i == steps - 1) {
            gained = dec.result.gained_m2 / 1e6;
            lost = dec.result.lost_m2 / 1e6;
        }
        EXPECT_NEAR(r.data.total.gained_km2[i], gained, 1e-6) << r.data.boundaries[i];
        const double up_px = gained * panel.px_per_km2;
        if (up_px > 6.0) {
            // A quarter of the way up the bar, beside the net tick.
            EXPECT_EQ(img.at(cx - panel.step_px * 0.2, panel.zero_y - up_px * 0.25), rgb(render::chart_colours::gained))
                << r.data.boundaries[i];
        } else {
            EXPECT_NE(img.at(cx - panel.step_px * 0.2, panel.zero_y - 4.0), rgb(render::chart_colours::gained))
                << r.data.boundaries[i];
        }
        const double down_px = lost * panel.px_per_km2;
        if (down_px > 6.0) {
            EXPECT_EQ(img.at(cx - panel.step_px * 0.2, panel.zero_y + down_px * 0.5), rgb(render::chart_colours::lost))
                << r.data.boundaries[i];
        }
    }
    // The controlled-area line: its last point is the 2026-01-01 snapshot's area.
    EXPECT_NEAR(r.data.total.area_km2.back(), 116218.65, 0.01);  // as the delta golden (pyproj/PostGIS-checked)
}

TEST(RenderChart, RegionsGiveOneSmallPanelEach) {
    test::TempDir dir;
    const std::string store = sample_store(dir);
    geo::Context ctx;
    const auto regions = ingest::read_regions(ctx, sample(kRegions), "shapeName");
    cli::RenderChartOptions o;
    o.store = store;
    o.from = "2025-01-02";
    o.to = "2026-01-01";
    o.step = "quarter";
    o.regions = sample(kRegions);
    o.output = dir.file("chart.svg");
    const cli::RenderChartReport r = cli::render_chart_job(o);
    // Every region gets a panel; the outside row only if something lies outside them all.
    ASSERT_GE(r.drawn.bars.size(), regions.size());
    ASSERT_LE(r.drawn.bars.size(), regions.size() + 1);
    for (std::size_t i = 0; i < regions.size(); ++i) {
        EXPECT_EQ(r.drawn.bars[i].name, regions[i].name);
        EXPECT_DOUBLE_EQ(r.drawn.bars[i].px_per_km2, r.drawn.bars[0].px_per_km2);  // one common scale
    }
    EXPECT_EQ(drawn_paths(test::read_bytes(o.output)), r.drawn.paint_ops);
}

TEST(RenderErrors, HelpOnBothSubcommands) {
    for (const char* sub : {"map", "chart"}) {
        auto r = test::run_frontline({"render", sub, "--help"});
        EXPECT_EQ(r.exit_code, 0) << sub;
        EXPECT_NE(r.out.find(std::string("Usage: ")), std::string::npos) << sub;
        EXPECT_NE(r.out.find(std::string("frontline render ") + sub), std::string::npos) << r.out;
        EXPECT_NE(r.out.find("Example:"), std::string::npos) << sub;
    }
    auto none = test::run_frontline({"render"});
    EXPECT_EQ(none.exit_code, 2);
}

TEST(RenderErrors, BadRequestsExitTwoAndWriteNothing) {
    test::TempDir dir;
    const std::string store = sample_store(dir);
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    const std::vector<Case> cases = {
        {{"render", "map", "--store", store, "--date", "2025-08-01", "-o", dir.file("out/m.gif")}, "image format"},
        {{"render", "map", "--store", store, "--date", "2025-08-01", "-o", dir.file("m.gif")}, "cannot tell the image format"},
        {{"render", "map", "--store", store, "--date", "2025-08-01", "--format", "jpeg", "-o", dir.file("m.png")},
         "--format jpeg"},
        {{"render", "map", "--store", store, "-o", dir.file("m.png")}, "--delta FROM TO or --date D"},
        {{"render", "map", "--store", store, "--date", "2020-01-01", "-o", dir.file("m.png")}, "no snapshot"},
        {{"render", "map", "--store", store, "--date", "2025-08-01", "-o", dir.file("nowhere/m.png")}, "cannot write"},
        {{"render", "map", "--store", store, "--date", "2025-08-01", "--front", "-o", dir.file("m.png")}, "--border"},
        {{"render", "map", "--store", store, "--delta", "2026-01-01", "2025-01-02", "-o", dir.file("m.png")},
         "earlier date first"},
        {{"render", "chart", "--store", store, "--from", "2024-01-01", "--to", "2024-06-01", "-o", dir.file("c.png")},
         "no snapshot"},
        {{"render", "chart", "--store", store, "--from", "2025-01-02", "-o", dir.file("c.png")}, "--to"},
    };
    for (const auto& c : cases) {
        auto r = test::run_frontline(c.args);
        EXPECT_EQ(r.exit_code, 2) << c.message << "\n" << r.err;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    }
    // Nothing but the store is left in the folder: no image, no temporary file.
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        EXPECT_EQ(entry.path().filename().string().rfind("store.gpkg", 0), 0u) << entry.path();
        ++files;
    }
    EXPECT_GE(files, 1);
}

}  // namespace
}  // namespace frontline
