#include "cli/command_ingest.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <sstream>
#include <unistd.h>

#include "cli/format.hpp"
#include "cli/store_options.hpp"
#include "geo/error.hpp"
#include "geo/output_file.hpp"
#include "geo/geodesic.hpp"
#include "ingest/presets.hpp"

namespace frontline::cli {

namespace {

using nlohmann::ordered_json;

/// The status of the snapshot (file, class), or nothing if none was made.
const ingest::IngestedFile* snapshot_of(const ingest::IngestReport& report, const std::string& file,
                                        const std::string& cls) {
    for (const auto& f : report.files) {
        if (f.file == file && f.key.cls == cls) {
            return &f;
        }
    }
    return nullptr;
}

ordered_json source_json(const ingest::IngestReport& report, const ingest::SourceReport& s) {
    int ignored = 0;
    for (const auto& g : s.ignored) {
        ignored += g.features;
    }
    ordered_json classes = ordered_json::array();
    for (const auto& c : s.classes) {
        const ingest::IngestedFile* snap = snapshot_of(report, s.file, c.cls);
        classes.push_back({{"class", c.cls},
                           {"parent", c.parent.empty() ? ordered_json(nullptr) : ordered_json(c.parent)},
                           {"features", c.features},
                           {"area_km2", round_to(c.area_km2)},
                           {"parts", c.parts},
                           {"area_before_km2", round_to(c.area_before_km2)},
                           {"clipped", {{"km2", round_to(c.outside_km2 + c.clipped_km2)},
                                        {"parts_outside", c.parts_outside},
                                        {"outside_km2", round_to(c.outside_km2)},
                                        {"cut_km2", round_to(c.clipped_km2)}}},
                           {"overlap_km2", round_to(c.overlap_km2)},
                           {"slivers", {{"parts", c.sliver_parts},
                                        {"parts_km2", round_to(c.sliver_parts_km2, 6)},
                                        {"holes", c.sliver_holes},
                                        {"holes_km2", round_to(c.sliver_holes_km2, 6)}}},
                           {"repairs", c.repairs},
                           {"snapshot", snap == nullptr ? ordered_json(nullptr) : ordered_json(ingest::to_string(snap->status))}});
    }
    ordered_json rules = ordered_json::array();
    for (const auto& r : s.rules_used) {
        rules.push_back({{"rule", r.rule},
                         {"class", r.classes.empty() ? ordered_json("ignore") : ordered_json(r.classes)},
                         {"features", r.features}});
    }
    ordered_json ignored_json = ordered_json::array();
    for (const auto& g : s.ignored) {
        ignored_json.push_back(
            {{"reason", g.reason}, {"features", g.features}, {"values", g.values}, {"unmatched", g.unmatched}});
    }
    ordered_json repairs = ordered_json::array();
    for (const auto& r : s.repairs) {
        repairs.push_back({{"layer", r.repair.layer},
                           {"feature", r.repair.feature},
                           {"class", r.cls},
                           {"reason", r.repair.reason},
                           {"area_after_km2", round_to(r.repair.area_after_m2 / 1e6)}});
    }
    ordered_json overlaps = ordered_json::array();
    for (const auto& o : s.overlaps) {
        overlaps.push_back({{"class", o.cls}, {"kept_by", o.kept_by}, {"area_km2", round_to(o.area_km2)}});
    }
    ordered_json implausible = ordered_json::array();
    for (const auto& p : s.implausible) {
        implausible.push_back({{"class", p.cls},
                               {"area_km2", round_to(p.area_km2)},
                               {"lon", round_to(p.lon, 4)},
                               {"lat", round_to(p.lat, 4)},
                               {"distance_km", round_to(p.distance_km, 1)}});
    }
    return {{"file", s.file},
            {"date", s.date},
            {"provider", s.provider},
            {"rules", s.rules},
            {"sha256", s.sha256},
            {"features", {{"read", s.features},
                          {"polygonal", s.polygonal_features},
                          {"used", s.used_features},
                          {"ignored", ignored}}},
            {"classes", classes},
            {"rules_used", rules},
            {"ignored", ignored_json},
            {"repairs", repairs},
            {"overlaps", overlaps},
            {"implausible", implausible},
            {"notes", s.notes}};
}

ordered_json sources_json(const ingest::IngestReport& report) {
    ordered_json files = ordered_json::array();
    for (const auto& s : report.sources) {
        files.push_back(source_json(report, s));
    }
    return files;
}

/// Writes `text` to `path` through a temporary file renamed into place.
void write_file_atomically(const std::string& path, const std::string& text, const std::string& option) {
    const std::string tmp = geo::staging_path(path);
    {
        std::ofstream f(tmp, std::ios::binary);
        f << text;
        f.close();
        if (!f) {
            geo::discard_output(tmp, path);
            throw InputError(option + " " + path + ": cannot write the file; check that its folder exists and is writable");
        }
    }
    if (!geo::commit_output(tmp, path)) {
        throw InputError(option + " " + path + ": cannot write the file; check that its folder exists and is writable");
    }
}

/// Throws InputError unless a file can be created at `path` (checked before the store is touched).
void check_writable(const std::string& path, const std::string& option) {
    auto slash = path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    if (::access(dir.c_str(), W_OK) != 0) {
        throw InputError(option + " " + path + ": cannot write there; check that the folder " + dir +
                         " exists and is writable");
    }
}

}  // namespace

std::string ingest_report_json(const ingest::IngestReport& report) {
    ordered_json doc = {{"store", report.store_path},
                        {"clip", report.clip_path.empty()
                                     ? ordered_json(nullptr)
                                     : ordered_json({{"file", report.clip_path},
                                                     {"area_km2", round_to(report.clip_area_km2)}})},
                        {"precedence", report.precedence},
                        {"slivers", report.min_area_km2 > 0.0 || report.min_width_m > 0.0
                                        ? ordered_json({{"min_area_km2", report.min_area_km2},
                                                        {"min_width_m", report.min_width_m}})
                                        : ordered_json(nullptr)},
                        {"files", sources_json(report)},
                        {"method", geo::kGeodesicMethod}};
    return doc.dump(2) + "\n";
}

std::string ingest_summary_json(const ingest::IngestReport& report) {
    ordered_json files = ordered_json::array();
    for (const auto& f : report.files) {
        ordered_json repairs = ordered_json::array();
        for (const auto& r : f.repairs) {
            repairs.push_back({{"layer", r.layer},
                               {"feature", r.feature},
                               {"reason", r.reason},
                               {"area_after_km2", round_to(r.area_after_m2 / 1e6)}});
        }
        files.push_back({{"file", f.file},
                         {"provider", f.key.provider},
                         {"date", f.key.date},
                         {"class", f.key.cls},
                         {"status", ingest::to_string(f.status)},
                         {"area_km2", round_to(f.area_km2)},
                         {"parts", f.parts},
                         {"features", f.features},
                         {"polygonal_features", f.polygonal_features},
                         {"ignored_features", f.other_features},
                         {"repairs", repairs},
                         {"notes", f.notes}});
    }
    ordered_json doc = {{"store", report.store_path}, {"files", files}};
    if (report.rules_used || !report.clip_path.empty()) {
        doc["sources"] = sources_json(report);
    }
    doc["method"] = geo::kGeodesicMethod;
    return doc.dump(2) + "\n";
}

namespace {

/// The snapshot lines of today's summary, for one file.
void snapshot_lines(std::ostringstream& out, const ingest::IngestedFile& f) {
    out << ingest::to_string(f.status) << "  " << f.key.provider << " " << f.key.date << " " << f.key.cls << "  "
        << grouped(f.area_km2) << " km2 in " << f.parts << " part(s)  from " << f.file;
}

/// At most `bytes` bytes of UTF-8 `s`, never cutting a character in two.
std::string utf8_prefix(const std::string& s, std::size_t bytes) {
    if (s.size() <= bytes) {
        return s;
    }
    while (bytes > 0 && (static_cast<unsigned char>(s[bytes]) & 0xC0) == 0x80) {
        --bytes;
    }
    return s.substr(0, bytes);
}

std::string km2(double v) {
    // Sliver tallies are often a few square metres: printed as such rather than as 0.00 km2.
    return v != 0.0 && std::abs(v) < 0.01 ? grouped(v * 1e6, 1) + " m2" : grouped(v) + " km2";
}

void details(std::ostringstream& out, const ingest::SourceReport& s) {
    int ignored = 0;
    for (const auto& g : s.ignored) {
        ignored += g.features;
    }
    out << "  read     " << s.features << " feature(s): " << s.used_features << " used, " << ignored << " ignored ("
        << s.rules << ")\n";
    for (const auto& c : s.classes) {
        out << "  class    " << c.cls;
        if (!c.parent.empty()) {
            out << " (part of " << c.parent << ")";
        }
        out << ": " << c.features << " feature(s), " << km2(c.area_km2);
        if (!c.stored) {
            out << ", nothing left: no snapshot";
        }
        out << '\n';
    }
    for (const auto& g : s.ignored) {
        out << "  " << (g.unmatched ? "unknown  " : "ignored  ") << g.features << " "
            << (g.unmatched ? "feature(s) matched no rule, so they were ignored; add a rule with --class-map if they matter"
                            : g.reason);
        if (!g.values.empty()) {
            std::string v;
            for (const auto& x : g.values) {
                v += (v.empty() ? "'" : ", '") + utf8_prefix(x, 60) + (x.size() > 60 ? "...'" : "'");
            }
            out << ": " << v;
        }
        out << '\n';
    }
    for (const auto& c : s.classes) {
        if (c.parts_outside > 0 || c.clipped_km2 > 0.0) {
            out << "  clipped  " << c.cls << ": " << km2(c.outside_km2 + c.clipped_km2) << " outside the boundary";
            if (c.parts_outside > 0) {
                out << " (" << c.parts_outside << " part(s) entirely outside, " << km2(c.outside_km2) << ")";
            }
            out << '\n';
        }
    }
    for (const auto& o : s.overlaps) {
        out << "  overlap  " << km2(o.area_km2) << " drawn as both " << o.cls << " and " << o.kept_by << ": kept as "
            << o.kept_by << '\n';
    }
    for (const auto& c : s.classes) {
        if (c.sliver_parts > 0 || c.sliver_holes > 0) {
            out << "  slivers  " << c.cls << ": " << c.sliver_parts << " part(s) dropped (" << km2(c.sliver_parts_km2)
                << "), " << c.sliver_holes << " hole(s) filled (" << km2(c.sliver_holes_km2) << ")\n";
        }
    }
    for (const auto& r : s.repairs) {
        out << "  repaired layer '" << r.repair.layer << "' feature " << r.repair.feature << " (" << r.cls
            << "): " << r.repair.reason << '\n';
    }
    for (const auto& p : s.implausible) {
        out << "  flagged  " << p.cls << " part of " << km2(p.area_km2) << " centred at (" << round_to(p.lon, 2) << ", "
            << round_to(p.lat, 2) << "), " << grouped(p.distance_km, 0)
            << " km from the rest of the file; clip it away with --clip BOUNDARY\n";
    }
    for (const auto& n : s.notes) {
        out << "  note: " << n << '\n';
    }
}

}  // namespace

std::string ingest_summary_table(const ingest::IngestReport& report) {
    std::ostringstream out;
    const bool detailed = report.rules_used || !report.clip_path.empty();
    for (const auto& s : report.sources) {
        for (const auto& f : report.files) {
            if (f.file != s.file) {
                continue;
            }
            snapshot_lines(out, f);
            if (!detailed) {
                if (f.other_features > 0) {
                    out << "  (" << f.other_features << " non-polygon feature(s) ignored)";
                }
                out << '\n';
                for (const auto& r : f.repairs) {
                    out << "  repaired layer '" << r.layer << "' feature " << r.feature << ": " << r.reason << '\n';
                }
                for (const auto& n : f.notes) {
                    out << "  note: " << n << '\n';
                }
                for (const auto& p : s.implausible) {
                    out << "  flagged  part of " << km2(p.area_km2) << " centred at (" << round_to(p.lon, 2) << ", "
                        << round_to(p.lat, 2) << "), " << grouped(p.distance_km, 0)
                        << " km from the rest of the file; clip it away with --clip BOUNDARY\n";
                }
            } else {
                out << '\n';
            }
        }
        if (detailed) {
            details(out, s);
        }
    }
    out << "store: " << report.store_path << '\n';
    return out.str();
}

CLI::App* IngestCommand::setup(CLI::App& app) {
    auto* cmd = app.add_subcommand("ingest", "Store dated control-area snapshots from vector files");
    std::string preset_list;
    for (const auto& p : ingest::presets()) {
        preset_list += "\n  " + p.name + std::string(p.name.size() < 11 ? 11 - p.name.size() : 1, ' ') + p.description;
    }
    cmd->footer(
        "Each file becomes one snapshot (provider, date, class) per class: its polygons, repaired,\n"
        "dissolved into one MultiPolygon in WGS84 lon/lat. Without --preset or --class-map every\n"
        "polygon is --class. The date comes from --date, else from the file name (YYYYMMDD,\n"
        "YYYY-MM-DD or a 10-digit Unix timestamp).\n\n"
        "Presets:" + preset_list + "\n\n"
        "Example:\n"
        "  frontline ingest --store ua.gpkg sample_data/deepstatemap_data_20250102.geojson\n"
        "  frontline ingest --store ua.gpkg --preset deepstate --clip ukraine_adm1.geojson --report r.json 1754251105.geojson\n"
        "  frontline ingest --store ua.gpkg --class-field status --class-map map.json export_2025-08-03.geojson");
    m_cmd = cmd;
    add_store_option(*cmd, m_options.store_path);
    cmd->add_option("--preset", m_options.preset,
                    "Provider preset: deepstate, cyterat, isw or nzz (sets the provider, the class rules and how files are read)");
    cmd->add_option("--provider", m_options.provider, "Provider name stored with the snapshots (default: the preset's name, else 'default')");
    cmd->add_option("--class", m_options.cls, "Class of every polygon when there are no class rules (default: occupied)");
    cmd->add_option("--class-map", m_options.class_map,
                    "JSON file mapping raw values or patterns to classes (or \"ignore\"); replaces a preset's rules");
    cmd->add_option("--class-field", m_options.class_field, "Attribute the class map reads ($layer: the layer name)");
    cmd->add_option("--clip", m_options.clip,
                    "Boundary file: clip every snapshot to the union of its polygons and report the area cut off");
    cmd->add_option("--report", m_report, "Write a JSON report of everything done to each file");
    cmd->add_option("--date", m_options.date, "Date of every file, YYYY-MM-DD (default: from each file name)");
    cmd->add_flag("--replace", m_options.replace,
                  "Overwrite a stored snapshot whose content differs (default: refuse)");
    cmd->add_option("--grid-size-deg", m_options.grid_size_deg,
                    "Precision grid of the stored geometry, degrees")
        ->capture_default_str();
    cmd->add_option("--min-area-km2", m_options.min_area_km2,
                    "With class rules: parts and holes smaller than this are slivers, km2")
        ->capture_default_str();
    cmd->add_option("--min-width-m", m_options.min_width_m,
                    "With class rules: parts and holes thinner than this (2 x area / perimeter) are slivers, m")
        ->capture_default_str();
    cmd->add_option("--max-distance-km", m_options.max_distance_km,
                    "Without --clip: flag parts farther than this from the median centre of the file's parts, km")
        ->capture_default_str();
    cmd->add_option("--max-vertices", m_options.max_vertices,
                    "Most vertices one source feature may have; a larger one is an error, not a memory exhaustion (default 20000000)");
    cmd->add_option("--threads", m_options.threads, "Files read and built at once (default 0: one per core)")
        ->check(CLI::Range(0, 256));
    cmd->add_flag("--json", m_json, "Print the report as one JSON object");
    cmd->add_option("files", m_options.files, "Files to ingest (GeoJSON, KML/KMZ, Shapefile, zip, GPKG, FlatGeobuf, ...)")
        ->required();
    return cmd;
}

int IngestCommand::run(std::ostream& out) {
    if (m_cmd != nullptr && m_cmd->count("--class") > 0 && (!m_options.preset.empty() || !m_options.class_map.empty())) {
        throw InputError("--class " + m_options.cls +
                         ": the classes come from the class rules of --preset or --class-map; leave --class out "
                         "(delta, series and compare select a class with --class)");
    }
    if (!m_report.empty()) {
        check_writable(m_report, "--report");
    }
    geo::Context ctx;
    ingest::IngestReport report = ingest::ingest_files(ctx, m_options);
    if (!m_report.empty()) {
        write_file_atomically(m_report, ingest_report_json(report), "--report");
    }
    out << (m_json ? ingest_summary_json(report) : ingest_summary_table(report));
    return 0;
}

}  // namespace frontline::cli
