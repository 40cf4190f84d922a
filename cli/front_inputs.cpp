#include "cli/front_inputs.hpp"

#include <CLI/CLI.hpp>

#include "cli/format.hpp"
#include "geo/error.hpp"
#include "geo/polygon_ops.hpp"
#include "ingest/dates.hpp"
#include "ingest/reader.hpp"
#include "cli/store_options.hpp"
#include "ingest/store.hpp"

namespace frontline::cli {

void add_front_options(CLI::App* cmd, FrontInputs& o) {
    add_store_option(*cmd, o.store);
    cmd->add_option("--date", o.date, "Date, YYYY-MM-DD (the latest snapshot on or before it is used)");
    cmd->add_option("--border", o.borders,
                    "Country outline (repeatable): its edge is border or coast, not front; outside it is not front")
        ->required();
    cmd->add_option("--provider", o.provider, "Provider of the snapshot")->capture_default_str();
    cmd->add_option("--class", o.cls, "Class whose boundary gives the front")->capture_default_str();
    cmd->add_option("--border-tolerance", o.border_tolerance, "Boundary this close to an outline's edge is not front")
        ->capture_default_str();
    cmd->add_option("--min-part-length", o.min_part_length, "Front pieces shorter than this are dropped")
        ->capture_default_str();
    cmd->add_option("--outline-simplify", o.outline_simplify, "Outlines are simplified within this before use")
        ->capture_default_str();
}

geo::FrontOptions front_options(const FrontInputs& in) {
    geo::FrontOptions o;
    o.border_tolerance_m = parse_distance_m(in.border_tolerance, "--border-tolerance");
    o.min_part_length_m = parse_distance_m(in.min_part_length, "--min-part-length");
    o.outline_simplify_m = parse_distance_m(in.outline_simplify, "--outline-simplify");
    if (in.borders.empty()) {
        throw InputError("--border: give at least one country outline");
    }
    return o;
}

std::vector<geo::Geometry> load_outlines(const geo::Context& ctx, const FrontInputs& in) {
    std::vector<geo::Geometry> outlines;
    for (const auto& path : in.borders) {
        ingest::SourceRead source = ingest::read_source(ctx, path);
        outlines.push_back(geo::dissolve(ctx, source.polygons, 0.0));  // full precision: no grid needed
    }
    return outlines;
}

std::pair<std::string, std::vector<unsigned char>> load_snapshot(const ingest::Store& store, const FrontInputs& in,
                                                                 const std::string& date) {
    auto info = store.latest_on_or_before(in.provider, in.cls, date);
    if (!info) {
        throw InputError("--date " + date + ": no snapshot of provider '" + in.provider + "', class '" + in.cls +
                         "' on or before that date; see frontline list --store " + in.store);
    }
    return {info->key.date, store.load_wkb(info->key)};
}

LoadedFront load_front(const geo::Context& ctx, const FrontInputs& in) {
    ingest::parse_date(in.date, "--date");
    LoadedFront out;
    out.options = front_options(in);
    ingest::Store store = ingest::Store::open(in.store);
    auto [snapshot, wkb] = load_snapshot(store, in, in.date);
    out.snapshot = snapshot;
    out.controlled = std::make_unique<geo::Geometry>(geo::Geometry::from_wkb(ctx, wkb));
    out.analysis = std::make_unique<geo::FrontAnalysis>(*out.controlled, load_outlines(ctx, in), out.options);
    return out;
}

}  // namespace frontline::cli
