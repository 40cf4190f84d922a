// libFuzzer target: the pair pipeline. The input is two WKT geometries separated by a newline
// (the earlier and the later snapshot). Each is prepared as ingest would store it (polygons only,
// lon/lat range, repaired, dissolved on the grid), then the delta (gained, lost, slivers) and the
// front line of the later one against an outline around both are computed. GEOS or input
// failures must end in InputError/RunError; a crash or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "geo/delta.hpp"
#include "geo/error.hpp"
#include "geo/front.hpp"
#include "geo/geodesic.hpp"
#include "geo/polygon_ops.hpp"

namespace {

using namespace frontline;

/// The geometry as ingest stores it, or nothing if ingest would refuse it.
bool prepare(const geo::Context& ctx, const std::string& wkt, geo::Geometry& out) {
    geo::Geometry g = geo::Geometry::from_wkt(ctx, wkt);
    g = geo::polygonal_part(g);
    if (g.is_empty()) {
        return false;
    }
    const geo::Envelope e = geo::envelope(g);
    if (!(e.min_lon >= -180 && e.max_lon <= 180 && e.min_lat >= -90 && e.max_lat <= 90)) {
        return false;  // the reader refuses these
    }
    if (geo::invalid_reason(g)) {
        g = geo::make_valid_polygonal(g);
    }
    std::vector<geo::Geometry> parts;
    parts.push_back(std::move(g));
    out = geo::dissolve(ctx, parts, geo::kDefaultGridSizeDeg);
    return !out.is_empty();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto newline = text.find('\n');
    if (newline == std::string::npos || size > 20000) {
        return 0;
    }
    static geo::Context ctx;
    try {
        geo::Geometry from = geo::Geometry::from_wkt(ctx, "POLYGON EMPTY");
        geo::Geometry to = geo::Geometry::from_wkt(ctx, "POLYGON EMPTY");
        if (!prepare(ctx, text.substr(0, newline), from) || !prepare(ctx, text.substr(newline + 1), to)) {
            return 0;
        }
        geo::DeltaResult delta = geo::compute_delta(from, to, geo::DeltaOptions{});
        double sum = 0.0;
        for (const auto& p : delta.parts) {
            sum += p.area_m2;
        }
        (void)sum;
        const geo::Envelope a = geo::envelope(from);
        const geo::Envelope b = geo::envelope(to);
        const double x0 = std::max(-180.0, std::min(a.min_lon, b.min_lon) - 0.5);
        const double x1 = std::min(180.0, std::max(a.max_lon, b.max_lon) + 0.5);
        const double y0 = std::max(-89.0, std::min(a.min_lat, b.min_lat) - 0.5);
        const double y1 = std::min(89.0, std::max(a.max_lat, b.max_lat) + 0.5);
        if (x1 - x0 > 30.0 || y1 - y0 > 30.0) {
            return 0;  // the front is measured in one local projection: a country, not a continent
        }
        std::vector<geo::Geometry> outlines;
        outlines.push_back(geo::Geometry::from_wkt(
            ctx, "POLYGON ((" + std::to_string(x0) + " " + std::to_string(y0) + ", " + std::to_string(x1) + " " +
                     std::to_string(y0) + ", " + std::to_string(x1) + " " + std::to_string(y1) + ", " +
                     std::to_string(x0) + " " + std::to_string(y1) + ", " + std::to_string(x0) + " " +
                     std::to_string(y0) + "))"));
        geo::FrontAnalysis front(to, outlines, geo::FrontOptions{});
        (void)front.length_m();
    } catch (const InputError&) {
    } catch (const RunError&) {
    }
    return 0;
}
