#include "cli/command_delta.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <ostream>
#include <sstream>

#include "cli/format.hpp"
#include "cli/parts_output.hpp"
#include "geo/error.hpp"
#include "geo/polygon_ops.hpp"
#include "geo/geodesic.hpp"
#include "ingest/dates.hpp"
#include "cli/store_options.hpp"
#include "ingest/store.hpp"
#include "ingest/regions_reader.hpp"
#include "ingest/vector_writer.hpp"

namespace frontline::cli {

namespace {

std::string describe_dates(const std::vector<ingest::SnapshotInfo>& all, const DeltaOptions& o) {
    std::vector<std::string> dates;
    for (const auto& s : all) {
        if (s.key.provider == o.provider && s.key.cls == o.cls) {
            dates.push_back(s.key.date);
        }
    }
    if (dates.empty()) {
        return "the store holds no snapshot of provider '" + o.provider + "', class '" + o.cls +
               "'; see frontline list --store " + o.store;
    }
    return "the store holds " + std::to_string(dates.size()) + " snapshot(s) of provider '" + o.provider +
           "', class '" + o.cls + "', from " + dates.front() + " to " + dates.back();
}

void check_options(const DeltaOptions& o) {
    parse_bbox(o.bbox);
    ingest::parse_date(o.from, "--from");
    ingest::parse_date(o.to, "--to");
    if (o.from > o.to) {
        throw InputError("--from " + o.from + " is after --to " + o.to + "; give the earlier date first");
    }
    if (!(o.grid_size_deg > 0.0 && o.grid_size_deg <= 0.01)) {
        throw InputError("--grid-size-deg: must be > 0 and <= 0.01 degrees");
    }
    if (!(o.same_vertex_deg >= 0.0 && o.same_vertex_deg <= 1e-5)) {
        throw InputError("--same-vertex-deg: must be >= 0 (0: never) and <= 1e-5 degrees (about 1 m)");
    }
    if (!(o.min_area_km2 >= 0.0) || !std::isfinite(o.min_area_km2)) {
        throw InputError("--min-area-km2: must be a number >= 0");
    }
    if (!(o.min_width_m >= 0.0) || !std::isfinite(o.min_width_m)) {
        throw InputError("--min-width-m: must be a number >= 0");
    }
}

}  // namespace

DeltaReport compute_delta_report(const geo::Context& ctx, const DeltaOptions& options) {
    check_options(options);
    DeltaReport report;
    report.options = options;
    if (!options.output.empty()) {
        report.driver = ingest::output_driver(options.output, options.format);
    }
    ingest::Store store = ingest::Store::open(options.store);
    auto pick = [&](const std::string& date, const char* option) {
        auto info = store.latest_on_or_before(options.provider, options.cls, date);
        if (!info) {
            throw InputError(std::string(option) + " " + date + ": no snapshot on or before that date; " +
                             describe_dates(store.list(), options));
        }
        return *info;
    };
    const ingest::SnapshotInfo from = pick(options.from, "--from");
    const ingest::SnapshotInfo to = pick(options.to, "--to");
    report.from_snapshot = from.key.date;
    report.to_snapshot = to.key.date;

    // --bbox: read through the store's spatial index, then clip both snapshots to the box.
    const std::optional<ingest::BBox> bbox = parse_bbox(options.bbox);
    if (bbox) {
        store.restrict_to(*bbox);
    }
    geo::Geometry from_geom = geo::Geometry::from_wkb(ctx, store.load_wkb(from.key));
    geo::Geometry to_geom = geo::Geometry::from_wkb(ctx, store.load_wkb(to.key));
    if (bbox) {
        const geo::Geometry box = bbox_polygon(ctx, *bbox);
        from_geom = geo::intersection(from_geom, box, options.grid_size_deg);
        to_geom = geo::intersection(to_geom, box, options.grid_size_deg);
    }
    geo::DeltaOptions delta_options;
    delta_options.grid_size_deg = options.grid_size_deg;
    delta_options.same_vertex_deg = options.same_vertex_deg;
    delta_options.min_area_m2 = options.min_area_km2 * 1e6;
    delta_options.min_width_m = options.min_width_m;
    delta_options.clip_to_changes = !options.full_overlay;
    // The store keeps each snapshot's geodesic area; inside --bbox the clipped ones are measured.
    report.result = bbox ? geo::compute_delta(from_geom, to_geom, delta_options)
                         : geo::compute_delta(from_geom, to_geom, delta_options,
                                              geo::KnownAreas{from.area_km2 * 1e6, to.area_km2 * 1e6});

    if (!options.regions.empty()) {
        auto regions = ingest::read_regions(ctx, options.regions, options.region_field);
        geo::RegionSet set(ctx, std::move(regions), options.grid_size_deg);
        std::vector<double> from_areas = set.areas_m2(from_geom, report.result.area_from_m2);
        std::vector<double> to_areas = set.areas_m2_after(from_geom, from_areas, to_geom, report.result.area_to_m2);
        report.regional = regional_delta(set, from_areas, to_areas, report.result);
    }

    if (!options.output.empty()) {
        std::vector<PartRecord> records;
        auto record = [&](geo::Change change, const geo::Geometry& g, double area_m2, const std::string& region) {
            records.push_back(PartRecord{change, &g, area_m2, region, options.from, options.to, from.key.date,
                                         to.key.date, 0});
        };
        if (report.regional) {
            for (const auto& piece : report.regional->pieces) {
                record(piece.change, piece.geometry, piece.area_m2, piece.region);
            }
        } else {
            for (const auto& part : report.result.parts) {
                record(part.change, part.polygon, part.area_m2, "");
            }
        }
        write_parts(options.output, report.driver, "delta", options.provider, options.cls,
                    PartColumns{report.regional.has_value(), false}, records);
    }
    return report;
}

std::string delta_summary_json(const DeltaReport& r) {
    const auto& d = r.result;
    auto km2 = [](double m2) { return round_to(m2 / 1e6); };
    int gained_parts = 0;
    for (const auto& p : d.parts) {
        gained_parts += p.change == geo::Change::gained ? 1 : 0;
    }
    nlohmann::ordered_json doc = {
        {"from", r.options.from},
        {"to", r.options.to},
        {"from_snapshot", r.from_snapshot},
        {"to_snapshot", r.to_snapshot},
        {"provider", r.options.provider},
        {"class", r.options.cls},
        {"area_from_km2", km2(d.area_from_m2)},
        {"area_to_km2", km2(d.area_to_m2)},
        {"gained_km2", km2(d.gained_m2)},
        {"lost_km2", km2(d.lost_m2)},
        {"net_km2", km2(d.net_m2())},
        {"changed_hands_km2", km2(d.changed_hands_m2())},
        {"gained_parts", gained_parts},
        {"lost_parts", static_cast<int>(d.parts.size()) - gained_parts},
        {"slivers_dropped",
         {{"parts", d.dropped_gained.parts + d.dropped_lost.parts},
          {"area_km2", km2(d.dropped_gained.area_m2 + d.dropped_lost.area_m2)},
          {"gained_parts", d.dropped_gained.parts},
          {"gained_km2", km2(d.dropped_gained.area_m2)},
          {"lost_parts", d.dropped_lost.parts},
          {"lost_km2", km2(d.dropped_lost.area_m2)},
          {"min_area_km2", r.options.min_area_km2},
          {"min_width_m", r.options.min_width_m}}},
        {"grid_size_deg", r.options.grid_size_deg},
        {"same_vertex_deg", r.options.same_vertex_deg},
        {"regions", r.regional ? regions_json(r.regional->rows) : nlohmann::ordered_json(nullptr)},
        {"output", r.options.output.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.options.output)},
        {"method", geo::kGeodesicMethod}};
    if (!r.options.bbox.empty()) {  // only then, so outputs without it stay as they were
        doc.erase("method");
        doc["bbox"] = r.options.bbox;
        doc["method"] = geo::kGeodesicMethod;
    }
    return doc.dump(2) + "\n";
}

std::string delta_summary_table(const DeltaReport& r) {
    const auto& d = r.result;
    auto km2 = [](double m2) { return grouped(m2 / 1e6) + " km2"; };
    int gained_parts = 0;
    for (const auto& p : d.parts) {
        gained_parts += p.change == geo::Change::gained ? 1 : 0;
    }
    const int lost_parts = static_cast<int>(d.parts.size()) - gained_parts;
    std::ostringstream s;
    s << "delta  provider " << r.options.provider << ", class " << r.options.cls << "\n"
      << "  from           " << r.options.from << "  (snapshot " << r.from_snapshot << ")  " << km2(d.area_from_m2)
      << "\n"
      << "  to             " << r.options.to << "  (snapshot " << r.to_snapshot << ")  " << km2(d.area_to_m2) << "\n"
      << "  gained         " << km2(d.gained_m2) << " in " << gained_parts << " part(s)\n"
      << "  lost           " << km2(d.lost_m2) << " in " << lost_parts << " part(s)\n"
      << "  net            " << signed_grouped(d.net_m2() / 1e6) << " km2\n"
      << "  changed hands  " << km2(d.changed_hands_m2()) << "\n"
      << "  slivers        " << d.dropped_gained.parts + d.dropped_lost.parts << " part(s), "
      << grouped((d.dropped_gained.area_m2 + d.dropped_lost.area_m2) / 1e6, 4) << " km2 dropped (under "
      << r.options.min_area_km2 << " km2 or " << r.options.min_width_m << " m wide)\n";
    if (r.regional) {
        s << regions_table(r.regional->rows);
    }
    if (r.from_snapshot == r.to_snapshot) {
        s << "  note           both dates fall on the same snapshot, so nothing can have changed\n";
    }
    if (!r.options.output.empty()) {
        s << "  output         " << r.options.output << " (" << r.driver << ", " << (r.regional ? r.regional->pieces.size() : d.parts.size())
          << " feature(s))\n";
    }
    if (!r.options.bbox.empty()) {
        s << "  bbox           " << r.options.bbox << " (both snapshots clipped to it)\n";
    }
    s << "method: " << geo::kGeodesicMethod << "\n";
    return s.str();
}

CLI::App* DeltaCommand::setup(CLI::App& app) {
    auto* cmd = app.add_subcommand("delta", "Territory gained and lost between two dates, in geodesic km2");
    cmd->footer(
        "Uses, for each date, the latest snapshot on or before it. Parts smaller than --min-area-km2\n"
        "or thinner than --min-width-m (mean width 2*area/perimeter) are slivers: dropped and counted.\n\n"
        "Example:\n  frontline delta --store ua.gpkg --from 2025-01-02 --to 2026-01-01 -o delta.geojson --json");
    auto& o = m_options;
    add_store_option(*cmd, o.store);
    cmd->add_option("--from", o.from, "Earlier date, YYYY-MM-DD")->required();
    cmd->add_option("--to", o.to, "Later date, YYYY-MM-DD")->required();
    cmd->add_option("--provider", o.provider, "Provider of the snapshots")->capture_default_str();
    cmd->add_option("--class", o.cls, "Class of the snapshots")->capture_default_str();
    cmd->add_option("-o,--output", o.output, "Write the gained/lost parts here (RFC 7946 GeoJSON by default)");
    cmd->add_option("-f,--format", o.format, "OGR driver for -o (GeoJSON, GPKG, FlatGeobuf, GeoJSONSeq, CSV, ...)");
    cmd->add_flag("--json", o.json, "Print the summary as one JSON object");
    cmd->add_option("--regions", o.regions, "Break the delta down by these regions (e.g. geoBoundaries ADM1)");
    cmd->add_option("--region-field", o.region_field, "Field that names each region")->capture_default_str();
    cmd->add_option("--bbox", o.bbox,
                    "Only this box, minlon,minlat,maxlon,maxlat (degrees): snapshots are read through the store's "
                    "spatial index and clipped to it");
    cmd->add_option("--min-area-km2", o.min_area_km2, "Sliver threshold: minimum part area, km2")
        ->capture_default_str();
    cmd->add_option("--min-width-m", o.min_width_m, "Sliver threshold: minimum mean width 2A/P, metres")
        ->capture_default_str();
    cmd->add_option("--grid-size-deg", o.grid_size_deg, "Overlay precision grid, degrees")->capture_default_str();
    cmd->add_option("--same-vertex-deg", o.same_vertex_deg,
                    "A vertex of the later snapshot within this of one of the earlier's is that vertex (the "
                    "jitter between two exports of a map), degrees; 0: never")
        ->capture_default_str();
    cmd->add_flag("--full-overlay", o.full_overlay,
                  "Overlay whole snapshots instead of only the windows where their boundaries differ");
    return cmd;
}

int DeltaCommand::run(std::ostream& out) {
    geo::Context ctx;
    DeltaReport report = compute_delta_report(ctx, m_options);
    out << (m_options.json ? delta_summary_json(report) : delta_summary_table(report));
    return 0;
}

}  // namespace frontline::cli
