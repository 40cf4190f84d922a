#include "cli/command_zones.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <sstream>

#include "cli/format.hpp"
#include "geo/error.hpp"
#include "geo/geodesic.hpp"
#include "geo/polygon_ops.hpp"
#include "ingest/points_reader.hpp"
#include "ingest/reader.hpp"
#include "ingest/vector_writer.hpp"

namespace frontline::cli {

namespace {

geo::Geometry read_polygons(const geo::Context& ctx, const std::vector<std::string>& paths) {
    std::vector<geo::Geometry> all;
    for (const auto& path : paths) {
        for (auto& p : ingest::read_source(ctx, path).polygons) {
            all.push_back(std::move(p));
        }
    }
    return geo::dissolve(ctx, all, 0.0);
}

}  // namespace

std::vector<std::pair<geo::Side, double>> parse_bands(const std::string& both, const std::string& controlled,
                                                      const std::string& free) {
    if (!both.empty() && (!controlled.empty() || !free.empty())) {
        throw InputError("--band and --band-occupied/--band-free: give one width for both sides, or one per side");
    }
    std::vector<std::pair<geo::Side, double>> requests;
    if (!both.empty()) {
        const double w = parse_distance_m(both, "--band");
        requests = {{geo::Side::controlled, w}, {geo::Side::free, w}};
    }
    if (!controlled.empty()) {
        requests.emplace_back(geo::Side::controlled, parse_distance_m(controlled, "--band-occupied"));
    }
    if (!free.empty()) {
        requests.emplace_back(geo::Side::free, parse_distance_m(free, "--band-free"));
    }
    for (const auto& [side, w] : requests) {
        if (!(w > 0.0)) {
            throw InputError("band widths must be greater than 0");
        }
    }
    return requests;
}

PolygonParts polygon_parts(const geo::Geometry& g) {
    std::vector<std::pair<double, geo::Geometry>> items;
    for (auto& p : geo::polygons_of(g)) {
        double a = geo::geodesic_area_m2(p);
        items.emplace_back(a, std::move(p));
    }
    std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    PolygonParts out;
    for (auto& [a, p] : items) {
        out.wkb.push_back(p.to_wkb());
        out.areas_m2.push_back(a);
        out.total_m2 += a;
    }
    return out;
}

ZonesReport compute_zones(const geo::Context& ctx, const ZonesOptions& o) {
    ZonesReport report;
    report.options = o;
    // Validate every option before any file is read.
    const auto band_requests = parse_bands(o.band, o.band_controlled, o.band_free);
    double min_m = 0.0;
    double max_m = 0.0;
    double border_m = 0.0;
    if (o.placement) {
        if (o.min_distance.empty()) {
            throw InputError("--placement needs --min-distance (e.g. 50km)");
        }
        min_m = parse_distance_m(o.min_distance, "--min-distance");
        max_m = o.max_distance.empty() ? 0.0 : parse_distance_m(o.max_distance, "--max-distance");
        if (max_m > 0.0 && max_m <= min_m) {
            throw InputError("--max-distance must be greater than --min-distance");
        }
        border_m = o.min_border_distance.empty() ? 0.0 : parse_distance_m(o.min_border_distance, "--min-border-distance");
        if (!o.away_from.empty() && border_m <= 0.0) {
            throw InputError("--away-from needs --min-border-distance (e.g. 30km)");
        }
    } else if (!o.min_distance.empty() || !o.max_distance.empty() || !o.within.empty() || !o.away_from.empty()) {
        throw InputError("--min-distance, --max-distance, --within and --away-from go with --placement");
    }
    if (band_requests.empty() && !o.placement && o.sites.empty()) {
        throw InputError("zones: ask for --band, --band-occupied/--band-free, --placement or --sites");
    }
    if (!o.output.empty()) {
        report.driver = ingest::output_driver(o.output, o.format);
    }

    LoadedFront loaded = load_front(ctx, o.inputs);
    const geo::FrontAnalysis& front = *loaded.analysis;
    report.snapshot = loaded.snapshot;
    report.front_length_m = front.length_m();

    std::vector<geo::Geometry> band_geoms;
    for (const auto& [side, w] : band_requests) {
        geo::Geometry g = front.band(side, w);
        PolygonParts parts = polygon_parts(g);
        report.bands.push_back(BandResult{side == geo::Side::controlled ? o.inputs.cls : "free", w, parts.total_m2,
                                          std::move(parts.wkb), std::move(parts.areas_m2)});
        band_geoms.push_back(std::move(g));
    }
    std::unique_ptr<geo::Geometry> placement;
    if (o.placement) {
        std::unique_ptr<geo::Geometry> within;
        std::unique_ptr<geo::Geometry> hostile;
        if (!o.within.empty()) {
            within = std::make_unique<geo::Geometry>(read_polygons(ctx, o.within));
        }
        if (!o.away_from.empty()) {
            hostile = std::make_unique<geo::Geometry>(read_polygons(ctx, o.away_from));
        }
        placement = std::make_unique<geo::Geometry>(front.placement(min_m, max_m, within.get(), hostile.get(), border_m));
        PolygonParts parts = polygon_parts(*placement);
        report.placement = PlacementResult{min_m, max_m, border_m, parts.total_m2, std::move(parts.wkb), std::move(parts.areas_m2)};
    }
    if (!o.sites.empty()) {
        for (const auto& site : ingest::read_sites(o.sites, o.site_name_field)) {
            SiteResult s{site.name, site.lon, site.lat, front.distance_m(site.lon, site.lat),
                         front.in_controlled(site.lon, site.lat) ? o.inputs.cls : "free", {}, false};
            for (std::size_t i = 0; i < band_geoms.size(); ++i) {
                if (geo::contains_point(band_geoms[i], site.lon, site.lat)) {
                    s.in_bands.push_back(report.bands[i].side);
                }
            }
            s.in_placement = placement && geo::contains_point(*placement, site.lon, site.lat);
            report.sites.push_back(std::move(s));
        }
        std::stable_sort(report.sites.begin(), report.sites.end(),
                         [](const SiteResult& a, const SiteResult& b) { return a.distance_m < b.distance_m; });
    }

    if (!o.output.empty()) {
        using Field = ingest::OutField;
        const std::vector<Field> fields = {{"kind", Field::Type::text},       {"side", Field::Type::text},
                                           {"width_km", Field::Type::real},   {"area_km2", Field::Type::real},
                                           {"name", Field::Type::text},       {"distance_km", Field::Type::real},
                                           {"in_bands", Field::Type::text},   {"in_placement", Field::Type::integer},
                                           {"date", Field::Type::text},       {"snapshot", Field::Type::text},
                                           {"fill", Field::Type::text},       {"fill-opacity", Field::Type::real},
                                           {"stroke", Field::Type::text},     {"marker-color", Field::Type::text}};
        std::vector<ingest::OutFeature> features;
        auto zone = [&](const std::string& kind, const std::string& side, double width_m, const std::vector<unsigned char>& wkb,
                        double area_m2, const std::string& colour) {
            features.push_back(ingest::OutFeature{
                wkb,
                {kind, side, round_to(width_m / 1e3, 3), round_to(area_m2 / 1e6), std::string(), 0.0, std::string(),
                 std::int64_t{0}, o.inputs.date, report.snapshot, colour, 0.4, colour, std::string()}});
        };
        for (const auto& b : report.bands) {
            const std::string colour = b.side == "free" ? "#abd9e9" : "#fdae61";
            for (std::size_t i = 0; i < b.parts_wkb.size(); ++i) {
                zone("band", b.side, b.width_m, b.parts_wkb[i], b.part_areas_m2[i], colour);
            }
        }
        if (report.placement) {
            for (std::size_t i = 0; i < report.placement->parts_wkb.size(); ++i) {
                zone("placement", "free", 0.0, report.placement->parts_wkb[i], report.placement->part_areas_m2[i], "#1a9641");
            }
        }
        for (const auto& s : report.sites) {
            geo::Geometry p = geo::Geometry::from_wkt(ctx, "POINT (" + std::to_string(s.lon) + " " + std::to_string(s.lat) + ")");
            std::string bands;
            for (const auto& b : s.in_bands) {
                bands += (bands.empty() ? "" : ",") + b;
            }
            features.push_back(ingest::OutFeature{
                p.to_wkb(),
                {std::string("site"), s.side, 0.0, 0.0, s.name, round_to(s.distance_m / 1e3, 3), bands,
                 std::int64_t{s.in_placement ? 1 : 0}, o.inputs.date, report.snapshot, std::string(), 0.0, std::string(),
                 std::string(s.side == "free" ? "#2c7bb6" : "#d7191c")}});
        }
        ingest::write_features(o.output, report.driver, "zones", fields, features);
    }
    return report;
}

std::string zones_json(const ZonesReport& r) {
    auto km = [](double m) { return round_to(m / 1e3, 3); };
    auto km2 = [](double m2) { return round_to(m2 / 1e6); };
    nlohmann::ordered_json bands = nlohmann::ordered_json::array();
    for (const auto& b : r.bands) {
        bands.push_back({{"side", b.side}, {"width_km", km(b.width_m)}, {"area_km2", km2(b.area_m2)},
                         {"parts", b.parts_wkb.size()}});
    }
    nlohmann::ordered_json placement = nullptr;
    if (r.placement) {
        placement = {{"min_distance_km", km(r.placement->min_distance_m)},
                     {"max_distance_km", r.placement->max_distance_m > 0 ? nlohmann::ordered_json(km(r.placement->max_distance_m))
                                                                         : nlohmann::ordered_json(nullptr)},
                     {"min_border_distance_km", km(r.placement->min_border_distance_m)},
                     {"area_km2", km2(r.placement->area_m2)},
                     {"parts", r.placement->parts_wkb.size()}};
    }
    nlohmann::ordered_json sites = nlohmann::ordered_json::array();
    for (const auto& s : r.sites) {
        sites.push_back({{"name", s.name},
                         {"lon", s.lon},
                         {"lat", s.lat},
                         {"distance_km", km(s.distance_m)},
                         {"side", s.side},
                         {"in_bands", s.in_bands},
                         {"in_placement", s.in_placement}});
    }
    nlohmann::ordered_json doc = {{"date", r.options.inputs.date},
                                  {"snapshot", r.snapshot},
                                  {"provider", r.options.inputs.provider},
                                  {"class", r.options.inputs.cls},
                                  {"front_length_km", km(r.front_length_m)},
                                  {"bands", bands},
                                  {"placement", placement},
                                  {"sites", sites},
                                  {"output", r.options.output.empty() ? nlohmann::ordered_json(nullptr)
                                                                      : nlohmann::ordered_json(r.options.output)},
                                  {"method", std::string(geo::kGeodesicMethod) +
                                                 " Bands and placement zones are buffers of the front in an azimuthal "
                                                 "equidistant projection centred on the controlled area; site distances are "
                                                 "geodesic."}};
    return doc.dump(2) + "\n";
}

std::string zones_table(const ZonesReport& r) {
    std::ostringstream s;
    s << "zones  provider " << r.options.inputs.provider << ", class " << r.options.inputs.cls << ", " << r.options.inputs.date
      << " (snapshot " << r.snapshot << "), front " << grouped(r.front_length_m / 1e3) << " km\n";
    for (const auto& b : r.bands) {
        s << "  band " << b.side << " side, " << grouped(b.width_m / 1e3, 1) << " km: " << grouped(b.area_m2 / 1e6) << " km2 in "
          << b.parts_wkb.size() << " part(s)\n";
    }
    if (r.placement) {
        s << "  placement at least " << grouped(r.placement->min_distance_m / 1e3, 1) << " km from the front";
        if (r.placement->max_distance_m > 0) {
            s << ", at most " << grouped(r.placement->max_distance_m / 1e3, 1) << " km";
        }
        if (r.placement->min_border_distance_m > 0) {
            s << ", " << grouped(r.placement->min_border_distance_m / 1e3, 1) << " km from hostile borders";
        }
        s << ": " << grouped(r.placement->area_m2 / 1e6) << " km2 in " << r.placement->parts_wkb.size() << " part(s)\n";
    }
    if (!r.sites.empty()) {
        char line[200];
        std::snprintf(line, sizeof line, "  %-24s %12s  %-10s %-20s %s\n", "site", "to front km", "side", "in bands", "in placement");
        s << line;
        for (const auto& site : r.sites) {
            std::string bands;
            for (const auto& b : site.in_bands) {
                bands += (bands.empty() ? "" : ",") + b;
            }
            std::snprintf(line, sizeof line, "  %-24s %12s  %-10s %-20s %s\n", site.name.c_str(),
                          grouped(site.distance_m / 1e3, 1).c_str(), site.side.c_str(), bands.empty() ? "-" : bands.c_str(),
                          r.placement ? (site.in_placement ? "yes" : "no") : "-");
            s << line;
        }
    }
    if (!r.options.output.empty()) {
        s << "  output " << r.options.output << " (" << r.driver << ")\n";
    }
    s << "method: " << geo::kGeodesicMethod
      << " Bands and placement zones are buffers of the front in an azimuthal equidistant projection centred on the "
         "controlled area; site distances are geodesic.\n";
    return s.str();
}

CLI::App* ZonesCommand::setup(CLI::App& app) {
    auto* cmd = app.add_subcommand("zones", "Buffer bands along the front and placement zones away from it");
    cmd->footer(
        "Bands: the territory within a distance of the front line, on both sides (--band) or with a width\n"
        "per side (--band-occupied for the class's side, --band-free), clipped to the country. Placement:\n"
        "free territory (or --within polygons) at least --min-distance and at most --max-distance from the\n"
        "front, optionally --min-border-distance away from --away-from territory. Sites: distance to the\n"
        "front, side, and which zones hold them. Distances take units: 40km, 500m.\n\n"
        "Example:\n  frontline zones --store ua.gpkg --date 2026-08-22 --border adm1.geojson --border land.geojson \\\n"
        "      --band 15km --placement --min-distance 50km --sites sample_data/sites.geojson --json");
    auto& o = m_options;
    add_front_options(cmd, o.inputs);
    cmd->add_option("--band", o.band, "Band width on both sides of the front (e.g. 2km)");
    cmd->add_option("--band-occupied,--band-controlled", o.band_controlled, "Band width on the class's side");
    cmd->add_option("--band-free", o.band_free, "Band width on the free side");
    cmd->add_flag("--placement", o.placement, "Compute a placement zone away from the front");
    cmd->add_option("--min-distance", o.min_distance, "Placement: at least this far from the front");
    cmd->add_option("--max-distance", o.max_distance, "Placement: at most this far from the front");
    cmd->add_option("--within", o.within, "Placement inside these polygons instead of the free side (repeatable)");
    cmd->add_option("--away-from", o.away_from, "Hostile territory to keep away from (repeatable)");
    cmd->add_option("--min-border-distance", o.min_border_distance, "Placement: at least this far from --away-from");
    cmd->add_option("--sites", o.sites, "Point layer of sites (cities, bases)");
    cmd->add_option("--site-name-field", o.site_name_field, "Field that names each site")->capture_default_str();
    cmd->add_option("-o,--output", o.output, "Write bands, placement and sites here (RFC 7946 GeoJSON by default)");
    cmd->add_option("-f,--format", o.format, "OGR driver for -o");
    cmd->add_flag("--json", o.json, "Print one JSON object");
    return cmd;
}

int ZonesCommand::run(std::ostream& out) {
    geo::Context ctx;
    ZonesReport report = compute_zones(ctx, m_options);
    out << (m_options.json ? zones_json(report) : zones_table(report));
    return 0;
}

}  // namespace frontline::cli
