#include "geo/simplify.hpp"

#include <geos_c.h>

namespace frontline::geo {

Geometry simplify_for_display(const Geometry& g, double tolerance_deg) {
    if (!(tolerance_deg > 0.0)) {
        return g.clone();
    }
    const Context& ctx = g.context();
    return Geometry(ctx, GEOSTopologyPreserveSimplify_r(ctx.handle(), g.get(), tolerance_deg), "simplifying for display");
}

}  // namespace frontline::geo
