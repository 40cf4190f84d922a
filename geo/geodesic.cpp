#include "geo/geodesic.hpp"

#include <geodesic.h>
#include <geos_c.h>
#include <proj.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <unordered_map>
#include <vector>

namespace frontline::geo {

const char* const kGeodesicMethod =
    "Geodesic area and length on the WGS84 ellipsoid (a = 6378137 m, f = 1/298.257223563), "
    "computed with GeographicLib's algorithms (Karney 2013) through PROJ's geodesic routines "
    "(geod_geninverse per edge, geod_polygonarea); "
    "polygon edges are geodesics between the vertices and holes are subtracted.";

namespace {

const geod_geodesic& wgs84() {
    static const geod_geodesic g = [] {
        geod_geodesic init{};
        geod_init(&init, 6378137.0, 1.0 / 298.257223563);
        return init;
    }();
    return g;
}

struct Coords {
    std::vector<double> lon;
    std::vector<double> lat;
};

/// Copies a ring's or line's coordinates. GEOS returns NULL for an empty input.
bool read_coords(const Context& ctx, const GEOSGeometry* line, Coords& out) {
    auto* h = ctx.handle();
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, line);
    if (seq == nullptr) {
        ctx.raise("reading a ring's coordinates");
    }
    unsigned int n = 0;
    if (GEOSCoordSeq_getSize_r(h, seq, &n) == 0) {
        ctx.raise("reading a ring's size");
    }
    out.lon.resize(n);
    out.lat.resize(n);
    if (n == 0) {
        return false;
    }
    if (GEOSCoordSeq_copyToArrays_r(h, seq, out.lon.data(), out.lat.data(), nullptr, nullptr) == 0) {
        ctx.raise("copying a ring's coordinates");
    }
    return true;
}

/// What geod_geninverse gives for one edge: its length and the area between it and the equator.
struct EdgeTerms {
    double s12 = 0.0;
    double S12 = 0.0;
};

std::uint64_t bits_of(double x) {
    std::uint64_t b = 0;
    std::memcpy(&b, &x, sizeof b);
    return b;
}

/// splitmix64's finaliser: coordinates differ mostly in their low mantissa bits.
std::uint64_t mix(std::uint64_t x) {
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/// The rings a thread measured last, with each edge's terms (while an EdgeMemoScope is open on
/// it). A series of snapshots of one front shares most of its edges from one day to the next
/// (the scale benchmark's 300,000-vertex snapshots move 3 % of their vertices a day), in the
/// same order, and geod_geninverse was most of the cost of measuring one. A new ring is walked
/// beside a remembered one while their edges are the same, bit for bit; where they part, the
/// edges are solved anew until a vertex that is an "anchor" (one in 16, chosen by its hash, and
/// indexed for every remembered ring) finds the walk a remembered edge again. Reads are in
/// sequence, so a shared edge costs a comparison, not a cache miss. Two generations of up to
/// 10^6 vertices (32 MB each) are kept. A remembered term is the one geod_geninverse returned
/// for the same coordinates, so no result depends on what was remembered.
class RingMemo {
public:
    /// Fills `terms` with the terms of the ring's `edges` edges (edge e from vertex e to e + 1,
    /// the last to vertex 0 when the ring is not closed), and remembers the ring.
    void measure(const std::vector<double>& lat, const std::vector<double>& lon, std::size_t edges,
                 std::vector<EdgeTerms>& terms) {
        const std::size_t n = lat.size();
        if (m_now.vertices > 0 && m_now.vertices + n > kGenerationVertices) {
            m_before = std::move(m_now);
            m_now = Generation{};
        }
        terms.resize(edges);
        std::vector<std::pair<std::uint64_t, std::uint32_t>> anchors;
        const Stored* walk = nullptr;  // the remembered ring walked beside, at edge `at`
        std::size_t at = 0;
        for (std::size_t e = 0; e < edges; ++e) {
            const std::size_t b = e + 1 == n ? 0 : e + 1;
            bool hit = walk != nullptr && at + 1 < walk->lat.size() && same(*walk, at, lat, lon, e) &&
                       same(*walk, at + 1, lat, lon, b);
            const std::uint64_t h = mix(bits_of(lat[e]) ^ mix(bits_of(lon[e])));
            const bool anchor = (h & 15) == 0;
            if (!hit && anchor) {
                walk = find(h, lat, lon, e, b, at);
                hit = walk != nullptr;
            }
            if (hit) {
                terms[e] = walk->terms[at];
                ++at;
            } else {
                walk = nullptr;
                EdgeTerms& t = terms[e];
                geod_geninverse(&wgs84(), lat[e], lon[e], lat[b], lon[b], &t.s12, nullptr, nullptr, nullptr, nullptr,
                                nullptr, &t.S12);
            }
            if (anchor) {
                anchors.emplace_back(h, static_cast<std::uint32_t>(e));
            }
        }
        const auto index = static_cast<std::uint32_t>(m_now.rings.size());
        for (const auto& [h, pos] : anchors) {
            m_now.anchors.emplace(h, Anchor{index, pos});  // the first ring with that vertex stays
        }
        m_now.rings.push_back(Stored{lat, lon, terms});
        m_now.vertices += n;
    }

private:
    struct Stored {
        std::vector<double> lat;
        std::vector<double> lon;
        std::vector<EdgeTerms> terms;  // edge k: vertex k to k + 1
    };
    struct Anchor {
        std::uint32_t ring;
        std::uint32_t pos;
    };
    struct Generation {
        std::vector<Stored> rings;
        std::unordered_map<std::uint64_t, Anchor> anchors;
        std::size_t vertices = 0;
    };

    static bool same(const Stored& s, std::size_t k, const std::vector<double>& lat, const std::vector<double>& lon,
                     std::size_t i) {
        return bits_of(s.lat[k]) == bits_of(lat[i]) && bits_of(s.lon[k]) == bits_of(lon[i]);
    }

    /// A remembered ring whose edge `at` is the edge from vertex a to b, found through the anchor
    /// with hash `h`; null if none.
    const Stored* find(std::uint64_t h, const std::vector<double>& lat, const std::vector<double>& lon, std::size_t a,
                       std::size_t b, std::size_t& at) const {
        for (const Generation* g : {&m_now, &m_before}) {
            const auto it = g->anchors.find(h);
            if (it == g->anchors.end()) {
                continue;
            }
            const Stored& s = g->rings[it->second.ring];
            const std::size_t k = it->second.pos;
            if (k + 1 < s.lat.size() && same(s, k, lat, lon, a) && same(s, k + 1, lat, lon, b) &&
                k < s.terms.size()) {
                at = k;
                return &s;
            }
        }
        return nullptr;
    }

    static constexpr std::size_t kGenerationVertices = 1'000'000;
    Generation m_now;
    Generation m_before;
};

/// The calling thread's memo while an EdgeMemoScope is open on it (geodesic.hpp), else none.
thread_local RingMemo* t_memo = nullptr;

/// Compensated (Neumaier) summation: the error of each addition is kept and added at the end.
class Sum {
public:
    void add(double x) {
        const double t = m_sum + x;
        m_err += std::fabs(m_sum) >= std::fabs(x) ? (m_sum - t) + x : (x - t) + m_sum;
        m_sum = t;
    }
    double value() const { return m_sum + m_err; }

private:
    double m_sum = 0.0;
    double m_err = 0.0;
};

/// Rings of at least this many vertices go through the edge memo; smaller ones (the parts of a
/// delta) are measured by geod_polygonarea alone.
constexpr std::size_t kMemoVertices = 1000;

/// Area and perimeter of a ring as the sums of its edges' geod_geninverse terms (Karney 2013,
/// section 6: the area of a ring is the sum of each edge's area to the equator). Only for rings
/// that need none of geod_polygonarea's further steps: every longitude strictly between 0 and
/// 180 (so no edge crosses the prime meridian and the ring encircles no pole) and an area far
/// below a hemisphere (no reduction modulo the ellipsoid's area). Returns false for others.
/// Agrees with geod_polygonarea to a few units in the last place (tests/geo/test_geodesic.cpp).
bool measure_ring_by_edges(const Coords& c, double& area_m2, double& perimeter_m) {
    const std::size_t n = c.lat.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (!(c.lon[i] > 0.0 && c.lon[i] < 180.0 && std::fabs(c.lat[i]) < 89.0)) {
            return false;
        }
    }
    // Edge e runs from vertex e to e + 1; a ring that is not closed gets its closing edge.
    const bool closed = c.lat[n - 1] == c.lat[0] && c.lon[n - 1] == c.lon[0];
    const std::size_t edges = closed ? n - 1 : n;
    thread_local std::vector<EdgeTerms> terms;
    if (t_memo != nullptr) {
        t_memo->measure(c.lat, c.lon, edges, terms);
    } else {
        terms.resize(edges);
        for (std::size_t e = 0; e < edges; ++e) {
            const std::size_t b = e + 1 == n ? 0 : e + 1;
            geod_geninverse(&wgs84(), c.lat[e], c.lon[e], c.lat[b], c.lon[b], &terms[e].s12, nullptr, nullptr, nullptr,
                            nullptr, nullptr, &terms[e].S12);
        }
    }
    Sum area;
    Sum perimeter;
    for (const EdgeTerms& t : terms) {
        area.add(t.S12);
        perimeter.add(t.s12);
    }
    const double a = std::fabs(area.value());
    if (a > 1e13) {  // a fortieth of the Earth: leave anything near a hemisphere to PROJ
        return false;
    }
    area_m2 = a;
    perimeter_m = perimeter.value();
    return true;
}

void measure_ring(const Context& ctx, const GEOSGeometry* ring, Coords& buf, double& area_m2,
                  double& perimeter_m) {
    if (!read_coords(ctx, ring, buf)) {
        return;
    }
    if (buf.lat.size() >= kMemoVertices && measure_ring_by_edges(buf, area_m2, perimeter_m)) {
        return;
    }
    double area = 0.0;
    double perimeter = 0.0;
    geod_polygonarea(&wgs84(), buf.lat.data(), buf.lon.data(), static_cast<int>(buf.lat.size()),
                     &area, &perimeter);
    area_m2 = std::fabs(area);
    perimeter_m = perimeter;
}

void measure_polygon(const Context& ctx, const GEOSGeometry* poly, Coords& buf, GeodesicMeasure& m) {
    auto* h = ctx.handle();
    if (GEOSisEmpty_r(h, poly) == 1) {
        return;
    }
    const GEOSGeometry* shell = GEOSGetExteriorRing_r(h, poly);
    if (shell == nullptr) {
        ctx.raise("reading a polygon's exterior ring");
    }
    double a = 0.0;
    double p = 0.0;
    measure_ring(ctx, shell, buf, a, p);
    m.area_m2 += a;
    m.perimeter_m += p;
    int holes = GEOSGetNumInteriorRings_r(h, poly);
    if (holes < 0) {
        ctx.raise("counting a polygon's holes");
    }
    for (int i = 0; i < holes; ++i) {
        measure_ring(ctx, GEOSGetInteriorRingN_r(h, poly, i), buf, a, p);
        m.area_m2 -= a;
        m.perimeter_m += p;
    }
}

void measure_any(const Context& ctx, const GEOSGeometry* g, Coords& buf, GeodesicMeasure& m) {
    auto* h = ctx.handle();
    switch (GEOSGeomTypeId_r(h, g)) {
        case GEOS_POLYGON:
            measure_polygon(ctx, g, buf, m);
            break;
        case GEOS_MULTIPOLYGON:
        case GEOS_GEOMETRYCOLLECTION: {
            int n = GEOSGetNumGeometries_r(h, g);
            for (int i = 0; i < n; ++i) {
                measure_any(ctx, GEOSGetGeometryN_r(h, g, i), buf, m);
            }
            break;
        }
        default:
            break;
    }
}

}  // namespace

EdgeMemoScope::EdgeMemoScope() {
    if (t_memo == nullptr) {
        t_memo = new RingMemo();
        m_owner = true;
    }
}

EdgeMemoScope::~EdgeMemoScope() {
    if (m_owner) {
        delete t_memo;
        t_memo = nullptr;
    }
}

GeodesicMeasure geodesic_measure(const Geometry& g) {
    GeodesicMeasure m;
    Coords buf;
    measure_any(g.context(), g.get(), buf, m);
    return m;
}

double geodesic_area_m2(const Geometry& g) { return geodesic_measure(g).area_m2; }

double geodesic_distance_m(double lon1, double lat1, double lon2, double lat2) {
    double s12 = 0.0;
    geod_inverse(&wgs84(), lat1, lon1, lat2, lon2, &s12, nullptr, nullptr);
    return s12;
}

double geodesic_length_m(const Geometry& g) {
    const Context& ctx = g.context();
    auto* h = ctx.handle();
    double total = 0.0;
    Coords buf;
    auto add_line = [&](const GEOSGeometry* line) {
        if (!read_coords(ctx, line, buf)) {
            return;
        }
        for (std::size_t i = 1; i < buf.lon.size(); ++i) {
            double s12 = 0.0;
            geod_inverse(&wgs84(), buf.lat[i - 1], buf.lon[i - 1], buf.lat[i], buf.lon[i], &s12,
                         nullptr, nullptr);
            total += s12;
        }
    };
    int type = g.type_id();
    if (type == GEOS_LINESTRING || type == GEOS_LINEARRING) {
        add_line(g.get());
    } else if (type == GEOS_MULTILINESTRING) {
        for (int i = 0; i < g.num_geometries(); ++i) {
            add_line(GEOSGetGeometryN_r(h, g.get(), i));
        }
    }
    return total;
}

}  // namespace frontline::geo

namespace frontline::geo {

std::string proj_version() { return proj_info().version; }

}  // namespace frontline::geo
