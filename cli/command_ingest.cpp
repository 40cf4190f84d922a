#include "cli/command_ingest.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <ostream>

#include "cli/format.hpp"
#include "geo/geodesic.hpp"

namespace frontline::cli {

CLI::App* IngestCommand::setup(CLI::App& app) {
    auto* cmd = app.add_subcommand("ingest", "Store dated control-area snapshots from vector files");
    cmd->footer(
        "Each file becomes one snapshot (provider, date, class): every polygon in it, repaired,\n"
        "dissolved into one MultiPolygon in WGS84 lon/lat. The date comes from --date, else from\n"
        "the file name (YYYYMMDD, YYYY-MM-DD or a 10-digit Unix timestamp).\n\n"
        "Example:\n  frontline ingest --store ua.gpkg sample_data/deepstatemap_data_20250102.geojson");
    cmd->add_option("--store", m_options.store_path, "Snapshot store (GeoPackage file)")
        ->capture_default_str();
    cmd->add_option("--provider", m_options.provider, "Provider name stored with the snapshots")
        ->capture_default_str();
    cmd->add_option("--class", m_options.cls, "Class of the polygons (occupied, contested, ...)")
        ->capture_default_str();
    cmd->add_option("--date", m_options.date, "Date of every file, YYYY-MM-DD (default: from each file name)");
    cmd->add_flag("--replace", m_options.replace,
                  "Overwrite a stored snapshot whose content differs (default: refuse)");
    cmd->add_option("--grid-size-deg", m_options.grid_size_deg,
                    "Precision grid of the stored geometry, degrees")
        ->capture_default_str();
    cmd->add_flag("--json", m_json, "Print the report as one JSON object");
    cmd->add_option("files", m_options.files, "Files to ingest (GeoJSON, KML/KMZ, Shapefile, zip, GPKG, FlatGeobuf, ...)")
        ->required();
    return cmd;
}

int IngestCommand::run(std::ostream& out) {
    geo::Context ctx;
    ingest::IngestReport report = ingest::ingest_files(ctx, m_options);
    if (m_json) {
        nlohmann::ordered_json files = nlohmann::ordered_json::array();
        for (const auto& f : report.files) {
            nlohmann::ordered_json repairs = nlohmann::ordered_json::array();
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
        nlohmann::ordered_json doc = {{"store", report.store_path}, {"files", files}, {"method", geo::kGeodesicMethod}};
        out << doc.dump(2) << '\n';
        return 0;
    }
    for (const auto& f : report.files) {
        out << ingest::to_string(f.status) << "  " << f.key.provider << " " << f.key.date << " " << f.key.cls
            << "  " << grouped(f.area_km2) << " km2 in " << f.parts << " part(s)  from " << f.file;
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
    }
    out << "store: " << report.store_path << '\n';
    return 0;
}

}  // namespace frontline::cli
