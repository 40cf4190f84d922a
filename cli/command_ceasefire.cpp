#include "cli/command_ceasefire.hpp"

#include <CLI/CLI.hpp>
#include <geos_c.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <ostream>
#include <sstream>

#include "cli/command_zones.hpp"
#include "cli/format.hpp"
#include "cli/regional.hpp"
#include "geo/ceasefire.hpp"
#include "geo/delta.hpp"
#include "geo/error.hpp"
#include "geo/geodesic.hpp"
#include "geo/polygon_ops.hpp"
#include "geo/regions.hpp"
#include "ingest/dates.hpp"
#include "ingest/points_reader.hpp"
#include "ingest/reader.hpp"
#include "ingest/regions_reader.hpp"
#include "ingest/store.hpp"
#include "ingest/vector_writer.hpp"

namespace frontline::cli {

namespace {

const char* const kOffsetMethod =
    " Offsets: the proposal line and the front are sampled every 1 km; each sample's geodesic distance to the "
    "nearest point of the other line (found in an azimuthal equidistant projection centred on the controlled area) "
    "gives max_offset_km/mean_offset_km (proposal to front, mean weighted by length) and the reverse direction "
    "(front to proposal); the larger maximum is the Hausdorff-like distance. Bands are buffers of the proposal line "
    "in the same projection.";

std::string km_text(double m, int decimals = 1) { return grouped(m / 1e3, decimals) + " km"; }
std::string km2_text(double m2) { return grouped(m2 / 1e6) + " km2"; }
std::string at_text(double lon, double lat) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "(%.4f, %.4f)", lon, lat);
    return buf;
}

std::string point_list(const std::vector<geo::LonLat>& pts, std::size_t max = 5) {
    std::string s;
    for (std::size_t i = 0; i < pts.size() && i < max; ++i) {
        s += (i ? ", " : "") + at_text(pts[i].lon, pts[i].lat);
    }
    if (pts.size() > max) {
        s += ", ...";
    }
    return s;
}

geo::Geometry point_geometry(const geo::Context& ctx, double lon, double lat) {
    return geo::Geometry(ctx, GEOSGeom_createPointFromXY_r(ctx.handle(), lon, lat), "making a point");
}

geo::Geometry segment(const geo::Context& ctx, double x0, double y0, double x1, double y1) {
    GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx.handle(), 2, 2);
    GEOSCoordSeq_setXY_r(ctx.handle(), seq, 0, x0, y0);
    GEOSCoordSeq_setXY_r(ctx.handle(), seq, 1, x1, y1);
    return geo::Geometry(ctx, GEOSGeom_createLineString_r(ctx.handle(), seq), "building a segment");
}

/// Check 1 for --line: the line's shape.
CeasefireCheck shape_check(const geo::LineShape& s, double spike_angle_deg) {
    std::ostringstream d;
    d << s.parts << " part(s), " << s.vertices << " vertices, " << km_text(s.length_m) << " long";
    std::string verdict = "pass";
    if (!s.simple) {
        verdict = "fail";
        d << "; the line crosses or touches itself at " << s.self_intersections.size() << " point(s): "
          << point_list(s.self_intersections);
    }
    if (!s.spikes.empty()) {
        verdict = "fail";
        d << "; " << s.spikes.size() << " spike(s) (turns back sharper than " << spike_angle_deg << " deg) at "
          << point_list(s.spikes);
    }
    if (s.degenerate_parts > 0) {
        verdict = "fail";
        d << "; " << s.degenerate_parts << " part(s) with fewer than two distinct points";
    }
    if (!s.repeated.empty()) {
        if (verdict == "pass") {
            verdict = "warn";
        }
        d << "; " << s.repeated.size() << " repeated vertex(es) at " << point_list(s.repeated) << " (ignored)";
    }
    if (verdict == "pass") {
        d << "; simple, no spikes, no repeated points";
    }
    return CeasefireCheck{1, "line_geometry", verdict, d.str()};
}

}  // namespace

CeasefireReport compute_ceasefire(const geo::Context& ctx, const CeasefireOptions& o) {
    CeasefireReport report;
    report.options = o;
    // Every option is checked before any file is read.
    if (!(o.min_enclave_km2 >= 0.0)) {
        throw InputError("--min-enclave-km2 must be 0 or more");
    }
    if (o.line.empty() == o.area.empty()) {
        throw InputError("ceasefire: give the proposal as --line LINE_FILE or as --area POLYGON_FILE (one of them)");
    }
    ingest::parse_date(o.inputs.date, "--date");
    if (!o.history_from.empty()) {
        ingest::parse_date(o.history_from, "--history-from");
        if (o.history_from >= o.inputs.date) {
            throw InputError("--history-from " + o.history_from + " must be before --date " + o.inputs.date);
        }
    }
    const auto band_requests = parse_bands(o.band, o.band_occupied, o.band_free);
    const double end_tolerance_m = parse_distance_m(o.end_tolerance, "--end-tolerance");
    const geo::FrontOptions front_opts = front_options(o.inputs);
    if (!o.output.empty()) {
        report.driver = ingest::output_driver(o.output, o.format);
    }

    // Control at --date, the country, and the front now.
    ingest::Store store = ingest::Store::open(o.inputs.store);
    auto [snapshot, wkb] = load_snapshot(store, o.inputs, o.inputs.date);
    report.snapshot = snapshot;
    const geo::Geometry controlled = geo::Geometry::from_wkb(ctx, wkb);
    std::vector<geo::Geometry> outlines = load_outlines(ctx, o.inputs);
    geo::Geometry country = outlines.front().clone();
    for (std::size_t i = 1; i < outlines.size(); ++i) {
        country = geo::intersection(country, outlines[i], geo::kDefaultGridSizeDeg);
    }
    const geo::Geometry held_now = geo::intersection(controlled, country, geo::kDefaultGridSizeDeg);
    const geo::FrontAnalysis front(controlled, outlines, front_opts);
    report.front_length_m = front.length_m();

    // The proposal: the occupying side's territory and the other side's.
    std::unique_ptr<geo::Geometry> proposed_line;  // --line, as drawn (repeated points removed)
    std::unique_ptr<geo::Geometry> occupying;
    std::unique_ptr<geo::Geometry> free_side;
    std::vector<geo::Enclave> enclaves;
    auto search_enclaves = [&] {
        geo::EnclaveSearch search = geo::find_enclaves(*occupying, *free_side, o.min_enclave_km2 * 1e6);
        report.small_enclaves = search.small_parts;
        report.small_enclaves_m2 = search.small_area_m2;
        return std::move(search.enclaves);
    };
    bool split_ok = true;
    std::string split_detail;
    if (!o.line.empty()) {
        const geo::Geometry raw = ingest::read_lines(ctx, o.line);
        report.checks.push_back(shape_check(geo::inspect_line(raw, o.spike_angle_deg), o.spike_angle_deg));
        proposed_line = std::make_unique<geo::Geometry>(geo::remove_repeated_points(raw));

        // Check 2: every loose end on the border or the coast, else how far short it stops.
        geo::Geometry edge(ctx, GEOSBoundary_r(ctx.handle(), country.get()), "taking the country's edge");
        std::vector<geo::Geometry> pieces = geo::lines_of(*proposed_line);
        int short_ends = 0;
        std::string ends_detail;
        for (const auto& end : geo::loose_ends(*proposed_line)) {
            const geo::Nearest n = geo::nearest_point(edge, end);
            const bool outside = !geo::contains_point(country, end.lon, end.lat);
            const bool on_edge = outside || n.distance_m <= end_tolerance_m;
            report.loose_ends.push_back(LooseEnd{end.lon, end.lat, n.distance_m, n.point.lon, n.point.lat, outside, on_edge});
            if (!on_edge) {
                ++short_ends;
                ends_detail += (ends_detail.empty() ? "" : "; ") + std::string("stops ") + km_text(n.distance_m) +
                               " short of the border or coast at " + at_text(end.lon, end.lat) + " (nearest edge point " +
                               at_text(n.point.lon, n.point.lat) + ")";
            } else if (!outside && n.distance_m > 0.0) {
                // Close the small gap so the line meets the edge: on to the nearest edge point and 10 m beyond.
                const double f = 1.0 + 10.0 / n.distance_m;
                pieces.push_back(segment(ctx, end.lon, end.lat, end.lon + (n.point.lon - end.lon) * f,
                                         end.lat + (n.point.lat - end.lat) * f));
            }
        }
        const std::size_t ends = report.loose_ends.size();
        if (short_ends > 0) {
            report.checks.push_back(CeasefireCheck{2, "endpoints", "fail",
                                                   std::to_string(short_ends) + " of " + std::to_string(ends) +
                                                       " loose end(s) not on the border or coast (tolerance " +
                                                       km_text(end_tolerance_m) + "): " + ends_detail});
        } else {
            std::string d = "the line has no loose ends (closed)";
            if (ends > 0) {
                int beyond = 0;
                double farthest = 0.0;
                for (const auto& e : report.loose_ends) {
                    beyond += e.outside ? 1 : 0;
                    farthest = std::max(farthest, e.outside ? 0.0 : e.distance_m);
                }
                d = "all " + std::to_string(ends) + " loose end(s) on the border or coast: " + std::to_string(beyond) +
                    " cross it, " + std::to_string(static_cast<int>(ends) - beyond) + " stop within the tolerance of " +
                    km_text(end_tolerance_m) + " (farthest " + km_text(farthest, 3) + ", joined to the edge)";
            }
            report.checks.push_back(CeasefireCheck{2, "endpoints", "pass", d});
        }

        // Check 3: polygonize the line with the country's edge; the faces fall to two sides.
        const geo::Geometry closed = geo::make_multilinestring(ctx, std::move(pieces));
        geo::CountrySplit split = geo::split_country(country, closed, held_now);
        occupying = std::make_unique<geo::Geometry>(std::move(split.occupying_side));
        free_side = std::make_unique<geo::Geometry>(std::move(split.free_side));
        std::vector<std::string> problems;
        if (short_ends > 0) {
            problems.push_back("the line cannot split the country: " + std::to_string(short_ends) +
                               " end(s) stop short of the border or coast (check 2)");
        }
        if (!split.two_colourable) {
            problems.push_back("faces across the line cannot alternate sides (the line crosses itself or branches)");
        }
        if (occupying->is_empty() || free_side->is_empty()) {
            problems.push_back("the line leaves the whole country on one side");
        }
        enclaves = search_enclaves();
        if (!enclaves.empty()) {
            problems.push_back(std::to_string(enclaves.size()) + " enclave(s)/exclave(s) cut off from their side");
        }
        // With enclaves the sides are still defined, so the transfer is measured all the same.
        split_ok = short_ends == 0 && split.two_colourable && !occupying->is_empty() && !free_side->is_empty();
        for (const auto& p : problems) {
            split_detail += (split_detail.empty() ? "" : "; ") + p;
        }
        if (problems.empty()) {
            split_detail = "the line and the border cut the country into " + std::to_string(split.faces.size()) +
                           " face(s) on two sides, with no enclaves";
        }
        report.checks.push_back(CeasefireCheck{3, "split", problems.empty() ? "pass" : "fail", split_detail});
    } else {
        ingest::SourceRead read = ingest::read_source(ctx, o.area);
        const geo::Geometry area = geo::dissolve(ctx, read.polygons, geo::kDefaultGridSizeDeg);
        occupying = std::make_unique<geo::Geometry>(geo::intersection(area, country, geo::kDefaultGridSizeDeg));
        free_side = std::make_unique<geo::Geometry>(geo::difference(country, area, geo::kDefaultGridSizeDeg));
        report.outside_m2 = std::max(0.0, geo::geodesic_area_m2(area) - geo::geodesic_area_m2(*occupying));
        if (read.repairs.empty()) {
            report.checks.push_back(CeasefireCheck{1, "line_geometry", "pass",
                                                   std::to_string(read.polygons.size()) +
                                                       " polygon(s), all valid: the line (the area's edge) is simple"});
        } else {
            std::string d = std::to_string(read.repairs.size()) + " invalid polygon(s), the line crosses itself: ";
            for (std::size_t i = 0; i < read.repairs.size() && i < 3; ++i) {
                d += (i ? "; " : "") + read.repairs[i].layer + " feature " + std::to_string(read.repairs[i].feature) + ": " +
                     read.repairs[i].reason;
            }
            report.checks.push_back(CeasefireCheck{1, "line_geometry", "fail", d + " (measured after repair)"});
        }
        report.checks.push_back(CeasefireCheck{
            2, "endpoints", "pass", "the line is the edge of the proposed area inside the country: it ends on the border or coast"});
        enclaves = search_enclaves();
        if (occupying->is_empty() || free_side->is_empty()) {
            split_ok = false;
            report.checks.push_back(CeasefireCheck{3, "split", "fail", "the proposed area leaves the whole country on one side"});
        } else if (!enclaves.empty()) {
            report.checks.push_back(CeasefireCheck{3, "split", "warn",
                                                   "the proposed area has " + std::to_string(enclaves.size()) +
                                                       " part(s) cut off from their side's main body (drawn so; listed)"});
        } else {
            report.checks.push_back(CeasefireCheck{3, "split", "pass", "two sides with no enclaves"});
        }
    }
    for (const auto& e : enclaves) {
        report.enclaves.push_back(EnclaveRow{e.occupying ? "occupied" : "free", e.area_m2, e.point.lon, e.point.lat, e.polygon.to_wkb()});
    }
    if (!report.enclaves.empty()) {
        std::string list;
        for (std::size_t i = 0; i < report.enclaves.size() && i < 5; ++i) {
            const auto& e = report.enclaves[i];
            list += (i ? ", " : ": ") + e.side + " " + km2_text(e.area_m2) + " at " + at_text(e.lon, e.lat);
        }
        report.checks.back().detail += list + (report.enclaves.size() > 5 ? ", ..." : "");
    }
    if (report.small_enclaves > 0) {
        report.checks.back().detail += "; " + std::to_string(report.small_enclaves) + " smaller part(s) under " +
                                       grouped(o.min_enclave_km2, 2) + " km2 (" + km2_text(report.small_enclaves_m2) +
                                       " in all) not counted";
    }
    for (const auto& c : report.checks) {
        report.hard_fail = report.hard_fail || c.verdict == "fail";
    }
    report.sides = split_ok;

    std::unique_ptr<geo::FrontAnalysis> proposal;
    if (split_ok) {
        proposal = std::make_unique<geo::FrontAnalysis>(*occupying, outlines, front_opts);
        report.proposal_length_m = proposal->length_m();

        // Check 4: the transfer relative to control at --date.
        const geo::DeltaResult delta = geo::compute_delta(held_now, *occupying, geo::DeltaOptions{});
        report.ceded_by_free_m2 = delta.gained_m2;
        report.ceded_by_occupied_m2 = delta.lost_m2;
        auto side_of = [](geo::Change c) { return std::string(c == geo::Change::gained ? "free" : "occupied"); };
        if (!o.regions.empty()) {
            geo::RegionSet regions(ctx, ingest::read_regions(ctx, o.regions, o.region_field), geo::kDefaultGridSizeDeg);
            RegionalDelta rd = regional_delta(regions, regions.areas_m2(held_now), regions.areas_m2(*occupying), delta);
            std::vector<CededRegion> rows;
            for (const auto& row : rd.rows) {
                rows.push_back(CededRegion{row.region, row.gained_m2, row.lost_m2});
            }
            report.regions = std::move(rows);
            for (const auto& p : rd.pieces) {
                report.transfers.push_back(TransferPiece{side_of(p.change), p.region, p.area_m2, p.geometry.to_wkb()});
            }
        } else {
            for (const auto& p : delta.parts) {
                report.transfers.push_back(TransferPiece{side_of(p.change), "", p.area_m2, p.polygon.to_wkb()});
            }
        }
        std::string transfer = "the free side would give up " + km2_text(report.ceded_by_free_m2) + ", the " + o.inputs.cls +
                        " side " + km2_text(report.ceded_by_occupied_m2) + " (relative to control on " + report.snapshot +
                        "; " + std::to_string(delta.dropped_gained.parts + delta.dropped_lost.parts) +
                        " sliver part(s) under 100 m2 or 1 m wide left out)";
        std::string verdict = "pass";
        if (report.outside_m2 > 1e4) {
            verdict = "warn";
            transfer += "; " + km2_text(report.outside_m2) + " of the proposed area lies outside the country and is left out";
        }
        report.checks.push_back(CeasefireCheck{4, "transfer", verdict, transfer});

        // Check 6 (bands first: settlements are tested against them).
        std::vector<geo::Geometry> band_geoms;
        for (const auto& [side, w] : band_requests) {
            geo::Geometry g = proposal->band(side, w);
            PolygonParts parts = polygon_parts(g);
            const auto squeeze = proposal->narrowest(side, w, o.sample_step_m);
            report.bands.push_back(CeasefireBand{side == geo::Side::controlled ? "occupied" : "free", w, parts.total_m2,
                                                 std::move(parts.wkb), std::move(parts.areas_m2), squeeze.squeezed,
                                                 squeeze.width_m, squeeze.lon, squeeze.lat});
            band_geoms.push_back(std::move(g));
        }

        // Check 5: settlements that change side or lie in a band.
        if (!o.places.empty()) {
            std::vector<PlaceRow> rows;
            int changed = 0;
            int banded = 0;
            for (const auto& site : ingest::read_sites(o.places, o.place_name_field)) {
                const bool inside = geo::contains_point(country, site.lon, site.lat);
                PlaceRow row{site.name, site.lon, site.lat, "outside", "outside", false, {}, proposal->distance_m(site.lon, site.lat)};
                if (inside) {
                    row.side_now = geo::contains_point(held_now, site.lon, site.lat) ? "occupied" : "free";
                    row.side_proposed = geo::contains_point(*occupying, site.lon, site.lat) ? "occupied" : "free";
                    row.changes_side = row.side_now != row.side_proposed;
                }
                for (std::size_t i = 0; i < band_geoms.size(); ++i) {
                    if (geo::contains_point(band_geoms[i], site.lon, site.lat)) {
                        row.in_bands.push_back(report.bands[i].side);
                    }
                }
                changed += row.changes_side ? 1 : 0;
                banded += row.in_bands.empty() ? 0 : 1;
                rows.push_back(std::move(row));
            }
            std::stable_sort(rows.begin(), rows.end(), [](const PlaceRow& a, const PlaceRow& b) { return a.distance_m < b.distance_m; });
            std::string names;
            for (const auto& r : rows) {
                if (r.changes_side) {
                    names += (names.empty() ? ": " : ", ") + r.name + " (" + r.side_now + " -> " + r.side_proposed + ")";
                }
            }
            report.checks.push_back(CeasefireCheck{5, "settlements", changed + banded > 0 ? "warn" : "pass",
                                                   std::to_string(changed) + " of " + std::to_string(rows.size()) +
                                                       " settlement(s) change side" + names + "; " + std::to_string(banded) +
                                                       " lie in a buffer band"});
            report.places = std::move(rows);
        }
        if (!report.bands.empty()) {
            std::string bands;
            bool squeezed = false;
            for (const auto& b : report.bands) {
                bands += (bands.empty() ? "" : "; ") + b.side + " side " + km_text(b.width_m) + ": " + km2_text(b.area_m2);
                if (b.squeezed) {
                    squeezed = true;
                    bands += ", squeezed to " + km_text(b.narrowest_m, 2) + " by the border or coast at " + at_text(b.lon, b.lat);
                } else {
                    bands += ", full width everywhere";
                }
            }
            report.checks.push_back(CeasefireCheck{6, "bands", squeezed ? "warn" : "pass", bands});
        }

        // Check 7: offsets between the proposal and the front, both ways.
        Offsets off;
        double weight = 0.0;
        for (const auto& s : proposal->samples(o.sample_step_m)) {
            const double dist = front.distance_m(s.lon, s.lat);
            off.to_front_max_m = std::max(off.to_front_max_m, dist);
            off.to_front_mean_m += dist * s.weight_m;
            weight += s.weight_m;
        }
        off.to_front_mean_m = weight > 0 ? off.to_front_mean_m / weight : 0.0;
        weight = 0.0;
        for (const auto& s : front.samples(o.sample_step_m)) {
            const double dist = proposal->distance_m(s.lon, s.lat);
            off.from_front_max_m = std::max(off.from_front_max_m, dist);
            off.from_front_mean_m += dist * s.weight_m;
            weight += s.weight_m;
        }
        off.from_front_mean_m = weight > 0 ? off.from_front_mean_m / weight : 0.0;
        report.offsets = off;
        report.checks.push_back(CeasefireCheck{
            7, "offset", "pass",
            "proposal to front: max " + km_text(off.to_front_max_m, 2) + ", mean " + km_text(off.to_front_mean_m, 2) +
                "; front to proposal: max " + km_text(off.from_front_max_m, 2) + ", mean " + km_text(off.from_front_mean_m, 2) +
                " (geodesic, sampled every " + km_text(o.sample_step_m, 1) + ")"});

        // Check 8: has the area between the proposal and the front changed hands lately?
        if (!o.history_from.empty()) {
            auto [then_date, then_wkb] = load_snapshot(store, o.inputs, o.history_from);
            const geo::Geometry held_then =
                geo::intersection(geo::Geometry::from_wkb(ctx, then_wkb), country, geo::kDefaultGridSizeDeg);
            std::vector<geo::Geometry> between_parts;
            for (const auto& p : delta.parts) {
                between_parts.push_back(p.polygon.clone());
            }
            const geo::Geometry between = geo::dissolve(ctx, between_parts, geo::kDefaultGridSizeDeg);
            const geo::DeltaResult moved = geo::compute_delta(held_then, held_now, geo::DeltaOptions{});
            History h{o.history_from, then_date, geo::geodesic_area_m2(between), 0.0, 0.0, 0.0};
            for (const auto& p : moved.parts) {
                const double a = geo::geodesic_area_m2(geo::intersection(p.polygon, between, geo::kDefaultGridSizeDeg));
                (p.change == geo::Change::gained ? h.gained_m2 : h.lost_m2) += a;
            }
            h.changed_m2 = h.gained_m2 + h.lost_m2;
            const double pct = h.between_m2 > 0 ? 100.0 * h.changed_m2 / h.between_m2 : 0.0;
            report.checks.push_back(CeasefireCheck{
                8, "history", h.changed_m2 > 1e4 ? "warn" : "pass",
                km2_text(h.changed_m2) + " (" + grouped(pct, 1) + "%) of the " + km2_text(h.between_m2) +
                    " between the proposal and the front changed hands from " + then_date + " to " + report.snapshot + " (" +
                    km2_text(h.gained_m2) + " taken by the " + o.inputs.cls + " side, " + km2_text(h.lost_m2) + " taken back)"});
            report.history = h;
        }
    }

    if (!o.output.empty()) {
        using Field = ingest::OutField;
        const std::vector<Field> fields = {
            {"kind", Field::Type::text},     {"side", Field::Type::text},          {"region", Field::Type::text},
            {"name", Field::Type::text},     {"status", Field::Type::text},        {"area_km2", Field::Type::real},
            {"width_km", Field::Type::real}, {"distance_km", Field::Type::real},   {"date", Field::Type::text},
            {"snapshot", Field::Type::text}, {"fill", Field::Type::text},          {"fill-opacity", Field::Type::real},
            {"stroke", Field::Type::text},   {"stroke-width", Field::Type::real},  {"marker-color", Field::Type::text}};
        std::vector<ingest::OutFeature> features;
        auto add = [&](std::vector<unsigned char> geometry, const std::string& kind, const std::string& side, const std::string& region,
                       const std::string& name, const std::string& status, double area_m2, double width_m, double distance_m,
                       const std::string& fill, const std::string& stroke, double stroke_width, const std::string& marker) {
            features.push_back(ingest::OutFeature{
                std::move(geometry),
                {kind, side, region, name, status, round_to(area_m2 / 1e6), round_to(width_m / 1e3, 3), round_to(distance_m / 1e3, 3),
                 o.inputs.date, report.snapshot, fill, fill.empty() ? 0.0 : 0.5, stroke, stroke_width, marker}});
        };
        for (const auto& t : report.transfers) {
            const std::string colour = t.ceded_by == "free" ? "#d7191c" : "#2c7bb6";
            add(t.wkb, "transfer", t.ceded_by, t.region, "", "ceded by the " + t.ceded_by + " side", t.area_m2, 0, 0, colour, colour, 1, "");
        }
        for (const auto& b : report.bands) {
            const std::string colour = b.side == "free" ? "#abd9e9" : "#fdae61";
            for (std::size_t i = 0; i < b.parts_wkb.size(); ++i) {
                add(b.parts_wkb[i], "band", b.side, "", "", b.squeezed ? "squeezed" : "full width", b.part_areas_m2[i], b.width_m, 0,
                    colour, colour, 1, "");
            }
        }
        for (const auto& e : report.enclaves) {
            add(e.wkb, "enclave", e.side, "", "", "cut off from its side", e.area_m2, 0, 0, "#7b3294", "#7b3294", 2, "");
        }
        add(front.front().to_wkb(), "front", o.inputs.cls, "", "", "front on " + report.snapshot, 0, 0, front.length_m(), "",
            "#000000", 2, "");
        if (proposed_line) {
            add(proposed_line->to_wkb(), "proposal", "", "", "", "as drawn", 0, 0, geo::geodesic_length_m(*proposed_line), "",
                "#ff7f00", 3, "");
        } else if (proposal) {
            add(proposal->front().to_wkb(), "proposal", "", "", "", "edge of the proposed area", 0, 0, proposal->length_m(), "",
                "#ff7f00", 3, "");
        }
        for (const auto& e : report.loose_ends) {
            if (!e.on_edge) {
                add(segment(ctx, e.lon, e.lat, e.edge_lon, e.edge_lat).to_wkb(), "gap", "", "", "", "line stops short", 0, 0,
                    e.distance_m, "", "#e7298a", 3, "");
            }
        }
        if (report.places) {
            for (const auto& p : *report.places) {
                std::string bands;
                for (const auto& b : p.in_bands) {
                    bands += (bands.empty() ? "in band " : ",") + b;
                }
                const std::string status = p.changes_side ? p.side_now + " -> " + p.side_proposed
                                                          : (bands.empty() ? "stays " + p.side_now : bands);
                add(point_geometry(ctx, p.lon, p.lat).to_wkb(), "settlement", p.side_proposed, "", p.name, status, 0, 0, p.distance_m,
                    "", "", 0, p.changes_side ? "#d7191c" : (bands.empty() ? "#2c7bb6" : "#fdae61"));
            }
        }
        ingest::write_features(o.output, report.driver, "ceasefire", fields, features);
    }
    return report;
}

std::string ceasefire_json(const CeasefireReport& r) {
    using nlohmann::ordered_json;
    auto km = [](double m) { return round_to(m / 1e3, 3); };
    auto km2 = [](double m2) { return round_to(m2 / 1e6); };
    auto opt = [](bool have, ordered_json v) { return have ? v : ordered_json(nullptr); };
    ordered_json checks = ordered_json::array();
    for (const auto& c : r.checks) {
        checks.push_back({{"number", c.number}, {"name", c.name}, {"verdict", c.verdict}, {"detail", c.detail}});
    }
    ordered_json ends = ordered_json::array();
    for (const auto& e : r.loose_ends) {
        ends.push_back({{"lon", e.lon}, {"lat", e.lat}, {"distance_to_edge_km", km(e.distance_m)}, {"outside", e.outside},
                        {"on_edge", e.on_edge}});
    }
    ordered_json enclaves = ordered_json::array();
    for (const auto& e : r.enclaves) {
        enclaves.push_back({{"side", e.side}, {"area_km2", km2(e.area_m2)}, {"lon", e.lon}, {"lat", e.lat}});
    }
    ordered_json regions = ordered_json::array();
    if (r.regions) {
        for (const auto& row : *r.regions) {
            regions.push_back({{"region", row.region},
                               {"ceded_by_free_km2", km2(row.ceded_by_free_m2)},
                               {"ceded_by_occupied_km2", km2(row.ceded_by_occupied_m2)}});
        }
    }
    ordered_json bands = ordered_json::array();
    for (const auto& b : r.bands) {
        bands.push_back({{"side", b.side},
                         {"width_km", km(b.width_m)},
                         {"area_km2", km2(b.area_m2)},
                         {"parts", b.parts_wkb.size()},
                         {"squeezed", b.squeezed},
                         {"narrowest_km", km(b.narrowest_m)},
                         {"narrowest_at", opt(b.squeezed, ordered_json::array({b.lon, b.lat}))}});
    }
    ordered_json places = ordered_json::array();
    ordered_json changed = ordered_json::array();
    if (r.places) {
        for (const auto& p : *r.places) {
            places.push_back({{"name", p.name},
                              {"lon", p.lon},
                              {"lat", p.lat},
                              {"side_now", p.side_now},
                              {"side_proposed", p.side_proposed},
                              {"changes_side", p.changes_side},
                              {"in_bands", p.in_bands},
                              {"distance_to_proposal_km", km(p.distance_m)}});
            if (p.changes_side) {
                changed.push_back(p.name);
            }
        }
    }
    ordered_json offsets = nullptr;
    if (r.offsets) {
        offsets = {{"proposal_to_front_max_km", km(r.offsets->to_front_max_m)},
                   {"proposal_to_front_mean_km", km(r.offsets->to_front_mean_m)},
                   {"front_to_proposal_max_km", km(r.offsets->from_front_max_m)},
                   {"front_to_proposal_mean_km", km(r.offsets->from_front_mean_m)},
                   {"hausdorff_km", km(std::max(r.offsets->to_front_max_m, r.offsets->from_front_max_m))},
                   {"sample_step_km", km(r.options.sample_step_m)}};
    }
    ordered_json history = nullptr;
    if (r.history) {
        history = {{"from", r.history->from},
                   {"snapshot", r.history->snapshot},
                   {"between_km2", km2(r.history->between_m2)},
                   {"changed_hands_km2", km2(r.history->changed_m2)},
                   {"taken_by_occupied_km2", km2(r.history->gained_m2)},
                   {"taken_back_km2", km2(r.history->lost_m2)}};
    }
    ordered_json doc = {
        {"date", r.options.inputs.date},
        {"snapshot", r.snapshot},
        {"provider", r.options.inputs.provider},
        {"class", r.options.inputs.cls},
        {"proposal", r.options.line.empty() ? r.options.area : r.options.line},
        {"proposal_kind", r.options.line.empty() ? "area" : "line"},
        {"hard_checks_pass", !r.hard_fail},
        {"exit_code", r.exit_code()},
        {"checks", checks},
        {"ceded_km2", opt(r.sides, {{"free", km2(r.ceded_by_free_m2)}, {"occupied", km2(r.ceded_by_occupied_m2)}})},
        {"regions", opt(r.sides && r.regions.has_value(), regions)},
        {"changed_side", changed},
        {"max_offset_km", opt(r.offsets.has_value(), r.offsets ? km(r.offsets->to_front_max_m) : 0.0)},
        {"mean_offset_km", opt(r.offsets.has_value(), r.offsets ? km(r.offsets->to_front_mean_m) : 0.0)},
        {"offsets", offsets},
        {"loose_ends", ends},
        {"enclaves", enclaves},
        {"small_enclaves", {{"parts", r.small_enclaves}, {"area_km2", km2(r.small_enclaves_m2)}, {"min_enclave_km2", r.options.min_enclave_km2}}},
        {"bands", bands},
        {"settlements", opt(r.places.has_value(), places)},
        {"history", history},
        {"outside_country_km2", km2(r.outside_m2)},
        {"front_length_km", km(r.front_length_m)},
        {"proposal_length_km", opt(r.sides, km(r.proposal_length_m))},
        {"output", opt(!r.options.output.empty(), r.options.output)},
        {"method", std::string(geo::kGeodesicMethod) + kOffsetMethod}};
    return doc.dump(2) + "\n";
}

std::string ceasefire_table(const CeasefireReport& r) {
    std::ostringstream s;
    s << "ceasefire  provider " << r.options.inputs.provider << ", class " << r.options.inputs.cls << ", " << r.options.inputs.date
      << " (snapshot " << r.snapshot << "), front " << grouped(r.front_length_m / 1e3) << " km\n";
    s << "  proposal " << (r.options.line.empty() ? "--area " + r.options.area : "--line " + r.options.line) << "\n";
    for (const auto& c : r.checks) {
        std::string verdict = c.verdict;
        std::transform(verdict.begin(), verdict.end(), verdict.begin(), [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
        s << "  [" << verdict << "] " << c.number << " " << c.name << ": " << c.detail << "\n";
    }
    if (r.sides) {
        s << "  ceded by the free side      " << km2_text(r.ceded_by_free_m2) << "\n";
        s << "  ceded by the " << r.options.inputs.cls << " side  " << km2_text(r.ceded_by_occupied_m2) << "\n";
        if (r.regions) {
            char line[200];
            std::snprintf(line, sizeof line, "    %-32s %16s %16s\n", "region", "by free km2", "by occupied km2");
            s << line;
            for (const auto& row : *r.regions) {
                if (row.ceded_by_free_m2 <= 0.0 && row.ceded_by_occupied_m2 <= 0.0) {
                    continue;
                }
                std::snprintf(line, sizeof line, "    %-32s %16s %16s\n", row.region.c_str(), grouped(row.ceded_by_free_m2 / 1e6).c_str(),
                              grouped(row.ceded_by_occupied_m2 / 1e6).c_str());
                s << line;
            }
        }
    }
    if (r.places) {
        char line[200];
        std::snprintf(line, sizeof line, "  %-24s %-9s %-9s %-14s %s\n", "settlement", "now", "proposed", "in bands", "to line km");
        s << line;
        for (const auto& p : *r.places) {
            std::string bands;
            for (const auto& b : p.in_bands) {
                bands += (bands.empty() ? "" : ",") + b;
            }
            std::snprintf(line, sizeof line, "  %-24s %-9s %-9s %-14s %s%s\n", p.name.c_str(), p.side_now.c_str(), p.side_proposed.c_str(),
                          bands.empty() ? "-" : bands.c_str(), grouped(p.distance_m / 1e3, 1).c_str(), p.changes_side ? "  changes side" : "");
            s << line;
        }
    }
    if (!r.options.output.empty()) {
        s << "  output " << r.options.output << " (" << r.driver << ")\n";
    }
    if (r.hard_fail) {
        std::string failed;
        for (const auto& c : r.checks) {
            if (c.verdict == "fail") {
                failed += (failed.empty() ? "" : ", ") + std::to_string(c.number);
            }
        }
        s << "verdict: FAILS hard check(s) " << failed << " (exit " << kCeasefireFailsExitCode << ")\n";
    } else {
        s << "verdict: passes the hard checks 1-3\n";
    }
    s << "method: " << geo::kGeodesicMethod << kOffsetMethod << "\n";
    return s.str();
}

CLI::App* CeasefireCommand::setup(CLI::App& app) {
    auto* cmd = app.add_subcommand("ceasefire", "Check a ceasefire-line proposal against the control on the ground");
    cmd->footer(
        "The proposal is a line (--line: with the border it must cut the country into two sides; which is which\n"
        "follows from the control at --date) or the occupying side's proposed control (--area). Checks: 1 the\n"
        "line is simple, no spikes or repeated points; 2 its loose ends reach the border or coast; 3 it splits\n"
        "the country into two sides with no enclaves; 4 km2 each side gives up, per region; 5 settlements that\n"
        "change side or lie in a band; 6 buffer bands and where the border squeezes them; 7 offsets from the\n"
        "current front; 8 with --history-from, how much of the area between changed hands since.\n"
        "Exit codes: 0 hard checks 1-3 pass, 3 a hard check fails, 2 bad options or input, 1 failure.\n\n"
        "Example:\n  frontline ceasefire --store ua.gpkg --date 2026-08-22 --border adm1.geojson --area proposal.geojson \\\n"
        "      --regions adm1.geojson --places sample_data/sites.geojson --band 5km --json -o report.geojson");
    auto& o = m_options;
    add_front_options(cmd, o.inputs);
    cmd->add_option("--line", o.line, "The proposed line (LineString/MultiLineString, any CRS GDAL reads)");
    cmd->add_option("--area", o.area, "Or the occupying side's proposed control (polygons)");
    cmd->add_option("--regions", o.regions, "Report the transfer per region");
    cmd->add_option("--region-field", o.region_field, "Field that names each region")->capture_default_str();
    cmd->add_option("--places", o.places, "Settlements (point layer)");
    cmd->add_option("--place-name-field", o.place_name_field, "Field that names each settlement")->capture_default_str();
    cmd->add_option("--band", o.band, "Buffer band width on both sides of the proposal (e.g. 5km)");
    cmd->add_option("--band-occupied", o.band_occupied, "Band width on the occupying side");
    cmd->add_option("--band-free", o.band_free, "Band width on the free side");
    cmd->add_option("--history-from", o.history_from, "How much of the area between proposal and front changed hands since this date");
    cmd->add_option("--end-tolerance", o.end_tolerance, "A loose end this close to the border or coast counts as on it")
        ->capture_default_str();
    cmd->add_option("--min-enclave-km2", o.min_enclave_km2, "Smaller parts cut off from their side are counted, not listed")
        ->capture_default_str();
    cmd->add_option("-o,--output", o.output, "Write the report's geometries here (RFC 7946 GeoJSON by default)");
    cmd->add_option("-f,--format", o.format, "OGR driver for -o");
    cmd->add_flag("--json", o.json, "Print one JSON object");
    return cmd;
}

int CeasefireCommand::run(std::ostream& out) {
    geo::Context ctx;
    CeasefireReport report = compute_ceasefire(ctx, m_options);
    out << (m_options.json ? ceasefire_json(report) : ceasefire_table(report));
    return report.exit_code();
}

}  // namespace frontline::cli
