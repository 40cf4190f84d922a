#pragma once
/// A projection local to a geometry: azimuthal equidistant on the WGS84 ellipsoid, centred on a
/// given point, in metres. Used for buffers and distances in metres; never one UTM zone or a
/// world projection for a whole front. Within 1,000 km of the centre its scale error is under
/// 0.4% (it is exact along lines through the centre).
#include <memory>

#include "geo/geometry.hpp"

namespace frontline::geo {

class LocalProjection {
public:
    /// Centred on (lon0, lat0), degrees. Throws RunError if PROJ cannot build it.
    LocalProjection(double lon0, double lat0);
    ~LocalProjection();
    LocalProjection(const LocalProjection&) = delete;
    LocalProjection& operator=(const LocalProjection&) = delete;

    /// Longest segment forward() leaves before projecting, degrees, and inverse(), metres: straight
    /// lines in one space are curves in the other, so long edges get intermediate vertices.
    static constexpr double kMaxSegmentDeg = 0.01;
    static constexpr double kMaxSegmentM = 1000.0;

    /// WGS84 lon/lat degrees (x = longitude) → local metres (edges densified to kMaxSegmentDeg).
    Geometry forward(const Geometry& g) const;
    /// Local metres → WGS84 lon/lat degrees (edges densified to kMaxSegmentM).
    Geometry inverse(const Geometry& g) const;
    /// One point, in place; returns false if PROJ fails.
    bool forward_point(double& x, double& y) const;
    bool inverse_point(double& x, double& y) const;

    double lon0() const { return m_lon0; }
    double lat0() const { return m_lat0; }

private:
    struct Impl;
    Geometry transform(const Geometry& g, bool forward) const;
    double m_lon0;
    double m_lat0;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace frontline::geo
