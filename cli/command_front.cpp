#include "cli/command_front.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <geos_c.h>

#include <cstdio>
#include <ostream>
#include <sstream>

#include "cli/command_series.hpp"
#include "cli/format.hpp"
#include "geo/error.hpp"
#include "geo/geodesic.hpp"
#include "geo/polygon_ops.hpp"
#include "geo/regions.hpp"
#include "ingest/dates.hpp"
#include "ingest/regions_reader.hpp"
#include "ingest/store.hpp"
#include "ingest/vector_writer.hpp"

namespace frontline::cli {

FrontReport compute_front(const geo::Context& ctx, const FrontCommandOptions& options) {
    FrontReport report;
    report.options = options;
    if (!options.output.empty()) {
        report.driver = ingest::output_driver(options.output, options.format);
    }
    LoadedFront loaded = load_front(ctx, options.inputs);
    const geo::FrontAnalysis& front = *loaded.analysis;
    report.snapshot = loaded.snapshot;
    report.front_options = loaded.options;
    report.length_m = front.length_m();
    report.parts = front.front().num_geometries();
    report.dropped_parts = front.dropped_parts();
    report.dropped_length_m = front.dropped_length_m();

    struct Line {
        std::vector<unsigned char> wkb;
        double length_m;
        std::string region;
    };
    std::vector<Line> lines;
    auto* h = ctx.handle();
    for (int i = 0; i < report.parts; ++i) {
        geo::Geometry part(ctx, GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, front.front().get(), i)), "cloning a line");
        report.part_lengths_m.push_back(geo::geodesic_length_m(part));
        if (options.regions.empty()) {
            lines.push_back(Line{part.to_wkb(), report.part_lengths_m.back(), ""});
        }
    }
    if (!options.regions.empty()) {
        geo::RegionSet regions(ctx, ingest::read_regions(ctx, options.regions, options.region_field),
                               geo::kDefaultGridSizeDeg);
        std::vector<FrontRegionLength> rows;
        for (std::size_t i = 0; i <= regions.size(); ++i) {
            rows.push_back(FrontRegionLength{regions.name(i), 0.0});
        }
        for (auto& piece : regions.split_lines(front.front())) {
            rows[piece.region].length_m += piece.length_m;
            lines.push_back(Line{piece.geometry.to_wkb(), piece.length_m, regions.name(piece.region)});
        }
        report.regions = std::move(rows);
    }
    if (!options.output.empty()) {
        using Field = ingest::OutField;
        std::vector<Field> fields = {{"length_km", Field::Type::real}};
        if (report.regions) {
            fields.push_back({"region", Field::Type::text});
        }
        for (const char* name : {"date", "snapshot", "provider", "class", "stroke"}) {
            fields.push_back({name, Field::Type::text});
        }
        fields.push_back({"stroke-width", Field::Type::integer});
        std::vector<ingest::OutFeature> features;
        for (const auto& l : lines) {
            ingest::OutFeature f;
            f.wkb = l.wkb;
            f.properties.emplace_back(round_to(l.length_m / 1e3, 3));
            if (report.regions) {
                f.properties.emplace_back(l.region);
            }
            for (const std::string* s : std::initializer_list<const std::string*>{&options.inputs.date, &report.snapshot, &options.inputs.provider, &options.inputs.cls}) {
                f.properties.emplace_back(*s);
            }
            f.properties.emplace_back(std::string("#000000"));
            f.properties.emplace_back(std::int64_t{3});
            features.push_back(std::move(f));
        }
        ingest::write_features(options.output, report.driver, "front", fields, features);
    }
    return report;
}

std::vector<FrontLengthStep> compute_front_lengths(const geo::Context& ctx, const FrontCommandOptions& options) {
    ingest::parse_date(options.from, "--from");
    ingest::parse_date(options.to, "--to");
    if (options.from >= options.to) {
        throw InputError("--from " + options.from + " must be before --to " + options.to);
    }
    const std::vector<std::string> dates = step_boundaries(options.from, options.to, options.step);
    const geo::FrontOptions front_opts = front_options(options.inputs);
    ingest::Store store = ingest::Store::open(options.inputs.store);
    std::vector<std::pair<std::string, std::vector<unsigned char>>> snapshots;
    for (const auto& d : dates) {
        snapshots.push_back(load_snapshot(store, options.inputs, d));  // fail on a missing date before any work
    }
    const std::vector<geo::Geometry> outlines = load_outlines(ctx, options.inputs);
    std::vector<FrontLengthStep> out;
    for (std::size_t i = 0; i < dates.size(); ++i) {
        if (i > 0 && snapshots[i].first == snapshots[i - 1].first) {
            out.push_back(FrontLengthStep{dates[i], snapshots[i].first, out.back().length_m, out.back().parts});
            continue;
        }
        geo::Geometry controlled = geo::Geometry::from_wkb(ctx, snapshots[i].second);
        geo::FrontAnalysis front(controlled, outlines, front_opts);
        out.push_back(FrontLengthStep{dates[i], snapshots[i].first, front.length_m(), front.front().num_geometries()});
    }
    return out;
}

std::string front_json(const FrontReport& r) {
    nlohmann::ordered_json parts = nlohmann::ordered_json::array();
    for (double l : r.part_lengths_m) {
        parts.push_back(round_to(l / 1e3, 3));
    }
    nlohmann::ordered_json doc = {{"date", r.options.inputs.date},
                                  {"snapshot", r.snapshot},
                                  {"provider", r.options.inputs.provider},
                                  {"class", r.options.inputs.cls},
                                  {"length_km", round_to(r.length_m / 1e3, 3)},
                                  {"parts", r.parts},
                                  {"part_lengths_km", parts},
                                  {"dropped_parts", r.dropped_parts},
                                  {"dropped_length_km", round_to(r.dropped_length_m / 1e3, 3)},
                                  {"border_tolerance_m", r.front_options.border_tolerance_m},
                                  {"min_part_length_m", r.front_options.min_part_length_m},
                                  {"outline_simplify_m", r.front_options.outline_simplify_m},
                                  {"borders", r.options.inputs.borders}};
    if (r.regions) {
        nlohmann::ordered_json rows = nlohmann::ordered_json::array();
        for (const auto& row : *r.regions) {
            rows.push_back({{"region", row.region}, {"length_km", round_to(row.length_m / 1e3, 3)}});
        }
        doc["regions"] = rows;
    }
    doc["output"] = r.options.output.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.options.output);
    doc["method"] = geo::kGeodesicMethod;
    return doc.dump(2) + "\n";
}

std::string front_table(const FrontReport& r) {
    std::ostringstream s;
    s << "front  provider " << r.options.inputs.provider << ", class " << r.options.inputs.cls << ", " << r.options.inputs.date
      << " (snapshot " << r.snapshot << ")\n"
      << "  length         " << grouped(r.length_m / 1e3) << " km in " << r.parts << " line(s)";
    if (!r.part_lengths_m.empty()) {
        s << "; longest " << grouped(r.part_lengths_m.front() / 1e3) << " km";
    }
    s << "\n  dropped        " << r.dropped_parts << " piece(s) under " << grouped(r.front_options.min_part_length_m / 1e3)
      << " km, " << grouped(r.dropped_length_m / 1e3) << " km in all\n"
      << "  not front      boundary within " << grouped(r.front_options.border_tolerance_m, 0)
      << " m of the edge of, or outside, any --border outline\n";
    if (r.regions) {
        char line[160];
        for (const auto& row : *r.regions) {
            if (row.length_m > 0.0) {
                std::snprintf(line, sizeof line, "    %-34s %10s km\n", row.region.c_str(), grouped(row.length_m / 1e3).c_str());
                s << line;
            }
        }
    }
    if (!r.options.output.empty()) {
        s << "  output         " << r.options.output << " (" << r.driver << ")\n";
    }
    s << "method: " << geo::kGeodesicMethod << " Buffers and distances in metres use an azimuthal equidistant "
      << "projection centred on the controlled area.\n";
    return s.str();
}

CLI::App* FrontCommand::setup(CLI::App& app) {
    auto* cmd = app.add_subcommand("front", "The front line at a date and its geodesic length");
    cmd->footer(
        "The front is the part of the class's boundary that faces the other side inside the country:\n"
        "boundary within --border-tolerance of the edge of any --border outline (international border,\n"
        "coast) or outside it is left out. Pass an administrative outline and a land outline to exclude\n"
        "both the border and the coast.\n\n"
        "Example:\n  frontline front --store ua.gpkg --date 2026-08-22 --border adm1.geojson --border land.geojson -o front.geojson");
    add_front_options(cmd, m_options.inputs);
    cmd->add_option("--regions", m_options.regions, "Report the front's length per region");
    cmd->add_option("--region-field", m_options.region_field, "Field that names each region")->capture_default_str();
    cmd->add_option("-o,--output", m_options.output, "Write the front lines here (RFC 7946 GeoJSON by default)");
    cmd->add_option("-f,--format", m_options.format, "OGR driver for -o");
    cmd->add_flag("--json", m_options.json, "Print one JSON object");
    cmd->add_option("--from", m_options.from, "Length over time: first date, YYYY-MM-DD (instead of --date)");
    cmd->add_option("--to", m_options.to, "Length over time: last date");
    cmd->add_option("--step", m_options.step, "Length over time: day, week, month, quarter or year")->capture_default_str();
    return cmd;
}

int FrontCommand::run(std::ostream& out) {
    geo::Context ctx;
    if (!m_options.from.empty() || !m_options.to.empty()) {
        if (!m_options.inputs.date.empty()) {
            throw InputError("--date and --from/--to: give one date, or a range for the length over time");
        }
        if (m_options.from.empty() || m_options.to.empty()) {
            throw InputError("--from and --to go together");
        }
        auto steps = compute_front_lengths(ctx, m_options);
        if (m_options.json) {
            nlohmann::ordered_json rows = nlohmann::ordered_json::array();
            for (const auto& s : steps) {
                rows.push_back({{"date", s.date}, {"snapshot", s.snapshot}, {"length_km", round_to(s.length_m / 1e3, 3)},
                                {"parts", s.parts}});
            }
            nlohmann::ordered_json doc = {{"provider", m_options.inputs.provider}, {"class", m_options.inputs.cls},
                                          {"step", m_options.step},          {"steps", rows},
                                          {"method", geo::kGeodesicMethod}};
            out << doc.dump(2) << '\n';
        } else {
            out << "front length  provider " << m_options.inputs.provider << ", class " << m_options.inputs.cls << "\n";
            char line[128];
            for (const auto& s : steps) {
                std::snprintf(line, sizeof line, "  %-10s  snapshot %-10s  %12s km in %d line(s)\n", s.date.c_str(),
                              s.snapshot.c_str(), grouped(s.length_m / 1e3).c_str(), s.parts);
                out << line;
            }
            out << "method: " << geo::kGeodesicMethod << "\n";
        }
        return 0;
    }
    if (m_options.inputs.date.empty()) {
        throw InputError("--date: give the date of the front (or --from/--to/--step for its length over time)");
    }
    FrontReport report = compute_front(ctx, m_options);
    out << (m_options.json ? front_json(report) : front_table(report));
    return 0;
}

}  // namespace frontline::cli
