#include "cli/store_options.hpp"

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <vector>

#include "geo/error.hpp"

namespace frontline::cli {

void add_store_option(CLI::App& cmd, std::string& store) {
    cmd.add_option("--store", store,
                   "Snapshot store: a GeoPackage file or a PostgreSQL connection string "
                   "\"PG:host=... dbname=... user=...\" (default: $FRONTLINE_STORE, else frontline.gpkg)")
        ->envname("FRONTLINE_STORE")
        ->capture_default_str();
}

std::optional<ingest::BBox> parse_bbox(const std::string& text, const std::string& option) {
    if (text.empty()) {
        return std::nullopt;
    }
    std::vector<double> v;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        char* end = nullptr;
        const double d = std::strtod(item.c_str(), &end);
        if (item.empty() || end == item.c_str() || *end != '\0' || !std::isfinite(d)) {
            v.clear();
            break;
        }
        v.push_back(d);
    }
    const auto bad = [&](const std::string& why) {
        return InputError(option + " " + text + ": " + why +
                          "; give minlon,minlat,maxlon,maxlat in degrees, e.g. 36.5,47.0,39.0,49.5");
    };
    if (v.size() != 4) {
        throw bad("not four numbers");
    }
    if (!(v[0] < v[2] && v[1] < v[3])) {
        throw bad("each minimum must be below its maximum");
    }
    if (v[0] < -180.0 || v[2] > 180.0 || v[1] < -90.0 || v[3] > 90.0) {
        throw bad("outside -180..180, -90..90");
    }
    return ingest::BBox{v[0], v[1], v[2], v[3]};
}

geo::Geometry bbox_polygon(const geo::Context& ctx, const ingest::BBox& b) {
    char wkt[512];
    std::snprintf(wkt, sizeof wkt, "POLYGON((%.17g %.17g,%.17g %.17g,%.17g %.17g,%.17g %.17g,%.17g %.17g))", b.min_lon,
                  b.min_lat, b.max_lon, b.min_lat, b.max_lon, b.max_lat, b.min_lon, b.max_lat, b.min_lon, b.min_lat);
    return geo::Geometry::from_wkt(ctx, wkt);
}

}  // namespace frontline::cli
