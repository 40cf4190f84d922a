#include "cli/command_compare.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <ostream>
#include <sstream>

#include "cli/format.hpp"
#include "geo/error.hpp"
#include "geo/geodesic.hpp"
#include "geo/polygon_ops.hpp"
#include "ingest/dates.hpp"
#include "cli/store_options.hpp"
#include "ingest/store.hpp"
#include "ingest/vector_writer.hpp"

namespace frontline::cli {

const char* to_string(Agreement a) {
    switch (a) {
        case Agreement::agree:
            return "agree";
        case Agreement::only_a:
            return "only_a";
        case Agreement::only_b:
            return "only_b";
    }
    return "?";
}

double CompareReport::agreement_pct() const {
    const double all = agree_m2 + only_a_m2 + only_b_m2;
    return all > 0.0 ? 100.0 * agree_m2 / all : 100.0;
}

namespace {

constexpr const char* kAgreeColour = "#999999";  // grey: both say so
constexpr const char* kOnlyAColour = "#e66101";  // orange
constexpr const char* kOnlyBColour = "#5e3c99";  // purple

const char* colour(Agreement a) {
    return a == Agreement::agree ? kAgreeColour : a == Agreement::only_a ? kOnlyAColour : kOnlyBColour;
}

void check_options(const CompareOptions& o) {
    ingest::parse_date(o.date, "--date");
    if (o.providers.size() != 2) {
        throw InputError("--provider: give exactly two, e.g. --provider deepstate --provider isw (got " +
                         std::to_string(o.providers.size()) + ")");
    }
    if (o.classes.empty() || o.classes.size() > 2) {
        throw InputError("--class: give one class for both providers or one for each (got " +
                         std::to_string(o.classes.size()) + ")");
    }
    const std::string class_b = o.classes.back();
    if (o.providers[0] == o.providers[1] && o.classes.front() == class_b) {
        throw InputError("--provider " + o.providers[0] + " twice with the same class: nothing to compare; name two "
                         "providers, or two classes with --class A_CLASS --class B_CLASS");
    }
    if (!(o.grid_size_deg > 0.0 && o.grid_size_deg <= 0.01)) {
        throw InputError("--grid-size-deg: must be > 0 and <= 0.01 degrees");
    }
    if (!(o.min_area_km2 >= 0.0) || !std::isfinite(o.min_area_km2)) {
        throw InputError("--min-area-km2: must be a number >= 0");
    }
    if (!(o.min_width_m >= 0.0) || !std::isfinite(o.min_width_m)) {
        throw InputError("--min-width-m: must be a number >= 0");
    }
}

std::string what_the_store_holds(const std::vector<ingest::SnapshotInfo>& all, const std::string& provider,
                                 const std::string& cls, const std::string& store) {
    std::vector<std::string> dates;
    for (const auto& s : all) {
        if (s.key.provider == provider && s.key.cls == cls) {
            dates.push_back(s.key.date);
        }
    }
    if (dates.empty()) {
        return "the store holds no snapshot of provider '" + provider + "', class '" + cls +
               "'; see frontline list --store " + store;
    }
    return "the store holds " + std::to_string(dates.size()) + " snapshot(s) of provider '" + provider + "', class '" +
           cls + "', from " + dates.front() + " to " + dates.back();
}

/// Adds the polygons of `g` as parts of kind `kind`, dropping slivers.
void add_parts(const geo::Geometry& g, Agreement kind, const geo::DeltaOptions& o, CompareReport& r) {
    double& kept = kind == Agreement::agree ? r.agree_m2 : kind == Agreement::only_a ? r.only_a_m2 : r.only_b_m2;
    geo::SliverTally& dropped =
        kind == Agreement::agree ? r.dropped_agree : kind == Agreement::only_a ? r.dropped_only_a : r.dropped_only_b;
    for (auto& poly : geo::polygons_of(g)) {
        const geo::GeodesicMeasure m = geo::geodesic_measure(poly);
        const double width_m = m.perimeter_m > 0.0 ? 2.0 * m.area_m2 / m.perimeter_m : 0.0;
        if (m.area_m2 < o.min_area_m2 || width_m < o.min_width_m) {
            dropped.parts += 1;
            dropped.area_m2 += m.area_m2;
            continue;
        }
        geo::normalize(poly);
        kept += m.area_m2;
        r.parts.push_back(ComparePart{kind, std::move(poly), m.area_m2});
    }
}

}  // namespace

CompareReport compute_compare(const geo::Context& ctx, const CompareOptions& options) {
    check_options(options);
    CompareReport r;
    r.options = options;
    r.provider_a = options.providers[0];
    r.provider_b = options.providers[1];
    r.class_a = options.classes.front();
    r.class_b = options.classes.back();
    if (!options.output.empty()) {
        r.driver = ingest::output_driver(options.output, options.format);
    }
    ingest::Store store = ingest::Store::open(options.store);
    auto pick = [&](const std::string& provider, const std::string& cls) {
        auto info = store.latest_on_or_before(provider, cls, options.date);
        if (!info) {
            throw InputError("--date " + options.date + ": no snapshot of provider '" + provider + "', class '" + cls +
                             "' on or before that date; " + what_the_store_holds(store.list(), provider, cls, options.store));
        }
        return *info;
    };
    const ingest::SnapshotInfo a = pick(r.provider_a, r.class_a);
    const ingest::SnapshotInfo b = pick(r.provider_b, r.class_b);
    r.snapshot_a = a.key.date;
    r.snapshot_b = b.key.date;
    const geo::Geometry ga = geo::Geometry::from_wkb(ctx, store.load_wkb(a.key));
    const geo::Geometry gb = geo::Geometry::from_wkb(ctx, store.load_wkb(b.key));
    r.area_a_m2 = geo::geodesic_area_m2(ga);
    r.area_b_m2 = geo::geodesic_area_m2(gb);

    geo::DeltaOptions o;
    o.grid_size_deg = options.grid_size_deg;
    o.min_area_m2 = options.min_area_km2 * 1e6;
    o.min_width_m = options.min_width_m;
    add_parts(geo::intersection(ga, gb, o.grid_size_deg), Agreement::agree, o, r);
    add_parts(geo::difference(ga, gb, o.grid_size_deg), Agreement::only_a, o, r);
    add_parts(geo::difference(gb, ga, o.grid_size_deg), Agreement::only_b, o, r);

    // Largest first; equal areas by WKB, so the order never depends on GEOS's internal order.
    std::vector<std::vector<unsigned char>> keys;
    keys.reserve(r.parts.size());
    for (const auto& p : r.parts) {
        keys.push_back(p.polygon.to_wkb());
    }
    std::vector<std::size_t> order(r.parts.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        if (r.parts[x].area_m2 != r.parts[y].area_m2) {
            return r.parts[x].area_m2 > r.parts[y].area_m2;
        }
        return keys[x] < keys[y];
    });
    std::vector<ComparePart> sorted;
    sorted.reserve(order.size());
    for (std::size_t i : order) {
        sorted.push_back(std::move(r.parts[i]));
    }
    r.parts = std::move(sorted);

    if (!options.output.empty()) {
        using Field = ingest::OutField;
        const std::vector<Field> fields = {
            {"comparison", Field::Type::text}, {"provider", Field::Type::text},   {"area_km2", Field::Type::real},
            {"date", Field::Type::text},       {"provider_a", Field::Type::text}, {"class_a", Field::Type::text},
            {"snapshot_a", Field::Type::text}, {"provider_b", Field::Type::text}, {"class_b", Field::Type::text},
            {"snapshot_b", Field::Type::text}, {"fill", Field::Type::text},       {"fill-opacity", Field::Type::real},
            {"stroke", Field::Type::text}};
        std::vector<ingest::OutFeature> features;
        features.reserve(r.parts.size());
        for (const auto& p : r.parts) {
            const std::string provider = p.kind == Agreement::agree ? r.provider_a + "+" + r.provider_b
                                         : p.kind == Agreement::only_a ? r.provider_a
                                                                       : r.provider_b;
            ingest::OutFeature f;
            f.wkb = p.polygon.to_wkb();
            f.properties = {std::string(to_string(p.kind)), provider, round_to(p.area_m2 / 1e6), options.date,
                            r.provider_a, r.class_a, r.snapshot_a, r.provider_b, r.class_b, r.snapshot_b,
                            std::string(colour(p.kind)), 0.6, std::string(colour(p.kind))};
            features.push_back(std::move(f));
        }
        ingest::write_features(options.output, r.driver, "compare", fields, features);
    }
    return r;
}

namespace {

int count_parts(const CompareReport& r, Agreement kind) {
    return static_cast<int>(
        std::count_if(r.parts.begin(), r.parts.end(), [&](const ComparePart& p) { return p.kind == kind; }));
}

}  // namespace

std::string compare_summary_json(const CompareReport& r) {
    auto km2 = [](double m2) { return round_to(m2 / 1e6); };
    const double diff_pct = r.area_a_m2 > 0.0 ? 100.0 * (r.area_b_m2 - r.area_a_m2) / r.area_a_m2 : 0.0;
    const geo::SliverTally all{r.dropped_agree.parts + r.dropped_only_a.parts + r.dropped_only_b.parts,
                               r.dropped_agree.area_m2 + r.dropped_only_a.area_m2 + r.dropped_only_b.area_m2};
    nlohmann::ordered_json doc = {
        {"date", r.options.date},
        {"provider_a", r.provider_a},
        {"class_a", r.class_a},
        {"snapshot_a", r.snapshot_a},
        {"provider_b", r.provider_b},
        {"class_b", r.class_b},
        {"snapshot_b", r.snapshot_b},
        {"area_a_km2", km2(r.area_a_m2)},
        {"area_b_km2", km2(r.area_b_m2)},
        {"difference_km2", km2(r.area_b_m2 - r.area_a_m2)},
        {"difference_pct", round_to(diff_pct, 3)},
        {"agree_km2", km2(r.agree_m2)},
        {"only_a_km2", km2(r.only_a_m2)},
        {"only_b_km2", km2(r.only_b_m2)},
        {"agreement_pct", round_to(r.agreement_pct(), 3)},
        {"agree_parts", count_parts(r, Agreement::agree)},
        {"only_a_parts", count_parts(r, Agreement::only_a)},
        {"only_b_parts", count_parts(r, Agreement::only_b)},
        {"slivers_dropped",
         {{"parts", all.parts},
          {"area_km2", km2(all.area_m2)},
          {"agree_km2", km2(r.dropped_agree.area_m2)},
          {"only_a_km2", km2(r.dropped_only_a.area_m2)},
          {"only_b_km2", km2(r.dropped_only_b.area_m2)},
          {"min_area_km2", r.options.min_area_km2},
          {"min_width_m", r.options.min_width_m}}},
        {"grid_size_deg", r.options.grid_size_deg},
        {"output", r.options.output.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.options.output)},
        {"method", geo::kGeodesicMethod}};
    return doc.dump(2) + "\n";
}

std::string compare_summary_table(const CompareReport& r) {
    auto km2 = [](double m2) { return grouped(m2 / 1e6) + " km2"; };
    const std::string a = r.provider_a + (r.class_a == r.class_b ? "" : " " + r.class_a);
    const std::string b = r.provider_b + (r.class_a == r.class_b ? "" : " " + r.class_b);
    const std::size_t width = std::max<std::size_t>({a.size(), b.size(), 9}) + 7;
    auto label = [&](const std::string& s) { return s + std::string(width > s.size() ? width - s.size() : 1, ' '); };
    const double diff_pct = r.area_a_m2 > 0.0 ? 100.0 * (r.area_b_m2 - r.area_a_m2) / r.area_a_m2 : 0.0;
    const int dropped = r.dropped_agree.parts + r.dropped_only_a.parts + r.dropped_only_b.parts;
    const double dropped_m2 = r.dropped_agree.area_m2 + r.dropped_only_a.area_m2 + r.dropped_only_b.area_m2;
    std::ostringstream s;
    s << "compare  " << r.provider_a << " and " << r.provider_b << ", class "
      << (r.class_a == r.class_b ? r.class_a : r.class_a + " / " + r.class_b) << ", " << r.options.date << "\n"
      << "  " << label(a) << "snapshot " << r.snapshot_a << "  " << km2(r.area_a_m2) << "\n"
      << "  " << label(b) << "snapshot " << r.snapshot_b << "  " << km2(r.area_b_m2) << "  ("
      << signed_grouped(diff_pct, 3) << "% against " << r.provider_a << ")\n"
      << "  " << label("agree") << km2(r.agree_m2) << " in " << count_parts(r, Agreement::agree) << " part(s)  ("
      << grouped(r.agreement_pct(), 3) << "% of the area either shows)\n"
      << "  " << label("only " + a) << km2(r.only_a_m2) << " in " << count_parts(r, Agreement::only_a) << " part(s)\n"
      << "  " << label("only " + b) << km2(r.only_b_m2) << " in " << count_parts(r, Agreement::only_b) << " part(s)\n"
      << "  " << label("slivers") << dropped << " part(s), " << grouped(dropped_m2 / 1e6, 4) << " km2 dropped (under "
      << r.options.min_area_km2 << " km2 or " << r.options.min_width_m << " m wide)\n";
    if (r.snapshot_a != r.snapshot_b) {
        s << "  " << label("note") << "the snapshots are of different dates\n";
    }
    if (!r.options.output.empty()) {
        s << "  " << label("output") << r.options.output << " (" << r.driver << ", " << r.parts.size() << " feature(s))\n";
    }
    s << "method: " << geo::kGeodesicMethod << "\n";
    return s.str();
}

CLI::App* CompareCommand::setup(CLI::App& app) {
    auto* cmd = app.add_subcommand("compare", "Where two providers agree and disagree at a date, in geodesic km2");
    cmd->footer(
        "Uses each provider's latest snapshot on or before --date. Writes the area both show\n"
        "(agree), only the first shows (only_a) and only the second shows (only_b) as parts with\n"
        "their km2. Parts smaller than --min-area-km2 or thinner than --min-width-m are slivers:\n"
        "dropped and counted.\n\n"
        "Example:\n"
        "  frontline compare --store ua.gpkg --date 2025-08-03 --provider deepstate --provider cyterat -o cmp.geojson");
    auto& o = m_options;
    add_store_option(*cmd, o.store);
    cmd->add_option("--date", o.date, "Date, YYYY-MM-DD")->required();
    cmd->add_option("--provider", o.providers, "A provider; give it twice: --provider A --provider B")->required();
    cmd->add_option("--class", o.classes, "Class of both snapshots, or give it twice: one for A, one for B")
        ->capture_default_str();
    cmd->add_option("-o,--output", o.output, "Write the parts here (RFC 7946 GeoJSON by default)");
    cmd->add_option("-f,--format", o.format, "OGR driver for -o (GeoJSON, GPKG, FlatGeobuf, GeoJSONSeq, CSV, ...)");
    cmd->add_flag("--json", o.json, "Print the summary as one JSON object");
    cmd->add_option("--min-area-km2", o.min_area_km2, "Parts smaller than this are slivers, km2")->capture_default_str();
    cmd->add_option("--min-width-m", o.min_width_m, "Parts thinner than this (2 x area / perimeter) are slivers, m")
        ->capture_default_str();
    cmd->add_option("--grid-size-deg", o.grid_size_deg, "Precision grid of the overlay, degrees")->capture_default_str();
    return cmd;
}

int CompareCommand::run(std::ostream& out) {
    geo::Context ctx;
    CompareReport report = compute_compare(ctx, m_options);
    out << (m_options.json ? compare_summary_json(report) : compare_summary_table(report));
    return 0;
}

}  // namespace frontline::cli
