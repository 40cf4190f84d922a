#include "geo/polygon_ops.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>

#include <geos_c.h>

#include "geo/geodesic.hpp"

namespace frontline::geo {

namespace {

void collect_polygons(const Context& ctx, const GEOSGeometry* g, std::vector<Geometry>& out) {
    auto* h = ctx.handle();
    switch (GEOSGeomTypeId_r(h, g)) {
        case GEOS_POLYGON:
            if (GEOSisEmpty_r(h, g) == 0) {
                out.emplace_back(ctx, GEOSGeom_clone_r(h, g), "cloning a polygon");
            }
            break;
        case GEOS_MULTIPOLYGON:
        case GEOS_GEOMETRYCOLLECTION: {
            int n = GEOSGetNumGeometries_r(h, g);
            for (int i = 0; i < n; ++i) {
                collect_polygons(ctx, GEOSGetGeometryN_r(h, g, i), out);
            }
            break;
        }
        default:
            break;
    }
}

}  // namespace

std::vector<Geometry> polygons_of(const Geometry& g) {
    std::vector<Geometry> out;
    collect_polygons(g.context(), g.get(), out);
    return out;
}

Geometry make_multipolygon(const Context& ctx, std::vector<Geometry>&& polygons) {
    if (polygons.empty()) {
        return Geometry::empty_multipolygon(ctx);
    }
    std::vector<GEOSGeometry*> raw;
    raw.reserve(polygons.size());
    for (auto& p : polygons) {
        raw.push_back(p.release());
    }
    GEOSGeometry* mp = GEOSGeom_createCollection_r(ctx.handle(), GEOS_MULTIPOLYGON, raw.data(),
                                                   static_cast<unsigned int>(raw.size()));
    if (mp == nullptr) {
        for (auto* p : raw) {
            GEOSGeom_destroy_r(ctx.handle(), p);
        }
    }
    return Geometry(ctx, mp, "building a MultiPolygon");
}

namespace {

std::vector<Geometry> polygons_of_all(const std::vector<Geometry>& geoms) {
    std::vector<Geometry> out;
    for (const auto& g : geoms) {
        for (auto& p : polygons_of(g)) {
            out.push_back(std::move(p));
        }
    }
    return out;
}

}  // namespace

Geometry polygonal_part(const Geometry& g) {
    return make_multipolygon(g.context(), polygons_of(g));
}

bool is_valid(const Geometry& g) {
    const Context& ctx = g.context();
    const char valid = GEOSisValid_r(ctx.handle(), g.get());
    if (valid == 2) {
        ctx.raise("checking validity");
    }
    return valid == 1;
}

std::optional<std::string> invalid_reason(const Geometry& g) {
    const Context& ctx = g.context();
    if (is_valid(g)) {
        return std::nullopt;
    }
    char* reason = GEOSisValidReason_r(ctx.handle(), g.get());
    if (reason == nullptr) {
        return std::string("invalid geometry");
    }
    std::string out(reason);
    GEOSFree_r(ctx.handle(), reason);
    return out;
}

namespace {

/// GEOS MakeValid with the "structure" method (keeps areas, drops collapsed parts).
Geometry make_valid_structure(const Context& ctx, const GEOSGeometry* g) {
    auto* h = ctx.handle();
    GEOSMakeValidParams* params = GEOSMakeValidParams_create_r(h);
    GEOSMakeValidParams_setMethod_r(h, params, GEOS_MAKE_VALID_STRUCTURE);
    GEOSMakeValidParams_setKeepCollapsed_r(h, params, 0);
    GEOSGeometry* fixed = GEOSMakeValidWithParams_r(h, g, params);
    GEOSMakeValidParams_destroy_r(h, params);
    return polygonal_part(Geometry(ctx, fixed, "repairing an invalid polygon (MakeValid)"));
}

/// A ring as a Polygon of its own.
Geometry ring_polygon(const Context& ctx, const GEOSGeometry* ring) {
    auto* h = ctx.handle();
    GEOSGeometry* copy = GEOSGeom_clone_r(h, ring);
    if (copy == nullptr) {
        ctx.raise("copying a ring");
    }
    return Geometry(ctx, GEOSGeom_createPolygon_r(h, copy, nullptr, 0), "building a polygon from a ring");
}

}  // namespace

Geometry make_valid_polygonal(const Geometry& g) {
    const Context& ctx = g.context();
    auto* h = ctx.handle();
    // Each polygon is its shell's area minus its holes' areas, each ring repaired on its own. GEOS's
    // own MakeValid would turn a hole that lies outside its shell into territory (shell XOR hole);
    // for a control area such a hole takes nothing away.
    std::vector<Geometry> repaired;
    for (const auto& poly : polygons_of(g)) {
        const GEOSGeometry* shell = GEOSGetExteriorRing_r(h, poly.get());
        if (shell == nullptr) {
            ctx.raise("reading a polygon's exterior ring");
        }
        Geometry area = make_valid_structure(ctx, ring_polygon(ctx, shell).get());
        const int holes = GEOSGetNumInteriorRings_r(h, poly.get());
        for (int i = 0; i < holes && !area.is_empty(); ++i) {
            Geometry hole = make_valid_structure(ctx, ring_polygon(ctx, GEOSGetInteriorRingN_r(h, poly.get(), i)).get());
            if (!hole.is_empty()) {
                area = polygonal_part(Geometry(ctx, GEOSDifference_r(h, area.get(), hole.get()), "subtracting a hole"));
            }
        }
        if (!area.is_empty()) {
            repaired.push_back(std::move(area));
        }
    }
    if (repaired.size() <= 1) {
        return repaired.empty() ? Geometry::empty_multipolygon(ctx) : std::move(repaired.front());
    }
    // Overlapping parts of a MultiPolygon are merged.
    Geometry all = make_multipolygon(ctx, polygons_of_all(repaired));
    return polygonal_part(Geometry(ctx, GEOSUnaryUnion_r(h, all.get()), "merging repaired parts"));
}

namespace {
std::optional<Geometry> floating_to_grid(Geometry floating, double grid_size_deg);

/// A snap-rounded result with every vertex as round_to_grid() writes it. GEOS's snap-rounding
/// (GEOSGeom_setPrecision_r, the *Prec_r overlays) puts a grid point at k × g where
/// round_to_grid() puts it at k / (1/g): the same point, one unit in the last place apart in
/// about one coordinate in five. Two snapshots that share a vertex then held two doubles for it,
/// and neither the change windows nor the overlay saw it as shared: ISW's 2022-02-24 map (whose
/// union is snap-rounded in part) had 15,725 of its 70,291 coordinates so, and its pair with
/// 2022-03-01, which shares 94 % of its vertices, overlaid some 40,000 near-coincident edges into
/// 5,700 hairline parts. Moving a vertex by one unit in the last place could in theory make a
/// degenerate ring invalid: then the result stays as GEOS gave it.
Geometry canonical_on_grid(Geometry snapped, double grid_size_deg) {
    if (!(grid_size_deg > 0.0)) {
        return snapped;
    }
    bool moved = false;
    Geometry canonical = round_to_grid(snapped, grid_size_deg, &moved);
    if (!moved || !is_valid(canonical)) {
        return snapped;
    }
    return canonical;
}

/// The union of valid polygons that overlap or share edges, as GEOS's buffer by zero: it nodes
/// all rings once and keeps what lies inside any of them (depth > 0), where the unary union
/// nodes the large polygons again at every level of its cascade and validates each noding. On
/// ISW's and NZZ's files (features that abut and overlap) that is 1.5-2× faster, and the stored
/// snapshots are byte for byte the same on ISW's 12 and DeepStateMap's 240, with NZZ's differing
/// only in hairline slivers under a grid cell wide (13 m² of 80,311 km² on 2023-10-24). Not on a
/// clean coverage: geoBoundaries' 27 oblasts unite in 0.36 s this way and 0.28 s by the unary
/// union, so union_all() keeps the unary union.
/// Buffer by zero is unsafe on a self-intersecting ring (a bow-tie loses a lobe); here every
/// polygon is valid (read and repaired), only their union is not. GEOS retries a failed buffer
/// with snap-rounding at 1e-10° and coarser, silently: a result outside what a union can be
/// (smaller than the largest polygon, larger than all together) is refused, and nothing is
/// returned when GEOS fails; the caller then runs the unary union.
std::optional<Geometry> union_by_buffer(const Geometry& all) {
    const Context& ctx = all.context();
    auto* h = ctx.handle();
    double sum = 0.0;
    double largest = 0.0;
    for (int i = 0, n = GEOSGetNumGeometries_r(h, all.get()); i < n; ++i) {
        double a = 0.0;
        if (GEOSArea_r(h, GEOSGetGeometryN_r(h, all.get(), i), &a) == 0) {
            ctx.raise("measuring a polygon");
        }
        sum += a;
        largest = std::max(largest, a);
    }
    GEOSGeometry* raw = GEOSBuffer_r(h, all.get(), 0.0, 8);
    if (raw == nullptr) {
        return std::nullopt;
    }
    Geometry merged = polygonal_part(Geometry(ctx, raw));
    double area = 0.0;
    if (GEOSArea_r(h, merged.get(), &area) == 0) {
        ctx.raise("measuring a union");
    }
    const double slack = 1e-12 * sum;
    if (!(area >= largest - slack && area <= sum + slack)) {
        return std::nullopt;
    }
    return merged;
}
}  // namespace

Geometry dissolve(const Context& ctx, const std::vector<Geometry>& polygons, double grid_size_deg) {
    std::vector<Geometry> parts = polygons_of_all(polygons);
    if (parts.empty()) {
        return Geometry::empty_multipolygon(ctx);
    }
    Geometry all = make_multipolygon(ctx, std::move(parts));
    if (grid_size_deg <= 0.0) {
        // Full precision: parts that already form a valid MultiPolygon (no overlaps, one outline
        // file's feature) need no union at all.
        if (is_valid(all)) {
            return all;
        }
        return polygonal_part(Geometry(ctx, GEOSUnaryUnion_r(ctx.handle(), all.get()), "dissolving polygons"));
    }
    // Fast path: parts that form a valid MultiPolygon once every coordinate is rounded to the
    // grid (as snap-rounding rounds them) need no union: one dissolved outline per file, the usual
    // case. Only a vertex within half a grid cell of another ring's edge would have been noded
    // onto it by the union; the areas differ by less than a grid cell's (~1 cm²) per such vertex.
    // One valid Polygon or MultiPolygon that rounding leaves where it is (a file of one feature
    // whose coordinates have 7 decimals or fewer, like every DeepStateMap file) is that input
    // itself: checking it again repeated the reader's check, 13 % of such an ingest's CPU.
    bool moved = true;
    Geometry rounded = round_to_grid(all, grid_size_deg, &moved);
    const bool one_valid_input = polygons.size() == 1 && (polygons[0].type_id() == GEOS_POLYGON ||
                                                          polygons[0].type_id() == GEOS_MULTIPOLYGON);
    if ((one_valid_input && !moved) || is_valid(rounded)) {
        return rounded;
    }
    // Else the floating union put on the grid (as the overlays do): by a buffer of zero, else
    // GEOS's unary union, snap-rounding if GEOS fails.
    if (auto merged = union_by_buffer(all)) {
        if (auto on_grid = floating_to_grid(std::move(*merged), grid_size_deg)) {
            return std::move(*on_grid);
        }
    }
    if (GEOSGeometry* raw = GEOSUnaryUnion_r(ctx.handle(), all.get()); raw != nullptr) {
        if (auto on_grid = floating_to_grid(Geometry(ctx, raw), grid_size_deg)) {
            return std::move(*on_grid);
        }
    }
    Geometry unioned(ctx, GEOSUnaryUnionPrec_r(ctx.handle(), all.get(), grid_size_deg),
                     "dissolving polygons");
    return canonical_on_grid(polygonal_part(unioned), grid_size_deg);
}

Geometry round_to_grid(const Geometry& g, double grid_size_deg, bool* moved) {
    struct Rounding {
        double scale;
        bool moved;
    } rounding{1.0 / grid_size_deg, false};
    auto round = [](double* x, double* y, void* data) -> int {
        auto& r = *static_cast<Rounding*>(data);
        const double rx = std::floor(*x * r.scale + 0.5) / r.scale;
        const double ry = std::floor(*y * r.scale + 0.5) / r.scale;
        r.moved = r.moved || rx != *x || ry != *y;
        *x = rx;
        *y = ry;
        return 1;
    };
    Geometry out(g.context(), GEOSGeom_transformXY_r(g.context().handle(), g.get(), round, &rounding),
                 "rounding coordinates to the grid");
    if (moved != nullptr) {
        *moved = rounding.moved;
    }
    return out;
}

namespace {

using OverlayFn = GEOSGeometry* (*)(GEOSContextHandle_t, const GEOSGeometry*, const GEOSGeometry*, double);
using FloatingOverlayFn = GEOSGeometry* (*)(GEOSContextHandle_t, const GEOSGeometry*, const GEOSGeometry*);

/// How many conflicts between polygons floating_to_grid() repairs one by one before it
/// snap-rounds the whole result instead (each repair costs a validity check of the whole).
constexpr int kMaxLocalRepairs = 8;

/// A polygon's (or a group's) parts on the grid, with the box around them.
struct GridGroup {
    std::vector<std::size_t> sources;  ///< indices of the floating polygons it came from
    std::vector<Geometry> parts;       ///< their parts on the grid
    Envelope box;

    void set_box() {
        box = Envelope{};
        for (const Geometry& part : parts) {
            box = merged(box, envelope(part));
        }
    }
};

/// A floating-precision result put on the grid: every coordinate rounded, polygon by polygon.
/// The inputs it came from were on the grid already (dissolve() puts every snapshot there), so
/// only new intersection points move, each by at most half a grid cell (~5 mm at 1e-7°).
/// Polygons that collapse to no area (slivers thinner than a cell, which snap-rounding would
/// remove too) are dropped. The rare polygon that rounding makes invalid (a vertex moved across a
/// nearby edge) is snap-rounded alone. Where two polygons end up overlapping or sharing an edge,
/// the polygons at the place the validity check names are snap-rounded together, conflict by
/// conflict; past kMaxLocalRepairs, or when the place does not name two of them, the whole result
/// is. Snap-rounding the whole was a third of some ISW pairs' time: GEOS 3.11's snap-rounding has
/// a fixed cost per ring (it seeds a random generator for each), which dominates on results with
/// thousands of parts. Nothing if GEOS fails.
std::optional<Geometry> floating_to_grid(Geometry floating, double grid_size_deg) {
    const Context& ctx = floating.context();
    auto* h = ctx.handle();
    std::vector<Geometry> sources = polygons_of(floating);
    std::vector<GridGroup> groups;
    groups.reserve(sources.size());
    for (std::size_t i = 0; i < sources.size(); ++i) {
        const Geometry& poly = sources[i];
        GridGroup g;
        g.sources.push_back(i);
        Geometry rounded = round_to_grid(poly, grid_size_deg);
        double area = 0.0;
        if (GEOSArea_r(h, rounded.get(), &area) == 0) {
            ctx.raise("measuring a polygon");
        }
        if (area <= 0.0) {
            continue;
        }
        if (GEOSisValid_r(h, rounded.get()) == 1) {
            g.parts.push_back(std::move(rounded));
        } else {
            GEOSGeometry* snapped = GEOSGeom_setPrecision_r(h, poly.get(), grid_size_deg, 0);
            if (snapped == nullptr) {
                return std::nullopt;
            }
            g.parts = polygons_of(canonical_on_grid(Geometry(ctx, snapped), grid_size_deg));
        }
        if (!g.parts.empty()) {
            g.set_box();
            groups.push_back(std::move(g));
        }
    }
    for (int repair = 0; repair <= kMaxLocalRepairs; ++repair) {
        std::vector<Geometry> all;
        for (const GridGroup& g : groups) {
            for (const Geometry& part : g.parts) {
                all.push_back(part.clone());
            }
        }
        Geometry result = make_multipolygon(ctx, std::move(all));
        char* reason = nullptr;
        GEOSGeometry* location = nullptr;
        const char valid = GEOSisValidDetail_r(h, result.get(), 0, &reason, &location);
        GEOSFree_r(h, reason);
        if (valid == 1) {
            if (location != nullptr) {
                GEOSGeom_destroy_r(h, location);
            }
            return result;
        }
        if (valid != 0 || location == nullptr || repair == kMaxLocalRepairs) {
            if (location != nullptr) {
                GEOSGeom_destroy_r(h, location);
            }
            break;
        }
        double x = 0.0;
        double y = 0.0;
        const bool located = GEOSGeomGetX_r(h, location, &x) == 1 && GEOSGeomGetY_r(h, location, &y) == 1;
        GEOSGeom_destroy_r(h, location);
        if (!located) {
            break;
        }
        // The groups whose box holds the place, with two grid cells' margin.
        const Envelope place = grown(Envelope{x, y, x, y, false}, 2.0 * grid_size_deg);
        std::vector<std::size_t> hit;
        for (std::size_t k = 0; k < groups.size(); ++k) {
            if (meets(groups[k].box, place)) {
                hit.push_back(k);
            }
        }
        if (hit.size() < 2) {
            break;
        }
        GridGroup joined;
        std::vector<Geometry> originals;
        for (std::size_t k : hit) {
            for (std::size_t i : groups[k].sources) {
                joined.sources.push_back(i);
                originals.push_back(sources[i].clone());
            }
        }
        Geometry together = make_multipolygon(ctx, std::move(originals));
        GEOSGeometry* snapped = GEOSGeom_setPrecision_r(h, together.get(), grid_size_deg, 0);
        if (snapped == nullptr) {
            return std::nullopt;
        }
        joined.parts = polygons_of(canonical_on_grid(Geometry(ctx, snapped), grid_size_deg));
        for (auto k = hit.rbegin(); k != hit.rend(); ++k) {
            groups.erase(groups.begin() + static_cast<std::ptrdiff_t>(*k));
        }
        if (!joined.parts.empty()) {
            joined.set_box();
            groups.push_back(std::move(joined));
        }
    }
    GEOSGeometry* snapped = GEOSGeom_setPrecision_r(h, floating.get(), grid_size_deg, 0);
    if (snapped == nullptr) {
        return std::nullopt;
    }
    return canonical_on_grid(polygonal_part(Geometry(ctx, snapped)), grid_size_deg);
}

/// The fast way to a grid overlay: GEOS's floating-precision overlay (OverlayNG with its own
/// robustness fallbacks), then floating_to_grid(). On the ISW snapshots this halves the cost of
/// snap-rounding both inputs, whose KdTree of every input vertex dominated. Nothing if GEOS
/// fails (a topology error): the caller snap-rounds.
std::optional<Geometry> floating_overlay_on_grid(FloatingOverlayFn op, const Geometry& a, const Geometry& b,
                                                 double grid_size_deg) {
    const Context& ctx = a.context();
    GEOSGeometry* raw = op(ctx.handle(), a.get(), b.get());
    if (raw == nullptr) {
        return std::nullopt;
    }
    return floating_to_grid(Geometry(ctx, raw), grid_size_deg);
}

/// A snap-rounded overlay with a retry ladder: the floating overlay rounded to the grid (above);
/// snap-rounded as given; both inputs snapped to the grid first (avoids most "found non-noded
/// intersection" topology errors); both repaired with MakeValid. Throws GeosError naming `what`
/// and each attempt's GEOS message if all fail.
Geometry overlay_with_retries(FloatingOverlayFn floating, OverlayFn op, const char* what, const Geometry& a,
                              const Geometry& b, double grid_size_deg) {
    const Context& ctx = a.context();
    auto* h = ctx.handle();
    if (grid_size_deg > 0.0) {
        try {
            if (auto fast = floating_overlay_on_grid(floating, a, b, grid_size_deg)) {
                return std::move(*fast);
            }
        } catch (const GeosError&) {
            // a GEOS failure on the way to the grid: the snap-rounding ladder below decides
        }
    }
    std::string errors;
    auto attempt = [&](const GEOSGeometry* x, const GEOSGeometry* y, const char* label) -> GEOSGeometry* {
        GEOSGeometry* r = op(h, x, y, grid_size_deg);
        if (r == nullptr) {
            errors += std::string(errors.empty() ? "" : "; ") + label + ": " + ctx.last_error();
        }
        return r;
    };
    GEOSGeometry* r = attempt(a.get(), b.get(), "as given");
    if (r == nullptr) {
        GEOSGeometry* sa = GEOSGeom_setPrecision_r(h, a.get(), grid_size_deg, 0);
        GEOSGeometry* sb = sa != nullptr ? GEOSGeom_setPrecision_r(h, b.get(), grid_size_deg, 0) : nullptr;
        if (sa != nullptr && sb != nullptr) {
            r = attempt(sa, sb, "snapped to the grid");
        } else {
            errors += "; snapping to the grid: " + ctx.last_error();
        }
        GeomDeleter{h}(sa);
        GeomDeleter{h}(sb);
    }
    if (r == nullptr) {
        Geometry va = make_valid_polygonal(a);
        Geometry vb = make_valid_polygonal(b);
        r = attempt(va.get(), vb.get(), "repaired with MakeValid");
    }
    if (r == nullptr) {
        throw GeosError(std::string("polygon ") + what + " failed (" + errors + ")");
    }
    return canonical_on_grid(polygonal_part(Geometry(ctx, r)), grid_size_deg);
}

}  // namespace

Geometry difference(const Geometry& a, const Geometry& b, double grid_size_deg) {
    return overlay_with_retries(GEOSDifference_r, GEOSDifferencePrec_r, "difference", a, b, grid_size_deg);
}

Geometry difference_for_area(const Geometry& a, const Geometry& b, double grid_size_deg) {
    const Context& ctx = a.context();
    if (GEOSGeometry* raw = GEOSDifference_r(ctx.handle(), a.get(), b.get()); raw != nullptr) {
        return polygonal_part(Geometry(ctx, raw));
    }
    return difference(a, b, grid_size_deg);
}

bool topologically_equal(const Geometry& a, const Geometry& b) {
    char r = GEOSEquals_r(a.context().handle(), a.get(), b.get());
    if (r == 2) {
        a.context().raise("comparing geometries");
    }
    return r == 1;
}

void normalize(Geometry& g) {
    if (GEOSNormalize_r(g.context().handle(), g.get()) != 0) {
        g.context().raise("normalizing a geometry");
    }
}

// --- Clipping and sliver removal (ingest --clip, compare) ---------------------------------------

Geometry intersection(const Geometry& a, const Geometry& b, double grid_size_deg) {
    return overlay_with_retries(GEOSIntersection_r, GEOSIntersectionPrec_r, "intersection", a, b, grid_size_deg);
}

Envelope envelope(const Geometry& g) {
    Envelope e;
    if (g.is_empty()) {
        return e;
    }
    auto* h = g.context().handle();
    if (GEOSGeom_getXMin_r(h, g.get(), &e.min_lon) == 0 || GEOSGeom_getYMin_r(h, g.get(), &e.min_lat) == 0 ||
        GEOSGeom_getXMax_r(h, g.get(), &e.max_lon) == 0 || GEOSGeom_getYMax_r(h, g.get(), &e.max_lat) == 0) {
        g.context().raise("computing a bounding box");
    }
    e.empty = false;
    return e;
}

bool meets(const Envelope& a, const Envelope& b) {
    return !a.empty && !b.empty && !(b.min_lon > a.max_lon || b.max_lon < a.min_lon || b.min_lat > a.max_lat ||
                                     b.max_lat < a.min_lat);
}

Envelope grown(Envelope e, double by) {
    e.min_lon -= by;
    e.min_lat -= by;
    e.max_lon += by;
    e.max_lat += by;
    return e;
}

Envelope common(const Envelope& a, const Envelope& b) {
    Envelope e;
    e.min_lon = std::max(a.min_lon, b.min_lon);
    e.min_lat = std::max(a.min_lat, b.min_lat);
    e.max_lon = std::min(a.max_lon, b.max_lon);
    e.max_lat = std::min(a.max_lat, b.max_lat);
    e.empty = a.empty || b.empty;
    return e;
}

Envelope merged(const Envelope& a, const Envelope& b) {
    if (a.empty || b.empty) {
        return a.empty ? b : a;
    }
    return Envelope{std::min(a.min_lon, b.min_lon), std::min(a.min_lat, b.min_lat), std::max(a.max_lon, b.max_lon),
                    std::max(a.max_lat, b.max_lat), false};
}

namespace {

/// Geodesic area and mean width (2A/P) of a polygon, m² and m.
std::pair<double, double> area_and_width(const Geometry& polygon) {
    GeodesicMeasure m = geodesic_measure(polygon);
    return {m.area_m2, m.perimeter_m > 0.0 ? 2.0 * m.area_m2 / m.perimeter_m : 0.0};
}

}  // namespace

SliverRemoval remove_slivers(const Geometry& g, double min_area_m2, double min_width_m) {
    const Context& ctx = g.context();
    auto* h = ctx.handle();
    SliverRemoval out{Geometry::empty_multipolygon(ctx)};
    std::vector<Geometry> kept;
    for (auto& poly : polygons_of(g)) {
        auto [area_m2, width_m] = area_and_width(poly);
        if (area_m2 < min_area_m2 || width_m < min_width_m) {
            out.parts += 1;
            out.parts_area_m2 += area_m2;
            continue;
        }
        out.result_area_m2 += area_m2;
        const int holes = GEOSGetNumInteriorRings_r(h, poly.get());
        if (holes <= 0) {
            kept.push_back(std::move(poly));
            continue;
        }
        std::vector<GEOSGeometry*> keep_rings;
        for (int i = 0; i < holes; ++i) {
            const GEOSGeometry* ring = GEOSGetInteriorRingN_r(h, poly.get(), i);
            Geometry hole = ring_polygon(ctx, ring);
            auto [hole_m2, hole_width_m] = area_and_width(hole);
            if (hole_m2 < min_area_m2 || hole_width_m < min_width_m) {
                out.holes += 1;
                out.holes_area_m2 += hole_m2;
                out.result_area_m2 += hole_m2;
            } else {
                keep_rings.push_back(GEOSGeom_clone_r(h, ring));
            }
        }
        if (static_cast<int>(keep_rings.size()) == holes) {
            for (auto* r : keep_rings) {
                GEOSGeom_destroy_r(h, r);
            }
            kept.push_back(std::move(poly));
            continue;
        }
        GEOSGeometry* shell = GEOSGeom_clone_r(h, GEOSGetExteriorRing_r(h, poly.get()));
        GEOSGeometry* rebuilt = GEOSGeom_createPolygon_r(h, shell, keep_rings.empty() ? nullptr : keep_rings.data(),
                                                         static_cast<unsigned int>(keep_rings.size()));
        kept.emplace_back(ctx, rebuilt, "filling sliver holes");
    }
    out.result = make_multipolygon(ctx, std::move(kept));
    return out;
}

namespace {

/// The union of polygons, not snapped to a grid (floating OverlayNG); snapped with dissolve()
/// only if GEOS fails without.
Geometry union_all(const Context& ctx, const std::vector<Geometry>& polygons, double grid_size_deg) {
    Geometry all = make_multipolygon(ctx, polygons_of_all(polygons));
    GEOSGeometry* u = GEOSUnaryUnion_r(ctx.handle(), all.get());
    if (u == nullptr) {
        return dissolve(ctx, polygons, grid_size_deg);
    }
    return polygonal_part(Geometry(ctx, u, "uniting the clip polygons"));
}

}  // namespace

ClipArea::ClipArea(const Context& ctx, const std::vector<Geometry>& polygons, double grid_size_deg)
    : m_area(union_all(ctx, polygons, grid_size_deg)), m_envelope(envelope(m_area)), m_grid_size_deg(grid_size_deg) {
    if (m_area.is_empty()) {
        throw InputError("the clip area is empty");
    }
    m_prepared = GEOSPrepare_r(m_area.context().handle(), m_area.get());
    if (m_prepared == nullptr) {
        m_area.context().raise("preparing the clip area");
    }
}

ClipArea::ClipArea(const Context& ctx, const ClipArea& other)
    : m_area(Geometry::from_wkb(ctx, other.m_area.to_wkb())), m_envelope(other.m_envelope),
      m_grid_size_deg(other.m_grid_size_deg) {
    m_prepared = GEOSPrepare_r(ctx.handle(), m_area.get());
    if (m_prepared == nullptr) {
        ctx.raise("preparing the clip area");
    }
}

ClipArea::~ClipArea() {
    if (m_prepared != nullptr) {
        GEOSPreparedGeom_destroy_r(m_area.context().handle(), m_prepared);
    }
}

ClipArea::Placement ClipArea::placement(const Geometry& g) const {
    const Envelope e = envelope(g);
    if (e.empty || e.max_lon < m_envelope.min_lon || e.min_lon > m_envelope.max_lon || e.max_lat < m_envelope.min_lat ||
        e.min_lat > m_envelope.max_lat) {
        return Placement::outside;
    }
    auto* h = m_area.context().handle();
    const char covers = GEOSPreparedCovers_r(h, m_prepared, g.get());
    if (covers == 2) {
        m_area.context().raise("testing whether the clip area covers a polygon");
    }
    if (covers == 1) {
        return Placement::inside;
    }
    const char intersects = GEOSPreparedIntersects_r(h, m_prepared, g.get());
    if (intersects == 2) {
        m_area.context().raise("testing whether a polygon meets the clip area");
    }
    // A polygon that only touches the area from outside is "crossing" too: GEOS's prepared
    // touches is not indexed and costs more than the clip that then finds nothing inside.
    return intersects == 1 ? Placement::crossing : Placement::outside;
}

Geometry ClipArea::clip(const Geometry& g) const { return intersection(g, m_area, m_grid_size_deg); }

}  // namespace frontline::geo
