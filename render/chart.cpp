#include "render/chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "geo/error.hpp"
#include "render/canvas.hpp"

namespace frontline::render {

namespace {

/// "12,345" (no decimals) or "12.5" below 100.
std::string number_label(double v) {
    char buf[64];
    const double a = std::fabs(v);
    if (a != 0.0 && a < 100.0 && std::fabs(v - std::round(v)) > 1e-9) {
        std::snprintf(buf, sizeof buf, "%g", v);
        return buf;
    }
    std::snprintf(buf, sizeof buf, "%.0f", a);
    std::string digits = buf;
    std::string out;
    const int n = static_cast<int>(digits.size());
    for (int i = 0; i < n; ++i) {
        out += digits[static_cast<std::size_t>(i)];
        if ((n - i - 1) % 3 == 0 && i != n - 1) {
            out += ',';
        }
    }
    return (v < 0 && std::round(a) != 0.0 ? "-" : "") + out;
}

/// A round step (1, 2 or 5 × 10^k) giving at most about `count` ticks over `range`.
double tick_step(double range, int count) {
    if (!(range > 0.0)) {
        return 1.0;
    }
    const double raw = range / count;
    const double p = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * p >= raw) {
            return m * p;
        }
    }
    return 10.0 * p;
}

struct Drawer {
    Canvas& canvas;
    cairo_t* cr;
    double base;
    int ops = 0;

    void fill(Rgb c, double alpha = 1.0) {
        canvas.set_colour(c, alpha);
        cairo_fill(cr);
        ++ops;
    }
    void stroke(Rgb c, double w) {
        canvas.set_colour(c);
        cairo_set_line_width(cr, w);
        cairo_stroke(cr);
        ++ops;
    }
    void right_text(const std::string& s, double x, double y, double size, Rgb c) {
        canvas.text(s, x - canvas.text_width(s, size), y, size, c);
    }
    void centred_text(const std::string& s, double x, double y, double size, Rgb c) {
        canvas.text(s, x - canvas.text_width(s, size) / 2.0, y, size, c);
    }

    /// Date labels under a panel at the step boundaries, thinned so they do not overlap.
    void date_axis(const PixelBox& box, const std::vector<std::string>& dates, double size) {
        const std::size_t n = dates.size();
        const double step_px = box.width / static_cast<double>(n - 1);
        const double label_w = canvas.text_width("2026-01-01", size) * 1.25;
        const std::size_t every = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(label_w / step_px)));
        // Ticks first, labels after: drawing text clears the current path.
        for (std::size_t j = 0; j < n; j += every) {
            const double x = box.x + static_cast<double>(j) * step_px;
            cairo_move_to(cr, x, box.y + box.height);
            cairo_line_to(cr, x, box.y + box.height + size * 0.4);
        }
        stroke(hex(0x555555), base / 18.0);
        for (std::size_t j = 0; j < n; j += every) {
            const double x = box.x + static_cast<double>(j) * step_px;
            centred_text(dates[j], x, box.y + box.height + size * 1.5, size, hex(0x333333));
        }
    }

    /// Horizontal grid lines and their labels at round values in [lo, hi].
    void value_axis(const PixelBox& box, double lo, double hi, double px_per_unit, double zero_y, double size) {
        const double step = tick_step(hi - lo, 5);
        const double first = std::ceil(lo / step) * step;
        for (double v = first; v <= hi + step * 1e-9; v += step) {
            const double y = zero_y - v * px_per_unit;
            cairo_move_to(cr, box.x, y);
            cairo_line_to(cr, box.x + box.width, y);
        }
        stroke(hex(0xdddddd), base / 18.0);
        for (double v = first; v <= hi + step * 1e-9; v += step) {
            const double y = zero_y - v * px_per_unit;
            right_text(number_label(v), box.x - size * 0.4, y + size * 0.35, size, hex(0x333333));
        }
    }
};

void check(const ChartSeries& s, std::size_t steps) {
    if (s.area_km2.size() != steps + 1 || s.gained_km2.size() != steps || s.lost_km2.size() != steps) {
        throw InputError("render chart: series '" + s.name + "' does not match the step boundaries");
    }
}

double max_finite(const std::vector<double>& v) {
    double m = 0.0;
    for (double x : v) {
        if (std::isfinite(x)) {
            m = std::max(m, x);
        }
    }
    return m;
}

/// Gained up, lost down, net as a black tick; shared scale given by `extent_km2`.
BarPanel draw_bars(Drawer& d, const ChartSeries& s, const PixelBox& box, double up_km2, double down_km2,
                   const std::vector<std::string>& dates, const std::string& title, double label_size) {
    const std::size_t n = s.gained_km2.size();
    BarPanel panel;
    panel.name = s.name;
    panel.box = box;
    panel.step_px = box.width / static_cast<double>(n);
    const double total = std::max(up_km2 + down_km2, 1e-9);
    panel.px_per_km2 = box.height / total;
    panel.zero_y = box.y + up_km2 * panel.px_per_km2;
    d.canvas.text(title, box.x, box.y - label_size * 0.6, label_size * 1.05, hex(0x111111), true);
    d.value_axis(box, -down_km2, up_km2, panel.px_per_km2, panel.zero_y, label_size * 0.85);
    const double bar_w = panel.step_px * 0.7;
    bool any = false;
    for (std::size_t i = 0; i < n; ++i) {
        const double g = s.gained_km2[i];
        if (std::isfinite(g) && g > 0.0) {
            const double cx = box.x + (static_cast<double>(i) + 0.5) * panel.step_px;
            cairo_rectangle(d.cr, cx - bar_w / 2.0, panel.zero_y - g * panel.px_per_km2, bar_w, g * panel.px_per_km2);
            any = true;
        }
    }
    if (any) {
        d.fill(hex(chart_colours::gained));
    }
    any = false;
    for (std::size_t i = 0; i < n; ++i) {
        const double l = s.lost_km2[i];
        if (std::isfinite(l) && l > 0.0) {
            const double cx = box.x + (static_cast<double>(i) + 0.5) * panel.step_px;
            cairo_rectangle(d.cr, cx - bar_w / 2.0, panel.zero_y, bar_w, l * panel.px_per_km2);
            any = true;
        }
    }
    if (any) {
        d.fill(hex(chart_colours::lost));
    }
    any = false;
    for (std::size_t i = 0; i < n; ++i) {
        const double net = s.gained_km2[i] - s.lost_km2[i];
        if (std::isfinite(net)) {
            const double cx = box.x + (static_cast<double>(i) + 0.5) * panel.step_px;
            const double y = panel.zero_y - net * panel.px_per_km2;
            cairo_move_to(d.cr, cx - bar_w / 2.0, y);
            cairo_line_to(d.cr, cx + bar_w / 2.0, y);
            any = true;
        }
    }
    if (any) {
        d.stroke(hex(chart_colours::net), std::max(1.5, d.base / 9.0));
    }
    cairo_move_to(d.cr, box.x, panel.zero_y);
    cairo_line_to(d.cr, box.x + box.width, panel.zero_y);
    d.stroke(hex(0x555555), d.base / 18.0);
    d.date_axis(box, dates, label_size * 0.85);
    return panel;
}

}  // namespace

ChartDrawn render_chart(const ChartData& data, const std::string& path, Format format, const ChartOptions& options) {
    if (data.boundaries.size() < 2) {
        throw InputError("render chart: needs at least two step boundaries (--from before --to)");
    }
    const std::size_t steps = data.boundaries.size() - 1;
    check(data.total, steps);
    for (const auto& r : data.regions) {
        check(r, steps);
    }
    const double width = options.width_px;
    const double height = options.height_px;
    const double base = std::max(10.0, 18.0 * std::min(width / 1600.0, height / 1000.0));
    Canvas canvas(path, format, options.width_px, options.height_px);
    Drawer d{canvas, canvas.cr(), base};
    cairo_set_line_join(d.cr, CAIRO_LINE_JOIN_ROUND);

    cairo_rectangle(d.cr, 0, 0, width, height);
    d.fill(hex(chart_colours::background));

    const double title_size = base * 1.4;
    const double caption_size = base * 0.8;
    const double caption_line = caption_size * 1.4;
    const double left = base * 6.0;   // room for km² labels
    const double right = base * 3.5;  // room for the last date label
    const double top = data.title.empty() ? base : title_size * 2.2;
    const double bottom = (static_cast<double>(data.caption.size()) + 1.0) * caption_line + base;
    const double panel_gap = base * 3.6;  // date labels and the next panel's title
    const double usable_h = height - top - bottom;
    if (width - left - right < 100.0 || usable_h < 150.0) {
        throw InputError("render chart: --width/--height too small for the chart and its caption");
    }
    if (!data.title.empty()) {
        canvas.text(data.title, base, title_size * 1.45, title_size, hex(0x111111), true);
    }

    // The controlled area: a line on its own panel and axis (it is tens of thousands of km² while
    // a step's change is tens to thousands, so one axis would flatten one or the other).
    ChartDrawn drawn;
    const double area_share = data.regions.empty() ? 0.38 : 0.26;
    const PixelBox area_box{left, top + base * 1.4, width - left - right, usable_h * area_share - panel_gap};
    drawn.area_panel = area_box;
    {
        double lo = std::numeric_limits<double>::infinity();
        double hi = -lo;
        for (double a : data.total.area_km2) {
            if (std::isfinite(a)) {
                lo = std::min(lo, a);
                hi = std::max(hi, a);
            }
        }
        if (!std::isfinite(lo)) {
            lo = 0.0;
            hi = 1.0;
        }
        const double margin = std::max((hi - lo) * 0.12, std::max(hi * 0.002, 1.0));
        lo -= margin;
        hi += margin;
        const double px_per = area_box.height / (hi - lo);
        const double zero_y = area_box.y + hi * px_per;
        canvas.text("Controlled area, km²", area_box.x, area_box.y - base * 0.6, base * 1.05, hex(0x111111), true);
        d.value_axis(area_box, lo, hi, px_per, zero_y, base * 0.75);
        const double step_px = area_box.width / static_cast<double>(steps);
        bool pen = false;
        for (std::size_t j = 0; j <= steps; ++j) {
            const double a = data.total.area_km2[j];
            if (!std::isfinite(a)) {
                pen = false;
                continue;
            }
            const double x = area_box.x + static_cast<double>(j) * step_px;
            const double y = zero_y - a * px_per;
            if (pen) {
                cairo_line_to(d.cr, x, y);
            } else {
                cairo_move_to(d.cr, x, y);
            }
            pen = true;
        }
        d.stroke(hex(chart_colours::area), base / 6.0);
        d.date_axis(area_box, data.boundaries, base * 0.75);
    }

    const double bars_top = area_box.y + area_box.height + panel_gap + base * 0.6;
    const double bars_h = top + usable_h - bars_top;
    if (data.regions.empty()) {
        const double up = std::max(max_finite(data.total.gained_km2), 1.0) * 1.08;
        const double down = std::max(max_finite(data.total.lost_km2), 1.0) * 1.08;
        const PixelBox box{left, bars_top, width - left - right, bars_h - base * 1.6};
        drawn.bars.push_back(draw_bars(d, data.total, box, up, down, data.boundaries,
                                       "Per step: gained (up), lost (down), net (black tick), km²", base));
    } else {
        // Small multiples: one common scale so panels compare at a glance.
        double up = 1.0;
        double down = 1.0;
        for (const auto& r : data.regions) {
            up = std::max(up, max_finite(r.gained_km2));
            down = std::max(down, max_finite(r.lost_km2));
        }
        up *= 1.08;
        down *= 1.08;
        const std::size_t k = data.regions.size();
        const std::size_t cols = k <= 3 ? k : (k <= 8 ? 2 : 3);
        const std::size_t rows = (k + cols - 1) / cols;
        const double cell_w = (width - left - right + left * 0.6) / static_cast<double>(cols);
        const double cell_h = bars_h / static_cast<double>(rows);
        const double small = base * 0.8;
        for (std::size_t i = 0; i < k; ++i) {
            const std::size_t r = i / cols;
            const std::size_t c = i % cols;
            const double x = left + static_cast<double>(c) * cell_w;
            const double y = bars_top + static_cast<double>(r) * cell_h;
            const PixelBox box{x, y, cell_w - left * 0.6 - base, cell_h - small * 4.2};
            const auto& s = data.regions[i];
            const double last = s.area_km2.back();
            std::string title = s.name + (std::isfinite(last) ? "  (controlled " + number_label(last) + " km² on " +
                                                                    data.boundaries.back() + ")"
                                                              : "");
            if (canvas.text_width(title, small * 1.05, true) > box.width) {
                title = s.name;  // the figure only when it fits beside the name
            }
            drawn.bars.push_back(draw_bars(d, s, box, up, down, data.boundaries, title, small));
        }
    }

    double cy = height - bottom + caption_line;
    for (const auto& line : data.caption) {
        canvas.text(line, base, cy, caption_size, hex(0x333333));
        cy += caption_line;
    }
    canvas.finish();
    drawn.paint_ops = d.ops;
    return drawn;
}

}  // namespace frontline::render
