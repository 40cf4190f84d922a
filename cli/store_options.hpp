#pragma once
/// The options every store-reading command shares: --store (a GeoPackage file or a "PG:..."
/// connection string, default $FRONTLINE_STORE, else frontline.gpkg) and --bbox.
#include <optional>
#include <string>

#include "geo/geometry.hpp"
#include "ingest/store.hpp"

namespace CLI {
class App;
}

namespace frontline::cli {

/// Adds --store to `cmd`, bound to `store`, falling back to the FRONTLINE_STORE environment
/// variable when the option is not given.
void add_store_option(CLI::App& cmd, std::string& store);

/// Parses "minlon,minlat,maxlon,maxlat" (WGS84 degrees). "" gives nothing; anything else that is
/// not four finite numbers with min < max inside [-180, 180] x [-90, 90] throws InputError
/// naming `option`.
std::optional<ingest::BBox> parse_bbox(const std::string& text, const std::string& option = "--bbox");

/// The box as a polygon (WGS84 lon/lat), to clip snapshots read through restrict_to().
geo::Geometry bbox_polygon(const geo::Context& ctx, const ingest::BBox& box);

}  // namespace frontline::cli
