#include "cli/command_store.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <ostream>
#include <sstream>
#include <tuple>

#include "geo/error.hpp"
#include "ingest/hash.hpp"
#include "ingest/store.hpp"

namespace frontline::cli {

namespace {

using ingest::Snapshot;
using ingest::SnapshotInfo;
using ingest::SnapshotKey;
using ingest::Store;

std::string key_text(const SnapshotKey& k) { return k.provider + " " + k.date + " " + k.cls; }

using KeyTuple = std::tuple<std::string, std::string, std::string>;
KeyTuple tuple_of(const SnapshotKey& k) { return {k.provider, k.cls, k.date}; }

/// `x` to the 15 significant digits a store keeps (older GeoPackages kept all 17).
double to_15_digits(double x) {
    char text[64];
    std::snprintf(text, sizeof text, "%.15g", x);
    return std::strtod(text, nullptr);
}

/// The row's own fields, apart from the geometry, must survive the copy too.
bool same_row(const SnapshotInfo& a, const SnapshotInfo& b) {
    return a.content_sha256 == b.content_sha256 && to_15_digits(a.area_km2) == to_15_digits(b.area_km2) &&
           a.source_file == b.source_file &&
           a.source_layers == b.source_layers && a.source_sha256 == b.source_sha256 && a.repaired == b.repaired &&
           a.ingested_at == b.ingested_at;
}

}  // namespace

StoreCopyReport copy_store(const StoreCopyOptions& options) {
    StoreCopyReport report;
    report.from = Store::display_name(options.from);
    report.to = Store::display_name(options.to);
    if (options.from.empty() || options.to.empty()) {
        throw InputError("store copy: give both --from and --to");
    }
    if (options.from == options.to) {
        throw InputError("store copy: --from and --to name the same store " + report.from);
    }
    const Store source = Store::open(options.from);
    const std::vector<SnapshotInfo> infos = source.list();
    report.source_count = static_cast<int>(infos.size());

    std::map<KeyTuple, SnapshotInfo> existing;
    if (Store::exists(options.to)) {
        for (auto& info : Store::open(options.to).list()) {
            existing.emplace(tuple_of(info.key), info);
        }
    }
    // Everything is checked before anything is written.
    std::vector<Snapshot> to_write;
    for (const auto& info : infos) {
        auto there = existing.find(tuple_of(info.key));
        if (there != existing.end()) {
            if (there->second.content_sha256 != info.content_sha256) {
                throw InputError("store copy: " + report.to + " already holds " + key_text(info.key) + " (from " +
                                 there->second.source_file + ") with different content than " + report.from +
                                 " (from " + info.source_file + "); nothing was copied. Remove one of them, "
                                 "or copy into another store");
            }
            ++report.already_there;
            continue;
        }
        Snapshot s;
        s.info = info;
        s.wkb = source.load_wkb(info.key);
        if (ingest::sha256_hex(s.wkb) != info.content_sha256) {
            throw InputError("store copy: " + report.from + ": the geometry of " + key_text(info.key) +
                             " does not match its recorded checksum; nothing was copied");
        }
        to_write.push_back(std::move(s));
    }
    if (!to_write.empty()) {
        Store::write(options.to, to_write);
    }
    report.copied = static_cast<int>(to_write.size());

    // Read every source snapshot back from the destination and compare.
    const Store dest = Store::open(options.to);
    std::map<KeyTuple, SnapshotInfo> after;
    for (auto& info : dest.list()) {
        after.emplace(tuple_of(info.key), info);
    }
    report.destination_count = static_cast<int>(after.size());
    for (const auto& info : infos) {
        auto there = after.find(tuple_of(info.key));
        if (there == after.end()) {
            throw RunError("store copy: " + report.to + " lacks " + key_text(info.key) + " after the copy");
        }
        const bool copied_now = existing.find(tuple_of(info.key)) == existing.end();
        if (there->second.content_sha256 != info.content_sha256 || (copied_now && !same_row(there->second, info)) ||
            ingest::sha256_hex(dest.load_wkb(info.key)) != info.content_sha256) {
            throw RunError("store copy: " + report.to + ": " + key_text(info.key) +
                           " reads back different from " + report.from + " (checksum mismatch)");
        }
        ++report.verified;
    }
    return report;
}

std::string store_copy_summary(const StoreCopyReport& r, bool json) {
    if (json) {
        nlohmann::ordered_json doc = {{"from", r.from},
                                      {"to", r.to},
                                      {"source_snapshots", r.source_count},
                                      {"copied", r.copied},
                                      {"already_there", r.already_there},
                                      {"verified", r.verified},
                                      {"destination_snapshots", r.destination_count},
                                      {"check", "count and SHA-256 of each snapshot's WKB"}};
        return doc.dump(2) + "\n";
    }
    std::ostringstream out;
    out << "store copy\n"
        << "  from           " << r.from << "  (" << r.source_count << " snapshot(s))\n"
        << "  to             " << r.to << "  (" << r.destination_count << " snapshot(s) now)\n"
        << "  copied         " << r.copied << '\n'
        << "  already there  " << r.already_there << " (identical)\n"
        << "  verified       " << r.verified << " of " << r.source_count
        << " (SHA-256 of each snapshot's WKB read back)\n";
    return out.str();
}

CLI::App* StoreCommand::setup(CLI::App& app) {
    auto* cmd = app.add_subcommand("store", "Manage stores: copy snapshots between GeoPackage and PostGIS");
    cmd->require_subcommand(1);
    cmd->footer("Example:\n  frontline store copy --from ua.gpkg --to \"PG:host=db.example dbname=osint user=me\"");
    m_copy_cmd = cmd->add_subcommand("copy", "Copy every snapshot from one store to another, verified by checksums");
    m_copy_cmd->footer(
        "Stores are GeoPackage files or PostgreSQL connection strings (PG:...). The destination is created if "
        "missing; snapshots already there with the same content are skipped, with different content the copy "
        "stops before writing.\n"
        "Example:\n  frontline store copy --from ua.gpkg --to \"PG:host=db.example dbname=osint user=me\"");
    m_copy_cmd->add_option("--from", m_copy.from, "Source store (file or PG:...)")->required();
    m_copy_cmd->add_option("--to", m_copy.to, "Destination store (file or PG:...), created if missing")->required();
    m_copy_cmd->add_flag("--json", m_copy.json, "Print the summary as one JSON object");
    return cmd;
}

int StoreCommand::run(std::ostream& out) {
    out << store_copy_summary(copy_store(m_copy), m_copy.json);
    return 0;
}

}  // namespace frontline::cli
