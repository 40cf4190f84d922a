#include "geo/ceasefire.hpp"

#include <geos_c.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <queue>

#include "geo/front.hpp"
#include "geo/geodesic.hpp"
#include "geo/local_projection.hpp"
#include "geo/polygon_ops.hpp"

namespace frontline::geo {

namespace {

constexpr double kPi = 3.14159265358979323846;

std::vector<LonLat> coords_of(const Geometry& line) {
    auto* h = line.context().handle();
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, line.get());
    unsigned int n = 0;
    GEOSCoordSeq_getSize_r(h, seq, &n);
    std::vector<LonLat> out(n);
    for (unsigned int i = 0; i < n; ++i) {
        GEOSCoordSeq_getXY_r(h, seq, i, &out[i].lon, &out[i].lat);
    }
    return out;
}

Geometry make_line(const Context& ctx, const std::vector<LonLat>& pts) {
    GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx.handle(), static_cast<unsigned int>(pts.size()), 2);
    for (std::size_t i = 0; i < pts.size(); ++i) {
        GEOSCoordSeq_setXY_r(ctx.handle(), seq, static_cast<unsigned int>(i), pts[i].lon, pts[i].lat);
    }
    return Geometry(ctx, GEOSGeom_createLineString_r(ctx.handle(), seq), "building a line");
}

Geometry make_point(const Context& ctx, double x, double y) {
    return Geometry(ctx, GEOSGeom_createPointFromXY_r(ctx.handle(), x, y), "making a point");
}

LonLat point_xy(const Geometry& p) {
    LonLat out;
    GEOSGeomGetX_r(p.context().handle(), p.get(), &out.lon);
    GEOSGeomGetY_r(p.context().handle(), p.get(), &out.lat);
    return out;
}

/// Prepared polygons for point-in-face tests; destroys them with the context.
class PreparedSet {
public:
    PreparedSet(const Context& ctx, const std::vector<Geometry>& geoms) : m_ctx(&ctx) {
        for (const auto& g : geoms) {
            const GEOSPreparedGeometry* p = GEOSPrepare_r(ctx.handle(), g.get());
            if (p == nullptr) {
                ctx.raise("preparing a face");
            }
            m_prepared.push_back(p);
        }
    }
    ~PreparedSet() {
        for (const auto* p : m_prepared) {
            GEOSPreparedGeom_destroy_r(m_ctx->handle(), p);
        }
    }
    PreparedSet(const PreparedSet&) = delete;
    PreparedSet& operator=(const PreparedSet&) = delete;
    /// Index of the first geometry holding the point, or -1.
    int locate(double x, double y) const {
        Geometry p = make_point(*m_ctx, x, y);
        for (std::size_t i = 0; i < m_prepared.size(); ++i) {
            if (GEOSPreparedContains_r(m_ctx->handle(), m_prepared[i], p.get()) == 1) {
                return static_cast<int>(i);
            }
        }
        return -1;
    }

private:
    const Context* m_ctx;
    std::vector<const GEOSPreparedGeometry*> m_prepared;
};

}  // namespace

LineShape inspect_line(const Geometry& lines, double spike_angle_deg) {
    LineShape s;
    auto parts = lines_of(lines);
    s.parts = static_cast<int>(parts.size());
    for (const auto& part : parts) {
        const auto pts = coords_of(part);
        s.vertices += static_cast<int>(pts.size());
        std::vector<LonLat> distinct;
        for (const auto& p : pts) {
            if (!distinct.empty() && distinct.back().lon == p.lon && distinct.back().lat == p.lat) {
                s.repeated.push_back(p);
            } else {
                distinct.push_back(p);
            }
        }
        if (distinct.size() < 2) {
            ++s.degenerate_parts;
            continue;
        }
        for (std::size_t i = 1; i + 1 < distinct.size(); ++i) {
            const LonLat& a = distinct[i - 1];
            const LonLat& b = distinct[i];
            const LonLat& c = distinct[i + 1];
            const double k = std::cos(b.lat * kPi / 180.0);
            const double ax = (a.lon - b.lon) * k, ay = a.lat - b.lat;
            const double cx = (c.lon - b.lon) * k, cy = c.lat - b.lat;
            const double angle = std::atan2(std::fabs(ax * cy - ay * cx), ax * cx + ay * cy) * 180.0 / kPi;
            if (angle < spike_angle_deg) {
                s.spikes.push_back(b);
            }
        }
    }
    s.length_m = geodesic_length_m(lines);
    auto* h = lines.context().handle();
    const char simple = GEOSisSimple_r(h, lines.get());
    if (simple == 2) {
        lines.context().raise("testing whether the line is simple");
    }
    s.simple = simple == 1;
    if (!s.simple) {
        // Node the line: a point where three or more noded edges end is a crossing or a touch.
        Geometry noded(lines.context(), GEOSNode_r(h, lines.get()), "noding the line");
        std::map<std::pair<double, double>, int> ends;
        for (const auto& edge : lines_of(noded)) {
            const auto pts = coords_of(edge);
            if (pts.size() >= 2) {
                ++ends[{pts.front().lon, pts.front().lat}];
                ++ends[{pts.back().lon, pts.back().lat}];
            }
        }
        for (const auto& [xy, count] : ends) {
            if (count >= 3) {
                s.self_intersections.push_back(LonLat{xy.first, xy.second});
            }
        }
    }
    return s;
}

Geometry remove_repeated_points(const Geometry& lines) {
    std::vector<Geometry> out;
    for (const auto& part : lines_of(lines)) {
        std::vector<LonLat> distinct;
        for (const auto& p : coords_of(part)) {
            if (distinct.empty() || distinct.back().lon != p.lon || distinct.back().lat != p.lat) {
                distinct.push_back(p);
            }
        }
        if (distinct.size() >= 2) {
            out.push_back(make_line(lines.context(), distinct));
        }
    }
    return make_multilinestring(lines.context(), std::move(out));
}

Nearest nearest_point(const Geometry& target, LonLat p) {
    const Context& ctx = target.context();
    auto* h = ctx.handle();
    Nearest best{std::numeric_limits<double>::infinity(), p};
    if (target.is_empty()) {
        return best;
    }
    // A first guess in lon/lat bounds the search: the true nearest point is no farther than it.
    Geometry pt = make_point(ctx, p.lon, p.lat);
    GEOSCoordSequence* nearest = GEOSNearestPoints_r(h, target.get(), pt.get());
    if (nearest == nullptr) {
        ctx.raise("finding a nearest point");
    }
    double gx = 0, gy = 0;
    GEOSCoordSeq_getXY_r(h, nearest, 0, &gx, &gy);
    GEOSCoordSeq_destroy_r(h, nearest);
    best = Nearest{geodesic_distance_m(p.lon, p.lat, gx, gy), LonLat{gx, gy}};
    if (best.distance_m == 0.0) {
        return best;
    }
    const double dlat = best.distance_m / 110000.0 * 1.05 + 0.001;
    const double dlon = dlat / std::max(0.05, std::cos(p.lat * kPi / 180.0));
    Geometry near(ctx, GEOSClipByRect_r(h, target.get(), p.lon - dlon, p.lat - dlat, p.lon + dlon, p.lat + dlat),
                  "clipping to the search box");
    if (near.is_empty()) {
        return best;
    }
    // Centred on p, an azimuthal equidistant projection gives true distances from p.
    LocalProjection proj(p.lon, p.lat);
    Geometry local = proj.forward(near);
    Geometry origin = make_point(ctx, 0.0, 0.0);
    nearest = GEOSNearestPoints_r(h, local.get(), origin.get());
    if (nearest == nullptr) {
        ctx.raise("finding a nearest point");
    }
    double x = 0, y = 0;
    GEOSCoordSeq_getXY_r(h, nearest, 0, &x, &y);
    GEOSCoordSeq_destroy_r(h, nearest);
    if (proj.inverse_point(x, y)) {
        const double d = geodesic_distance_m(p.lon, p.lat, x, y);
        if (d < best.distance_m) {
            best = Nearest{d, LonLat{x, y}};
        }
    }
    return best;
}

std::vector<LonLat> loose_ends(const Geometry& lines) {
    std::map<std::pair<double, double>, int> count;
    std::vector<std::pair<double, double>> order;
    for (const auto& part : lines_of(lines)) {
        const auto pts = coords_of(part);
        if (pts.size() < 2) {
            continue;
        }
        for (const auto& p : {pts.front(), pts.back()}) {
            if (count[{p.lon, p.lat}]++ == 0) {
                order.emplace_back(p.lon, p.lat);
            }
        }
    }
    std::vector<LonLat> out;
    for (const auto& xy : order) {
        if (count[xy] == 1) {
            out.push_back(LonLat{xy.first, xy.second});
        }
    }
    return out;
}

CountrySplit split_country(const Geometry& country, const Geometry& lines, const Geometry& controlled) {
    const Context& ctx = country.context();
    auto* h = ctx.handle();
    // Node the line with the country's edge and build every face the edges close.
    Geometry edge(ctx, GEOSBoundary_r(h, country.get()), "taking the country's edge");
    GEOSGeometry* members[2] = {GEOSGeom_clone_r(h, lines.get()), GEOSGeom_clone_r(h, edge.get())};
    Geometry both(ctx, GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, members, 2), "collecting the line and the edge");
    Geometry noded(ctx, GEOSUnaryUnion_r(h, both.get()), "noding the line with the country's edge");
    const GEOSGeometry* input = noded.get();
    Geometry polygons(ctx, GEOSPolygonize_r(h, &input, 1), "polygonizing");

    CountrySplit split{{}, {}, {}, true, Geometry::empty_multipolygon(ctx), Geometry::empty_multipolygon(ctx)};
    {
        const GEOSPreparedGeometry* prepared = GEOSPrepare_r(h, country.get());
        if (prepared == nullptr) {
            ctx.raise("preparing the country");
        }
        for (auto& face : polygons_of(polygons)) {
            Geometry inside(ctx, GEOSPointOnSurface_r(h, face.get()), "finding a point in a face");
            if (GEOSPreparedContains_r(h, prepared, inside.get()) == 1) {
                split.faces.push_back(std::move(face));
            }
        }
        GEOSPreparedGeom_destroy_r(h, prepared);
    }
    const std::size_t n = split.faces.size();
    split.touched.assign(n, false);
    split.occupying.assign(n, false);

    // Faces on the two sides of a piece of edge: a tiny step left and right of each edge's first
    // segment lands in each of them (the edge between two faces inside the country is the line).
    std::vector<std::vector<std::size_t>> across(n);
    {
        PreparedSet located(ctx, split.faces);
        for (const auto& e : lines_of(noded)) {
            const auto pts = coords_of(e);
            if (pts.size() < 2) {
                continue;
            }
            const double mx = (pts[0].lon + pts[1].lon) / 2, my = (pts[0].lat + pts[1].lat) / 2;
            double dx = pts[1].lon - pts[0].lon, dy = pts[1].lat - pts[0].lat;
            const double len = std::hypot(dx, dy);
            if (len == 0.0) {
                continue;
            }
            const double step = std::min(1e-6, len / 10);
            dx = dx / len * step;
            dy = dy / len * step;
            const int left = located.locate(mx - dy, my + dx);
            const int right = located.locate(mx + dy, my - dx);
            if (left >= 0 && right >= 0 && left != right) {
                across[static_cast<std::size_t>(left)].push_back(static_cast<std::size_t>(right));
                across[static_cast<std::size_t>(right)].push_back(static_cast<std::size_t>(left));
                split.touched[static_cast<std::size_t>(left)] = true;
                split.touched[static_cast<std::size_t>(right)] = true;
            }
        }
    }
    std::vector<double> area(n), held(n);
    for (std::size_t i = 0; i < n; ++i) {
        area[i] = geodesic_area_m2(split.faces[i]);
        held[i] = geodesic_area_m2(intersection(split.faces[i], controlled, kDefaultGridSizeDeg));
    }
    // Two-colour each group of faces joined across the line; the colour holding the larger share
    // of the controlled area is the occupying side.
    std::vector<int> colour(n, -1);
    for (std::size_t start = 0; start < n; ++start) {
        if (colour[start] >= 0) {
            continue;
        }
        std::vector<std::size_t> group;
        std::queue<std::size_t> todo;
        colour[start] = 0;
        todo.push(start);
        while (!todo.empty()) {
            const std::size_t f = todo.front();
            todo.pop();
            group.push_back(f);
            for (std::size_t g : across[f]) {
                if (colour[g] < 0) {
                    colour[g] = 1 - colour[f];
                    todo.push(g);
                } else if (colour[g] == colour[f]) {
                    split.two_colourable = false;
                }
            }
        }
        double a[2] = {0, 0}, c[2] = {0, 0};
        for (std::size_t f : group) {
            a[colour[f]] += area[f];
            c[colour[f]] += held[f];
        }
        if (group.size() == 1) {
            split.occupying[start] = held[start] > area[start] / 2;
            continue;
        }
        const int occupying_colour = (a[1] > 0 ? c[1] / a[1] : 0) > (a[0] > 0 ? c[0] / a[0] : 0) ? 1 : 0;
        for (std::size_t f : group) {
            split.occupying[f] = colour[f] == occupying_colour;
        }
    }
    std::vector<Geometry> occ, fr;
    for (std::size_t i = 0; i < n; ++i) {
        (split.occupying[i] ? occ : fr).push_back(split.faces[i].clone());
    }
    split.occupying_side = dissolve(ctx, occ, kDefaultGridSizeDeg);
    split.free_side = dissolve(ctx, fr, kDefaultGridSizeDeg);
    return split;
}

EnclaveSearch find_enclaves(const Geometry& occupying_side, const Geometry& free_side, double min_area_m2) {
    EnclaveSearch search;
    std::vector<Enclave>& out = search.enclaves;
    auto* h = occupying_side.context().handle();
    for (bool occupying : {true, false}) {
        const Geometry& mine = occupying ? occupying_side : free_side;
        const Geometry& other = occupying ? free_side : occupying_side;
        std::vector<std::pair<double, Geometry>> parts;
        for (auto& p : polygons_of(mine)) {
            const double a = geodesic_area_m2(p);
            parts.emplace_back(a, std::move(p));
        }
        std::stable_sort(parts.begin(), parts.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
        for (std::size_t i = 1; i < parts.size(); ++i) {
            const char touches = GEOSIntersects_r(h, parts[i].second.get(), other.get());
            if (touches == 2) {
                occupying_side.context().raise("testing whether a part touches the other side");
            }
            if (touches == 0) {
                continue;  // an island: nothing of the other side around it
            }
            if (parts[i].first < min_area_m2) {
                ++search.small_parts;
                search.small_area_m2 += parts[i].first;
                continue;
            }
            Geometry inside(occupying_side.context(), GEOSPointOnSurface_r(h, parts[i].second.get()), "finding a point in a part");
            out.push_back(Enclave{occupying, std::move(parts[i].second), parts[i].first, point_xy(inside)});
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const Enclave& a, const Enclave& b) { return a.area_m2 > b.area_m2; });
    return search;
}

}  // namespace frontline::geo
