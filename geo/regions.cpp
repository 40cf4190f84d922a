#include "geo/regions.hpp"

#include <geos_c.h>

#include <algorithm>
#include <optional>

#include "geo/change_windows.hpp"
#include "geo/geodesic.hpp"
#include "geo/polygon_ops.hpp"

namespace frontline::geo {

namespace {

/// How far a clip box reaches beyond what is cut with it, degrees (~10 m): the box's own edges
/// never touch the geometries it is used with.
constexpr double kClipMarginDeg = 1e-4;

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
        m_area_m2.push_back(r.area_m2 >= 0.0 ? r.area_m2 : geodesic_area_m2(r.geometry));
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
        if (!meets(m_index->envelopes[i], e)) {
            continue;
        }
        if (prepared_intersects(i, g)) {
            out.push_back(i);
        }
    }
    return out;
}

bool RegionSet::prepared_intersects(std::size_t i, const Geometry& g) const {
    char hit = GEOSPreparedIntersects_r(m_ctx->handle(), m_index->prepared[i].get(), g.get());
    if (hit == 2) {
        m_ctx->raise("testing a region for intersection");
    }
    return hit == 1;
}

bool RegionSet::contains(std::size_t i, const Geometry& g) const {
    char hit = GEOSPreparedContains_r(m_ctx->handle(), m_index->prepared[i].get(), g.get());
    if (hit == 2) {
        m_ctx->raise("testing whether a region contains a polygon");
    }
    return hit == 1;
}

Geometry RegionSet::near_box(std::size_t i, const Envelope& box) const {
    const Envelope& r = m_index->envelopes[i];
    if (r.min_lon >= box.min_lon && r.max_lon <= box.max_lon && r.min_lat >= box.min_lat && r.max_lat <= box.max_lat) {
        return m_regions[i].geometry.clone();
    }
    // ClipByRect keeps the region's own vertices inside the box and adds new ones only on the
    // box's edges, which lie kClipMarginDeg away from what it is cut with.
    auto clipped = clip_to_window(m_regions[i].geometry, grown(box, kClipMarginDeg));
    return clipped ? std::move(*clipped) : m_regions[i].geometry.clone();
}

std::vector<RegionSet::Piece> RegionSet::split(const Geometry& g) const {
    std::vector<Piece> out;
    if (g.is_empty()) {
        return out;
    }
    const Envelope e = envelope(g);
    Geometry rest = g.clone();
    for (std::size_t i : candidates(g)) {
        if (contains(i, g)) {
            // The usual case for a gained or lost part: inside one region, no overlay at all.
            double area = geodesic_area_m2(g);
            out.push_back(Piece{i, g.clone(), area});
            rest = Geometry::empty_multipolygon(*m_ctx);
            continue;  // not break: where regions overlap, a part inside two counts in both
        }
        const Geometry near = near_box(i, e);
        Geometry piece = polygonal_part(intersection(g, near, m_grid_size_deg));
        if (piece.is_empty()) {
            continue;
        }
        double area = geodesic_area_m2(piece);
        out.push_back(Piece{i, std::move(piece), area});
        rest = difference(rest, near, m_grid_size_deg);
    }
    if (!rest.is_empty()) {
        double area = geodesic_area_m2(rest);
        out.push_back(Piece{outside(), std::move(rest), area});
    }
    return out;
}

std::vector<double> RegionSet::areas_m2(const Geometry& g, double g_area_m2) const {
    std::vector<double> out(m_regions.size() + 1, 0.0);
    double total = 0.0;
    double inside = 0.0;
    // Polygon by polygon, so that the small ones (enclaves, islands) inside one region need no
    // overlay, and the large ones are cut only near each region (both clipped to where their
    // boxes meet: the cut is the same, on far fewer vertices).
    for (const Geometry& p : polygons_of(g)) {
        std::optional<double> area;  // measured when needed: the geodesic area is not cheap
        const auto area_of_p = [&] {
            if (!area) {
                area = geodesic_area_m2(p);
            }
            return *area;
        };
        const Envelope e = envelope(p);
        for (std::size_t i = 0; i < m_regions.size(); ++i) {
            if (!meets(m_index->envelopes[i], e) || !prepared_intersects(i, p)) {
                continue;
            }
            if (contains(i, p)) {
                out[i] += area_of_p();
                inside += area_of_p();
                continue;
            }
            const Envelope box = grown(common(e, m_index->envelopes[i]), kClipMarginDeg);
            auto clipped = clip_to_window(p, box);
            const double cut = geodesic_area_m2(intersection(clipped ? *clipped : p, near_box(i, box), m_grid_size_deg));
            out[i] += cut;
            inside += cut;
        }
        if (g_area_m2 < 0.0) {
            total += area_of_p();
        }
    }
    out.back() = std::max(0.0, (g_area_m2 < 0.0 ? total : g_area_m2) - inside);
    return out;
}

std::vector<double> RegionSet::areas_m2_after(const Geometry& before, const std::vector<double>& before_areas,
                                              const Geometry& g, double g_area_m2) const {
    auto changes = before_areas.size() == m_regions.size() + 1 ? area_changes_m2(before, g) : std::nullopt;
    if (!changes) {
        return areas_m2(g, g_area_m2);
    }
    return with_area_changes(before_areas, *changes, g_area_m2 < 0.0 ? geodesic_area_m2(g) : g_area_m2);
}

std::optional<std::vector<double>> RegionSet::area_changes_m2(const Geometry& before, const Geometry& g) const {
    ChangeWindowOptions wo;
    wo.grid_size_deg = m_grid_size_deg;
    // Stricter than compute_delta's limits: each window's cut adds vertices on long edges, which
    // moves a geodesic area by a few 100 m² (sample data, quarterly steps); the full cut is only
    // worth avoiding where the snapshots share most of their outline.
    wo.max_changed_share = 0.5;
    wo.max_window_share = 0.5;
    auto windows = change_windows(before, g, wo);
    if (!windows) {
        return std::nullopt;
    }
    std::vector<double> out(m_regions.size(), 0.0);
    for (const Envelope& w : *windows) {
        auto earlier = clip_to_window(before, w);
        auto later = clip_to_window(g, w);
        if (!earlier || !later) {
            return std::nullopt;
        }
        std::vector<double> a = areas_m2(*later);
        std::vector<double> b = areas_m2(*earlier);
        for (std::size_t i = 0; i < m_regions.size(); ++i) {
            out[i] += a[i] - b[i];
        }
    }
    return out;
}

std::vector<double> RegionSet::with_area_changes(const std::vector<double>& before_areas,
                                                 const std::vector<double>& changes, double g_area_m2) const {
    std::vector<double> out = before_areas;
    double inside = 0.0;
    for (std::size_t i = 0; i < m_regions.size(); ++i) {
        out[i] = std::max(0.0, out[i] + changes.at(i));
        inside += out[i];
    }
    out.back() = std::max(0.0, g_area_m2 - inside);
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
