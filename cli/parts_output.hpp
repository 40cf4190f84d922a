#pragma once
/// Writing gained/lost parts (delta and series) with the properties map viewers use.
#include <string>
#include <vector>

#include "geo/delta.hpp"

namespace frontline::cli {

/// One part to write. `geometry` is borrowed.
struct PartRecord {
    geo::Change change;
    const geo::Geometry* geometry;
    double area_m2;
    std::string region;         ///< written only when the file has a region column
    std::string from;           ///< date asked for
    std::string to;             ///< date asked for
    std::string from_snapshot;  ///< snapshot used
    std::string to_snapshot;    ///< snapshot used
    int step = 0;               ///< series step number (1-based), written only for series
};

/// Which optional columns the file has.
struct PartColumns {
    bool region = false;
    bool step = false;
};

/// Writes the parts in the given order (ids 1..n in GeoJSON) with `change`, `area_km2`, [`region`],
/// [`step`], `from`, `to`, `from_snapshot`, `to_snapshot`, `start`, `end` (the snapshot dates, for
/// time sliders), `provider`, `class` and simplestyle `fill`/`fill-opacity`/`stroke` (gained red,
/// lost blue). `driver` is an OGR driver name from ingest::output_driver.
void write_parts(const std::string& path, const std::string& driver, const std::string& layer, const std::string& provider,
                 const std::string& cls, PartColumns columns, const std::vector<PartRecord>& parts);

}  // namespace frontline::cli
