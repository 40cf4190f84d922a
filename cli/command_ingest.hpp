#pragma once
#include "cli/command.hpp"
#include "ingest/ingest_job.hpp"

namespace frontline::cli {

/// `frontline ingest`: store dated snapshots from any vector files GDAL reads.
class IngestCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override;
    int run(std::ostream& out) override;

private:
    ingest::IngestOptions m_options;
    bool m_json = false;  ///< print the report as one JSON object instead of a table
};

}  // namespace frontline::cli
