#include "cli/regional.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/format.hpp"

namespace frontline::cli {

std::optional<double> RegionRow::share_from_pct() const {
    if (region_area_m2 <= 0.0) {
        return std::nullopt;
    }
    return 100.0 * area_from_m2 / region_area_m2;
}

std::optional<double> RegionRow::share_to_pct() const {
    if (region_area_m2 <= 0.0) {
        return std::nullopt;
    }
    return 100.0 * area_to_m2 / region_area_m2;
}

RegionalDelta regional_delta(const geo::RegionSet& regions, const std::vector<double>& from_areas_m2,
                             const std::vector<double>& to_areas_m2, const geo::DeltaResult& delta) {
    RegionalDelta out = regional_delta(regions, delta);
    set_region_areas(out, from_areas_m2, to_areas_m2);
    return out;
}

void set_region_areas(RegionalDelta& regional, const std::vector<double>& from_areas_m2,
                      const std::vector<double>& to_areas_m2) {
    for (std::size_t i = 0; i < regional.rows.size(); ++i) {
        regional.rows[i].area_from_m2 = from_areas_m2.at(i);
        regional.rows[i].area_to_m2 = to_areas_m2.at(i);
    }
}

RegionalDelta regional_delta(const geo::RegionSet& regions, const geo::DeltaResult& delta) {
    RegionalDelta out;
    for (std::size_t i = 0; i <= regions.size(); ++i) {
        RegionRow row;
        row.region = regions.name(i);
        row.region_area_m2 = i < regions.size() ? regions.area_m2(i) : 0.0;
        out.rows.push_back(std::move(row));
    }
    for (const auto& part : delta.parts) {
        for (auto& piece : regions.split(part.polygon)) {
            RegionRow& row = out.rows[piece.region];
            (part.change == geo::Change::gained ? row.gained_m2 : row.lost_m2) += piece.area_m2;
            out.pieces.push_back(RegionalPiece{part.change, row.region, std::move(piece.geometry), piece.area_m2});
        }
    }
    std::stable_sort(out.pieces.begin(), out.pieces.end(),
                     [](const RegionalPiece& a, const RegionalPiece& b) { return a.area_m2 > b.area_m2; });
    return out;
}

nlohmann::ordered_json regions_json(const std::vector<RegionRow>& rows_in) {
    auto km2 = [](double m2) { return round_to(m2 / 1e6); };
    auto pct = [](std::optional<double> v) {
        return v ? nlohmann::ordered_json(round_to(*v, 3)) : nlohmann::ordered_json(nullptr);
    };
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (const auto& row : rows_in) {
        rows.push_back({{"region", row.region},
                        {"region_area_km2", km2(row.region_area_m2)},
                        {"area_from_km2", km2(row.area_from_m2)},
                        {"area_to_km2", km2(row.area_to_m2)},
                        {"share_from_pct", pct(row.share_from_pct())},
                        {"share_to_pct", pct(row.share_to_pct())},
                        {"gained_km2", km2(row.gained_m2)},
                        {"lost_km2", km2(row.lost_m2)},
                        {"net_km2", km2(row.net_m2())}});
    }
    return rows;
}

std::string regions_table(const std::vector<RegionRow>& rows) {
    std::string out = "  by region                              area from km2      area to km2   share to     gained       lost        net\n";
    char line[256];
    for (const auto& row : rows) {
        auto share = row.share_to_pct();
        std::snprintf(line, sizeof line, "    %-34s %15s  %15s  %8s  %9s  %9s  %9s\n", row.region.c_str(),
                      grouped(row.area_from_m2 / 1e6).c_str(), grouped(row.area_to_m2 / 1e6).c_str(),
                      share ? (grouped(*share, 1) + "%").c_str() : "", grouped(row.gained_m2 / 1e6).c_str(),
                      grouped(row.lost_m2 / 1e6).c_str(), signed_grouped(row.net_m2() / 1e6).c_str());
        out += line;
    }
    return out;
}

}  // namespace frontline::cli
