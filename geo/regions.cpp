#include "geo/regions.hpp"

#include <geos_c.h>

#include <algorithm>

#include "geo/change_windows.hpp"
#include "geo/geodesic.hpp"
#include "geo/polygon_ops.hpp"

namespace frontline::geo {

namespace {

bool intersects(const Envelope& a, const Envelope& b) {
    return !a.empty && !b.empty && !(b.min_lon > a.max_lon || b.max_lon < a.min_lon || b.min_lat > a.max_lat ||
                                     b.max_lat < a.min_lat);
}

struct PreparedDeleter {
    GEOSContextHandle_t ctx;
    void operator()(const GEOSPreparedGeometry* p) const { GEOSPreparedGeom_destroy_r(ctx, p); }
};

/// The LineStrings of `g` as one MultiLineString (intersections of lines with polygons can come
/// back as collections with points).
Geometry linear_part(const Geometry& g) {
    const Context& ctx = g.context();
    auto* h = ctx.handle();
    std::vector<GEOSGeometry*> lines;
    std::vector<const GEOSGeometry*> stack = {g.get()};
    while (!stack.empty()) {
        const GEOSGeometry* x = stack.back();
        stack.pop_back();
        int type = GEOSGeomTypeId_r(h, x);
        if (type == GEOS_LINESTRING) {
            if (GEOSisEmpty_r(h, x) == 0) {
                lines.push_back(GEOSGeom_clone_r(h, x));
            }
        } else if (type == GEOS_MULTILINESTRING || type == GEOS_GEOMETRYCOLLECTION) {
            for (int i = GEOSGetNumGeometries_r(h, x) - 1; i >= 0; --i) {
                stack.push_back(GEOSGetGeometryN_r(h, x, i));
            }
        }
    }
    return Geometry(ctx,
                    lines.empty() ? GEOSGeom_createEmptyCollection_r(h, GEOS_MULTILINESTRING)
                                  : GEOSGeom_createCollection_r(h, GEOS_MULTILINESTRING, lines.data(),
                                                                static_cast<unsigned int>(lines.size())),
                    "collecting lines");
}

}  // namespace

struct RegionSet::Index {
    std::vector<Envelope> envelopes;
    std::vector<std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>> prepared;
};

RegionSet::RegionSet(const Context& ctx, std::vector<Region>&& regions, double grid_size_deg)
    : m_ctx(&ctx), m_regions(std::move(regions)), m_grid_size_deg(grid_size_deg), m_index(std::make_unique<Index>()) {
    for (auto& r : m_regions) {
        m_area_m2.push_back(geodesic_area_m2(r.geometry));
        m_index->envelopes.push_back(envelope(r.geometry));
        const GEOSPreparedGeometry* p = GEOSPrepare_r(ctx.handle(), r.geometry.get());
        if (p == nullptr) {
            ctx.raise("preparing region " + r.name);
        }
        m_index->prepared.emplace_back(p, PreparedDeleter{ctx.handle()});
    }
}

RegionSet::~RegionSet() = default;

const std::string& RegionSet::name(std::size_t i) const {
    static const std::string outside_name = "(outside all regions)";
    return i < m_regions.size() ? m_regions[i].name : outside_name;
}

std::vector<std::size_t> RegionSet::candidates(const Geometry& g) const {
    std::vector<std::size_t> out;
    if (g.is_empty()) {
        return out;
    }
    const Envelope e = envelope(g);
    for (std::size_t i = 0; i < m_regions.size(); ++i) {
        if (!intersects(m_index->envelopes[i], e)) {
            continue;
        }
        char hit = GEOSPreparedIntersects_r(m_ctx->handle(), m_index->prepared[i].get(), g.get());
        if (hit == 2) {
            m_ctx->raise("testing a region for intersection");
        }
        if (hit == 1) {
            out.push_back(i);
        }
    }
    return out;
}

std::vector<RegionSet::Piece> RegionSet::split(const Geometry& g) const {
    std::vector<Piece> out;
    auto* h = m_ctx->handle();
    Geometry rest = g.clone();
    for (std::size_t i : candidates(g)) {
        Geometry piece = polygonal_part(Geometry(
            *m_ctx, GEOSIntersectionPrec_r(h, g.get(), m_regions[i].geometry.get(), m_grid_size_deg),
            "cutting at a region border"));
        if (piece.is_empty()) {
            continue;
        }
        double area = geodesic_area_m2(piece);
        out.push_back(Piece{i, std::move(piece), area});
        rest = difference(rest, m_regions[i].geometry, m_grid_size_deg);
    }
    if (!rest.is_empty()) {
        double area = geodesic_area_m2(rest);
        out.push_back(Piece{outside(), std::move(rest), area});
    }
    return out;
}

std::vector<double> RegionSet::areas_m2(const Geometry& g) const {
    std::vector<double> out(m_regions.size() + 1, 0.0);
    auto* h = m_ctx->handle();
    double inside = 0.0;
    for (std::size_t i : candidates(g)) {
        Geometry piece(*m_ctx, GEOSIntersectionPrec_r(h, g.get(), m_regions[i].geometry.get(), m_grid_size_deg),
                       "cutting at a region border");
        out[i] = geodesic_area_m2(piece);
        inside += out[i];
    }
    out.back() = std::max(0.0, geodesic_area_m2(g) - inside);
    return out;
}

std::vector<double> RegionSet::areas_m2_after(const Geometry& before, const std::vector<double>& before_areas,
                                              const Geometry& g) const {
    ChangeWindowOptions wo;
    wo.grid_size_deg = m_grid_size_deg;
    auto windows = before_areas.size() == m_regions.size() + 1 ? change_windows(before, g, wo) : std::nullopt;
    if (!windows) {
        return areas_m2(g);
    }
    std::vector<double> out = before_areas;
    for (const Envelope& w : *windows) {
        auto earlier = clip_to_window(before, w);
        auto later = clip_to_window(g, w);
        if (!earlier || !later) {
            return areas_m2(g);
        }
        std::vector<double> a = areas_m2(*later);
        std::vector<double> b = areas_m2(*earlier);
        for (std::size_t i = 0; i < m_regions.size(); ++i) {
            out[i] += a[i] - b[i];
        }
    }
    double inside = 0.0;
    for (std::size_t i = 0; i < m_regions.size(); ++i) {
        out[i] = std::max(0.0, out[i]);
        inside += out[i];
    }
    out.back() = std::max(0.0, geodesic_area_m2(g) - inside);
    return out;
}

std::vector<RegionSet::Piece> RegionSet::split_lines(const Geometry& lines) const {
    std::vector<Piece> out;
    auto* h = m_ctx->handle();
    Geometry rest = lines.clone();
    for (std::size_t i : candidates(lines)) {
        Geometry piece(*m_ctx, GEOSIntersection_r(h, lines.get(), m_regions[i].geometry.get()), "cutting a line at a region border");
        double length = geodesic_length_m(linear_part(piece));
        if (length <= 0.0) {
            continue;
        }
        rest = Geometry(*m_ctx, GEOSDifference_r(h, rest.get(), m_regions[i].geometry.get()), "cutting a line at a region border");
        out.push_back(Piece{i, linear_part(piece), 0.0, length});
    }
    double rest_length = geodesic_length_m(linear_part(rest));
    if (rest_length > 0.0) {
        out.push_back(Piece{outside(), linear_part(rest), 0.0, rest_length});
    }
    return out;
}

std::vector<double> RegionSet::lengths_m(const Geometry& lines) const {
    std::vector<double> out(m_regions.size() + 1, 0.0);
    for (auto& piece : split_lines(lines)) {
        out[piece.region] += piece.length_m;
    }
    return out;
}

}  // namespace frontline::geo
