#include "geo/change_windows.hpp"

#include <geos_c.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace frontline::geo {

namespace {

// A segment is a directed boundary segment, interior on its left: 4 consecutive doubles
// (x1, y1, x2, y2) of an oriented ring's vertex list.

std::uint64_t bits_of(double v) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    return bits;
}

std::uint64_t mix(std::uint64_t h, double v) {
    h ^= bits_of(v);
    h *= 0xFF51AFD7ED558CCDULL;
    return h ^ (h >> 32);
}

std::uint64_t hash_segment(const double* p) {
    std::uint64_t h = 0x9E3779B97F4A7C15ULL;
    for (int k = 0; k < 4; ++k) {
        h = mix(h, p[k]);
    }
    return h;
}

bool same_segment(const double* p, const double* q) {
    return p[0] == q[0] && p[1] == q[1] && p[2] == q[2] && p[3] == q[3];
}

/// The segments of one geometry's rings, numbered ring by ring in vertex order, with a flat
/// open-addressing table (linear probing) to find a segment by value, and a mark per segment.
/// A segment is 4 consecutive doubles of a ring's vertex list (x1, y1, x2, y2). The boundaries of
/// two snapshots hold hundreds of thousands of segments; std::unordered_set spent most of
/// change_windows() allocating one node per segment, and a table of segment copies most of it
/// zero-filling 32 bytes a slot.
class SegmentTable {
public:
    explicit SegmentTable(const std::vector<std::vector<double>>& rings) {
        for (const auto& xy : rings) {
            m_ring_begin.push_back(m_segments.size());
            for (std::size_t i = 0; i + 3 < xy.size(); i += 2) {
                m_segments.push_back(&xy[i]);
            }
        }
        m_ring_begin.push_back(m_segments.size());
        std::size_t cap = 16;
        while (cap < 2 * m_segments.size()) {
            cap *= 2;
        }
        m_slots.assign(cap, 0);
        m_marked.assign(m_segments.size(), 0);
        m_mask = cap - 1;
        for (std::size_t k = 0; k < m_segments.size(); ++k) {
            std::size_t i = static_cast<std::size_t>(hash_segment(m_segments[k])) & m_mask;
            while (m_slots[i] != 0 && !same_segment(m_segments[m_slots[i] - 1], m_segments[k])) {
                i = (i + 1) & m_mask;
            }
            if (m_slots[i] == 0) {
                m_slots[i] = static_cast<std::uint32_t>(k + 1);
            }
        }
    }
    std::size_t size() const { return m_segments.size(); }
    const double* segment(std::size_t k) const { return m_segments[k]; }
    /// The number of a segment equal to `p` (the first, if the rings repeat it), or -1.
    std::ptrdiff_t find(const double* p) const {
        for (std::size_t i = static_cast<std::size_t>(hash_segment(p)) & m_mask; m_slots[i] != 0;
             i = (i + 1) & m_mask) {
            if (same_segment(m_segments[m_slots[i] - 1], p)) {
                return static_cast<std::ptrdiff_t>(m_slots[i] - 1);
            }
        }
        return -1;
    }
    /// The numbers of the first segment of `k`'s ring and of the first after it.
    std::pair<std::size_t, std::size_t> ring_of(std::size_t k) const {
        const auto end = std::upper_bound(m_ring_begin.begin(), m_ring_begin.end(), k);
        return {*(end - 1), *end};
    }
    void mark(std::size_t k) { m_marked[k] = 1; }
    bool marked(std::size_t k) const { return m_marked[k] != 0; }

private:
    std::vector<const double*> m_segments;
    std::vector<std::size_t> m_ring_begin;  ///< number of each ring's first segment, then size()
    std::vector<std::uint32_t> m_slots;     ///< segment number + 1; 0: empty
    std::vector<unsigned char> m_marked;    ///< by segment number
    std::size_t m_mask = 0;
};

/// Every ring of a polygonal geometry as a closed vertex list (x, y pairs), oriented with the
/// interior on the left (shells counter-clockwise, holes clockwise).
std::vector<std::vector<double>> oriented_rings(const Geometry& g) {
    const Context& ctx = g.context();
    auto* h = ctx.handle();
    std::vector<std::vector<double>> rings;
    auto add = [&](const GEOSGeometry* ring, bool shell) {
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, ring);
        unsigned int n = 0;
        char ccw = 0;
        if (seq == nullptr || GEOSCoordSeq_getSize_r(h, seq, &n) == 0) {
            ctx.raise("reading a ring's vertices");
        }
        if (n < 4) {
            return;
        }
        if (GEOSCoordSeq_isCCW_r(h, seq, &ccw) == 0) {
            ctx.raise("finding a ring's orientation");
        }
        std::vector<double> xy(2 * static_cast<std::size_t>(n));
        if (GEOSCoordSeq_copyToBuffer_r(h, seq, xy.data(), 0, 0) == 0) {
            ctx.raise("reading a ring's vertices");
        }
        if ((ccw != 0) != shell) {
            for (std::size_t i = 0, j = n - 1; i < j; ++i, --j) {
                std::swap(xy[2 * i], xy[2 * j]);
                std::swap(xy[2 * i + 1], xy[2 * j + 1]);
            }
        }
        rings.push_back(std::move(xy));
    };
    int parts = GEOSGetNumGeometries_r(h, g.get());
    for (int i = 0; i < parts; ++i) {
        const GEOSGeometry* poly = GEOSGetGeometryN_r(h, g.get(), i);
        if (GEOSGeomTypeId_r(h, poly) != GEOS_POLYGON || GEOSisEmpty_r(h, poly) == 1) {
            continue;
        }
        add(GEOSGetExteriorRing_r(h, poly), true);
        int holes = GEOSGetNumInteriorRings_r(h, poly);
        for (int k = 0; k < holes; ++k) {
            add(GEOSGetInteriorRingN_r(h, poly, k), false);
        }
    }
    return rings;
}

std::size_t segment_count(const std::vector<std::vector<double>>& rings) {
    std::size_t n = 0;
    for (const auto& r : rings) {
        n += r.size() / 2 - 1;
    }
    return n;
}

/// The boxes of the chains of consecutive segments of `rings` for which `shared` is false.
template <typename Shared>
void changed_chains(const std::vector<std::vector<double>>& rings, Shared shared, std::vector<Envelope>& out,
                    std::size_t& changed) {
    for (const auto& xy : rings) {
        const std::size_t n = xy.size() / 2;
        bool open = false;
        Envelope box;
        for (std::size_t i = 0; i + 1 < n; ++i) {
            const double* s = &xy[2 * i];
            if (shared(s)) {
                if (open) {
                    out.push_back(box);
                    open = false;
                }
                continue;
            }
            ++changed;
            Envelope e{std::min(s[0], s[2]), std::min(s[1], s[3]), std::max(s[0], s[2]), std::max(s[1], s[3]), false};
            if (open) {
                box = merged(box, e);
            } else {
                box = e;
                open = true;
            }
        }
        if (open) {
            out.push_back(box);
        }
    }
}

/// Grows every box by `margin` and merges boxes that overlap until all are disjoint.
std::vector<Envelope> merge_boxes(std::vector<Envelope> boxes, double margin) {
    for (auto& b : boxes) {
        b = grown(b, margin);
    }
    bool merged = true;
    while (merged) {
        merged = false;
        std::sort(boxes.begin(), boxes.end(),
                  [](const Envelope& x, const Envelope& y) { return x.min_lon < y.min_lon; });
        std::vector<Envelope> out;
        std::vector<bool> gone(boxes.size(), false);
        for (std::size_t i = 0; i < boxes.size(); ++i) {
            if (gone[i]) {
                continue;
            }
            Envelope cur = boxes[i];
            for (std::size_t j = i + 1; j < boxes.size() && boxes[j].min_lon <= cur.max_lon; ++j) {
                if (!gone[j] && meets(cur, boxes[j])) {
                    cur = geo::merged(cur, boxes[j]);
                    gone[j] = true;
                    merged = true;
                }
            }
            out.push_back(cur);
        }
        boxes = std::move(out);
    }
    return boxes;
}

double box_area(const Envelope& e) { return (e.max_lon - e.min_lon) * (e.max_lat - e.min_lat); }

}  // namespace

namespace {

/// What two snapshots' boundaries do not share: the boxes of the chains of segments only one of
/// them has, how many such segments there are (of how many), and, when asked, every vertex of
/// `b`'s unshared segments (x, y pairs; the only vertices of `b` that are not vertices of `a`).
struct SegmentDiff {
    std::vector<Envelope> chains;
    std::size_t changed = 0;
    std::size_t total = 0;
    std::vector<double> b_vertices;
    std::vector<std::vector<double>> rings_a;  ///< `a`'s rings, oriented
};

SegmentDiff segment_diff(const Geometry& a, const Geometry& b, bool collect_b_vertices) {
    SegmentDiff d;
    d.rings_a = oriented_rings(a);
    const auto rings_b = oriented_rings(b);
    d.total = segment_count(d.rings_a) + segment_count(rings_b);

    // A segment of b is shared if a has it (and marks it in a's table as seen in b); a segment
    // of a is shared if b marked it. Consecutive snapshots share long runs of segments in the
    // same order, so after a match the next segment of b is first compared with the next one of
    // a, and looked up in the table only when they differ. (Where a repeats a segment, only one
    // copy may be marked: the other counts as changed, which only widens a window.)
    SegmentTable table_a(d.rings_a);
    std::ptrdiff_t expected = -1;                   // the segment of a that continues the last match
    std::pair<std::size_t, std::size_t> ring{0, 0};  // that segment's ring in a: [first, end)
    changed_chains(
        rings_b,
        [&](const double* s) {
            std::ptrdiff_t found = expected;
            if (found < 0 || !same_segment(table_a.segment(static_cast<std::size_t>(found)), s)) {
                found = table_a.find(s);
                if (found < 0) {
                    expected = -1;
                    if (collect_b_vertices) {  // a chain's inner vertices once
                        const std::size_t n = d.b_vertices.size();
                        if (n < 2 || d.b_vertices[n - 2] != s[0] || d.b_vertices[n - 1] != s[1]) {
                            d.b_vertices.insert(d.b_vertices.end(), s, s + 2);
                        }
                        d.b_vertices.insert(d.b_vertices.end(), s + 2, s + 4);
                    }
                    return false;
                }
                ring = table_a.ring_of(static_cast<std::size_t>(found));
            }
            const auto k = static_cast<std::size_t>(found);
            table_a.mark(k);
            expected = static_cast<std::ptrdiff_t>(k + 1 == ring.second ? ring.first : k + 1);
            return true;
        },
        d.chains, d.changed);
    // changed_chains() walks a's segments in the table's order; `k` follows it.
    std::size_t k = 0;
    changed_chains(
        d.rings_a,
        [&](const double* s) {
            if (k < table_a.size() && table_a.segment(k) == s) {
                return table_a.marked(k++);
            }
            const std::ptrdiff_t found = table_a.find(s);  // not reached while the orders agree
            return found >= 0 && table_a.marked(static_cast<std::size_t>(found));
        },
        d.chains, d.changed);
    return d;
}

std::optional<std::vector<Envelope>> windows_from(const SegmentDiff& d, const Geometry& a, const Geometry& b,
                                                  const ChangeWindowOptions& options) {
    if (static_cast<double>(d.changed) > options.max_changed_share * static_cast<double>(d.total)) {
        return std::nullopt;
    }
    if (d.chains.empty()) {
        return std::vector<Envelope>{};
    }

    double margin = std::max(options.margin_deg, 10.0 * options.grid_size_deg);
    std::vector<Envelope> windows = merge_boxes(d.chains, margin);
    while (static_cast<int>(windows.size()) > options.max_windows) {
        margin *= 2.0;
        windows = merge_boxes(std::move(windows), margin);
    }
    // Inside the joint envelope (every change is), with edges on the grid, outwards: the overlay
    // snaps to it, so the cut edges that a and b share stay exactly where they are.
    Envelope joint = envelope(a);
    joint = merged(joint, envelope(b));
    const double grid = options.grid_size_deg;
    for (auto& w : windows) {
        w.min_lon = std::max(w.min_lon, joint.min_lon - options.margin_deg);
        w.min_lat = std::max(w.min_lat, joint.min_lat - options.margin_deg);
        w.max_lon = std::min(w.max_lon, joint.max_lon + options.margin_deg);
        w.max_lat = std::min(w.max_lat, joint.max_lat + options.margin_deg);
        if (grid > 0.0) {
            w.min_lon = std::floor(w.min_lon / grid) * grid;
            w.min_lat = std::floor(w.min_lat / grid) * grid;
            w.max_lon = std::ceil(w.max_lon / grid) * grid;
            w.max_lat = std::ceil(w.max_lat / grid) * grid;
        }
        w.empty = false;
    }
    windows = merge_boxes(std::move(windows), 0.0);

    double covered = 0.0;
    for (const auto& w : windows) {
        covered += box_area(w);
    }
    if (covered > options.max_window_share * box_area(joint)) {
        return std::nullopt;
    }
    return windows;
}

}  // namespace

std::optional<std::vector<Envelope>> change_windows(const Geometry& a, const Geometry& b,
                                                   const ChangeWindowOptions& options) {
    if (a.is_empty() || b.is_empty()) {
        return std::nullopt;
    }
    return windows_from(segment_diff(a, b, false), a, b, options);
}

namespace {

/// The square cell `tol` wide that holds a coordinate, per axis, and a cell packed into one key.
std::int64_t cell_of(double v, double tol) { return static_cast<std::int64_t>(std::floor(v / tol)); }
std::uint64_t cell_key(std::int64_t cx, std::int64_t cy) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(cx)) << 32) | static_cast<std::uint32_t>(cy);
}

/// Vertices in square cells `tol` wide, for "the nearest vertex within `tol`": it lies in the
/// point's cell or one of the eight around it. A flat open-addressing table (linear probing)
/// from a cell to its first vertex; the others of the cell are chained through `m_next`.
class VertexCells {
public:
    VertexCells(std::vector<double> xy, double tol) : m_xy(std::move(xy)), m_tol(tol) {
        const std::size_t n = m_xy.size() / 2;
        std::size_t cap = 16;
        while (cap < 2 * n) {
            cap *= 2;
        }
        m_keys.assign(cap, 0);
        m_first.assign(cap, 0);
        m_next.assign(n, 0);
        m_mask = cap - 1;
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint64_t k = key(cell(m_xy[2 * i]), cell(m_xy[2 * i + 1]));
            std::size_t slot = probe(k);
            if (m_first[slot] == 0) {
                m_keys[slot] = k;
            } else {
                m_next[i] = m_first[slot];
            }
            m_first[slot] = static_cast<std::uint32_t>(i + 1);
        }
    }

    /// Moves (x, y) onto the nearest vertex within the tolerance unless it is one already;
    /// whether it moved. At equal distance the vertex met first in `a`'s order wins, so the
    /// result never depends on the table.
    bool snap(double& x, double& y) const {
        const std::int64_t cx = cell(x);
        const std::int64_t cy = cell(y);
        for (std::uint32_t v = first(key(cx, cy)); v != 0; v = m_next[v - 1]) {
            if (m_xy[2 * (v - 1)] == x && m_xy[2 * (v - 1) + 1] == y) {
                return false;
            }
        }
        double best = m_tol * m_tol;
        std::size_t pick = 0;  // vertex + 1
        for (std::int64_t dx = -1; dx <= 1; ++dx) {
            for (std::int64_t dy = -1; dy <= 1; ++dy) {
                for (std::uint32_t v = first(key(cx + dx, cy + dy)); v != 0; v = m_next[v - 1]) {
                    const double ex = m_xy[2 * (v - 1)] - x;
                    const double ey = m_xy[2 * (v - 1) + 1] - y;
                    const double d = ex * ex + ey * ey;
                    if (d < best || (d == best && pick != 0 && v < pick)) {
                        best = d;
                        pick = v;
                    }
                }
            }
        }
        if (pick == 0) {
            return false;
        }
        x = m_xy[2 * (pick - 1)];
        y = m_xy[2 * (pick - 1) + 1];
        return true;
    }

private:
    std::int64_t cell(double v) const { return cell_of(v, m_tol); }
    static std::uint64_t key(std::int64_t cx, std::int64_t cy) { return cell_key(cx, cy); }
    std::size_t probe(std::uint64_t k) const {
        std::size_t slot = static_cast<std::size_t>((k * 0x9E3779B97F4A7C15ULL) >> 20) & m_mask;
        while (m_first[slot] != 0 && m_keys[slot] != k) {
            slot = (slot + 1) & m_mask;
        }
        return slot;
    }
    std::uint32_t first(std::uint64_t k) const { return m_first[probe(k)]; }

    std::vector<double> m_xy;
    double m_tol;
    std::vector<std::uint64_t> m_keys;
    std::vector<std::uint32_t> m_first;  ///< per slot: first vertex + 1; 0: empty
    std::vector<std::uint32_t> m_next;   ///< per vertex: next of its cell + 1; 0: none
    std::size_t m_mask = 0;
};

}  // namespace

namespace {

std::size_t table_size(std::size_t n) {
    std::size_t cap = 16;
    while (cap < 2 * n) {
        cap *= 2;
    }
    return cap;
}

/// A set of cells (packed cell coordinates), open addressing with linear probing.
class CellSet {
public:
    explicit CellSet(std::size_t n) : m_keys(table_size(n), kEmpty), m_mask(m_keys.size() - 1) {}
    void insert(std::uint64_t k) {
        std::size_t i = slot(k);
        while (m_keys[i] != kEmpty && m_keys[i] != k) {
            i = (i + 1) & m_mask;
        }
        m_keys[i] = k;
    }
    bool contains(std::uint64_t k) const {
        for (std::size_t i = slot(k); m_keys[i] != kEmpty; i = (i + 1) & m_mask) {
            if (m_keys[i] == k) {
                return true;
            }
        }
        return false;
    }

private:
    static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};  // no cell packs to it
    std::size_t slot(std::uint64_t k) const {
        return static_cast<std::size_t>((k * 0x9E3779B97F4A7C15ULL) >> 17) & m_mask;
    }
    std::vector<std::uint64_t> m_keys;
    std::size_t m_mask;
};

/// Where each moved vertex goes: (x, y) → (x', y'), found by the bits of x and y.
class Moves {
public:
    explicit Moves(std::size_t n) : m_slots(table_size(n), 0), m_mask(m_slots.size() - 1) {}
    bool empty() const { return m_moves.empty(); }
    void add(double x, double y, double to_x, double to_y) {
        std::size_t i = slot(x, y);
        for (; m_slots[i] != 0; i = (i + 1) & m_mask) {
            const auto& m = m_moves[m_slots[i] - 1];
            if (m[0] == x && m[1] == y) {
                return;
            }
        }
        m_moves.push_back({x, y, to_x, to_y});
        m_slots[i] = static_cast<std::uint32_t>(m_moves.size());
    }
    void apply(double& x, double& y) const {
        for (std::size_t i = slot(x, y); m_slots[i] != 0; i = (i + 1) & m_mask) {
            const auto& m = m_moves[m_slots[i] - 1];
            if (m[0] == x && m[1] == y) {
                x = m[2];
                y = m[3];
                return;
            }
        }
    }

private:
    std::size_t slot(double x, double y) const {
        const std::uint64_t h = (bits_of(x) * 0x9E3779B97F4A7C15ULL) ^ (bits_of(y) * 0xC2B2AE3D27D4EB4FULL);
        return static_cast<std::size_t>(h ^ (h >> 29)) & m_mask;
    }
    std::vector<std::array<double, 4>> m_moves;
    std::vector<std::uint32_t> m_slots;  ///< move + 1; 0: empty
    std::size_t m_mask;
};

/// `b` with its shared vertices moved (snap_to_shared_vertices), from the segments `d` found
/// unshared. Only a vertex of one of `b`'s unshared segments can move (any other is a vertex
/// of `a`), and only onto a vertex of `a` within the tolerance: so only those of `a`'s vertices
/// that lie in a cell next to such a vertex are indexed. On a provider's consecutive files
/// that is a few hundred of hundreds of thousands, and nothing is copied when nothing moves.
std::optional<Geometry> snap_with_diff(const SegmentDiff& d, const Geometry& b, double tol, bool check_valid) {
    if (d.b_vertices.empty()) {
        return std::nullopt;
    }
    auto cell = [tol](double v) { return cell_of(v, tol); };
    const auto key = cell_key;
    const std::size_t candidates = d.b_vertices.size() / 2;
    std::size_t a_vertices = 0;
    for (const auto& ring : d.rings_a) {
        a_vertices += ring.size() / 2;
    }
    // Where most of `b` changed (a reprojected map) every vertex of `a` is indexed; else only
    // those in the cells around the candidates, which are marked first.
    const bool all = 8 * candidates > a_vertices;
    CellSet wanted(all ? 0 : 9 * candidates);
    for (std::size_t i = 0; !all && i < d.b_vertices.size(); i += 2) {
        const std::int64_t cx = cell(d.b_vertices[i]);
        const std::int64_t cy = cell(d.b_vertices[i + 1]);
        for (std::int64_t dx = -1; dx <= 1; ++dx) {
            for (std::int64_t dy = -1; dy <= 1; ++dy) {
                wanted.insert(key(cx + dx, cy + dy));
            }
        }
    }
    std::vector<double> near;
    near.reserve(all ? 2 * a_vertices : 0);
    for (const auto& ring : d.rings_a) {
        for (std::size_t i = 0; i + 2 < ring.size(); i += 2) {  // the closing vertex once
            if (all || wanted.contains(key(cell(ring[i]), cell(ring[i + 1])))) {
                near.push_back(ring[i]);
                near.push_back(ring[i + 1]);
            }
        }
    }
    if (near.empty()) {
        return std::nullopt;
    }
    const VertexCells cells(std::move(near), tol);
    Moves moves(candidates);
    for (std::size_t i = 0; i < d.b_vertices.size(); i += 2) {
        double x = d.b_vertices[i];
        double y = d.b_vertices[i + 1];
        if (cells.snap(x, y)) {
            moves.add(d.b_vertices[i], d.b_vertices[i + 1], x, y);
        }
    }
    if (moves.empty()) {
        return std::nullopt;
    }
    auto move = [](double* x, double* y, void* data) -> int {
        static_cast<const Moves*>(data)->apply(*x, *y);
        return 1;
    };
    const Context& ctx = b.context();
    Geometry moved(ctx, GEOSGeom_transformXY_r(ctx.handle(), b.get(), move, &moves), "moving shared vertices");
    if (check_valid && !is_valid(moved)) {
        return std::nullopt;
    }
    return moved;
}

}  // namespace

std::optional<Geometry> snap_to_shared_vertices(const Geometry& b, const Geometry& a, double tolerance_deg) {
    if (!(tolerance_deg > 0.0) || a.is_empty() || b.is_empty()) {
        return std::nullopt;
    }
    return snap_with_diff(segment_diff(a, b, true), b, tolerance_deg, true);
}

SnappedChange snapped_change_windows(const Geometry& a, const Geometry& b, double tolerance_deg,
                                     const ChangeWindowOptions& options) {
    SnappedChange out;
    if (a.is_empty() || b.is_empty()) {
        return out;
    }
    const bool snap = tolerance_deg > 0.0;
    SegmentDiff d = segment_diff(a, b, snap);
    if (snap) {
        out.moved = snap_with_diff(d, b, tolerance_deg, false);
    }
    if (out.moved) {
        out.windows = windows_from(segment_diff(a, *out.moved, false), a, *out.moved, options);
    } else {
        out.windows = windows_from(d, a, b, options);
    }
    return out;
}

std::optional<Geometry> clip_to_window(const Geometry& g, const Envelope& box) {
    const Context& ctx = g.context();
    auto* h = ctx.handle();
    Geometry clipped(ctx, GEOSClipByRect_r(h, g.get(), box.min_lon, box.min_lat, box.max_lon, box.max_lat),
                     "clipping to a change window");
    Geometry poly = polygonal_part(clipped);
    char valid = GEOSisValid_r(h, poly.get());
    if (valid == 2) {
        ctx.raise("checking a clipped window");
    }
    if (valid != 1) {
        return std::nullopt;
    }
    return poly;
}

}  // namespace frontline::geo
