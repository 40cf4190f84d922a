#include "ingest/regions_reader.hpp"

#include <map>

#include "geo/error.hpp"
#include "geo/polygon_ops.hpp"
#include "ingest/reader.hpp"

namespace frontline::ingest {

std::vector<geo::Region> read_regions(const geo::Context& ctx, const std::string& path, const std::string& field) {
    SourceRead source = read_source(ctx, path);
    std::vector<std::string> order;
    std::map<std::string, std::vector<geo::Geometry>> parts;
    for (const auto& record : source.records) {
        auto value = record.attributes.find(field);
        if (value == record.attributes.end() || value->second.empty()) {
            std::string known;
            for (const auto& [name, v] : record.attributes) {
                known += (known.empty() ? "" : ", ") + name;
            }
            throw InputError(path + ", layer '" + record.layer + "', feature " + std::to_string(record.fid) +
                             ": no value for --region-field " + field + " (its fields: " +
                             (known.empty() ? "none" : known) + ")");
        }
        auto& list = parts[value->second];
        if (list.empty()) {
            order.push_back(value->second);
        }
        for (std::size_t i = 0; i < record.polygon_count; ++i) {
            list.push_back(source.polygons[record.first_polygon + i].clone());
        }
    }
    std::vector<geo::Region> regions;
    for (const auto& name : order) {
        regions.push_back(geo::Region{name, geo::dissolve(ctx, parts[name], 0.0)});
    }
    return regions;
}

}  // namespace frontline::ingest
