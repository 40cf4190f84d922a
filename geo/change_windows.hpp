#pragma once
/// Where two snapshots differ: the "clip to changed vertices" fast path of compute_delta().
///
/// Consecutive snapshots of one provider usually share almost all of their boundary, vertex for
/// vertex (they are stored on the same precision grid). Why the fast path is exact: orient every
/// ring with the interior on its left; a directed boundary segment that both `a` and `b` have
/// cannot lie on the boundary of a − b or b − a (on both sides of it, `a` and `b` agree, and
/// valid polygons have no other boundary crossing it). So the boundary of every connected part of
/// the symmetric difference is made of segments that only one of them has, and the part lies in
/// the bounding box of those segments. Chains of such segments whose boxes touch are merged into
/// windows; windows are disjoint, so (b − a) = ⋃ over windows of (b ∩ W) − (a ∩ W), each part of
/// the change inside exactly one window.
#include <optional>
#include <vector>

#include "geo/geometry.hpp"
#include "geo/polygon_ops.hpp"

namespace frontline::geo {

/// Limits of the fast path; past them the full overlay is as cheap or safer.
struct ChangeWindowOptions {
    double margin_deg = 1e-4;        ///< each changed segment's box grows by this, degrees (~10 m)
    double grid_size_deg = kDefaultGridSizeDeg;  ///< windows are widened to multiples of it, degrees
    /// More windows than this are merged (the margin doubles). Each window clips both snapshots
    /// whole, but on the daily archive's 3,000-vertex maps merging down to 16 made windows so
    /// large that J1's series took 8-10 % more CPU than with 32 (48 and 64: no better; ISW and
    /// the 300,000-vertex scale job rarely have more than 16).
    int max_windows = 32;
    /// Changed segments above this share of all: no fast path. 0.7, not 0.5: ISW maps a month
    /// apart share 54-83 % of their segments, and there the windows still save 20 % of J3's
    /// series (bench/README.md); DeepStateMap pairs are far below either value.
    double max_changed_share = 0.7;
    double max_window_share = 0.8;   ///< windows covering more of the joint envelope: no fast path
};

/// Disjoint lon/lat boxes that together contain every point where `a` and `b` differ (empty when
/// they have exactly the same boundary segments), or nullopt when the fast path does not pay
/// (see ChangeWindowOptions) or an input is empty. Inputs: valid polygonal, WGS84 lon/lat.
std::optional<std::vector<Envelope>> change_windows(const Geometry& a, const Geometry& b,
                                                   const ChangeWindowOptions& options);

/// `b` with each vertex within `tolerance_deg` of a vertex of `a` (and not one of them) moved
/// onto the nearest such, taking its very doubles so that the two compare equal; nullopt when no
/// vertex moves or `b` so moved is not valid. Two exports of one map place the vertices they
/// keep a few centimetres apart (DeltaOptions::same_vertex_deg); once they are equal, the
/// segments are shared and the change windows find only what really changed.
std::optional<Geometry> snap_to_shared_vertices(const Geometry& b, const Geometry& a, double tolerance_deg);

/// snap_to_shared_vertices() and change_windows() from one pass over the segments: `moved` is
/// `b` with its shared vertices moved (nullopt when none moves, or with `tolerance_deg` 0), and
/// `windows` those of `a` and `moved` (else `b`). A vertex of `b` on none of its unshared
/// segments is a vertex of `a` and never moves, so only the few on the changed ones are looked
/// at: on pairs where nothing moves this costs what change_windows() does.
/// `moved` is NOT checked valid (on the scale job's 300,000-vertex maps that check was a third of
/// `series`): outside the windows it has only segments of `a`, and a fault a move made (two
/// segments crossing, a ring touching itself) lies at a moved vertex, so inside a window, whose
/// clip clip_to_window() checks. Check it before using it any other way.
struct SnappedChange {
    std::optional<Geometry> moved;
    std::optional<std::vector<Envelope>> windows;
};
SnappedChange snapped_change_windows(const Geometry& a, const Geometry& b, double tolerance_deg,
                                     const ChangeWindowOptions& options);

/// `g` ∩ `box` (GEOSClipByRect), or nullopt when the clip is not a valid polygonal geometry
/// (ClipByRect is fast but may produce invalid output where a boundary runs along the box).
std::optional<Geometry> clip_to_window(const Geometry& g, const Envelope& box);

}  // namespace frontline::geo
