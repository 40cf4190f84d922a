#include "geo/delta.hpp"

#include <algorithm>
#include <optional>

#include "geo/change_windows.hpp"
#include "geo/geodesic.hpp"

namespace frontline::geo {

const char* to_string(Change c) { return c == Change::gained ? "gained" : "lost"; }

namespace {

void add_parts(const Geometry& diff, Change change, const DeltaOptions& options, DeltaResult& result) {
    double& kept = change == Change::gained ? result.gained_m2 : result.lost_m2;
    SliverTally& dropped = change == Change::gained ? result.dropped_gained : result.dropped_lost;
    for (auto& poly : polygons_of(diff)) {
        GeodesicMeasure m = geodesic_measure(poly);
        double width_m = m.perimeter_m > 0.0 ? 2.0 * m.area_m2 / m.perimeter_m : 0.0;
        if (m.area_m2 < options.min_area_m2 || width_m < options.min_width_m) {
            dropped.parts += 1;
            dropped.area_m2 += m.area_m2;
            continue;
        }
        normalize(poly);
        kept += m.area_m2;
        result.parts.push_back(DeltaPart{change, std::move(poly), m.area_m2, width_m});
    }
}

/// The side of the change that is derived from the areas instead of overlaid, if any
/// (DeltaOptions::parts_wanted): the larger one, net = area(to) − area(from) says which.
std::optional<Change> derived_side(const DeltaOptions& options, const KnownAreas& areas) {
    if (options.parts_wanted || options.min_area_m2 > 0.0 || options.min_width_m > 0.0) {
        return std::nullopt;
    }
    return areas.to_m2 >= areas.from_m2 ? Change::gained : Change::lost;
}

/// The parts of `to − from` and of `from − to`; with a derived side, only the area of the other.
void overlay_parts(const Geometry& from, const Geometry& to, const DeltaOptions& options,
                   std::optional<Change> derived, DeltaResult& result) {
    if (derived == Change::gained) {
        result.lost_m2 += geodesic_area_m2(difference_for_area(from, to, options.grid_size_deg));
        return;
    }
    if (derived == Change::lost) {
        result.gained_m2 += geodesic_area_m2(difference_for_area(to, from, options.grid_size_deg));
        return;
    }
    add_parts(difference(to, from, options.grid_size_deg), Change::gained, options, result);
    add_parts(difference(from, to, options.grid_size_deg), Change::lost, options, result);
}

/// The fast path: the change computed window by window. False (and `result` untouched) when
/// there are no usable windows; the caller then runs the full overlay.
bool delta_in_windows(const Geometry& from, const Geometry& to, const std::optional<std::vector<Envelope>>& windows,
                      const DeltaOptions& options, std::optional<Change> derived, DeltaResult& result) {
    if (!windows) {
        return false;
    }
    DeltaResult r;
    try {
        for (const Envelope& w : *windows) {
            auto f = clip_to_window(from, w);
            auto t = clip_to_window(to, w);
            if (!f || !t) {
                return false;
            }
            overlay_parts(*f, *t, options, derived, r);
        }
    } catch (const GeosError&) {
        return false;  // the full overlay has its own retries and reports the failure itself
    }
    result.parts = std::move(r.parts);
    result.gained_m2 = r.gained_m2;
    result.lost_m2 = r.lost_m2;
    result.dropped_gained = r.dropped_gained;
    result.dropped_lost = r.dropped_lost;
    result.windows = static_cast<int>(windows->size());
    return true;
}

}  // namespace

DeltaResult compute_delta(const Geometry& from, const Geometry& to, const DeltaOptions& options) {
    return compute_delta(from, to, options, KnownAreas{geodesic_area_m2(from), geodesic_area_m2(to)});
}

DeltaResult compute_delta(const Geometry& from, const Geometry& to, const DeltaOptions& options,
                          const KnownAreas& areas) {
    DeltaResult result;
    result.area_from_m2 = areas.from_m2;
    result.area_to_m2 = areas.to_m2;
    const std::optional<Change> derived = derived_side(options, areas);
    // `to` with the vertices it shares with `from` up to an export's jitter made equal to them
    // (DeltaOptions::same_vertex_deg), in the windows and in the full overlay alike; `to` itself
    // where no vertex moves. The known areas stay those of the snapshots as stored.
    const double same_vertex_deg = options.same_vertex_deg > 0.0 ? options.same_vertex_deg : 0.0;
    std::optional<Geometry> snapped;
    std::optional<std::vector<Envelope>> windows;
    if (options.clip_to_changes) {
        ChangeWindowOptions wo;
        wo.grid_size_deg = options.grid_size_deg;
        SnappedChange change = snapped_change_windows(from, to, same_vertex_deg, wo);
        snapped = std::move(change.moved);
        windows = std::move(change.windows);
    } else if (same_vertex_deg > 0.0) {
        snapped = snap_to_shared_vertices(to, from, same_vertex_deg);
    }
    if (!options.clip_to_changes || !delta_in_windows(from, snapped ? *snapped : to, windows, options, derived, result)) {
        // The windows' clips were checked valid; the whole moved snapshot is checked here.
        if (options.clip_to_changes && snapped && !is_valid(*snapped)) {
            snapped.reset();
        }
        overlay_parts(from, snapped ? *snapped : to, options, derived, result);
    }
    // gained − lost = area(to) − area(from). Outside the overlaid windows both snapshots are the
    // same, so this holds for the windows' parts too. The snapshots' areas are exact to well
    // under a m²; the overlaid side carries the overlay's errors (rounding to the grid, new
    // vertices on long edges), and the derived side, the larger one, carries them too, where they
    // weigh least.
    if (derived == Change::gained) {
        result.gained_m2 = result.lost_m2 + (areas.to_m2 - areas.from_m2);
    } else if (derived == Change::lost) {
        result.lost_m2 = result.gained_m2 - (areas.to_m2 - areas.from_m2);
    }
    result.derived = derived;

    // Largest first; equal areas are ordered by their WKB so the output order never depends on
    // GEOS's internal order. Equal areas are rare: the WKB is made only for those.
    std::vector<std::size_t> order(result.parts.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        return result.parts[x].area_m2 > result.parts[y].area_m2;
    });
    for (std::size_t begin = 0; begin < order.size();) {
        std::size_t end = begin + 1;
        while (end < order.size() && result.parts[order[end]].area_m2 == result.parts[order[begin]].area_m2) {
            ++end;
        }
        if (end - begin > 1) {
            std::vector<std::pair<std::vector<unsigned char>, std::size_t>> keys;
            for (std::size_t k = begin; k < end; ++k) {
                keys.emplace_back(result.parts[order[k]].polygon.to_wkb(), order[k]);
            }
            std::sort(keys.begin(), keys.end());
            for (std::size_t k = begin; k < end; ++k) {
                order[k] = keys[k - begin].second;
            }
        }
        begin = end;
    }
    std::vector<DeltaPart> sorted;
    sorted.reserve(order.size());
    for (std::size_t i : order) {
        sorted.push_back(std::move(result.parts[i]));
    }
    result.parts = std::move(sorted);
    return result;
}

}  // namespace frontline::geo
