#include "cli/command_render.hpp"

#include <CLI/CLI.hpp>

#include <cmath>
#include <deque>
#include <limits>
#include <memory>
#include <ostream>

#include "cli/command_delta.hpp"
#include "cli/command_series.hpp"
#include "cli/format.hpp"
#include "cli/front_inputs.hpp"
#include "cli/store_options.hpp"
#include "geo/error.hpp"
#include "geo/front.hpp"
#include "geo/geodesic.hpp"
#include "geo/polygon_ops.hpp"
#include "ingest/dates.hpp"
#include "ingest/points_reader.hpp"
#include "ingest/regions_reader.hpp"
#include "ingest/store.hpp"

namespace frontline::cli {

namespace {

void check_size(int width_px, int height_px) {
    if (width_px < 200 || width_px > 20000 || height_px < 200 || height_px > 20000) {
        throw InputError("--width/--height: give 200 to 20000 pixels each (got " + std::to_string(width_px) + "x" +
                         std::to_string(height_px) + ")");
    }
}

std::string km2_text(double m2) { return grouped(m2 / 1e6, 0) + " km²"; }

/// "deepstatemap_data_20260101.geojson" for the caption, or the key if the store lost the name.
std::string source_of(const ingest::SnapshotInfo& info) {
    return info.source_file.empty() ? info.key.date : info.source_file;
}

const char* const kMethodShort = "Areas and lengths: geodesic on the WGS84 ellipsoid (GeographicLib via PROJ).";

}  // namespace

RenderMapReport render_map_job(const geo::Context& ctx, const RenderMapOptions& o) {
    // Validate every option before anything is read.
    RenderMapReport report;
    report.format = render::output_format(o.output, o.format);
    render::check_writable(o.output);
    check_size(o.width_px, o.height_px);
    const bool is_delta = !o.delta.empty();
    if (is_delta == !o.date.empty()) {
        throw InputError("render map: give either --delta FROM TO or --date D");
    }
    if (is_delta && o.delta.size() != 2) {
        throw InputError("--delta: give two dates, FROM TO (YYYY-MM-DD)");
    }
    if (is_delta) {
        ingest::parse_date(o.delta[0], "--delta FROM");
        ingest::parse_date(o.delta[1], "--delta TO");
        if (o.delta[0] > o.delta[1]) {
            throw InputError("--delta " + o.delta[0] + " " + o.delta[1] + ": give the earlier date first");
        }
    } else {
        ingest::parse_date(o.date, "--date");
    }
    const bool want_front = o.front || !o.zones.empty();
    if (want_front && o.borders.empty()) {
        throw InputError("--front and --zones need --border (the country outline tells front from border and coast)");
    }
    const double zone_m = o.zones.empty() ? 0.0 : parse_distance_m(o.zones, "--zones");
    if (!o.zones.empty() && !(zone_m > 0.0)) {
        throw InputError("--zones: the band width must be greater than 0 (e.g. 10km)");
    }
    const std::optional<ingest::BBox> bbox = parse_bbox(o.bbox);
    FrontInputs front_in;
    front_in.store = o.store;
    front_in.provider = o.provider;
    front_in.cls = o.cls;
    front_in.borders = o.borders;
    const geo::FrontOptions front_opts = want_front ? front_options(front_in) : geo::FrontOptions{};

    render::MapScene scene;
    std::vector<std::string> caption;
    std::deque<geo::Geometry> keep;  // owns what the scene points at (a deque never moves its elements)
    auto own = [&](geo::Geometry g) -> const geo::Geometry* {
        keep.push_back(std::move(g));
        return &keep.back();
    };

    ingest::Store store = ingest::Store::open(o.store);
    std::unique_ptr<geo::Geometry> controlled;
    std::string drawn_date;
    std::string source_line;
    DeltaReport delta;
    if (is_delta) {
        DeltaOptions d;
        d.store = o.store;
        d.from = o.delta[0];
        d.to = o.delta[1];
        d.provider = o.provider;
        d.cls = o.cls;
        delta = compute_delta_report(ctx, d);
        report.from_snapshot = delta.from_snapshot;
        report.to_snapshot = delta.to_snapshot;
        drawn_date = delta.to_snapshot;
    } else {
        auto info = store.latest_on_or_before(o.provider, o.cls, o.date);
        if (!info) {
            throw InputError("--date " + o.date + ": no snapshot of provider '" + o.provider + "', class '" + o.cls +
                             "' on or before that date; see frontline list --store " + o.store);
        }
        report.to_snapshot = info->key.date;
        drawn_date = info->key.date;
    }
    const auto to_info = store.latest_on_or_before(o.provider, o.cls, drawn_date);
    controlled = std::make_unique<geo::Geometry>(
        geo::Geometry::from_wkb(ctx, store.load_wkb(ingest::SnapshotKey{o.provider, drawn_date, o.cls})));
    const double controlled_m2 = geo::geodesic_area_m2(*controlled);
    scene.controlled = controlled.get();
    scene.controlled_label = "Controlled (" + o.cls + "), " + drawn_date;

    if (is_delta) {
        for (const auto& part : delta.result.parts) {
            if (part.change == geo::Change::gained) {
                scene.gained.push_back(&part.polygon);
                ++report.gained_parts;
            } else {
                scene.lost.push_back(&part.polygon);
                ++report.lost_parts;
            }
        }
        const auto& r = delta.result;
        scene.gained_label = "Gained " + delta.from_snapshot + " to " + delta.to_snapshot + ": " + km2_text(r.gained_m2);
        scene.lost_label = "Lost " + delta.from_snapshot + " to " + delta.to_snapshot + ": " + km2_text(r.lost_m2);
        scene.title = "Territory gained and lost (" + o.cls + "), " + o.delta[0] + " to " + o.delta[1];
        caption.push_back("Between snapshots " + delta.from_snapshot + " and " + delta.to_snapshot + ": gained " +
                          km2_text(r.gained_m2) + " (" + std::to_string(report.gained_parts) + " parts), lost " +
                          km2_text(r.lost_m2) + " (" + std::to_string(report.lost_parts) + " parts), net " +
                          signed_grouped(r.net_m2() / 1e6, 0) + " km²; controlled on " + delta.to_snapshot + ": " +
                          km2_text(controlled_m2) + ".");
        const auto from_info = store.latest_on_or_before(o.provider, o.cls, delta.from_snapshot);
        source_line = "Data: provider '" + o.provider + "', class '" + o.cls + "', snapshots " + delta.from_snapshot +
                      " (" + (from_info ? source_of(*from_info) : "?") + ") and " + delta.to_snapshot + " (" +
                      (to_info ? source_of(*to_info) : "?") + ").";
    } else {
        scene.title = "Controlled area (" + o.cls + ") on " + o.date;
        caption.push_back("Controlled (" + o.cls + ") on snapshot " + drawn_date + " (requested " + o.date +
                          "): " + km2_text(controlled_m2) + ".");
        source_line = "Data: provider '" + o.provider + "', class '" + o.cls + "', snapshot " + drawn_date + " (" +
                      (to_info ? source_of(*to_info) : "?") + ").";
    }

    std::vector<geo::Geometry> outlines;
    if (!o.borders.empty()) {
        outlines = load_outlines(ctx, front_in);
        for (const auto& g : outlines) {
            scene.outlines.push_back(&g);
        }
    }
    std::unique_ptr<geo::FrontAnalysis> front;
    if (want_front) {
        front = std::make_unique<geo::FrontAnalysis>(*controlled, outlines, front_opts);
        report.front_length_m = front->length_m();
        if (o.front) {
            scene.front = &front->front();
            scene.front_label = "Front line, " + drawn_date + ": " + grouped(front->length_m() / 1000.0, 0) + " km";
        }
        if (!o.zones.empty()) {
            for (geo::Side side : {geo::Side::controlled, geo::Side::free}) {
                for (auto& p : geo::polygons_of(front->band(side, zone_m))) {
                    scene.zones.push_back(own(std::move(p)));
                    ++report.zone_parts;
                }
            }
            scene.zones_label = "Within " + o.zones + " of the front, both sides";
        }
        caption.push_back("Front: the boundary of the " + o.cls + " area inside the country outline, " +
                          grouped(front->length_m() / 1000.0, 1) + " km on " + drawn_date +
                          " (border and coast within 1 km of the outline are not front).");
    }
    std::vector<geo::Region> regions;
    if (!o.regions.empty()) {
        regions = ingest::read_regions(ctx, o.regions, o.region_field);
        for (const auto& r : regions) {
            scene.regions.push_back(render::NamedGeometry{r.name, &r.geometry});
        }
    }
    if (!o.sites.empty()) {
        for (const auto& s : ingest::read_sites(o.sites, o.site_name_field)) {
            scene.sites.push_back(render::MapSite{s.name, s.lon, s.lat});
        }
    }
    if (bbox) {
        scene.bbox = std::vector<double>{bbox->min_lon, bbox->min_lat, bbox->max_lon, bbox->max_lat};
    }
    if (!o.title.empty()) {
        scene.title = o.title;
    }
    caption.push_back(kMethodShort);
    caption.push_back(source_line);
    scene.caption = caption;

    render::MapOptions mo;
    mo.width_px = o.width_px;
    mo.height_px = o.height_px;
    report.drawn = render::render_map(scene, o.output, report.format, mo);
    return report;
}

RenderChartReport render_chart_job(const RenderChartOptions& o) {
    RenderChartReport report;
    report.format = render::output_format(o.output, o.format);
    render::check_writable(o.output);
    check_size(o.width_px, o.height_px);
    if (o.from.empty() || o.to.empty()) {
        throw InputError("render chart: give --from and --to (YYYY-MM-DD)");
    }
    if (o.step == "snapshot") {
        throw InputError("--step snapshot: render chart needs calendar steps (day, week, month, quarter or year)");
    }
    SeriesOptions s;
    s.store = o.store;
    s.from = o.from;
    s.to = o.to;
    s.step = o.step;
    s.provider = o.provider;
    s.cls = o.cls;
    s.regions = o.regions;
    s.region_field = o.region_field;
    s.quiet = true;
    const SeriesReport series = compute_series(s);
    report.failed_pairs = series.failed_pairs;

    const double nan = std::numeric_limits<double>::quiet_NaN();
    render::ChartData& data = report.data;
    if (series.steps.empty()) {
        throw InputError("render chart: --from " + o.from + " and --to " + o.to + " give no step; widen the range");
    }
    data.boundaries.push_back(series.steps.front().from);
    data.total.name = "total";
    auto ok = [](const SeriesDelta& d) { return d.error.empty(); };
    data.total.area_km2.push_back(ok(series.steps.front()) ? series.steps.front().result.area_from_m2 / 1e6 : nan);
    for (const auto& d : series.steps) {
        data.boundaries.push_back(d.to);
        data.total.area_km2.push_back(ok(d) ? d.result.area_to_m2 / 1e6 : nan);
        data.total.gained_km2.push_back(ok(d) ? d.result.gained_m2 / 1e6 : nan);
        data.total.lost_km2.push_back(ok(d) ? d.result.lost_m2 / 1e6 : nan);
    }
    if (!o.regions.empty()) {
        // The rows of every step's breakdown come in region order, the outside row last.
        const SeriesDelta* first_ok = nullptr;
        for (const auto& d : series.steps) {
            if (ok(d) && d.regional) {
                first_ok = &d;
                break;
            }
        }
        if (first_ok != nullptr) {
            const auto& rows = first_ok->regional->rows;
            for (std::size_t r = 0; r < rows.size(); ++r) {
                render::ChartSeries cs;
                cs.name = rows[r].region;
                bool any = false;
                for (std::size_t i = 0; i < series.steps.size(); ++i) {
                    const auto& d = series.steps[i];
                    const bool good = ok(d) && d.regional && d.regional->rows.size() == rows.size();
                    const RegionRow* row = good ? &d.regional->rows[r] : nullptr;
                    if (i == 0) {
                        cs.area_km2.push_back(row ? row->area_from_m2 / 1e6 : nan);
                    }
                    cs.area_km2.push_back(row ? row->area_to_m2 / 1e6 : nan);
                    cs.gained_km2.push_back(row ? row->gained_m2 / 1e6 : nan);
                    cs.lost_km2.push_back(row ? row->lost_m2 / 1e6 : nan);
                    any = any || (row && (row->gained_m2 > 0.0 || row->lost_m2 > 0.0 || row->area_to_m2 > 0.0));
                }
                // The outside row only when something lies outside every region.
                if (r + 1 < rows.size() || any) {
                    data.regions.push_back(std::move(cs));
                }
            }
        }
    }
    data.title = o.title.empty() ? "Controlled area (" + o.cls + ") and change per " + o.step + ", " + o.from +
                                       " to " + o.to
                                 : o.title;
    const auto& totals = series.totals;
    if (totals.error.empty()) {
        data.caption.push_back("Whole range (snapshots " + totals.from_snapshot + " to " + totals.to_snapshot +
                               "): gained " + km2_text(totals.result.gained_m2) + ", lost " +
                               km2_text(totals.result.lost_m2) + ", net " +
                               signed_grouped(totals.result.net_m2() / 1e6, 0) +
                               " km². Each step uses the latest snapshot on or before each boundary.");
    }
    if (series.failed_pairs > 0) {
        data.caption.push_back(std::to_string(series.failed_pairs) +
                               " pair(s) failed and are left out (see frontline series for the messages).");
    }
    data.caption.push_back(kMethodShort);
    std::string snapshots;
    {
        std::vector<std::string> seen;
        for (const auto& d : series.steps) {
            for (const auto* date : {&d.from_snapshot, &d.to_snapshot}) {
                if (!date->empty() && (seen.empty() || seen.back() != *date)) {
                    seen.push_back(*date);
                }
            }
        }
        snapshots = std::to_string(seen.size()) + " snapshot(s)" +
                    (seen.empty() ? std::string() : ", " + seen.front() + " to " + seen.back());
    }
    // Not the store's name: a PG: connection string may carry a password.
    data.caption.push_back("Data: provider '" + o.provider + "', class '" + o.cls + "', " + snapshots + ".");
    render::ChartOptions co;
    co.width_px = o.width_px;
    co.height_px = o.height_px;
    report.drawn = render::render_chart(data, o.output, report.format, co);
    return report;
}

CLI::App* RenderCommand::setup(CLI::App& app) {
    auto* cmd = app.add_subcommand("render", "Static maps and charts (PNG, SVG, PDF)");
    cmd->require_subcommand(1);
    cmd->footer(
        "Example:\n  frontline render map --store ua.gpkg --delta 2025-01-02 2026-01-01 -o change.png\n"
        "  frontline render chart --store ua.gpkg --from 2025-01-01 --to 2026-01-01 -o chart.png");

    auto& m = m_map_options;
    m_map = cmd->add_subcommand("map", "A map of the controlled area, what was gained and lost, the front, zones, sites");
    m_map->footer(
        "Drawn in an azimuthal equidistant projection centred on the data, each layer simplified to half a\n"
        "pixel. Gained parts are red, lost parts blue. --zones W draws the band within W of the front on both\n"
        "sides (as zones --band W).\n\n"
        "Example:\n  frontline render map --store ua.gpkg --delta 2025-01-02 2026-01-01 --border ukraine.geojson \\\n"
        "      --regions oblasts.geojson --front -o change.png");
    add_store_option(*m_map, m.store);
    m_map->add_option("--delta", m.delta, "FROM TO: draw what was gained and lost between these dates")
        ->expected(2);
    m_map->add_option("--date", m.date, "Draw the controlled area on this date, YYYY-MM-DD");
    m_map->add_option("--provider", m.provider, "Provider of the snapshots")->capture_default_str();
    m_map->add_option("--class", m.cls, "Class of the snapshots")->capture_default_str();
    m_map->add_option("--border", m.borders, "Country outline to draw (repeatable; needed by --front and --zones)");
    m_map->add_option("--regions", m.regions, "Regions whose outlines and names are drawn");
    m_map->add_option("--region-field", m.region_field, "Field that names each region")->capture_default_str();
    m_map->add_flag("--front", m.front, "Draw the front line");
    m_map->add_option("--zones", m.zones, "Draw the band within this distance of the front on both sides (e.g. 10km)");
    m_map->add_option("--sites", m.sites, "Point file of sites to mark and label");
    m_map->add_option("--site-name-field", m.site_name_field, "The sites' name field")->capture_default_str();
    m_map->add_option("--bbox", m.bbox, "Show this box, minlon,minlat,maxlon,maxlat (default: the data's extent)");
    m_map->add_option("-o,--output", m.output, "Image file: .png, .svg or .pdf")->required();
    m_map->add_option("--format", m.format, "png, svg or pdf (default: from the extension)");
    m_map->add_option("--width", m.width_px, "Width, px")->capture_default_str();
    m_map->add_option("--height", m.height_px, "Height, px")->capture_default_str();
    m_map->add_option("--title", m.title, "Title (default: made from the dates)");

    auto& c = m_chart_options;
    m_chart = cmd->add_subcommand("chart", "The controlled area and the km2 gained and lost per step, over time");
    m_chart->footer(
        "Bars: gained (red, up) and lost (blue, down) per step, with the net as a black tick; above them the\n"
        "controlled area as a line on its own axis. --regions draws one small panel per region on a common\n"
        "scale. The figures are those of 'frontline series'.\n\n"
        "Example:\n  frontline render chart --store ua.gpkg --from 2025-01-01 --to 2026-01-01 --step month -o chart.png");
    add_store_option(*m_chart, c.store);
    m_chart->add_option("--from", c.from, "First step boundary, YYYY-MM-DD")->required();
    m_chart->add_option("--to", c.to, "Last step boundary, YYYY-MM-DD")->required();
    m_chart->add_option("--step", c.step, "day, week, month, quarter or year")->capture_default_str();
    m_chart->add_option("--provider", c.provider, "Provider of the snapshots")->capture_default_str();
    m_chart->add_option("--class", c.cls, "Class of the snapshots")->capture_default_str();
    m_chart->add_option("--regions", c.regions, "One small panel per region of this file");
    m_chart->add_option("--region-field", c.region_field, "Field that names each region")->capture_default_str();
    m_chart->add_option("-o,--output", c.output, "Image file: .png, .svg or .pdf")->required();
    m_chart->add_option("--format", c.format, "png, svg or pdf (default: from the extension)");
    m_chart->add_option("--width", c.width_px, "Width, px")->capture_default_str();
    m_chart->add_option("--height", c.height_px, "Height, px")->capture_default_str();
    m_chart->add_option("--title", c.title, "Title (default: made from the dates)");
    return cmd;
}

int RenderCommand::run(std::ostream& out) {
    if (m_map->parsed()) {
        geo::Context ctx;
        const RenderMapReport r = render_map_job(ctx, m_map_options);
        out << "map  " << m_map_options.output << " (" << render::to_string(r.format) << ", "
            << m_map_options.width_px << "x" << m_map_options.height_px << ")  snapshot " << r.to_snapshot;
        if (!r.from_snapshot.empty()) {
            out << ", change since " << r.from_snapshot << ": " << r.gained_parts << " gained and " << r.lost_parts
                << " lost part(s)";
        }
        out << "\n";
        return 0;
    }
    const RenderChartReport r = render_chart_job(m_chart_options);
    out << "chart  " << m_chart_options.output << " (" << render::to_string(r.format) << ", "
        << m_chart_options.width_px << "x" << m_chart_options.height_px << ")  " << r.data.boundaries.size() - 1
        << " step(s)";
    if (!r.data.regions.empty()) {
        out << ", " << r.data.regions.size() << " region panel(s)";
    }
    out << "\n";
    return r.failed_pairs == 0 ? 0 : kExitFailedPairs;
}

}  // namespace frontline::cli
