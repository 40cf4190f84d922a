#pragma once
#include <string>

#include "cli/command.hpp"
#include "ingest/ingest_job.hpp"

namespace frontline::cli {

/// The per-file report of `ingest --report` as one JSON document: for each file its date,
/// provider, features read, used per class and ignored (and why), repairs with GEOS's reason,
/// area clipped away, sliver area removed, overlaps resolved and implausible parts (see the
/// README for the keys).
std::string ingest_report_json(const ingest::IngestReport& report);

/// The readable summary `ingest` prints: one line per snapshot and, with class rules or a clip
/// boundary, what was done to each file.
std::string ingest_summary_table(const ingest::IngestReport& report);

/// The `--json` summary: {store, files: [one entry per snapshot], method}, plus `sources` (the
/// report's per-file entries) when class rules or a clip boundary were used.
std::string ingest_summary_json(const ingest::IngestReport& report);

/// `frontline ingest`: store dated snapshots from any vector files GDAL reads.
class IngestCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override;
    int run(std::ostream& out) override;

private:
    ingest::IngestOptions m_options;
    bool m_json = false;           ///< print the report as one JSON object instead of a table
    std::string m_report;          ///< --report: write the per-file report as JSON here
    bool m_class_given = false;    ///< --class was on the command line
    CLI::App* m_cmd = nullptr;
};

}  // namespace frontline::cli
