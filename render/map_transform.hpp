#pragma once
/// Where a lon/lat point lands on a rendered map: an azimuthal equidistant projection centred on
/// the map's extent (geo::LocalProjection), then a uniform scale and offset to pixels. Exposed so
/// that tests (and callers placing annotations) ask the very transform the renderer used.
#include <memory>

#include "geo/local_projection.hpp"

namespace frontline::render {

/// A rectangle in pixels: x to the right, y down, origin at the image's top-left corner.
struct PixelBox {
    double x = 0.0;
    double y = 0.0;
    double width = 0.0;
    double height = 0.0;
};

/// A rectangle in projected metres (x east, y north).
struct MetreBox {
    double min_x = 0.0;
    double min_y = 0.0;
    double max_x = 0.0;
    double max_y = 0.0;
};

class MapTransform {
public:
    /// `extent_m` (metres in `projection`) is fitted inside `frame` with `padding` (a fraction of
    /// the frame on each side) and one scale on both axes, so the map is not stretched.
    MapTransform(std::shared_ptr<const geo::LocalProjection> projection, const MetreBox& extent_m,
                 const PixelBox& frame, double padding = 0.04);

    /// The projection (lon/lat degrees ↔ metres).
    const geo::LocalProjection& projection() const { return *m_projection; }
    /// Projected metres → pixel (x right, y down).
    void metres_to_pixel(double xm, double ym, double& px, double& py) const;
    /// WGS84 lon/lat degrees → pixel; false if PROJ fails for the point.
    bool pixel(double lon, double lat, double& px, double& py) const;
    /// Ground metres one pixel spans at the centre (exact along lines through the centre).
    double metres_per_pixel() const { return m_metres_per_pixel; }
    /// The frame the map was fitted into.
    const PixelBox& frame() const { return m_frame; }

private:
    std::shared_ptr<const geo::LocalProjection> m_projection;
    PixelBox m_frame;
    double m_metres_per_pixel = 1.0;
    double m_centre_xm = 0.0;
    double m_centre_ym = 0.0;
    double m_centre_px = 0.0;
    double m_centre_py = 0.0;
};

}  // namespace frontline::render
