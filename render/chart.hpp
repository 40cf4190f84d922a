#pragma once
/// `render chart`: the controlled area over time (a line) and the territory gained and lost in
/// each step (bars, gained up, lost down, net as a tick), optionally one small panel per region
/// on a common date axis and a common km² scale. Written with Cairo into PNG, SVG or PDF.
#include <string>
#include <vector>

#include "render/format.hpp"
#include "render/map_transform.hpp"

namespace frontline::render {

/// One series of figures on the step boundaries. NaN marks a figure that is missing (a step whose
/// overlay failed): its bar and that point of the line are left out.
struct ChartSeries {
    std::string name;
    std::vector<double> area_km2;    ///< controlled area at each boundary (one more than steps)
    std::vector<double> gained_km2;  ///< gained in each step, km² (>= 0)
    std::vector<double> lost_km2;    ///< lost in each step, km² (>= 0, drawn downwards)
};

/// What a chart shows.
struct ChartData {
    std::vector<std::string> boundaries;  ///< step boundary dates, YYYY-MM-DD (at least 2)
    ChartSeries total;                    ///< the whole area
    std::vector<ChartSeries> regions;     ///< one small panel each when not empty
    std::string title;
    std::vector<std::string> caption;     ///< lines under the chart (method, source)
};

/// Size of a chart.
struct ChartOptions {
    int width_px = 1600;   ///< px (points for PDF)
    int height_px = 1000;  ///< px
};

/// The chart colours ("#rrggbb"); gained and lost as on maps.
namespace chart_colours {
inline constexpr unsigned background = 0xffffff;
inline constexpr unsigned gained = 0xd7301f;
inline constexpr unsigned lost = 0x2166ac;
inline constexpr unsigned area = 0x6b4c2a;
inline constexpr unsigned net = 0x111111;
}  // namespace chart_colours

/// Where one bar panel was drawn: step i's bar is centred at x = box.x + (i + 0.5) · step_px,
/// rising from zero_y by gained · px_per_km2 (up) and falling by lost · px_per_km2 (down).
struct BarPanel {
    std::string name;
    PixelBox box;
    double zero_y = 0.0;
    double px_per_km2 = 0.0;
    double step_px = 0.0;
};

/// What render_chart drew.
struct ChartDrawn {
    PixelBox area_panel;            ///< the controlled-area line panel
    std::vector<BarPanel> bars;     ///< the total's bar panel, or one per region with regions
    int paint_ops = 0;              ///< fills and strokes made
};

/// Draws `data` into `path` (temporary file, renamed when complete). Throws InputError when the
/// data has fewer than two boundaries or mismatched lengths, or the output cannot be written.
ChartDrawn render_chart(const ChartData& data, const std::string& path, Format format, const ChartOptions& options);

}  // namespace frontline::render
