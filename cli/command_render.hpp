#pragma once
/// `frontline render map` and `frontline render chart`: static images (PNG, SVG, PDF) drawn with
/// Cairo from the same computations as `delta`, `front`, `zones` and `series`.
#include <optional>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "geo/geometry.hpp"
#include "render/chart.hpp"
#include "render/map.hpp"

namespace frontline::cli {

/// Options of `frontline render map`.
struct RenderMapOptions {
    std::string store = "frontline.gpkg";     ///< snapshot store
    std::vector<std::string> delta;           ///< FROM TO (YYYY-MM-DD): draw what changed hands between them
    std::string date;                         ///< YYYY-MM-DD: draw the controlled area on this date
    std::string provider = "default";         ///< provider of the snapshots
    std::string cls = "occupied";             ///< class of the snapshots
    std::vector<std::string> borders;         ///< country outline files, drawn (and needed by --front/--zones)
    std::string regions;                      ///< regions file whose outlines and names are drawn
    std::string region_field = "shapeName";   ///< the regions' name field
    bool front = false;                       ///< draw the front line (needs --border)
    std::string zones;                        ///< band width on each side of the front ("10km"); empty: none
    std::string sites;                        ///< point file of sites to mark; empty: none
    std::string site_name_field = "name";     ///< the sites' name field
    std::string bbox;                         ///< "minlon,minlat,maxlon,maxlat" degrees to show; empty: the data's extent
    std::string output;                       ///< MAP.png, MAP.svg or MAP.pdf
    std::string format;                       ///< png, svg or pdf; empty: from the extension
    int width_px = 1600;                      ///< image width, px
    int height_px = 1200;                     ///< image height, px
    std::string title;                        ///< title; empty: one made from the dates
};

/// What `render map` drew.
struct RenderMapReport {
    std::optional<render::MapDrawn> drawn;  ///< set once the map is written
    render::Format format = render::Format::png;
    std::string from_snapshot;      ///< --delta: snapshot used at FROM
    std::string to_snapshot;        ///< snapshot drawn as the controlled area (TO, or --date's)
    int gained_parts = 0;
    int lost_parts = 0;
    int zone_parts = 0;             ///< polygons drawn as zones
    double front_length_m = 0.0;
};

/// The map job as a plain function. Throws InputError for bad options, inputs or output paths
/// (nothing is written then).
RenderMapReport render_map_job(const geo::Context& ctx, const RenderMapOptions& options);

/// Options of `frontline render chart`.
struct RenderChartOptions {
    std::string store = "frontline.gpkg";     ///< snapshot store
    std::string from;                         ///< first step boundary, YYYY-MM-DD
    std::string to;                           ///< last step boundary, YYYY-MM-DD
    std::string step = "month";               ///< day, week, month, quarter or year
    std::string provider = "default";         ///< provider of the snapshots
    std::string cls = "occupied";             ///< class of the snapshots
    std::string regions;                      ///< regions file: one small panel per region
    std::string region_field = "shapeName";   ///< the regions' name field
    std::string output;                       ///< CHART.png, .svg or .pdf
    std::string format;                       ///< png, svg or pdf; empty: from the extension
    int width_px = 1600;                      ///< image width, px
    int height_px = 1000;                     ///< image height, px
    std::string title;                        ///< title; empty: one made from the dates
};

/// What `render chart` drew.
struct RenderChartReport {
    render::ChartData data;
    render::ChartDrawn drawn;
    render::Format format = render::Format::png;
    int failed_pairs = 0;  ///< steps whose overlay failed (left out of the chart)
};

/// The chart job as a plain function: the figures come from compute_series. Throws InputError.
RenderChartReport render_chart_job(const RenderChartOptions& options);

/// `frontline render` with its `map` and `chart` subcommands.
class RenderCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override;
    int run(std::ostream& out) override;

private:
    CLI::App* m_map = nullptr;
    CLI::App* m_chart = nullptr;
    RenderMapOptions m_map_options;
    RenderChartOptions m_chart_options;
};

}  // namespace frontline::cli
