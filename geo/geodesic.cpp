#include "geo/geodesic.hpp"

#include <geodesic.h>
#include <geos_c.h>
#include <proj.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <cstring>
#include <type_traits>
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

/// The terms of the edges a thread measured last (while an EdgeMemoScope is open on it). A series of snapshots of one front shares
/// most of its edges from one day to the next (the scale benchmark's 300,000-vertex snapshots
/// move 3 % of their vertices a day), and geod_geninverse was most of the cost of measuring
/// one. A direct-mapped cache: 2^20 slots of one edge each (48 MB a thread, taken at the first
/// large ring), an edge going to the slot its coordinates hash to and replacing what was there;
/// on a 300,000-edge snapshot about three quarters of the previous one's edges are still there.
/// A cached term is the one geod_geninverse returned for the same coordinates, bit for bit, so
/// no result depends on what was cached.
class EdgeMemo {
public:
    /// Zeroed pages from the system: only the slots used are ever touched. An all-zero slot is
    /// the zero-length edge at (0, 0), whose terms are zero: true, and never asked for.
    EdgeMemo() : m_slots(static_cast<Slot*>(std::calloc(kSlots, sizeof(Slot)))) {
        if (m_slots == nullptr) {
            throw std::bad_alloc();
        }
    }
    ~EdgeMemo() { std::free(m_slots); }
    EdgeMemo(const EdgeMemo&) = delete;
    EdgeMemo& operator=(const EdgeMemo&) = delete;

    EdgeTerms terms(double lat1, double lon1, double lat2, double lon2) {
        std::uint64_t bits[4];
        std::memcpy(&bits[0], &lat1, 8);
        std::memcpy(&bits[1], &lon1, 8);
        std::memcpy(&bits[2], &lat2, 8);
        std::memcpy(&bits[3], &lon2, 8);
        std::uint64_t h = 0;
        for (std::uint64_t b : bits) {
            h = mix(h ^ b);
        }
        Slot& s = m_slots[h & (kSlots - 1)];
        if (std::memcmp(s.bits, bits, sizeof bits) != 0) {
            std::memcpy(s.bits, bits, sizeof bits);
            geod_geninverse(&wgs84(), lat1, lon1, lat2, lon2, &s.s12, nullptr, nullptr, nullptr, nullptr, nullptr,
                            &s.S12);
        }
        return EdgeTerms{s.s12, s.S12};
    }

private:
    /// splitmix64's finaliser: coordinates differ mostly in their low mantissa bits.
    static std::uint64_t mix(std::uint64_t x) {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
        return x ^ (x >> 31);
    }
    struct Slot {
        std::uint64_t bits[4];
        double s12;
        double S12;
    };
    static_assert(std::is_trivial_v<Slot>);
    static constexpr std::size_t kSlots = std::size_t{1} << 20;
    Slot* m_slots;
};

/// The calling thread's memo while an EdgeMemoScope is open on it (geodesic.hpp), else none.
thread_local EdgeMemo* t_memo = nullptr;

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
    Sum area;
    Sum perimeter;
    for (std::size_t i = 1; i <= n; ++i) {
        const std::size_t j = i == n ? 0 : i;  // the closing edge (zero length on a closed ring)
        if (i == n && c.lat[n - 1] == c.lat[0] && c.lon[n - 1] == c.lon[0]) {
            break;
        }
        EdgeTerms t;
        if (t_memo != nullptr) {
            t = t_memo->terms(c.lat[i - 1], c.lon[i - 1], c.lat[j], c.lon[j]);
        } else {
            geod_geninverse(&wgs84(), c.lat[i - 1], c.lon[i - 1], c.lat[j], c.lon[j], &t.s12, nullptr, nullptr, nullptr,
                            nullptr, nullptr, &t.S12);
        }
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
        t_memo = new EdgeMemo();
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
