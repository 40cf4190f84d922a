#include "cli/parts_output.hpp"

#include "cli/format.hpp"
#include "ingest/vector_writer.hpp"

namespace frontline::cli {

namespace {

constexpr const char* kGainedColour = "#d7191c";  // red
constexpr const char* kLostColour = "#2c7bb6";    // blue

}  // namespace

void write_parts(const std::string& path, const std::string& driver, const std::string& layer, const std::string& provider,
                 const std::string& cls, PartColumns columns, const std::vector<PartRecord>& parts) {
    using Field = ingest::OutField;
    std::vector<Field> fields = {{"change", Field::Type::text}, {"area_km2", Field::Type::real}};
    if (columns.region) {
        fields.push_back({"region", Field::Type::text});
    }
    if (columns.step) {
        fields.push_back({"step", Field::Type::integer});
    }
    for (const char* name : {"from", "to", "from_snapshot", "to_snapshot", "start", "end", "provider", "class", "fill"}) {
        fields.push_back({name, Field::Type::text});
    }
    fields.push_back({"fill-opacity", Field::Type::real});
    fields.push_back({"stroke", Field::Type::text});

    std::vector<ingest::OutFeature> features;
    features.reserve(parts.size());
    for (const auto& p : parts) {
        const std::string colour = p.change == geo::Change::gained ? kGainedColour : kLostColour;
        ingest::OutFeature f;
        f.wkb = p.geometry->to_wkb();
        f.properties = {std::string(geo::to_string(p.change)), round_to(p.area_m2 / 1e6)};
        if (columns.region) {
            f.properties.emplace_back(p.region);
        }
        if (columns.step) {
            f.properties.emplace_back(static_cast<std::int64_t>(p.step));
        }
        for (const std::string* s : {&p.from, &p.to, &p.from_snapshot, &p.to_snapshot, &p.from_snapshot,
                                     &p.to_snapshot, &provider, &cls, &colour}) {
            f.properties.emplace_back(*s);
        }
        f.properties.emplace_back(0.6);
        f.properties.emplace_back(colour);
        features.push_back(std::move(f));
    }
    ingest::write_features(path, driver, layer, fields, features);
}

}  // namespace frontline::cli
