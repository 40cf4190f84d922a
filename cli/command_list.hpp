#pragma once
#include <string>

#include "cli/command.hpp"

namespace frontline::cli {

/// `frontline list`: the snapshots in a store.
class ListCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override;
    int run(std::ostream& out) override;

private:
    std::string m_store = "frontline.gpkg";  ///< store to read
    bool m_json = false;                     ///< print a JSON array instead of a table
};

}  // namespace frontline::cli
