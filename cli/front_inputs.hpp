#pragma once
/// What `front`, `zones` (and later `ceasefire`) share: the snapshot at a date, the outlines, and
/// the front analysis built from them.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "geo/front.hpp"
#include "ingest/store.hpp"

namespace CLI {
class App;
}

namespace frontline::cli {

/// Options every front-based command takes.
struct FrontInputs {
    std::string store = "frontline.gpkg";     ///< snapshot store
    std::string date;                         ///< YYYY-MM-DD; the latest snapshot on or before it is used
    std::string provider = "default";         ///< provider of the snapshot
    std::string cls = "occupied";             ///< class whose boundary gives the front
    std::vector<std::string> borders;         ///< country outline files (administrative, land, ...)
    std::string border_tolerance = "1km";     ///< boundary this close to an outline edge is border/coast
    std::string min_part_length = "2km";      ///< shorter front pieces are dropped
    std::string outline_simplify = "50m";     ///< outlines are simplified within this first
};

/// Adds the shared options to a subcommand.
void add_front_options(CLI::App* cmd, FrontInputs& inputs);

/// The loaded inputs and the analysis.
struct LoadedFront {
    std::string snapshot;  ///< date of the snapshot used
    std::unique_ptr<geo::Geometry> controlled;
    std::unique_ptr<geo::FrontAnalysis> analysis;
    geo::FrontOptions options;
};

/// The front options from the text options (distances with units). Throws InputError.
geo::FrontOptions front_options(const FrontInputs& inputs);

/// Every --border file, dissolved at full precision, lon/lat.
std::vector<geo::Geometry> load_outlines(const geo::Context& ctx, const FrontInputs& inputs);

/// The date and WKB of the latest snapshot on or before `date`. Throws InputError if none.
std::pair<std::string, std::vector<unsigned char>> load_snapshot(const ingest::Store& store, const FrontInputs& inputs,
                                                                 const std::string& date);

/// Validates the options, reads the snapshot and the outlines and finds the front. Throws
/// InputError for bad options, missing files or no snapshot on or before the date.
LoadedFront load_front(const geo::Context& ctx, const FrontInputs& inputs);

}  // namespace frontline::cli
