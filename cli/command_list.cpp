#include "cli/command_list.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <ostream>

#include "cli/format.hpp"
#include "cli/store_options.hpp"
#include "ingest/store.hpp"

namespace frontline::cli {

CLI::App* ListCommand::setup(CLI::App& app) {
    auto* cmd = app.add_subcommand("list", "List the snapshots in a store");
    cmd->footer("Example:\n  frontline list --store ua.gpkg --json");
    add_store_option(*cmd, m_store);
    cmd->add_flag("--json", m_json, "Print a JSON array of {provider, date, class, area_km2, source}");
    return cmd;
}

int ListCommand::run(std::ostream& out) {
    ingest::Store store = ingest::Store::open(m_store);
    auto snapshots = store.list();
    if (m_json) {
        nlohmann::ordered_json doc = nlohmann::ordered_json::array();
        for (const auto& s : snapshots) {
            doc.push_back({{"provider", s.key.provider},
                           {"date", s.key.date},
                           {"class", s.key.cls},
                           {"area_km2", round_to(s.area_km2)},
                           {"source", s.source_file},
                           {"source_sha256", s.source_sha256},
                           {"repaired", s.repaired}});
        }
        out << doc.dump(2) << '\n';
        return 0;
    }
    char line[256];
    std::snprintf(line, sizeof line, "%-12s %-10s %-12s %16s  %s\n", "provider", "date", "class", "area_km2",
                  "source");
    out << line;
    for (const auto& s : snapshots) {
        std::snprintf(line, sizeof line, "%-12s %-10s %-12s %16s  ", s.key.provider.c_str(), s.key.date.c_str(),
                      s.key.cls.c_str(), grouped(s.area_km2).c_str());
        out << line << s.source_file << '\n';
    }
    out << snapshots.size() << " snapshot(s) in " << m_store << '\n';
    return 0;
}

}  // namespace frontline::cli
