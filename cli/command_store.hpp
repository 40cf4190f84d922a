#pragma once
/// `frontline store copy`: every snapshot from one store to another (GeoPackage <-> PostGIS, or
/// between two of the same kind), verified by count and by the SHA-256 of each geometry's WKB.
#include <string>
#include <vector>

#include "cli/command.hpp"

namespace frontline::cli {

/// Options of `frontline store copy`.
struct StoreCopyOptions {
    std::string from;   ///< source store: a GeoPackage file or a "PG:..." connection string
    std::string to;     ///< destination store, created if missing
    bool json = false;  ///< summary as one JSON object
};

/// What `store copy` did.
struct StoreCopyReport {
    std::string from;        ///< source, as shown (password hidden)
    std::string to;          ///< destination, as shown
    int source_count = 0;    ///< snapshots in the source
    int copied = 0;          ///< written to the destination
    int already_there = 0;   ///< identical content already in the destination
    int verified = 0;        ///< read back from the destination with matching checksums
    int destination_count = 0;  ///< snapshots in the destination afterwards
};

/// Copies every snapshot of `options.from` into `options.to` in one transaction, then reads each
/// back and checks its WKB's SHA-256 against the source's. Throws InputError before writing
/// anything when the destination holds a (provider, date, class) with different content, or
/// when a source snapshot does not match its own recorded checksum; RunError when the copy read
/// back differs.
StoreCopyReport copy_store(const StoreCopyOptions& options);

/// The summary as text, or as one JSON object.
std::string store_copy_summary(const StoreCopyReport& report, bool json);

/// `frontline store` and its subcommand `copy`.
class StoreCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override;
    int run(std::ostream& out) override;

private:
    StoreCopyOptions m_copy;
    CLI::App* m_copy_cmd = nullptr;
};

}  // namespace frontline::cli
