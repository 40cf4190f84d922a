#include "cli/command_series.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <functional>
#include <future>
#include <map>
#include <optional>
#include <memory>
#include <mutex>
#include <ostream>
#include <set>
#include <sstream>
#include <thread>
#include <iostream>
#include <cstdlib>

#include "cli/format.hpp"
#include "cli/parts_output.hpp"
#include "geo/error.hpp"
#include "geo/polygon_ops.hpp"
#include "geo/geodesic.hpp"
#include "ingest/dates.hpp"
#include "ingest/regions_reader.hpp"
#include "cli/store_options.hpp"
#include "ingest/store.hpp"
#include "ingest/vector_writer.hpp"

namespace frontline::cli {

std::vector<std::string> step_boundaries(const std::string& from, const std::string& to, const std::string& step) {
    std::function<std::string(int)> at;
    if (step == "day") {
        at = [&](int k) { return ingest::add_days(from, k); };
    } else if (step == "week") {
        at = [&](int k) { return ingest::add_days(from, 7 * k); };
    } else if (step == "month") {
        at = [&](int k) { return ingest::add_months(from, k); };
    } else if (step == "quarter") {
        at = [&](int k) { return ingest::add_months(from, 3 * k); };
    } else if (step == "year") {
        at = [&](int k) { return ingest::add_months(from, 12 * k); };
    } else {
        throw InputError("--step " + step + ": not a step; use day, week, month, quarter, year or snapshot");
    }
    std::vector<std::string> out;
    for (int k = 0;; ++k) {
        std::string d = at(k);
        if (d >= to) {
            break;
        }
        out.push_back(d);
    }
    out.push_back(to);
    return out;
}

namespace {

/// GDAL-style progress on stderr: "0...10...20...30...40...50...60...70...80...90...100 - done."
class Progress {
public:
    explicit Progress(bool enabled) : m_enabled(enabled) {}
    void update(double fraction) {
        if (!m_enabled) {
            return;
        }
        std::lock_guard<std::mutex> lock(m_mutex);
        int target = static_cast<int>(std::floor(fraction * 40.0 + 1e-9));
        while (m_ticks < target) {
            ++m_ticks;
            if (m_ticks % 4 == 0) {
                std::fprintf(stderr, "%d", m_ticks / 4 * 10);
            } else {
                std::fputc('.', stderr);
            }
        }
        if (m_ticks == 40 && !m_done) {
            m_done = true;
            std::fputs(" - done.\n", stderr);
        }
        std::fflush(stderr);
    }

private:
    bool m_enabled;
    std::mutex m_mutex;
    int m_ticks = -1;
    bool m_done = false;
};

/// Runs `task(context_index, i)` for i in [0, n) on `contexts.size()` threads.
void parallel_for(std::size_t n, std::size_t threads, const std::function<void(std::size_t, std::size_t)>& task,
                  Progress& progress, double progress_from, double progress_span) {
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> done{0};
    std::mutex error_mutex;
    std::exception_ptr error;
    auto worker = [&](std::size_t w) {
        for (;;) {
            std::size_t i = next.fetch_add(1);
            if (i >= n) {
                return;
            }
            try {
                task(w, i);
            } catch (...) {
                std::lock_guard<std::mutex> lock(error_mutex);
                if (!error) {
                    error = std::current_exception();
                }
                next = n;
                return;
            }
            progress.update(progress_from + progress_span * static_cast<double>(++done) / static_cast<double>(n));
        }
    };
    std::vector<std::thread> pool;
    for (std::size_t w = 1; w < threads && w < n; ++w) {
        pool.emplace_back(worker, w);
    }
    worker(0);
    for (auto& t : pool) {
        t.join();
    }
    if (error) {
        std::rethrow_exception(error);
    }
}

void check_options(const SeriesOptions& o) {
    parse_bbox(o.bbox);
    ingest::parse_date(o.from, "--from");
    ingest::parse_date(o.to, "--to");
    if (o.from >= o.to) {
        throw InputError("--from " + o.from + " must be before --to " + o.to);
    }
    for (const auto& d : o.exclude_dates) {
        ingest::parse_date(d, "--exclude-dates");
    }
    if (!(o.flag_change_pct > 0.0) || !std::isfinite(o.flag_change_pct)) {
        throw InputError("--flag-change-pct: must be a number > 0");
    }
    if (!(o.max_step_change_pct >= 0.0) || !std::isfinite(o.max_step_change_pct)) {
        throw InputError("--max-step-change: must be a number >= 0 (0 keeps every snapshot)");
    }
    if (o.threads < 0 || o.threads > 256) {
        throw InputError("--threads: must be between 0 (one per core) and 256");
    }
    if (!(o.grid_size_deg > 0.0 && o.grid_size_deg <= 0.01)) {
        throw InputError("--grid-size-deg: must be > 0 and <= 0.01 degrees");
    }
    if (!(o.same_vertex_deg >= 0.0 && o.same_vertex_deg <= 1e-5)) {
        throw InputError("--same-vertex-deg: must be >= 0 (0: never) and <= 1e-5 degrees (about 1 m)");
    }
    if (!(o.min_area_km2 >= 0.0) || !(o.min_width_m >= 0.0)) {
        throw InputError("--min-area-km2 and --min-width-m must be numbers >= 0");
    }
    if (o.csv && o.json) {
        throw InputError("--csv and --json: choose one");
    }
    if (o.step != "snapshot") {
        step_boundaries(o.from, o.to, o.step);  // throws for an unknown step
    }
    if (!o.regions.empty() && o.region_field.empty()) {
        throw InputError("--region-field: name the field that holds each region's name");
    }
}

/// Flags spikes and lasting jumps in the controlled area; marks spikes for dropping.
std::vector<FlaggedSnapshot> find_glitches(const std::vector<ingest::SnapshotInfo>& snaps, const std::string& window_from,
                                           const std::string& window_to, double flag_pct, double drop_pct) {
    std::vector<FlaggedSnapshot> out;
    const std::size_t n = snaps.size();
    auto change = [&](std::size_t i) {  // % change from snapshot i-1 to i
        return 100.0 * (snaps[i].area_km2 - snaps[i - 1].area_km2) / std::max(snaps[i - 1].area_km2, 1e-9);
    };
    auto is_spike = [&](std::size_t i, double t) {
        if (i == 0 || i + 1 >= n) {
            return false;
        }
        double a = change(i);
        double b = change(i + 1);
        return std::fabs(a) > t && std::fabs(b) > t && a * b < 0.0;
    };
    // A spike is a jump and a jump back; the snapshot after a spike (the way back) is neither a
    // spike nor a shift itself.
    bool previous_spike = false;
    for (std::size_t i = 1; i < n; ++i) {
        const bool spike = !previous_spike && is_spike(i, flag_pct);
        const bool shift = !spike && !previous_spike && std::fabs(change(i)) > flag_pct;
        const std::string& date = snaps[i].key.date;
        if ((spike || shift) && date >= window_from && date <= window_to) {
            out.push_back(FlaggedSnapshot{date, spike ? "spike" : "shift", change(i),
                                          spike && drop_pct > 0.0 && is_spike(i, drop_pct)});
        }
        previous_spike = spike;
    }
    return out;
}

}  // namespace

SeriesReport compute_series(const SeriesOptions& options) {
    check_options(options);
    SeriesReport report;
    report.options = options;
    if (!options.output.empty()) {
        report.driver = ingest::output_driver(options.output, options.format);
    }

    const std::size_t threads = options.threads > 0 ? static_cast<std::size_t>(options.threads)
                                                     : std::max(1u, std::thread::hardware_concurrency());
    // The regions file is read (and repaired) while the store is opened and its snapshots loaded:
    // on the geoBoundaries ADM1 file that is a third of a 2-thread run otherwise. Read once, handed
    // to each thread as WKB (a GEOS geometry belongs to one context). With one thread, in line.
    using RegionWkb = std::vector<std::pair<std::string, std::vector<unsigned char>>>;
    std::future<RegionWkb> regions_read;
    if (!options.regions.empty()) {
        regions_read = std::async(threads > 1 ? std::launch::async : std::launch::deferred, [&options] {
            geo::Context ctx;
            RegionWkb out;
            for (auto& r : ingest::read_regions(ctx, options.regions, options.region_field)) {
                out.emplace_back(r.name, r.geometry.to_wkb());
            }
            return out;
        });
    }

    ingest::Store store = ingest::Store::open(options.store);
    std::vector<ingest::SnapshotInfo> candidates;
    for (auto& s : store.list()) {
        if (s.key.provider == options.provider && s.key.cls == options.cls) {
            candidates.push_back(std::move(s));
        }
    }
    if (candidates.empty()) {
        throw InputError("the store " + options.store + " holds no snapshot of provider '" + options.provider +
                         "', class '" + options.cls + "'; see frontline list --store " + options.store);
    }
    // --exclude-dates: every date must name a snapshot, so a typo does not pass unnoticed.
    for (const auto& d : options.exclude_dates) {
        auto it = std::find_if(candidates.begin(), candidates.end(),
                               [&](const ingest::SnapshotInfo& s) { return s.key.date == d; });
        if (it == candidates.end()) {
            throw InputError("--exclude-dates " + d + ": no snapshot of provider '" + options.provider + "', class '" +
                             options.cls + "' on that date");
        }
        report.excluded.push_back(d);
        candidates.erase(it);
    }
    std::string window_from = options.from;
    for (const auto& s : candidates) {
        if (s.key.date <= options.from) {
            window_from = s.key.date;
        }
    }
    report.flagged = find_glitches(candidates, window_from, options.to, options.flag_change_pct,
                                   options.max_step_change_pct);
    std::set<std::string> dropped;
    for (const auto& f : report.flagged) {
        if (f.dropped) {
            dropped.insert(f.date);
        }
    }

    // With --step snapshot every kept snapshot inside the range is a boundary.
    std::vector<std::string> boundaries;
    if (options.step == "snapshot") {
        boundaries.push_back(options.from);
        for (const auto& s : candidates) {
            if (s.key.date > options.from && s.key.date < options.to && dropped.count(s.key.date) == 0) {
                boundaries.push_back(s.key.date);
            }
        }
        boundaries.push_back(options.to);
    } else {
        boundaries = step_boundaries(options.from, options.to, options.step);
    }

    // The snapshot used at each boundary.
    std::vector<std::string> used;
    for (const auto& b : boundaries) {
        std::string pick;
        for (const auto& s : candidates) {
            if (s.key.date <= b && dropped.count(s.key.date) == 0) {
                pick = s.key.date;
            }
        }
        if (pick.empty()) {
            throw InputError("--from " + b + ": no snapshot of provider '" + options.provider + "', class '" +
                             options.cls + "' on or before that date; the first is " + candidates.front().key.date);
        }
        used.push_back(pick);
    }

    // Every snapshot is read from the store once; with --bbox through the store's spatial index,
    // then clipped to the box.
    const std::optional<ingest::BBox> bbox = parse_bbox(options.bbox);
    std::optional<geo::Context> clip_ctx;
    std::optional<geo::Geometry> box;
    if (bbox) {
        store.restrict_to(*bbox);
        clip_ctx.emplace();
        box.emplace(bbox_polygon(*clip_ctx, *bbox));
    }
    std::map<std::string, std::vector<unsigned char>> wkb;
    for (const auto& d : used) {
        if (wkb.count(d) == 0) {
            wkb[d] = store.load_wkb(ingest::SnapshotKey{options.provider, d, options.cls});
            if (box) {
                wkb[d] = geo::intersection(geo::Geometry::from_wkb(*clip_ctx, wkb[d]), *box, options.grid_size_deg)
                             .to_wkb();
            }
        }
    }

    // Each snapshot's geodesic area: the one the store keeps (measured at ingest from this very
    // geometry), or, inside --bbox, measured once here; never once per pair.
    std::map<std::string, double> area_m2;
    for (const auto& [d, bytes] : wkb) {
        if (box) {
            area_m2[d] = geo::geodesic_area_m2(geo::Geometry::from_wkb(*clip_ctx, bytes));
        } else {
            for (const auto& s : candidates) {
                if (s.key.date == d) {
                    area_m2[d] = s.area_km2 * 1e6;
                }
            }
        }
    }

    std::vector<std::unique_ptr<geo::Context>> contexts;
    for (std::size_t i = 0; i < threads; ++i) {
        contexts.push_back(std::make_unique<geo::Context>());
    }
    Progress progress(!options.quiet && (options.progress || ::isatty(STDERR_FILENO) == 1));

    // The steps, and the whole range last.
    std::vector<SeriesDelta> deltas(boundaries.size());
    for (std::size_t i = 0; i + 1 < boundaries.size(); ++i) {
        deltas[i] = SeriesDelta{boundaries[i], boundaries[i + 1], used[i], used[i + 1], {}, std::nullopt, {}};
    }
    deltas.back() = SeriesDelta{boundaries.front(), boundaries.back(), used.front(), used.back(), {}, std::nullopt, {}};
    geo::DeltaOptions delta_options;
    delta_options.grid_size_deg = options.grid_size_deg;
    delta_options.same_vertex_deg = options.same_vertex_deg;
    delta_options.min_area_m2 = options.min_area_km2 * 1e6;
    delta_options.min_width_m = options.min_width_m;
    delta_options.clip_to_changes = !options.full_overlay;
    // Parts are only written (-o) or cut at region borders (--regions); otherwise, with slivers
    // kept, each pair overlays the smaller side of its change and derives the larger one from the
    // two snapshots' areas, which halves the overlays (DeltaOptions::parts_wanted).
    delta_options.parts_wanted = options.parts_needed || !options.output.empty() || !options.regions.empty();
    // A topology error that survives the retry ladder (as given, snapped to the grid, repaired
    // with MakeValid) fails its pair only; the series goes on.
    const auto fail_pair = [](SeriesDelta& d, const geo::GeosError& e) {
        d.error = e.what();
        d.result = geo::DeltaResult{};
        d.regional.reset();
    };
    const bool with_regions = regions_read.valid();
    // Every pair's delta first: the regions file, when asked for, is read meanwhile. With many
    // steps the whole range goes first: it is then the one big task (the snapshots furthest
    // apart, overlaid in full), and queued last it ran alone on one core after the small steps
    // were done (the daily archive's series: 0.145 → 0.136 s). With few steps each is as big as
    // the whole range, and putting it first was measured worse (ISW's 6 steps: 1.14 → 1.20 s).
    const bool whole_range_first = deltas.size() - 1 >= 4 * threads;
    parallel_for(
        deltas.size(), threads,
        [&](std::size_t w, std::size_t task) {
            SeriesDelta& d = deltas[!whole_range_first ? task : task == 0 ? deltas.size() - 1 : task - 1];
            try {
                if (const char* fail = std::getenv("FRONTLINE_TEST_FAIL_PAIR_FROM"); fail != nullptr && d.from == fail) {
                    // Test hook: the one way to make a pair fail on demand in an end-to-end test.
                    throw geo::GeosError("polygon difference failed (injected by FRONTLINE_TEST_FAIL_PAIR_FROM)");
                }
                auto from = geo::Geometry::from_wkb(*contexts[w], wkb.at(d.from_snapshot));
                auto to = geo::Geometry::from_wkb(*contexts[w], wkb.at(d.to_snapshot));
                d.result = geo::compute_delta(from, to, delta_options,
                                              geo::KnownAreas{area_m2.at(d.from_snapshot), area_m2.at(d.to_snapshot)});
            } catch (const geo::GeosError& e) {
                fail_pair(d, e);
            }
        },
        progress, 0.0, with_regions ? 0.4 : 0.95);

    if (with_regions) {
        const RegionWkb region_wkb = regions_read.get();
        // Each region's geodesic area once, shared out between the threads; then each thread's
        // copy of the regions, indexed and prepared in parallel.
        std::vector<double> region_area_m2(region_wkb.size());
        parallel_for(
            region_wkb.size(), threads,
            [&](std::size_t w, std::size_t i) {
                region_area_m2[i] = geo::geodesic_area_m2(geo::Geometry::from_wkb(*contexts[w], region_wkb[i].second));
            },
            progress, 0.4, 0.0);
        std::vector<std::unique_ptr<geo::RegionSet>> region_sets(threads);
        parallel_for(
            threads, threads,
            [&](std::size_t, std::size_t c) {
                std::vector<geo::Region> regions;
                for (std::size_t i = 0; i < region_wkb.size(); ++i) {
                    regions.push_back(geo::Region{region_wkb[i].first,
                                                  geo::Geometry::from_wkb(*contexts[c], region_wkb[i].second),
                                                  region_area_m2[i]});
                }
                region_sets[c] = std::make_unique<geo::RegionSet>(*contexts[c], std::move(regions), options.grid_size_deg);
            },
            progress, 0.4, 0.0);
        std::vector<std::string> dates;
        for (const auto& [d, bytes] : wkb) {
            dates.push_back(d);
        }
        // Each snapshot's area in each region: the first cut at every region border, each next
        // one from the one before, only where they differ (RegionSet::area_changes_m2), so every
        // consecutive pair is a task of its own and the figures do not depend on the number of
        // threads. The first cut (the longest task) is queued first, then the pairs' changes,
        // then every step's gained and lost parts cut at region borders.
        struct RegionStep {
            bool absolute = true;        ///< `m2` are the snapshot's areas, not changes
            std::vector<double> m2;
        };
        std::vector<RegionStep> region_steps(dates.size());
        parallel_for(
            dates.size() + deltas.size(), threads,
            [&](std::size_t w, std::size_t task) {
                if (task >= dates.size()) {
                    SeriesDelta& d = deltas[task - dates.size()];
                    if (d.error.empty()) {
                        try {
                            // The parts belong to the context of the thread that computed them,
                            // which may be busy with another task: cut copies owned by this one.
                            geo::DeltaResult here;
                            for (const auto& part : d.result.parts) {
                                here.parts.push_back(geo::DeltaPart{part.change, part.polygon.clone_into(*contexts[w]),
                                                                    part.area_m2, part.width_m});
                            }
                            d.regional = regional_delta(*region_sets[w], here);
                        } catch (const geo::GeosError& e) {
                            fail_pair(d, e);
                        }
                    }
                    return;
                }
                const geo::RegionSet& set = *region_sets[w];
                auto g = geo::Geometry::from_wkb(*contexts[w], wkb.at(dates[task]));
                if (task > 0) {
                    auto before = geo::Geometry::from_wkb(*contexts[w], wkb.at(dates[task - 1]));
                    if (auto changes = set.area_changes_m2(before, g)) {
                        region_steps[task] = RegionStep{false, std::move(*changes)};
                        return;
                    }
                }
                region_steps[task] = RegionStep{true, set.areas_m2(g, area_m2.at(dates[task]))};
            },
            progress, 0.4, 0.55);
        std::map<std::string, std::vector<double>> snapshot_region_areas;
        const std::vector<double>* before = nullptr;
        for (std::size_t i = 0; i < dates.size(); ++i) {
            RegionStep& step = region_steps[i];
            before = &(snapshot_region_areas[dates[i]] =
                           step.absolute ? std::move(step.m2)
                                         : region_sets[0]->with_area_changes(*before, step.m2, area_m2.at(dates[i])));
        }
        for (auto& d : deltas) {
            if (d.regional) {
                set_region_areas(*d.regional, snapshot_region_areas.at(d.from_snapshot),
                                 snapshot_region_areas.at(d.to_snapshot));
            }
        }
    }

    for (const auto& d : deltas) {
        report.failed_pairs += d.error.empty() ? 0 : 1;
    }
    report.totals = std::move(deltas.back());
    deltas.pop_back();
    report.steps = std::move(deltas);

    if (!options.output.empty()) {
        write_parts(options.output, report.driver, "series", options.provider, options.cls,
                    PartColumns{!options.regions.empty(), true}, series_part_records(report));
    }
    report.contexts = std::move(contexts);  // the steps' geometries outlive this function
    progress.update(1.0);
    return report;
}

std::vector<PartRecord> series_part_records(const SeriesReport& report) {
    std::vector<PartRecord> records;
    for (std::size_t i = 0; i < report.steps.size(); ++i) {
        const SeriesDelta& d = report.steps[i];
        const int step = static_cast<int>(i + 1);
        if (d.regional) {
            for (const auto& p : d.regional->pieces) {
                records.push_back(PartRecord{p.change, &p.geometry, p.area_m2, p.region, d.from, d.to,
                                             d.from_snapshot, d.to_snapshot, step});
            }
        } else {
            for (const auto& p : d.result.parts) {
                records.push_back(PartRecord{p.change, &p.polygon, p.area_m2, "", d.from, d.to, d.from_snapshot,
                                             d.to_snapshot, step});
            }
        }
    }
    return records;
}

namespace {

double km2(double m2) { return round_to(m2 / 1e6); }

nlohmann::ordered_json delta_json(const SeriesDelta& d, std::optional<int> step) {
    nlohmann::ordered_json j;
    if (step) {
        j["step"] = *step;
    }
    j["from"] = d.from;
    j["to"] = d.to;
    j["from_snapshot"] = d.from_snapshot;
    j["to_snapshot"] = d.to_snapshot;
    if (!d.error.empty()) {
        j["error"] = d.error;
        return j;
    }
    j["area_from_km2"] = km2(d.result.area_from_m2);
    j["area_km2"] = km2(d.result.area_to_m2);
    j["gained_km2"] = km2(d.result.gained_m2);
    j["lost_km2"] = km2(d.result.lost_m2);
    j["net_km2"] = km2(d.result.net_m2());
    j["changed_hands_km2"] = km2(d.result.changed_hands_m2());
    j["slivers_dropped_km2"] = km2(d.result.dropped_gained.area_m2 + d.result.dropped_lost.area_m2);
    if (d.regional) {
        j["regions"] = regions_json(d.regional->rows);
    }
    return j;
}

struct StepSums {
    double gained_m2 = 0, lost_m2 = 0;
};

StepSums sum_steps(const SeriesReport& r) {
    StepSums s;
    for (const auto& d : r.steps) {
        s.gained_m2 += d.result.gained_m2;
        s.lost_m2 += d.result.lost_m2;
    }
    return s;
}

}  // namespace

std::string series_json(const SeriesReport& r) {
    nlohmann::ordered_json steps = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < r.steps.size(); ++i) {
        steps.push_back(delta_json(r.steps[i], static_cast<int>(i + 1)));
    }
    nlohmann::ordered_json totals = delta_json(r.totals, std::nullopt);
    const StepSums sums = sum_steps(r);
    totals["sum_of_steps"] = {{"gained_km2", km2(sums.gained_m2)},
                              {"lost_km2", km2(sums.lost_m2)},
                              {"net_km2", km2(sums.gained_m2 - sums.lost_m2)},
                              {"changed_hands_km2", km2(sums.gained_m2 + sums.lost_m2)}};
    nlohmann::ordered_json flagged = nlohmann::ordered_json::array();
    for (const auto& f : r.flagged) {
        flagged.push_back({{"date", f.date},
                           {"kind", f.kind},
                           {"change_pct", round_to(f.change_pct, 2)},
                           {"dropped", f.dropped}});
    }
    nlohmann::ordered_json doc = {{"provider", r.options.provider},
                                  {"class", r.options.cls},
                                  {"from", r.options.from},
                                  {"to", r.options.to},
                                  {"step", r.options.step},
                                  {"steps", steps},
                                  {"totals", totals},
                                  {"failed_pairs", r.failed_pairs},
                                  {"flagged", flagged},
                                  {"excluded", r.excluded},
                                  {"slivers", {{"min_area_km2", r.options.min_area_km2}, {"min_width_m", r.options.min_width_m}}},
                                  {"grid_size_deg", r.options.grid_size_deg},
                                  {"same_vertex_deg", r.options.same_vertex_deg},
                                  {"output", r.options.output.empty() ? nlohmann::ordered_json(nullptr)
                                                                      : nlohmann::ordered_json(r.options.output)},
                                  {"method", geo::kGeodesicMethod}};
    if (!r.options.bbox.empty()) {  // only then, so outputs without it stay as they were
        doc.erase("method");
        doc["bbox"] = r.options.bbox;
        doc["method"] = geo::kGeodesicMethod;
    }
    return doc.dump(2) + "\n";
}

std::string series_csv(const SeriesReport& r) {
    const bool regions = !r.options.regions.empty();
    std::ostringstream s;
    s << "step,from,to,from_snapshot,to_snapshot,";
    if (regions) {
        s << "region,region_area_km2,share_from_pct,share_to_pct,";
    }
    s << "area_from_km2,area_km2,gained_km2,lost_km2,net_km2,changed_hands_km2\n";
    auto number = [](double v) {
        std::ostringstream n;
        n.precision(12);
        n << v;
        return n.str();
    };
    auto quote = [](const std::string& text) {
        if (text.find_first_of(",\"\n") == std::string::npos) {
            return text;
        }
        std::string q = "\"";
        for (char c : text) {
            q += c == '"' ? std::string("\"\"") : std::string(1, c);
        }
        return q + "\"";
    };
    auto row = [&](const std::string& step, const SeriesDelta& d) {
        const std::string head = step + "," + d.from + "," + d.to + "," + d.from_snapshot + "," + d.to_snapshot + ",";
        s << head;
        if (regions) {
            s << "(all),,,,";
        }
        if (!d.error.empty()) {
            s << ",,,,,\n";  // failed: no figures (the error is on stderr and in --json)
            return;
        }
        s << number(km2(d.result.area_from_m2)) << ',' << number(km2(d.result.area_to_m2)) << ','
          << number(km2(d.result.gained_m2)) << ',' << number(km2(d.result.lost_m2)) << ','
          << number(km2(d.result.net_m2())) << ',' << number(km2(d.result.changed_hands_m2())) << '\n';
        if (d.regional) {
            for (const auto& rr : d.regional->rows) {
                auto share_from = rr.share_from_pct();
                auto share_to = rr.share_to_pct();
                s << head << quote(rr.region) << ',' << number(km2(rr.region_area_m2)) << ','
                  << (share_from ? number(round_to(*share_from, 3)) : "") << ','
                  << (share_to ? number(round_to(*share_to, 3)) : "") << ',' << number(km2(rr.area_from_m2)) << ','
                  << number(km2(rr.area_to_m2)) << ',' << number(km2(rr.gained_m2)) << ',' << number(km2(rr.lost_m2))
                  << ',' << number(km2(rr.net_m2())) << ',' << number(km2(rr.gained_m2 + rr.lost_m2)) << '\n';
            }
        }
    };
    for (std::size_t i = 0; i < r.steps.size(); ++i) {
        row(std::to_string(i + 1), r.steps[i]);
    }
    row("total", r.totals);
    return s.str();
}

std::string series_table(const SeriesReport& r) {
    std::ostringstream s;
    s << "series  provider " << r.options.provider << ", class " << r.options.cls << ", " << r.options.step
      << " steps from " << r.options.from << " to " << r.options.to << "\n";
    char line[256];
    std::snprintf(line, sizeof line, "  %-4s %-10s %-10s %-10s %15s %11s %11s %12s %13s\n", "step", "from", "to",
                  "snapshot", "area_km2", "gained", "lost", "net", "changed hands");
    s << line;
    auto print = [&](const std::string& step, const SeriesDelta& d) {
        if (!d.error.empty()) {
            std::snprintf(line, sizeof line, "  %-4s %-10s %-10s %-10s ", step.c_str(), d.from.c_str(), d.to.c_str(),
                          d.to_snapshot.c_str());
            s << line << "FAILED: " << d.error << "\n";
            return;
        }
        std::snprintf(line, sizeof line, "  %-4s %-10s %-10s %-10s %15s %11s %11s %12s %13s\n", step.c_str(),
                      d.from.c_str(), d.to.c_str(), d.to_snapshot.c_str(), grouped(d.result.area_to_m2 / 1e6).c_str(),
                      grouped(d.result.gained_m2 / 1e6).c_str(), grouped(d.result.lost_m2 / 1e6).c_str(),
                      signed_grouped(d.result.net_m2() / 1e6).c_str(), grouped(d.result.changed_hands_m2() / 1e6).c_str());
        s << line;
    };
    for (std::size_t i = 0; i < r.steps.size(); ++i) {
        print(std::to_string(i + 1), r.steps[i]);
    }
    print("all", r.totals);
    const StepSums sums = sum_steps(r);
    s << "  sum of steps: gained " << grouped(sums.gained_m2 / 1e6) << " km2, lost " << grouped(sums.lost_m2 / 1e6)
      << " km2, changed hands " << grouped((sums.gained_m2 + sums.lost_m2) / 1e6) << " km2\n";
    if (r.totals.regional) {
        s << "  whole range " << r.totals.from << " to " << r.totals.to << ":\n" << regions_table(r.totals.regional->rows);
    }
    if (r.failed_pairs > 0) {
        s << "  failed pairs: " << r.failed_pairs << " (left out of every figure above; exit code "
          << kExitFailedPairs << ")\n";
    }
    for (const auto& f : r.flagged) {
        s << "  flagged " << f.date << ": " << f.kind << ", area " << signed_grouped(f.change_pct, 2)
          << "% against the previous snapshot" << (f.dropped ? " (dropped)" : "") << "\n";
    }
    for (const auto& d : r.excluded) {
        s << "  excluded " << d << " (--exclude-dates)\n";
    }
    if (!r.options.output.empty()) {
        s << "  output " << r.options.output << " (" << r.driver << ")\n";
    }
    s << "method: " << geo::kGeodesicMethod << "\n";
    return s.str();
}

void add_series_options(CLI::App* cmd, SeriesOptions& o) {
    add_store_option(*cmd, o.store);
    cmd->add_option("--from", o.from, "First boundary, YYYY-MM-DD")->required();
    cmd->add_option("--to", o.to, "Last boundary, YYYY-MM-DD")->required();
    cmd->add_option("--step", o.step, "day, week, month, quarter, year, or snapshot (every stored snapshot)")
        ->capture_default_str();
    cmd->add_option("--provider", o.provider, "Provider of the snapshots")->capture_default_str();
    cmd->add_option("--class", o.cls, "Class of the snapshots")->capture_default_str();
    cmd->add_option("--regions", o.regions, "Break every step down by these regions");
    cmd->add_option("--region-field", o.region_field, "Field that names each region")->capture_default_str();
    cmd->add_option("--bbox", o.bbox,
                    "Only this box, minlon,minlat,maxlon,maxlat (degrees): snapshots are read through the store's "
                    "spatial index and clipped to it");
    cmd->add_option("--exclude-dates", o.exclude_dates, "Snapshots to leave out, YYYY-MM-DD (repeat or comma-separate)")
        ->delimiter(',');
    cmd->add_option("--flag-change-pct", o.flag_change_pct, "Flag snapshots whose area changes more than this, %")
        ->capture_default_str();
    cmd->add_option("--max-step-change", o.max_step_change_pct,
                    "Drop spikes whose area jumps more than this against both neighbours, %; 0 keeps all")
        ->capture_default_str();
    cmd->add_option("--threads", o.threads, "Worker threads (0: one per core)")->capture_default_str();
    cmd->add_flag("--progress", o.progress, "Show progress on stderr even when it is not a terminal");
    cmd->add_flag("--quiet", o.quiet, "Never show progress");
    cmd->add_option("--min-area-km2", o.min_area_km2, "Sliver threshold: minimum part area, km2")->capture_default_str();
    cmd->add_option("--min-width-m", o.min_width_m, "Sliver threshold: minimum mean width 2A/P, metres")
        ->capture_default_str();
    cmd->add_option("--grid-size-deg", o.grid_size_deg, "Overlay precision grid, degrees")->capture_default_str();
    cmd->add_option("--same-vertex-deg", o.same_vertex_deg,
                    "A vertex of the later snapshot within this of one of the earlier's is that vertex (the "
                    "jitter between two exports of a map), degrees; 0: never")
        ->capture_default_str();
    cmd->add_flag("--full-overlay", o.full_overlay,
                  "Overlay whole snapshots instead of only the windows where their boundaries differ");
}

CLI::App* SeriesCommand::setup(CLI::App& app) {
    auto* cmd = app.add_subcommand("series", "Controlled area and gained/lost km2 per day, week, month, quarter or year");
    cmd->footer(
        "Step boundaries run from --from by whole steps, and --to closes the last step. At each\n"
        "boundary the latest snapshot on or before it is used. Totals compare the first boundary\n"
        "with the last directly; 'sum of steps' adds the steps up (gross change within the range).\n"
        "Snapshots whose area jumps by more than --flag-change-pct against the previous one are\n"
        "flagged; spikes (a jump and a jump back) beyond --max-step-change are dropped.\n\n"
        "Example:\n  frontline series --store ua.gpkg --from 2025-01-01 --to 2026-01-01 --step month \\\n"
        "      --regions sample_data/ukraine_adm1_east.geojson --csv");
    auto& o = m_options;
    add_series_options(cmd, o);
    cmd->add_flag("--csv", o.csv, "Print the steps as CSV");
    cmd->add_flag("--json", o.json, "Print one JSON object");
    cmd->add_option("-o,--output", o.output, "Write every step's parts here, with step/start/end properties");
    cmd->add_option("-f,--format", o.format, "OGR driver for -o");
    return cmd;
}

int SeriesCommand::run(std::ostream& out) {
    SeriesReport report = compute_series(m_options);
    out << (m_options.json ? series_json(report) : m_options.csv ? series_csv(report) : series_table(report));
    if (report.failed_pairs == 0) {
        return 0;
    }
    auto say = [](const SeriesDelta& d) {
        std::cerr << "frontline: warning: pair " << d.from << " to " << d.to << " (snapshots " << d.from_snapshot << ", "
                  << d.to_snapshot << ") failed: " << d.error << "; its figures are left out\n";
    };
    for (const auto& d : report.steps) {
        if (!d.error.empty()) {
            say(d);
        }
    }
    if (!report.totals.error.empty()) {
        say(report.totals);
    }
    return kExitFailedPairs;
}

}  // namespace frontline::cli
