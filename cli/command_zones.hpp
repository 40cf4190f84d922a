#pragma once
#include <optional>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/front_inputs.hpp"

namespace frontline::cli {

/// Options of `frontline zones`.
struct ZonesOptions {
    FrontInputs inputs;
    std::string band;                       ///< width on both sides ("10km"); empty: none
    std::string band_controlled;            ///< width on the controlled (e.g. occupied) side
    std::string band_free;                  ///< width on the free side
    bool placement = false;                 ///< compute a placement zone
    std::string min_distance;               ///< placement: at least this far from the front
    std::string max_distance;               ///< placement: at most this far (empty: no limit)
    std::vector<std::string> within;        ///< placement inside these polygons instead of the free side
    std::vector<std::string> away_from;     ///< hostile territory (polygons) to keep away from
    std::string min_border_distance;        ///< ... by at least this much
    std::string sites;                      ///< point layer of sites
    std::string site_name_field = "name";   ///< the sites' name field
    std::string output;                     ///< zones (and sites) file; empty: none
    std::string format;                     ///< OGR driver for `output`
    bool json = false;                      ///< one JSON object
};

/// One band: the zone within a width of the front on one side.
struct BandResult {
    std::string side;       ///< the class name (controlled side) or "free"
    double width_m;
    double area_m2;
    std::vector<std::vector<unsigned char>> parts_wkb;  ///< polygons, lon/lat, largest first
    std::vector<double> part_areas_m2;
};

/// The placement zone.
struct PlacementResult {
    double min_distance_m;
    double max_distance_m;  ///< 0: none
    double min_border_distance_m;
    double area_m2;
    std::vector<std::vector<unsigned char>> parts_wkb;
    std::vector<double> part_areas_m2;
};

/// One site and where it stands.
struct SiteResult {
    std::string name;
    double lon, lat;
    double distance_m;                 ///< geodesic, to the front
    std::string side;                  ///< class name or "free"
    std::vector<std::string> in_bands; ///< sides of the bands that contain it
    bool in_placement;
};

/// What `zones` found.
struct ZonesReport {
    ZonesOptions options;
    std::string snapshot;
    double front_length_m = 0.0;
    std::vector<BandResult> bands;
    std::optional<PlacementResult> placement;
    std::vector<SiteResult> sites;  ///< nearest the front first
    std::string driver;
};

/// The band widths asked for, m, per side: `both` for both sides, or one per side (distances with
/// units). Throws InputError when both forms are given or a width is not greater than 0.
std::vector<std::pair<geo::Side, double>> parse_bands(const std::string& both, const std::string& controlled,
                                                      const std::string& free);

/// The polygons of a polygonal geometry as WKB, largest first, with their geodesic areas.
struct PolygonParts {
    std::vector<std::vector<unsigned char>> wkb;
    std::vector<double> areas_m2;
    double total_m2 = 0.0;
};
PolygonParts polygon_parts(const geo::Geometry& g);

/// The zones job as a plain function. Throws InputError for bad options and inputs.
ZonesReport compute_zones(const geo::Context& ctx, const ZonesOptions& options);

std::string zones_json(const ZonesReport& report);
std::string zones_table(const ZonesReport& report);

/// `frontline zones`.
class ZonesCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override;
    int run(std::ostream& out) override;

private:
    ZonesOptions m_options;
};

}  // namespace frontline::cli
