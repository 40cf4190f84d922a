#include "cli/command_view.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <ostream>
#include <sstream>

#include "cli/format.hpp"
#include "cli/parts_output.hpp"
#include "cli/view/assets.hpp"
#include "geo/error.hpp"
#include "geo/output_file.hpp"
#include "geo/polygon_ops.hpp"
#include "geo/simplify.hpp"
#include "ingest/reader.hpp"
#include "ingest/regions_reader.hpp"
#include "ingest/vector_writer.hpp"

namespace frontline::cli {

namespace {

/// Temporary files removed when this object dies, on every path.
class TempFiles {
public:
    explicit TempFiles(std::string output) : m_output(std::move(output)) {}
    ~TempFiles() {
        for (const auto& p : m_paths) {
            std::remove(p.c_str());
        }
    }
    TempFiles(const TempFiles&) = delete;
    TempFiles& operator=(const TempFiles&) = delete;
    /// "OUT.what.tmp-PID.geojson", beside the page (so in a folder the user can write).
    std::string add(const std::string& what) {
        m_paths.push_back(m_output + "." + what + ".tmp-" + std::to_string(::getpid()) + ".geojson");
        return m_paths.back();
    }

private:
    std::string m_output;
    std::vector<std::string> m_paths;
};

void round_numbers(nlohmann::json& j, double scale) {
    if (j.is_number_float()) {
        j = std::round(j.get<double>() * scale) / scale;
    } else if (j.is_array()) {
        for (auto& e : j) {
            round_numbers(e, scale);
        }
    }
}

/// A GeoJSON file frontline just wrote, with coordinates (and bboxes) rounded to kViewDecimals.
nlohmann::json read_geojson(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) {
        throw std::runtime_error("cannot read back the temporary file " + path);
    }
    nlohmann::json j = nlohmann::json::parse(f);
    const double scale = std::pow(10.0, kViewDecimals);
    round_numbers(j["bbox"], scale);
    for (auto& feature : j["features"]) {
        round_numbers(feature["geometry"]["coordinates"], scale);
        if (feature.contains("bbox")) {
            round_numbers(feature["bbox"], scale);
        }
    }
    return j;
}

/// `j` as text that can sit inside <script type="application/json">: "</" never appears
/// ("<\/" is the same JSON string), so no value can close the element.
std::string script_json(const nlohmann::json& j) {
    std::string text = j.dump();
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        out += text[i];
        if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '/') {
            out += '\\';
        }
    }
    return out;
}

std::string html_escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

/// Polygons as a GeoJSON FeatureCollection with one `name` property, simplified for display.
nlohmann::json base_layer(const std::vector<std::pair<std::string, const geo::Geometry*>>& shapes, double simplify_m,
                          TempFiles& temp, const std::string& what) {
    std::vector<ingest::OutFeature> features;
    for (const auto& [name, geometry] : shapes) {
        features.push_back(ingest::OutFeature{
            geo::simplify_for_display(*geometry, simplify_m * geo::kDegreesPerMetre).to_wkb(), {name}});
    }
    const std::string path = temp.add(what);
    ingest::write_features(path, "GeoJSON", what, {{"name", ingest::OutField::Type::text}}, features);
    return read_geojson(path);
}

void check_view_options(const ViewOptions& o) {
    if (o.output.empty()) {
        throw InputError("-o/--output: name the HTML file to write");
    }
    if (!(o.parts_simplify_m >= 0.0) || !std::isfinite(o.parts_simplify_m) || o.parts_simplify_m > 1000.0) {
        throw InputError("--simplify-m: must be a number of metres from 0 to 1000");
    }
    if (!(o.base_simplify_m >= 0.0) || !std::isfinite(o.base_simplify_m) || o.base_simplify_m > 10000.0) {
        throw InputError("--base-simplify-m: must be a number of metres from 0 to 10000");
    }
    if (o.output == o.series.store) {
        throw InputError("-o " + o.output + ": that is the store; name an .html file");
    }
}

/// Throws InputError unless `path` can be created (checked before the long work starts).
void check_writable(const std::string& path) {
    const std::string probe = path + ".tmp-" + std::to_string(::getpid());
    std::ofstream f(probe, std::ios::binary);
    const bool ok = static_cast<bool>(f);
    f.close();
    std::remove(probe.c_str());
    if (!ok) {
        throw InputError("-o " + path + ": cannot write the file; check that its folder exists and is writable");
    }
}

}  // namespace

std::string viewer_html(const SeriesReport& series, const ViewOptions& options, std::size_t* parts_out) {
    TempFiles temp(options.output.empty() ? std::string("frontline-view") : options.output);

    // Parts: the records `series -o` writes, through the same writer, with display geometry.
    std::vector<PartRecord> records = series_part_records(series);
    std::vector<geo::Geometry> display;
    display.reserve(records.size());  // no reallocation: the records point into it
    for (auto& r : records) {
        display.push_back(geo::simplify_for_display(*r.geometry, options.parts_simplify_m * geo::kDegreesPerMetre));
        r.geometry = &display.back();
    }
    const std::string parts_path = temp.add("parts");
    write_parts(parts_path, "GeoJSON", "series", series.options.provider, series.options.cls,
                PartColumns{!series.options.regions.empty(), true}, records);
    const nlohmann::json parts = read_geojson(parts_path);
    if (parts_out != nullptr) {
        *parts_out = records.size();
    }

    // Base map: the border and the regions, simplified for display.
    nlohmann::json base = {{"border", nullptr},
                           {"regions", nullptr},
                           {"parts_simplify_m", options.parts_simplify_m},
                           {"base_simplify_m", options.base_simplify_m},
                           {"decimals", kViewDecimals}};
    geo::Context ctx;
    if (!options.border.empty()) {
        ingest::SourceRead source = ingest::read_source(ctx, options.border);
        if (source.polygons.empty()) {
            throw InputError("--border " + options.border + ": no polygon in the file; give the country's outline");
        }
        const geo::Geometry outline = geo::dissolve(ctx, source.polygons, 0.0);
        base["border"] = base_layer({{"border", &outline}}, options.base_simplify_m, temp, "border");
    }
    if (!series.options.regions.empty()) {
        const auto regions = ingest::read_regions(ctx, series.options.regions, series.options.region_field);
        std::vector<std::pair<std::string, const geo::Geometry*>> shapes;
        for (const auto& r : regions) {
            shapes.emplace_back(r.name, &r.geometry);
        }
        base["regions"] = base_layer(shapes, options.base_simplify_m, temp, "regions");
    }

    const SeriesOptions& so = series.options;
    const std::map<std::string, std::string> values = {
        {"TITLE", html_escape("frontline view: " + so.provider + ", " + so.cls + ", " + so.step + " steps " + so.from +
                              " to " + so.to)},
        {"LEAFLET_VERSION", std::string(view::leaflet_version())},
        {"LEAFLET_CSS", std::string(view::leaflet_css())},
        {"LEAFLET_JS", std::string(view::leaflet_js())},
        {"SERIES_JSON", script_json(nlohmann::json::parse(series_json(series)))},
        {"PARTS_GEOJSON", script_json(parts)},
        {"BASE_JSON", script_json(base)}};

    // One pass over the template: what is put in is never scanned again.
    const std::string_view page = view::template_html();
    std::string html;
    std::size_t at = 0;
    for (;;) {
        const std::size_t open = page.find("@@", at);
        if (open == std::string_view::npos) {
            html.append(page.substr(at));
            break;
        }
        const std::size_t close = page.find("@@", open + 2);
        if (close == std::string_view::npos) {
            throw std::logic_error("viewer template: unclosed @@ placeholder");
        }
        const std::string name(page.substr(open + 2, close - open - 2));
        auto it = values.find(name);
        if (it == values.end()) {
            throw std::logic_error("viewer template: unknown placeholder @@" + name + "@@");
        }
        html.append(page.substr(at, open - at));
        html.append(it->second);
        at = close + 2;
    }
    return html;
}

ViewReport write_viewer(const ViewOptions& options) {
    check_view_options(options);
    SeriesOptions series_options = options.series;
    series_options.output.clear();  // the page holds the parts; nothing else is written
    series_options.parts_needed = true;
    check_writable(options.output);

    ViewReport report;
    report.series = compute_series(series_options);
    const std::string html = viewer_html(report.series, options, &report.parts);
    report.bytes = html.size();

    const std::string tmp = geo::staging_path(options.output);
    {
        std::ofstream f(tmp, std::ios::binary);
        f << html;
        f.close();
        if (!f) {
            geo::discard_output(tmp, options.output);
            throw InputError("-o " + options.output + ": cannot write the file; check that its folder exists, is "
                             "writable and has room");
        }
    }
    if (!geo::commit_output(tmp, options.output)) {
        throw InputError("-o " + options.output + ": cannot move the finished page into place");
    }
    return report;
}

CLI::App* ViewCommand::setup(CLI::App& app) {
    auto* cmd = app.add_subcommand("view", "One offline HTML page: a map of each step's gained/lost parts with a time "
                                           "slider, and the series summary");
    cmd->footer(
        "The series is the one 'frontline series' computes with the same options. The page embeds\n"
        "Leaflet and every geometry and fetches nothing: no tiles, no network. The base map is the\n"
        "--border outline and the --regions; geometry on the map is simplified for display only\n"
        "(--simplify-m for parts, --base-simplify-m for the base map); every km2 figure and every\n"
        "popup's area_km2 comes from the unsimplified parts.\n\n"
        "Example:\n  frontline view --store ua.gpkg --from 2025-01-02 --to 2026-01-01 --step week \\\n"
        "      --regions sample_data/ukraine_adm1_east.geojson -o viewer.html");
    auto& o = m_options;
    add_series_options(cmd, o.series);
    cmd->add_option("--border", o.border, "Country outline file drawn as the base map (any polygon source)");
    cmd->add_option("-o,--output", o.output, "The HTML page to write")->required();
    cmd->add_option("--simplify-m", o.parts_simplify_m, "Parts are simplified within this for display, metres (0: not)")
        ->capture_default_str();
    cmd->add_option("--base-simplify-m", o.base_simplify_m,
                    "Border and regions are simplified within this for display, metres")
        ->capture_default_str();
    return cmd;
}

int ViewCommand::run(std::ostream& out) {
    const ViewReport report = write_viewer(m_options);
    out << series_table(report.series);
    char size[64];
    std::snprintf(size, sizeof size, "%.2f MB", static_cast<double>(report.bytes) / 1e6);
    out << "viewer " << m_options.output << ": " << report.series.steps.size() << " steps, " << report.parts
        << " parts, " << size << " (offline: Leaflet " << view::leaflet_version() << " and all data embedded)\n";
    if (report.series.failed_pairs == 0) {
        return 0;
    }
    std::vector<const SeriesDelta*> pairs;
    for (const auto& s : report.series.steps) {
        pairs.push_back(&s);
    }
    pairs.push_back(&report.series.totals);
    for (const SeriesDelta* d : pairs) {
        if (!d->error.empty()) {
            std::cerr << "frontline: warning: pair " << d->from << " to " << d->to << " (snapshots " << d->from_snapshot
                      << ", " << d->to_snapshot << ") failed: " << d->error << "; the page shows it as FAILED\n";
        }
    }
    return kExitFailedPairs;
}

}  // namespace frontline::cli
