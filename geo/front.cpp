#include "geo/front.hpp"

#include <geos_c.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "geo/geodesic.hpp"
#include "geo/polygon_ops.hpp"

namespace frontline::geo {

namespace {

struct Box {
    double xmin, ymin, xmax, ymax;
};

Box box_of(const Geometry& g) {
    Box b{};
    auto* h = g.context().handle();
    if (GEOSGeom_getXMin_r(h, g.get(), &b.xmin) == 0 || GEOSGeom_getYMin_r(h, g.get(), &b.ymin) == 0 ||
        GEOSGeom_getXMax_r(h, g.get(), &b.xmax) == 0 || GEOSGeom_getYMax_r(h, g.get(), &b.ymax) == 0) {
        g.context().raise("computing an envelope");
    }
    return b;
}

/// Buffers in local metres. 16 segments per quarter circle keep a rounded edge within 0.12% of
/// the distance (the chord's sagitta, 1 − cos(π/64)), well inside the 0.5% bands are held to.
Geometry buffer(const Geometry& g, double distance, int quadrant_segments = 16) {
    const Context& ctx = g.context();
    auto* h = ctx.handle();
    GEOSBufferParams* params = GEOSBufferParams_create_r(h);
    GEOSBufferParams_setEndCapStyle_r(h, params, GEOSBUF_CAP_ROUND);
    GEOSBufferParams_setJoinStyle_r(h, params, GEOSBUF_JOIN_ROUND);
    GEOSBufferParams_setQuadrantSegments_r(h, params, quadrant_segments);
    GEOSGeometry* out = GEOSBufferWithParams_r(h, g.get(), params, distance);
    GEOSBufferParams_destroy_r(h, params);
    return Geometry(ctx, out, "buffering");
}

Geometry op(const Geometry& a, const Geometry& b, GEOSGeometry* (*f)(GEOSContextHandle_t, const GEOSGeometry*, const GEOSGeometry*),
            const char* what) {
    return Geometry(a.context(), f(a.context().handle(), a.get(), b.get()), what);
}

Geometry clip_to_box(const Geometry& g, const Box& b) {
    return Geometry(g.context(), GEOSClipByRect_r(g.context().handle(), g.get(), b.xmin, b.ymin, b.xmax, b.ymax),
                    "clipping to a rectangle");
}

Geometry point(const Context& ctx, double x, double y) {
    return Geometry(ctx, GEOSGeom_createPointFromXY_r(ctx.handle(), x, y), "making a point");
}

/// A point in the middle of a line (by vertex count; enough to tell inside from outside for a
/// piece that stays clear of every outline edge).
void middle_point(const Geometry& line, double& x, double& y) {
    auto* h = line.context().handle();
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, line.get());
    unsigned int n = 0;
    GEOSCoordSeq_getSize_r(h, seq, &n);
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    GEOSCoordSeq_getXY_r(h, seq, (n - 1) / 2, &x0, &y0);
    GEOSCoordSeq_getXY_r(h, seq, std::min(n - 1, (n - 1) / 2 + 1), &x1, &y1);
    x = (x0 + x1) / 2;
    y = (y0 + y1) / 2;
}

bool covers_point(const Geometry& polygonal, double x, double y) {
    Geometry p = point(polygonal.context(), x, y);
    char r = GEOSIntersects_r(polygonal.context().handle(), polygonal.get(), p.get());
    if (r == 2) {
        polygonal.context().raise("testing a point");
    }
    return r == 1;
}

}  // namespace

std::vector<Geometry> lines_of(const Geometry& g) {
    std::vector<Geometry> out;
    auto* h = g.context().handle();
    int type = g.type_id();
    if (type == GEOS_LINESTRING) {
        out.push_back(g.clone());
    } else if (type == GEOS_MULTILINESTRING || type == GEOS_GEOMETRYCOLLECTION) {
        for (int i = 0; i < g.num_geometries(); ++i) {
            const GEOSGeometry* sub = GEOSGetGeometryN_r(h, g.get(), i);
            Geometry part(g.context(), GEOSGeom_clone_r(h, sub), "cloning a line");
            for (auto& l : lines_of(part)) {
                out.push_back(std::move(l));
            }
        }
    }
    return out;
}

Geometry make_multilinestring(const Context& ctx, std::vector<Geometry>&& lines) {
    std::vector<GEOSGeometry*> raw;
    for (auto& l : lines) {
        raw.push_back(l.release());
    }
    return Geometry(ctx,
                    raw.empty() ? GEOSGeom_createEmptyCollection_r(ctx.handle(), GEOS_MULTILINESTRING)
                                : GEOSGeom_createCollection_r(ctx.handle(), GEOS_MULTILINESTRING, raw.data(),
                                                              static_cast<unsigned int>(raw.size())),
                    "building a MultiLineString");
}

FrontAnalysis::FrontAnalysis(const Geometry& controlled, const std::vector<Geometry>& outlines,
                             const FrontOptions& options)
    : m_ctx(&controlled.context()),
      m_options(options),
      m_controlled(controlled.clone()),
      m_controlled_p(Geometry::empty_multipolygon(controlled.context())),
      m_front_p(Geometry::empty_multipolygon(controlled.context())),
      m_front(Geometry::empty_multipolygon(controlled.context())) {
    if (outlines.empty()) {
        throw InputError("--border: give at least one country outline");
    }
    if (!(options.border_tolerance_m > 0.0)) {
        throw InputError("--border-tolerance must be greater than 0 (e.g. 1km)");
    }
    if (controlled.is_empty()) {
        throw InputError("the snapshot is empty: there is no front");
    }
    const Box ll = box_of(controlled);
    m_projection = std::make_unique<LocalProjection>((ll.xmin + ll.xmax) / 2, (ll.ymin + ll.ymax) / 2);
    m_controlled_p = m_projection->forward(controlled);
    for (const auto& o : outlines) {
        m_outlines_p.push_back(project_outline(o));
    }

    // Candidate front: the controlled area's boundary, minus everything near an outline's edge.
    Geometry candidate(*m_ctx, GEOSBoundary_r(m_ctx->handle(), m_controlled_p.get()), "taking the boundary");
    Box env = box_of(m_controlled_p);
    const double tol = options.border_tolerance_m;
    env = Box{env.xmin - 2 * tol, env.ymin - 2 * tol, env.xmax + 2 * tol, env.ymax + 2 * tol};
    for (const auto& o : m_outlines_p) {
        if (tol > 0.0) {
            Geometry edge(*m_ctx, GEOSBoundary_r(m_ctx->handle(), o.get()), "taking an outline's edge");
            Geometry mask = buffer(clip_to_box(edge, env), tol, 4);
            candidate = op(candidate, mask, &GEOSDifference_r, "removing border and coast");
        }
    }
    // Keep the pieces inside every outline; each is clear of every edge, so one point decides.
    std::vector<Geometry> kept;
    for (auto& piece : lines_of(candidate)) {
        double x = 0, y = 0;
        middle_point(piece, x, y);
        bool inside = std::all_of(m_outlines_p.begin(), m_outlines_p.end(),
                                  [&](const Geometry& o) { return covers_point(o, x, y); });
        if (inside) {
            kept.push_back(std::move(piece));
        }
    }
    Geometry merged_input = make_multilinestring(*m_ctx, std::move(kept));
    Geometry merged(*m_ctx, GEOSLineMerge_r(m_ctx->handle(), merged_input.get()), "merging the front");
    std::vector<Geometry> parts;
    for (auto& line : lines_of(merged)) {
        Geometry ll_line = m_projection->inverse(line);
        double length = geodesic_length_m(ll_line);
        if (length < options.min_part_length_m) {
            ++m_dropped_parts;
            m_dropped_length_m += length;
            continue;
        }
        parts.push_back(std::move(line));
    }
    // Longest first, so the main front leads.
    std::vector<std::pair<double, std::size_t>> order;
    std::vector<Geometry> parts_ll;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        parts_ll.push_back(m_projection->inverse(parts[i]));
        order.emplace_back(-geodesic_length_m(parts_ll.back()), i);
    }
    std::sort(order.begin(), order.end());
    std::vector<Geometry> sorted_p;
    std::vector<Geometry> sorted_ll;
    for (const auto& [neg_length, i] : order) {
        m_length_m -= neg_length;
        sorted_p.push_back(std::move(parts[i]));
        sorted_ll.push_back(std::move(parts_ll[i]));
    }
    m_front_p = make_multilinestring(*m_ctx, std::move(sorted_p));
    m_front = make_multilinestring(*m_ctx, std::move(sorted_ll));
}

FrontAnalysis::~FrontAnalysis() = default;

Geometry FrontAnalysis::project_outline(const Geometry& outline) const {
    Geometry p = m_projection->forward(polygonal_part(outline));
    if (m_options.outline_simplify_m > 0.0) {
        p = Geometry(*m_ctx, GEOSTopologyPreserveSimplify_r(m_ctx->handle(), p.get(), m_options.outline_simplify_m),
                     "simplifying an outline");
    }
    if (!is_valid(p)) {
        p = make_valid_polygonal(p);
    }
    return p;
}

const Geometry& FrontAnalysis::country_projected() const {
    if (!m_country_p) {
        Geometry country = m_outlines_p.front().clone();
        for (std::size_t i = 1; i < m_outlines_p.size(); ++i) {
            country = polygonal_part(op(country, m_outlines_p[i], &GEOSIntersection_r, "intersecting outlines"));
        }
        m_country_p = std::make_unique<Geometry>(std::move(country));
    }
    return *m_country_p;
}

Geometry FrontAnalysis::band(Side side, double width_m) const {
    if (!(width_m > 0.0)) {
        throw InputError("band width must be > 0 m");
    }
    if (m_front_p.is_empty()) {
        return Geometry::empty_multipolygon(*m_ctx);
    }
    Geometry zone = buffer(m_front_p, width_m);
    // Only the part of the country near the band matters: clip before the big overlays.
    Box b = box_of(zone);
    Geometry country = clip_to_box(country_projected(), b);
    zone = polygonal_part(op(zone, country, &GEOSIntersection_r, "clipping a band to the country"));
    Geometry controlled = clip_to_box(m_controlled_p, b);
    zone = polygonal_part(op(zone, controlled, side == Side::controlled ? &GEOSIntersection_r : &GEOSDifference_r,
                             "splitting a band by side"));
    return valid_lonlat(zone);
}

Geometry FrontAnalysis::placement(double min_m, double max_m, const Geometry* within, const Geometry* hostile,
                                  double min_border_m) const {
    Geometry base = within != nullptr ? make_valid_polygonal(m_projection->forward(*within))
                                      : polygonal_part(op(country_projected(), m_controlled_p, &GEOSDifference_r,
                                                          "taking the free side"));
    if (!m_front_p.is_empty()) {
        if (min_m > 0.0) {
            base = polygonal_part(op(base, buffer(m_front_p, min_m), &GEOSDifference_r, "keeping away from the front"));
        }
        if (max_m > 0.0) {
            base = polygonal_part(op(base, buffer(m_front_p, max_m), &GEOSIntersection_r, "staying near the front"));
        }
    }
    if (hostile != nullptr && min_border_m > 0.0) {
        Box b = box_of(base);
        b = Box{b.xmin - 2 * min_border_m, b.ymin - 2 * min_border_m, b.xmax + 2 * min_border_m, b.ymax + 2 * min_border_m};
        Geometry h = project_outline(*hostile);
        Geometry near = buffer(clip_to_box(h, b), min_border_m, 4);
        base = polygonal_part(op(base, near, &GEOSDifference_r, "keeping away from hostile borders"));
    }
    return valid_lonlat(base);
}

double FrontAnalysis::distance_m(double lon, double lat) const {
    if (m_front_p.is_empty()) {
        return std::numeric_limits<double>::infinity();
    }
    double x = lon;
    double y = lat;
    if (!m_projection->forward_point(x, y)) {
        throw RunError("cannot project a site to local metres");
    }
    Geometry p = point(*m_ctx, x, y);
    GEOSCoordSequence* nearest = GEOSNearestPoints_r(m_ctx->handle(), m_front_p.get(), p.get());
    if (nearest == nullptr) {
        m_ctx->raise("finding the nearest point of the front");
    }
    double nx = 0, ny = 0;
    GEOSCoordSeq_getXY_r(m_ctx->handle(), nearest, 0, &nx, &ny);
    GEOSCoordSeq_destroy_r(m_ctx->handle(), nearest);
    m_projection->inverse_point(nx, ny);
    return geodesic_distance_m(lon, lat, nx, ny);
}

std::vector<FrontAnalysis::Sample> FrontAnalysis::samples(double step_m) const {
    std::vector<Sample> out;
    auto* h = m_ctx->handle();
    for (const auto& line : lines_of(m_front_p)) {
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, line.get());
        unsigned int n = 0;
        GEOSCoordSeq_getSize_r(h, seq, &n);
        if (n < 2) {
            continue;
        }
        // Walk the line in local metres, dropping a point every step_m and one at the end; each
        // point stands for half the gap to each neighbour.
        std::vector<std::pair<double, double>> points;
        std::vector<double> at;  // distance along the line
        double px = 0, py = 0;
        GEOSCoordSeq_getXY_r(h, seq, 0, &px, &py);
        points.emplace_back(px, py);
        at.push_back(0.0);
        double walked = 0.0;
        double next = step_m;
        for (unsigned int i = 1; i < n; ++i) {
            double x = 0, y = 0;
            GEOSCoordSeq_getXY_r(h, seq, i, &x, &y);
            const double seg = std::hypot(x - px, y - py);
            while (next <= walked + seg) {
                const double t = (next - walked) / seg;
                points.emplace_back(px + t * (x - px), py + t * (y - py));
                at.push_back(next);
                next += step_m;
            }
            walked += seg;
            px = x;
            py = y;
        }
        if (walked > at.back()) {
            points.emplace_back(px, py);
            at.push_back(walked);
        }
        for (std::size_t i = 0; i < points.size(); ++i) {
            const double left = i > 0 ? at[i] - at[i - 1] : 0.0;
            const double right = i + 1 < points.size() ? at[i + 1] - at[i] : 0.0;
            double x = points[i].first;
            double y = points[i].second;
            m_projection->inverse_point(x, y);
            out.push_back(Sample{x, y, (left + right) / 2});
        }
    }
    return out;
}

Geometry FrontAnalysis::valid_lonlat(const Geometry& projected) const {
    // Densified and projected back, a valid zone can come out with a self-touching ring where two
    // of its edges run within centimetres (along the border); repair it so points can be tested.
    Geometry g = polygonal_part(m_projection->inverse(projected));
    if (!is_valid(g)) {
        return make_valid_polygonal(g);
    }
    return g;
}

Geometry FrontAnalysis::side_projected(Side side) const {
    return polygonal_part(op(country_projected(), m_controlled_p, side == Side::controlled ? &GEOSIntersection_r : &GEOSDifference_r,
                             "taking one side of the country"));
}

FrontAnalysis::Squeeze FrontAnalysis::narrowest(Side side, double width_m, double step_m) const {
    Squeeze best;
    best.width_m = width_m;
    auto* h = m_ctx->handle();
    if (m_front_p.is_empty()) {
        return best;
    }
    // The country's edge where it bounds this side: where a band on this side can run into it.
    Geometry country_edge(*m_ctx, GEOSBoundary_r(h, country_projected().get()), "taking the country's edge");
    Geometry edge = op(country_edge, side_projected(side), &GEOSIntersection_r, "taking the edge on one side");
    if (edge.is_empty()) {
        return best;
    }
    const GEOSPreparedGeometry* prepared = GEOSPrepare_r(h, edge.get());
    if (prepared == nullptr) {
        m_ctx->raise("preparing the country's edge");
    }
    for (const auto& line : lines_of(m_front_p)) {
        double length = 0.0;
        GEOSLength_r(h, line.get(), &length);
        // Where the front meets the border at a slant, the border is within the width for up to
        // about twice the width along it (at 30°); that is the end of the line, not a squeeze.
        for (double at = 2 * width_m; at <= length - 2 * width_m; at += step_m) {
            Geometry p(*m_ctx, GEOSInterpolate_r(h, line.get(), at), "sampling the front");
            double d = 0.0;
            if (GEOSPreparedDistance_r(h, prepared, p.get(), &d) == 0) {
                GEOSPreparedGeom_destroy_r(h, prepared);
                m_ctx->raise("measuring a distance to the country's edge");
            }
            if (d < best.width_m) {
                double x = 0, y = 0;
                GEOSGeomGetX_r(h, p.get(), &x);
                GEOSGeomGetY_r(h, p.get(), &y);
                m_projection->inverse_point(x, y);
                best = Squeeze{true, d, x, y};
            }
        }
    }
    GEOSPreparedGeom_destroy_r(h, prepared);
    return best;
}

bool FrontAnalysis::in_controlled(double lon, double lat) const { return contains_point(m_controlled, lon, lat); }

bool contains_point(const Geometry& g, double lon, double lat) { return covers_point(g, lon, lat); }

}  // namespace frontline::geo
