#pragma once
/// Reading point sites (cities, bases) with a name, and proposed lines.
#include <string>
#include <vector>

#include "geo/geometry.hpp"

namespace frontline::ingest {

/// A named point in WGS84 lon/lat.
struct Site {
    std::string name;
    double lon = 0.0;
    double lat = 0.0;
};

/// Every Point (and each point of a MultiPoint) of every layer of `path`, named by `name_field`,
/// transformed to WGS84 lon/lat. Throws InputError naming the file when it cannot be read, holds
/// no point, lacks the field (listing the fields it has) or has coordinates that are not lon/lat.
std::vector<Site> read_sites(const std::string& path, const std::string& name_field);

/// Every LineString (and each line of a MultiLineString or GeometryCollection) of every layer of
/// `path`, transformed to WGS84 lon/lat, as one MultiLineString, as drawn: nothing is repaired,
/// so a self-intersection or a repeated vertex stays for the caller to report. Throws InputError
/// naming the file when it cannot be read, holds no line, or has coordinates that are not lon/lat.
geo::Geometry read_lines(const geo::Context& ctx, const std::string& path);

}  // namespace frontline::ingest
