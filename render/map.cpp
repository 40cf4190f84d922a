#include "render/map.hpp"

#include <geos_c.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "geo/error.hpp"
#include "geo/polygon_ops.hpp"
#include "render/canvas.hpp"

namespace frontline::render {

namespace {

/// A layer projected to metres and simplified to the pixel size.
geo::Geometry prepare(const geo::Geometry& lonlat, const geo::LocalProjection& projection, double tolerance_m) {
    geo::Geometry projected = projection.forward(lonlat);
    const geo::Context& ctx = lonlat.context();
    return geo::Geometry(ctx, GEOSTopologyPreserveSimplify_r(ctx.handle(), projected.get(), tolerance_m),
                         "simplify for drawing");
}

void add_sequence(cairo_t* cr, GEOSContextHandle_t h, const GEOSGeometry* line, const MapTransform& t, bool close) {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, line);
    unsigned int n = 0;
    if (seq == nullptr || GEOSCoordSeq_getSize_r(h, seq, &n) == 0 || n == 0) {
        return;
    }
    for (unsigned int i = 0; i < n; ++i) {
        double x = 0.0;
        double y = 0.0;
        GEOSCoordSeq_getXY_r(h, seq, i, &x, &y);
        double px = 0.0;
        double py = 0.0;
        t.metres_to_pixel(x, y, px, py);
        if (i == 0) {
            cairo_move_to(cr, px, py);
        } else {
            cairo_line_to(cr, px, py);
        }
    }
    if (close) {
        cairo_close_path(cr);
    }
}

/// Adds every ring or line of `g` (projected metres) to the current path.
void add_path(cairo_t* cr, GEOSContextHandle_t h, const GEOSGeometry* g, const MapTransform& t) {
    switch (GEOSGeomTypeId_r(h, g)) {
        case GEOS_POLYGON: {
            add_sequence(cr, h, GEOSGetExteriorRing_r(h, g), t, true);
            const int holes = GEOSGetNumInteriorRings_r(h, g);
            for (int i = 0; i < holes; ++i) {
                add_sequence(cr, h, GEOSGetInteriorRingN_r(h, g, i), t, true);
            }
            break;
        }
        case GEOS_LINESTRING:
        case GEOS_LINEARRING:
            add_sequence(cr, h, g, t, false);
            break;
        case GEOS_MULTIPOLYGON:
        case GEOS_MULTILINESTRING:
        case GEOS_GEOMETRYCOLLECTION: {
            const int n = GEOSGetNumGeometries_r(h, g);
            for (int i = 0; i < n; ++i) {
                add_path(cr, h, GEOSGetGeometryN_r(h, g, i), t);
            }
            break;
        }
        default:
            break;  // points are drawn as sites
    }
}

/// "50 km", "2 km", "500 m": a round length near `target_m`.
double nice_length_m(double target_m) {
    const double p = std::pow(10.0, std::floor(std::log10(target_m)));
    for (double m : {5.0, 2.0, 1.0}) {
        if (m * p <= target_m) {
            return m * p;
        }
    }
    return p;
}

std::string length_label(double m) {
    char buf[32];
    if (m >= 1000.0) {
        std::snprintf(buf, sizeof buf, "%g km", m / 1000.0);
    } else {
        std::snprintf(buf, sizeof buf, "%g m", m);
    }
    return buf;
}

std::string degrees_label(double lon, double lat) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f°%s %.2f°%s", std::fabs(lon), lon < 0 ? "W" : "E", std::fabs(lat),
                  lat < 0 ? "S" : "N");
    return buf;
}

class Painter {
public:
    explicit Painter(Canvas& canvas) : m_canvas(canvas), m_cr(canvas.cr()) {}
    void fill(Rgb c, double alpha = 1.0) {
        m_canvas.set_colour(c, alpha);
        cairo_fill(m_cr);
        ++ops;
    }
    void fill_preserve(Rgb c, double alpha = 1.0) {
        m_canvas.set_colour(c, alpha);
        cairo_fill_preserve(m_cr);
        ++ops;
    }
    void stroke(Rgb c, double width, double alpha = 1.0) {
        m_canvas.set_colour(c, alpha);
        cairo_set_line_width(m_cr, width);
        cairo_stroke(m_cr);
        ++ops;
    }
    int ops = 0;

private:
    Canvas& m_canvas;
    cairo_t* m_cr;
};

struct LegendEntry {
    enum Kind { area, line, dashed_line, point } kind;
    Rgb fill;
    double alpha;
    std::string label;
};

}  // namespace

MapDrawn render_map(const MapScene& scene, const std::string& path, Format format, const MapOptions& options) {
    const int width = options.width_px;
    const int height = options.height_px;
    const double base = std::max(10.0, 18.0 * std::min(width / 1600.0, height / 1200.0));  // body text size, px
    const double line_w = base / 18.0;  // 1 px at the default size

    const geo::Context* ctx = nullptr;
    auto note_ctx = [&](const geo::Geometry* g) {
        if (g != nullptr && ctx == nullptr) {
            ctx = &g->context();
        }
    };
    note_ctx(scene.controlled);
    for (const auto* g : scene.outlines) note_ctx(g);
    for (const auto& r : scene.regions) note_ctx(r.geometry);
    for (const auto* g : scene.gained) note_ctx(g);
    for (const auto* g : scene.lost) note_ctx(g);
    if (ctx == nullptr) {
        throw InputError("render map: nothing to draw (no controlled area, parts or outlines)");
    }
    GEOSContextHandle_t h = ctx->handle();

    // The extent in lon/lat: the data (or --bbox), not the whole country.
    geo::Envelope box;
    auto extend = [&](double x0, double y0, double x1, double y1) {
        if (box.empty) {
            box = geo::Envelope{x0, y0, x1, y1, false};
        } else {
            box.min_lon = std::min(box.min_lon, x0);
            box.min_lat = std::min(box.min_lat, y0);
            box.max_lon = std::max(box.max_lon, x1);
            box.max_lat = std::max(box.max_lat, y1);
        }
    };
    auto extend_geom = [&](const geo::Geometry* g) {
        if (g != nullptr && !g->is_empty()) {
            const geo::Envelope e = geo::envelope(*g);
            extend(e.min_lon, e.min_lat, e.max_lon, e.max_lat);
        }
    };
    if (scene.bbox) {
        const auto& b = *scene.bbox;
        extend(b[0], b[1], b[2], b[3]);
    } else {
        extend_geom(scene.controlled);
        for (const auto* g : scene.gained) extend_geom(g);
        for (const auto* g : scene.lost) extend_geom(g);
        for (const auto* g : scene.zones) extend_geom(g);
        extend_geom(scene.front);
        for (const auto& s : scene.sites) extend(s.lon, s.lat, s.lon, s.lat);
        if (box.empty) {  // only outlines or regions: show them
            for (const auto* g : scene.outlines) extend_geom(g);
            for (const auto& r : scene.regions) extend_geom(r.geometry);
        }
    }
    if (box.empty) {
        throw InputError("render map: every layer is empty; nothing to draw");
    }
    auto projection = std::make_shared<geo::LocalProjection>((box.min_lon + box.max_lon) / 2.0,
                                                             (box.min_lat + box.max_lat) / 2.0);
    // The extent in metres: the box's edges, densified, projected (a box's edges curve in AEQD).
    MetreBox extent_m{1e300, 1e300, -1e300, -1e300};
    {
        const int n = 16;
        for (int i = 0; i <= n; ++i) {
            const double f = static_cast<double>(i) / n;
            const double pts[4][2] = {{box.min_lon + f * (box.max_lon - box.min_lon), box.min_lat},
                                      {box.min_lon + f * (box.max_lon - box.min_lon), box.max_lat},
                                      {box.min_lon, box.min_lat + f * (box.max_lat - box.min_lat)},
                                      {box.max_lon, box.min_lat + f * (box.max_lat - box.min_lat)}};
            for (const auto& p : pts) {
                double x = p[0];
                double y = p[1];
                if (projection->forward_point(x, y)) {
                    extent_m.min_x = std::min(extent_m.min_x, x);
                    extent_m.min_y = std::min(extent_m.min_y, y);
                    extent_m.max_x = std::max(extent_m.max_x, x);
                    extent_m.max_y = std::max(extent_m.max_y, y);
                }
            }
        }
    }

    // Layout: title band, map frame, caption band.
    const double pad = base;
    const double title_size = base * 1.5;
    const double caption_size = base * 0.8;
    const double title_h = scene.title.empty() ? pad : title_size * 2.2;
    std::vector<std::string> caption = scene.caption;
    const double caption_line = caption_size * 1.4;
    // One line more for the projection sentence added below, and a margin.
    const double caption_h = (static_cast<double>(caption.size()) + 2.0) * caption_line + pad * 0.6;
    const PixelBox frame{pad, title_h, width - 2.0 * pad, height - title_h - caption_h};
    if (frame.width < 50.0 || frame.height < 50.0) {
        throw InputError("render map: --width/--height too small for the map and its caption");
    }
    MapTransform transform(projection, extent_m, frame);
    const double tol_m = options.simplify_px * transform.metres_per_pixel();
    caption.push_back("Projection: azimuthal equidistant on WGS84 centred on " +
                      degrees_label(projection->lon0(), projection->lat0()) +
                      " (the scale bar is exact at the centre); lines simplified within " +
                      length_label(std::round(tol_m)) + " (half a pixel) for drawing.");

    Canvas canvas(path, format, width, height);
    cairo_t* cr = canvas.cr();
    Painter paint(canvas);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);

    cairo_rectangle(cr, 0, 0, width, height);
    paint.fill(hex(colours::background));

    int subpixel = 0;
    auto draw_area = [&](const geo::Geometry* g, Rgb fill, double alpha, std::optional<Rgb> edge, double edge_w) {
        if (g == nullptr || g->is_empty()) {
            return false;
        }
        geo::Geometry p = prepare(*g, *projection, tol_m);
        add_path(cr, h, p.get(), transform);
        double x0 = 0.0;
        double y0 = 0.0;
        double x1 = 0.0;
        double y1 = 0.0;
        cairo_fill_extents(cr, &x0, &y0, &x1, &y1);
        if (!(x1 > x0 && y1 > y0)) {  // under Cairo's 1/256 px: it would draw nothing
            cairo_new_path(cr);
            ++subpixel;
            return true;
        }
        if (edge) {
            paint.fill_preserve(fill, alpha);
            paint.stroke(*edge, edge_w);
        } else {
            paint.fill(fill, alpha);
        }
        return true;
    };
    std::vector<LegendEntry> legend;

    // Country outlines, then regions, the controlled area, zones, change, front, sites.
    bool any_outline = false;
    for (const auto* g : scene.outlines) {
        any_outline = draw_area(g, hex(colours::land), 1.0, hex(colours::outline), 1.4 * line_w) || any_outline;
    }
    if (any_outline) {
        legend.push_back({LegendEntry::line, hex(colours::outline), 1.0, "Country outline"});
    }
    std::vector<std::pair<std::string, geo::Geometry>> region_labels;
    if (!scene.regions.empty()) {
        for (const auto& r : scene.regions) {
            geo::Geometry p = prepare(*r.geometry, *projection, tol_m);
            add_path(cr, h, p.get(), transform);
            region_labels.emplace_back(r.name, geo::Geometry(*ctx, GEOSPointOnSurface_r(h, p.get()), "label point"));
        }
        const double dash[] = {4.0 * line_w, 3.0 * line_w};
        cairo_set_dash(cr, dash, 2, 0.0);
        paint.stroke(hex(colours::region), 0.9 * line_w);
        cairo_set_dash(cr, nullptr, 0, 0.0);
        legend.push_back({LegendEntry::dashed_line, hex(colours::region), 1.0, "Region outlines"});
    }
    if (draw_area(scene.controlled, hex(colours::controlled), 1.0, hex(colours::controlled_edge), 0.8 * line_w)) {
        legend.push_back({LegendEntry::area, hex(colours::controlled), 1.0, scene.controlled_label});
    }
    bool any_zone = false;
    for (const auto* g : scene.zones) {
        any_zone = draw_area(g, hex(colours::zone), 0.45, std::nullopt, 0.0) || any_zone;
    }
    if (any_zone) {
        legend.push_back({LegendEntry::area, hex(colours::zone), 0.45, scene.zones_label});
    }
    bool any_gained = false;
    for (const auto* g : scene.gained) {
        any_gained = draw_area(g, hex(colours::gained), 1.0, std::nullopt, 0.0) || any_gained;
    }
    if (any_gained) {
        legend.push_back({LegendEntry::area, hex(colours::gained), 1.0, scene.gained_label});
    }
    bool any_lost = false;
    for (const auto* g : scene.lost) {
        any_lost = draw_area(g, hex(colours::lost), 1.0, std::nullopt, 0.0) || any_lost;
    }
    if (any_lost) {
        legend.push_back({LegendEntry::area, hex(colours::lost), 1.0, scene.lost_label});
    }
    if (scene.front != nullptr && !scene.front->is_empty()) {
        geo::Geometry p = prepare(*scene.front, *projection, tol_m);
        add_path(cr, h, p.get(), transform);
        paint.stroke(hex(colours::front), 2.2 * line_w);
        legend.push_back({LegendEntry::line, hex(colours::front), 1.0, scene.front_label});
    }
    const double site_r = 0.28 * base;
    if (!scene.sites.empty()) {
        for (const auto& s : scene.sites) {
            double px = 0.0;
            double py = 0.0;
            if (transform.pixel(s.lon, s.lat, px, py)) {
                cairo_new_sub_path(cr);
                cairo_arc(cr, px, py, site_r, 0.0, 2.0 * M_PI);
            }
        }
        paint.fill_preserve(hex(0x000000));
        paint.stroke(hex(0xffffff), 1.2 * line_w);
        legend.push_back({LegendEntry::point, hex(0x000000), 1.0, scene.sites_label});
    }

    // Labels: regions (grey, centred), then sites (black, beside the dot).
    const double label_size = base * 0.72;
    for (const auto& [name, point] : region_labels) {
        double x = 0.0;
        double y = 0.0;
        if (GEOSGeomGetX_r(h, point.get(), &x) == 1 && GEOSGeomGetY_r(h, point.get(), &y) == 1) {
            double px = 0.0;
            double py = 0.0;
            transform.metres_to_pixel(x, y, px, py);
            const double w = canvas.text_width(name, label_size);
            canvas.text(name, px - w / 2.0, py, label_size, hex(0x6b6b6b));
        }
    }
    for (const auto& s : scene.sites) {
        double px = 0.0;
        double py = 0.0;
        if (transform.pixel(s.lon, s.lat, px, py)) {
            canvas.text(s.name, px + site_r * 1.8, py + label_size * 0.35, label_size, hex(0x111111));
        }
    }

    // Title and caption bands cover whatever of the outlines runs past the frame.
    cairo_rectangle(cr, 0, 0, width, title_h);
    paint.fill(hex(colours::background));
    cairo_rectangle(cr, 0, frame.y + frame.height, width, height - frame.y - frame.height);
    paint.fill(hex(colours::background));
    if (!scene.title.empty()) {
        canvas.text(scene.title, pad, title_size * 1.45, title_size, hex(0x111111), true);
    }
    double cy = frame.y + frame.height + pad * 0.6 + caption_line;
    for (const auto& line : caption) {
        canvas.text(line, pad, cy, caption_size, hex(0x333333));
        cy += caption_line;
    }

    // Legend, top-left of the frame.
    if (!legend.empty()) {
        const double row = base * 1.5;
        const double sw = base * 1.8;
        double text_w = 0.0;
        for (const auto& e : legend) {
            text_w = std::max(text_w, canvas.text_width(e.label, base * 0.85));
        }
        const double lx = frame.x + pad * 0.5;
        const double ly = frame.y + pad * 0.5;
        const double lw = sw + text_w + base * 1.6;
        const double lh = row * static_cast<double>(legend.size()) + base * 0.6;
        cairo_rectangle(cr, lx, ly, lw, lh);
        paint.fill_preserve(hex(0xffffff), 0.88);
        paint.stroke(hex(0xb0b0b0), line_w);
        double y = ly + base * 0.3;
        for (const auto& e : legend) {
            const double x0 = lx + base * 0.5;
            const double ymid = y + row / 2.0;
            switch (e.kind) {
                case LegendEntry::area:
                    cairo_rectangle(cr, x0, y + row * 0.2, sw, row * 0.6);
                    paint.fill(e.fill, e.alpha);
                    break;
                case LegendEntry::line:
                    cairo_move_to(cr, x0, ymid);
                    cairo_line_to(cr, x0 + sw, ymid);
                    paint.stroke(e.fill, 2.2 * line_w);
                    break;
                case LegendEntry::dashed_line: {
                    const double dash[] = {4.0 * line_w, 3.0 * line_w};
                    cairo_set_dash(cr, dash, 2, 0.0);
                    cairo_move_to(cr, x0, ymid);
                    cairo_line_to(cr, x0 + sw, ymid);
                    paint.stroke(e.fill, 1.2 * line_w);
                    cairo_set_dash(cr, nullptr, 0, 0.0);
                    break;
                }
                case LegendEntry::point:
                    cairo_arc(cr, x0 + sw / 2.0, ymid, site_r, 0.0, 2.0 * M_PI);
                    paint.fill(e.fill);
                    break;
            }
            canvas.text(e.label, x0 + sw + base * 0.6, ymid + base * 0.3, base * 0.85, hex(0x222222));
            y += row;
        }
    }

    // Scale bar, bottom-right of the frame: four alternating segments.
    {
        const double length_m = nice_length_m(frame.width * 0.22 * transform.metres_per_pixel());
        const double len_px = length_m / transform.metres_per_pixel();
        const double bh = base * 0.45;
        const double x1 = frame.x + frame.width - pad;
        const double x0 = x1 - len_px;
        const double y0 = frame.y + frame.height - pad - bh;
        cairo_rectangle(cr, x0, y0, len_px / 4.0, bh);
        cairo_rectangle(cr, x0 + len_px / 2.0, y0, len_px / 4.0, bh);
        paint.fill(hex(0x222222));
        cairo_rectangle(cr, x0, y0, len_px, bh);
        paint.stroke(hex(0x222222), line_w);
        const double ts = base * 0.8;
        canvas.text("0", x0 - canvas.text_width("0", ts) / 2.0, y0 - ts * 0.4, ts, hex(0x222222));
        const std::string label = length_label(length_m);
        canvas.text(label, x1 - canvas.text_width(label, ts) / 2.0, y0 - ts * 0.4, ts, hex(0x222222));
    }

    canvas.finish();
    return MapDrawn{transform, static_cast<int>(legend.size()), paint.ops, subpixel};
}

}  // namespace frontline::render
