#pragma once
/// Reading a regions file (oblasts, districts) for regional breakdowns.
#include <string>
#include <vector>

#include "geo/regions.hpp"

namespace frontline::ingest {

/// Reads every polygonal feature of `path`, named by its `field` value. Features with the same
/// name are merged into one region; regions come in the order their names first appear.
/// Geometry goes through the same reading, transformation and repair as `ingest`, at full
/// precision (the overlays that use regions snap their own output to their grid).
/// Throws InputError naming the file when it cannot be read, when `field` does not exist (listing
/// the fields that do), or when a feature has no value for it.
std::vector<geo::Region> read_regions(const geo::Context& ctx, const std::string& path, const std::string& field);

}  // namespace frontline::ingest
