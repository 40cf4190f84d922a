#include "render/map_transform.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace frontline::render {

MapTransform::MapTransform(std::shared_ptr<const geo::LocalProjection> projection, const MetreBox& extent_m,
                           const PixelBox& frame, double padding)
    : m_projection(std::move(projection)), m_frame(frame) {
    const double usable_w = frame.width * (1.0 - 2.0 * padding);
    const double usable_h = frame.height * (1.0 - 2.0 * padding);
    // A point (or an empty extent) still needs a scale: show at least 1 km across.
    const double span_x = std::max(extent_m.max_x - extent_m.min_x, 1000.0);
    const double span_y = std::max(extent_m.max_y - extent_m.min_y, 1000.0);
    m_metres_per_pixel = std::max(span_x / usable_w, span_y / usable_h);
    m_centre_xm = (extent_m.min_x + extent_m.max_x) / 2.0;
    m_centre_ym = (extent_m.min_y + extent_m.max_y) / 2.0;
    m_centre_px = frame.x + frame.width / 2.0;
    m_centre_py = frame.y + frame.height / 2.0;
}

void MapTransform::metres_to_pixel(double xm, double ym, double& px, double& py) const {
    px = m_centre_px + (xm - m_centre_xm) / m_metres_per_pixel;
    py = m_centre_py - (ym - m_centre_ym) / m_metres_per_pixel;
}

bool MapTransform::pixel(double lon, double lat, double& px, double& py) const {
    double x = lon;
    double y = lat;
    if (!m_projection->forward_point(x, y)) {
        return false;
    }
    metres_to_pixel(x, y, px, py);
    return true;
}

}  // namespace frontline::render
