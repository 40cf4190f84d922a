#include "geo/local_projection.hpp"

#include <geos_c.h>
#include <proj.h>

#include <cmath>
#include <string>

namespace frontline::geo {

struct LocalProjection::Impl {
    PJ_CONTEXT* ctx = nullptr;
    PJ* pj = nullptr;
    ~Impl() {
        if (pj != nullptr) {
            proj_destroy(pj);
        }
        if (ctx != nullptr) {
            proj_context_destroy(ctx);
        }
    }
};

LocalProjection::LocalProjection(double lon0, double lat0)
    : m_lon0(lon0), m_lat0(lat0), m_impl(std::make_unique<Impl>()) {
    m_impl->ctx = proj_context_create();
    // An explicit pipeline: input is longitude then latitude in degrees, so the axis order is
    // fixed by us (what proj_normalize_for_visualization guarantees for CRS-to-CRS operations),
    // and no database lookup is needed.
    char definition[256];
    std::snprintf(definition, sizeof definition,
                  "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
                  "+step +proj=aeqd +lat_0=%.10f +lon_0=%.10f +ellps=WGS84",
                  lat0, lon0);
    m_impl->pj = proj_create(m_impl->ctx, definition);
    if (m_impl->pj == nullptr) {
        throw RunError(std::string("PROJ cannot build a local azimuthal equidistant projection: ") +
                       proj_context_errno_string(m_impl->ctx, proj_context_errno(m_impl->ctx)));
    }
}

LocalProjection::~LocalProjection() = default;

bool LocalProjection::forward_point(double& x, double& y) const {
    PJ_COORD c = proj_coord(x, y, 0, 0);
    PJ_COORD r = proj_trans(m_impl->pj, PJ_FWD, c);
    if (!std::isfinite(r.xy.x) || !std::isfinite(r.xy.y)) {
        return false;
    }
    x = r.xy.x;
    y = r.xy.y;
    return true;
}

bool LocalProjection::inverse_point(double& x, double& y) const {
    PJ_COORD c = proj_coord(x, y, 0, 0);
    PJ_COORD r = proj_trans(m_impl->pj, PJ_INV, c);
    if (!std::isfinite(r.xy.x) || !std::isfinite(r.xy.y)) {
        return false;
    }
    x = r.xy.x;
    y = r.xy.y;
    return true;
}

namespace {

struct Direction {
    const LocalProjection* projection;
    bool forward;
};

int transform_xy(double* x, double* y, void* userdata) {
    auto* d = static_cast<Direction*>(userdata);
    return (d->forward ? d->projection->forward_point(*x, *y) : d->projection->inverse_point(*x, *y)) ? 1 : 0;
}

}  // namespace

Geometry LocalProjection::transform(const Geometry& g, bool forward) const {
    Direction d{this, forward};
    return Geometry(g.context(), GEOSGeom_transformXY_r(g.context().handle(), g.get(), &transform_xy, &d),
                    forward ? "projecting to local metres" : "projecting back to lon/lat");
}

namespace {

Geometry densified(const Geometry& g, double max_segment) {
    return Geometry(g.context(), GEOSDensify_r(g.context().handle(), g.get(), max_segment), "densifying");
}

}  // namespace

Geometry LocalProjection::forward(const Geometry& g) const {
    // A straight edge in lon/lat is a curve in metres: add vertices first so the shape follows
    // what the source drew (and two drawings of one edge still coincide after projecting).
    return transform(densified(g, kMaxSegmentDeg), true);
}

Geometry LocalProjection::inverse(const Geometry& g) const { return transform(densified(g, kMaxSegmentM), false); }

}  // namespace frontline::geo
