#pragma once
/// Front lines and the zones measured from them: the part of a class's boundary that faces the
/// other side inside the country, buffer bands along it, and placement zones away from it.
/// Inputs and outputs are WGS84 lon/lat; distances and buffers are computed in metres in a
/// LocalProjection centred on the controlled area.
#include <memory>
#include <vector>

#include "geo/geometry.hpp"
#include "geo/local_projection.hpp"

namespace frontline::geo {

/// How the front line is found. Defaults are documented in the README ("Front lines").
struct FrontOptions {
    double border_tolerance_m = 1000.0;  ///< boundary within this of an outline's edge is border or coast, m (> 0)
    double outline_simplify_m = 50.0;    ///< outlines are simplified within this before buffering, m
    double min_part_length_m = 2000.0;   ///< front pieces shorter than this are dropped, m
};

/// Which side of the front a zone lies on.
enum class Side { controlled, free };

/// The front of one controlled area against the country outlines, and zones measured from it.
/// Bound to the Context of its inputs; not thread-safe.
class FrontAnalysis {
public:
    /// `controlled`: the class's (Multi)Polygon. `outlines`: one polygonal geometry per border
    /// file (the country, a land outline, ...); boundary of `controlled` within the tolerance of
    /// any outline's edge, or outside any outline, is not front. Throws InputError if `outlines`
    /// is empty or `controlled` is empty, GeosError on GEOS failures.
    FrontAnalysis(const Geometry& controlled, const std::vector<Geometry>& outlines, const FrontOptions& options);
    ~FrontAnalysis();
    FrontAnalysis(const FrontAnalysis&) = delete;
    FrontAnalysis& operator=(const FrontAnalysis&) = delete;

    /// The front as a MultiLineString, merged into as few lines as possible, lon/lat.
    const Geometry& front() const { return m_front; }
    /// Geodesic length of front(), m.
    double length_m() const { return m_length_m; }
    /// Pieces shorter than min_part_length_m that were dropped, and their length, m.
    int dropped_parts() const { return m_dropped_parts; }
    double dropped_length_m() const { return m_dropped_length_m; }

    /// The band within `width_m` of the front on one side, clipped to the country (the
    /// intersection of all outlines), lon/lat. `width_m` must be > 0.
    Geometry band(Side side, double width_m) const;

    /// Territory at least `min_m` and (if `max_m` > 0) at most `max_m` from the front: inside
    /// `within` if given (lon/lat polygons, e.g. neighbouring countries), else the free side of the
    /// country; minus everything within `min_border_m` of `hostile` if given (lon/lat polygons).
    Geometry placement(double min_m, double max_m, const Geometry* within, const Geometry* hostile,
                       double min_border_m) const;

    /// Geodesic distance from a lon/lat point to the front, m (infinity if there is no front).
    double distance_m(double lon, double lat) const;
    /// True if the lon/lat point lies in the controlled area.
    bool in_controlled(double lon, double lat) const;

    const LocalProjection& projection() const { return *m_projection; }

    /// Points along the front every `step_m` metres (and each part's last point), lon/lat, with
    /// the length of front each stands for (m), so a mean over them is a mean along the line.
    struct Sample {
        double lon;
        double lat;
        double weight_m;
    };
    std::vector<Sample> samples(double step_m) const;

    /// Where the country's edge squeezes a band of `width_m` on one side: the front point (sampled
    /// every `step_m`, leaving out the first and last 2 × `width_m` of each part, where the front
    /// meets the border anyway) nearest to the edge of the country on that side, and that distance, m.
    /// `squeezed` is false (and `width_m` the requested width) when no point is within `width_m`.
    struct Squeeze {
        bool squeezed = false;
        double width_m = 0.0;
        double lon = 0.0;
        double lat = 0.0;
    };
    Squeeze narrowest(Side side, double width_m, double step_m) const;

private:
    Geometry project_outline(const Geometry& outline) const;
    Geometry side_projected(Side side) const;
    Geometry valid_lonlat(const Geometry& projected) const;
    const Geometry& country_projected() const;
    const Context* m_ctx;
    FrontOptions m_options;
    std::unique_ptr<LocalProjection> m_projection;
    Geometry m_controlled;      // lon/lat
    Geometry m_controlled_p;    // projected
    std::vector<Geometry> m_outlines_p;  // projected, simplified
    mutable std::unique_ptr<Geometry> m_country_p;
    Geometry m_front_p;
    Geometry m_front;
    double m_length_m = 0.0;
    int m_dropped_parts = 0;
    double m_dropped_length_m = 0.0;
};

/// True if the lon/lat point lies in polygonal `g`.
bool contains_point(const Geometry& g, double lon, double lat);

/// The LineStrings of a linear geometry (any nesting of collections), cloned.
std::vector<Geometry> lines_of(const Geometry& g);

/// Builds a MultiLineString from LineStrings (takes ownership).
Geometry make_multilinestring(const Context& ctx, std::vector<Geometry>&& lines);

}  // namespace frontline::geo
