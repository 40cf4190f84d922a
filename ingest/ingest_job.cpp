#include "ingest/ingest_job.hpp"

#include <algorithm>
#include <map>
#include <regex>

#include "geo/geodesic.hpp"
#include "ingest/dates.hpp"
#include "ingest/hash.hpp"

namespace frontline::ingest {

const char* to_string(IngestStatus s) {
    switch (s) {
        case IngestStatus::added:
            return "added";
        case IngestStatus::replaced:
            return "replaced";
        case IngestStatus::unchanged:
            return "unchanged";
    }
    return "?";
}

namespace {

void check_name(const std::string& value, const std::string& option) {
    static const std::regex name(R"([A-Za-z0-9][A-Za-z0-9_.\-]*)");
    if (!std::regex_match(value, name)) {
        throw InputError(option + ": '" + value +
                         "' is not a valid name; use letters, digits, '.', '_' and '-', e.g. deepstate");
    }
}

std::string file_name(const std::string& path) {
    auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) {
        out += (out.empty() ? "" : ",") + s;
    }
    return out;
}

}  // namespace

IngestReport ingest_files(const geo::Context& ctx, const IngestOptions& options) {
    check_name(options.provider, "--provider");
    check_name(options.cls, "--class");
    if (options.files.empty()) {
        throw InputError("ingest: no input files; name one or more files to ingest");
    }
    if (!(options.grid_size_deg > 0.0 && options.grid_size_deg <= 0.01)) {
        throw InputError("--grid-size-deg: must be > 0 and <= 0.01 degrees");
    }
    const std::string fixed_date = options.date.empty() ? "" : parse_date(options.date, "--date");
    const std::string today = today_utc();

    IngestReport report;
    report.store_path = options.store_path;
    std::vector<Snapshot> snapshots;
    std::vector<std::size_t> report_index;      // snapshots[i] is reported in report.files[report_index[i]]
    std::map<std::string, std::size_t> by_key;  // key text → index in snapshots

    for (const auto& path : options.files) {
        IngestedFile out;
        out.file = path;
        std::string date = fixed_date;
        if (date.empty()) {
            auto found = date_from_filename(path);
            if (!found) {
                throw InputError(path +
                                 ": no date in the file name (YYYYMMDD, YYYY-MM-DD or a 10-digit Unix "
                                 "timestamp); give it with --date YYYY-MM-DD");
            }
            date = *found;
        }
        if (date > today) {
            throw InputError(path + ": date " + date + " is in the future (today is " + today +
                             " UTC); give the right date with --date");
        }
        out.key = SnapshotKey{options.provider, date, options.cls};

        SourceRead source = read_source(ctx, path);
        geo::Geometry snapshot = geo::dissolve(ctx, source.polygons, options.grid_size_deg);
        geo::normalize(snapshot);
        if (snapshot.is_empty()) {
            throw InputError(path + ": its polygons have no area left after repair; nothing to ingest");
        }
        out.area_km2 = geo::geodesic_area_m2(snapshot) / 1e6;
        out.features = source.features;
        out.polygonal_features = source.polygonal_features;
        out.other_features = source.other_features;
        out.parts = snapshot.num_geometries();
        out.repairs = std::move(source.repairs);
        out.notes = std::move(source.notes);

        Snapshot s;
        s.wkb = snapshot.to_wkb();
        s.info.key = out.key;
        s.info.area_km2 = out.area_km2;
        s.info.content_sha256 = sha256_hex(s.wkb);
        s.info.source_file = file_name(path);
        s.info.source_layers = join(source.layers);
        s.info.source_sha256 = source.sha256;
        s.info.repaired = static_cast<int>(out.repairs.size());
        s.info.ingested_at = now_utc();

        const std::string key_text = out.key.provider + "\n" + out.key.date + "\n" + out.key.cls;
        auto seen = by_key.find(key_text);
        if (seen != by_key.end()) {
            const Snapshot& first = snapshots[seen->second];
            if (first.info.content_sha256 != s.info.content_sha256) {
                throw InputError(path + ": gives " + out.key.provider + " " + out.key.date + " " + out.key.cls +
                                 " like " + first.info.source_file +
                                 " but with different content; ingest them in separate runs (with --replace) "
                                 "or give each its own --date");
            }
            out.status = IngestStatus::unchanged;
            report.files.push_back(std::move(out));
            continue;
        }
        by_key[key_text] = snapshots.size();
        report_index.push_back(report.files.size());
        snapshots.push_back(std::move(s));
        report.files.push_back(std::move(out));
    }

    // Compare with what the store holds; nothing is written until every file has passed.
    std::vector<Snapshot> to_write;
    if (Store::exists(options.store_path)) {
        Store store = Store::open(options.store_path);
        for (std::size_t i = 0; i < snapshots.size(); ++i) {
            Snapshot& s = snapshots[i];
            IngestedFile& out = report.files[report_index[i]];
            auto existing = store.find(s.info.key);
            if (!existing) {
                out.status = IngestStatus::added;
                to_write.push_back(std::move(s));
            } else if (existing->content_sha256 == s.info.content_sha256) {
                out.status = IngestStatus::unchanged;
            } else if (options.replace) {
                out.status = IngestStatus::replaced;
                to_write.push_back(std::move(s));
            } else {
                throw InputError(out.file + ": the store already holds " + s.info.key.provider + " " +
                                 s.info.key.date + " " + s.info.key.cls + " (from " + existing->source_file +
                                 ") with different content; pass --replace to overwrite it, or --date to "
                                 "store it under another date");
            }
        }
    } else {
        to_write = std::move(snapshots);
    }
    if (!to_write.empty()) {
        Store::write(options.store_path, to_write);
    }
    return report;
}

}  // namespace frontline::ingest
