#include "geo/regions.hpp"

#include <geos_c.h>

#include <algorithm>

#include "geo/geodesic.hpp"
#include "geo/polygon_ops.hpp"

namespace frontline::geo {

namespace {

struct Envelope {
    double xmin = 0, ymin = 0, xmax = 0, ymax = 0;
    bool intersects(const Envelope& o) const {
        return !(o.xmin > xmax || o.xmax < xmin || o.ymin > ymax || o.ymax < ymin);
    }
};

Envelope envelope_of(const Geometry& g) {
    Envelope e;
    auto* h = g.context().handle();
    if (GEOSGeom_getXMin_r(h, g.get(), &e.xmin) == 0 || GEOSGeom_getYMin_r(h, g.get(), &e.ymin) == 0 ||
        GEOSGeom_getXMax_r(h, g.get(), &e.xmax) == 0 || GEOSGeom_getYMax_r(h, g.get(), &e.ymax) == 0) {
        g.context().raise("computing an envelope");
    }
    return e;
}

struct PreparedDeleter {
    GEOSContextHandle_t ctx;
    void operator()(const GEOSPreparedGeometry* p) const { GEOSPreparedGeom_destroy_r(ctx, p); }
};

}  // namespace

struct RegionSet::Index {
    std::vector<Envelope> envelopes;
    std::vector<std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>> prepared;
};

RegionSet::RegionSet(const Context& ctx, std::vector<Region>&& regions, double grid_size_deg)
    : m_ctx(&ctx), m_regions(std::move(regions)), m_grid_size_deg(grid_size_deg), m_index(std::make_unique<Index>()) {
    for (auto& r : m_regions) {
        m_area_m2.push_back(geodesic_area_m2(r.geometry));
        m_index->envelopes.push_back(r.geometry.is_empty() ? Envelope{1, 1, -1, -1} : envelope_of(r.geometry));
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
    const Envelope e = envelope_of(g);
    for (std::size_t i = 0; i < m_regions.size(); ++i) {
        if (!m_index->envelopes[i].intersects(e)) {
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

}  // namespace frontline::geo
