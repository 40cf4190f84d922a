#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/command.hpp"
#include "cli/command_ceasefire.hpp"
#include "cli/command_compare.hpp"
#include "cli/command_delta.hpp"
#include "cli/command_ingest.hpp"
#include "cli/command_front.hpp"
#include "cli/command_list.hpp"
#include "cli/command_render.hpp"
#include "cli/command_series.hpp"
#include "cli/command_store.hpp"
#include "cli/command_view.hpp"
#include "cli/command_zones.hpp"
#include "geo/error.hpp"
#include "ingest/gdal_env.hpp"

#ifndef FRONTLINE_VERSION
#define FRONTLINE_VERSION "0.0.0"
#endif

namespace frontline::cli {

std::vector<std::unique_ptr<Command>> all_commands() {
    std::vector<std::unique_ptr<Command>> commands;
    commands.push_back(std::make_unique<IngestCommand>());
    commands.push_back(std::make_unique<ListCommand>());
    commands.push_back(std::make_unique<DeltaCommand>());
    commands.push_back(std::make_unique<SeriesCommand>());
    commands.push_back(std::make_unique<CompareCommand>());
    commands.push_back(std::make_unique<FrontCommand>());
    commands.push_back(std::make_unique<ZonesCommand>());
    commands.push_back(std::make_unique<CeasefireCommand>());
    commands.push_back(std::make_unique<RenderCommand>());
    commands.push_back(std::make_unique<StoreCommand>());
    commands.push_back(std::make_unique<ViewCommand>());
    return commands;
}

std::string version_string() {
    ingest::init_gdal();
    return std::string("frontline ") + FRONTLINE_VERSION + " (" + ingest::library_versions() + ")";
}

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    CLI::App app{"frontline: how territorial control changes over time, in geodesic km2"};
    app.set_version_flag("--version", [] { return version_string(); });
    app.require_subcommand(1);
    app.footer("Run 'frontline COMMAND --help' for a command's options and an example.");
    auto commands = all_commands();
    std::vector<std::pair<CLI::App*, Command*>> registered;
    for (auto& c : commands) {
        registered.emplace_back(c->setup(app), c.get());
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        out << app.help();
        return 0;
    } catch (const CLI::CallForAllHelp& e) {
        out << app.help("", CLI::AppFormatMode::All);
        return 0;
    } catch (const CLI::CallForVersion& e) {
        out << e.what() << '\n';
        return 0;
    } catch (const CLI::ParseError& e) {
        // A subcommand's own --help arrives here as a "success" with its help text.
        if (e.get_exit_code() == 0) {
            for (auto& [sub, cmd] : registered) {
                if (sub->parsed()) {
                    const auto children = sub->get_subcommands();  // `store copy --help`
                    out << (children.empty() ? sub->help() : children.front()->help());
                    return 0;
                }
            }
            out << app.help();
            return 0;
        }
        err << "frontline: error: " << e.what() << "\n  (run 'frontline --help' or 'frontline COMMAND --help')\n";
        return 2;
    }
    try {
        for (auto& [sub, cmd] : registered) {
            if (sub->parsed()) {
                return cmd->run(out);
            }
        }
        err << "frontline: error: no command given; run 'frontline --help'\n";
        return 2;
    } catch (const InputError& e) {
        err << "frontline: error: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        err << "frontline: failed: " << e.what() << '\n';
        return 1;
    }
}

}  // namespace frontline::cli
