#pragma once
/// `render map`: a static map of control and its change, drawn with Cairo into PNG, SVG or PDF.
/// Everything comes in WGS84 lon/lat; the map is drawn in an azimuthal equidistant projection
/// centred on the extent (see MapTransform), each layer simplified to half a pixel first.
#include <optional>
#include <string>
#include <vector>

#include "geo/geometry.hpp"
#include "render/format.hpp"
#include "render/map_transform.hpp"

namespace frontline::render {

/// A polygonal geometry with the name a label shows.
struct NamedGeometry {
    std::string name;
    const geo::Geometry* geometry = nullptr;  ///< lon/lat, not owned
};

/// A labelled point, lon/lat degrees.
struct MapSite {
    std::string name;
    double lon = 0.0;
    double lat = 0.0;
};

/// What a map shows. Geometries are WGS84 lon/lat and owned by the caller; a null or empty
/// layer is left out of the map and of the legend.
struct MapScene {
    std::vector<const geo::Geometry*> outlines;  ///< country outlines (--border), polygonal
    std::vector<NamedGeometry> regions;          ///< region outlines, labelled with their names
    const geo::Geometry* controlled = nullptr;   ///< the controlled area, polygonal
    std::string controlled_label;                ///< its legend text
    std::vector<const geo::Geometry*> gained;    ///< one polygon per gained part (red)
    std::string gained_label;
    std::vector<const geo::Geometry*> lost;      ///< one polygon per lost part (blue)
    std::string lost_label;
    std::vector<const geo::Geometry*> zones;     ///< zone polygons (one fill each)
    std::string zones_label;
    const geo::Geometry* front = nullptr;        ///< the front, linear
    std::string front_label;
    std::vector<MapSite> sites;
    std::string sites_label = "Sites";
    std::string title;
    std::vector<std::string> caption;            ///< lines under the map (method, source, dates)
    /// The area to show, lon/lat degrees {min_lon, min_lat, max_lon, max_lat}; unset: the extent
    /// of the controlled area, the parts, zones, front and sites (not outlines or regions, which
    /// would zoom out to the whole country).
    std::optional<std::vector<double>> bbox;
};

/// Size and detail of a map.
struct MapOptions {
    int width_px = 1600;       ///< image width, px (points for PDF)
    int height_px = 1200;      ///< image height, px
    double simplify_px = 0.5;  ///< layers are simplified (topology preserving) within this, px
};

/// The fixed colours, so tests and the legend agree ("#rrggbb").
namespace colours {
inline constexpr unsigned background = 0xffffff;
inline constexpr unsigned land = 0xf1efe8;
inline constexpr unsigned outline = 0x5a5a5a;
inline constexpr unsigned region = 0x8f8f8f;
inline constexpr unsigned controlled = 0xe3c9a8;
inline constexpr unsigned controlled_edge = 0xa4825c;
inline constexpr unsigned gained = 0xd7301f;
inline constexpr unsigned lost = 0x2166ac;
inline constexpr unsigned zone = 0xf39c12;
inline constexpr unsigned front = 0x111111;
}  // namespace colours

/// What render_map drew.
struct MapDrawn {
    MapTransform transform;  ///< lon/lat → pixel, exactly as drawn
    int legend_entries = 0;  ///< one per layer shown
    int paint_ops = 0;       ///< fills and strokes made
    int subpixel_parts = 0;  ///< polygons left out because they cover no pixel at all (under 1/256 px across)
};

/// Draws `scene` into `path` (written to a temporary file, renamed when complete). Throws
/// InputError when the output cannot be written or nothing can be placed, GeosError on GEOS failures.
MapDrawn render_map(const MapScene& scene, const std::string& path, Format format, const MapOptions& options);

}  // namespace frontline::render
