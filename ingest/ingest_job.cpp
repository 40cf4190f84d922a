#include "ingest/ingest_job.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>
#include <unistd.h>

#include "geo/geodesic.hpp"
#include "ingest/class_rules.hpp"
#include "ingest/dates.hpp"
#include "ingest/gdal_env.hpp"
#include "ingest/hash.hpp"
#include "ingest/presets.hpp"

namespace frontline::ingest {

const char* to_string(IngestStatus s) {
    switch (s) {
        case IngestStatus::added:
            return "added";
        case IngestStatus::replaced:
            return "replaced";
        case IngestStatus::unchanged:
            return "unchanged";
    }
    return "?";
}

namespace {

constexpr std::size_t kMaxListedValues = 12;

std::string file_name(const std::string& path) {
    auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) {
        out += (out.empty() ? "" : ",") + s;
    }
    return out;
}

/// Everything fixed for the whole run: the rules, how files are opened, the clip area.
struct RunSetup {
    std::string provider;
    std::unique_ptr<Classifier> classifier;
    std::string rules_label;
    bool rules_used = false;
    ReadOptions read;
    std::unique_ptr<geo::ClipArea> clip;
    double min_area_m2 = 0.0;
    double min_width_m = 0.0;
};

/// Valid, or made valid: parts put side by side after clipping can touch or overlap by a grid cell.
geo::Geometry ensure_valid(const geo::Context& ctx, geo::Geometry g, double grid_size_deg) {
    if (geo::is_valid(g)) {
        return g;
    }
    std::vector<geo::Geometry> one;
    one.push_back(std::move(g));
    geo::Geometry fixed = geo::dissolve(ctx, one, grid_size_deg);
    if (!geo::is_valid(fixed)) {
        fixed = geo::polygonal_part(geo::make_valid_polygonal(fixed));
    }
    return fixed;
}

/// Clips `g` part by part: parts inside are kept as they are, parts outside dropped, parts
/// crossing the boundary intersected with it. Tallies what went.
geo::Geometry clip_parts(const geo::Context& ctx, const geo::ClipArea& area, const geo::Geometry& g, double grid_size_deg,
                         ClassOutcome& outcome) {
    std::vector<geo::Geometry> kept;
    bool crossed = false;
    for (auto& part : geo::polygons_of(g)) {
        switch (area.placement(part)) {
            case geo::ClipArea::Placement::inside:
                kept.push_back(std::move(part));
                break;
            case geo::ClipArea::Placement::outside:
                outcome.parts_outside += 1;
                outcome.outside_km2 += geo::geodesic_area_m2(part) / 1e6;
                break;
            case geo::ClipArea::Placement::crossing: {
                crossed = true;
                geo::Geometry inside = area.clip(part);
                if (inside.is_empty()) {  // it only touched the boundary from outside
                    outcome.parts_outside += 1;
                    outcome.outside_km2 += geo::geodesic_area_m2(part) / 1e6;
                    break;
                }
                outcome.clipped_km2 += (geo::geodesic_area_m2(part) - geo::geodesic_area_m2(inside)) / 1e6;
                for (auto& p : geo::polygons_of(inside)) {
                    kept.push_back(std::move(p));
                }
                break;
            }
        }
    }
    geo::Geometry out = geo::make_multipolygon(ctx, std::move(kept));
    if (crossed) {
        return ensure_valid(ctx, std::move(out), grid_size_deg);
    }
    return out;
}

/// Great-circle distance in km (the implausibility rule needs no more than that).
double haversine_km(double lon1, double lat1, double lon2, double lat2) {
    constexpr double kPi = 3.14159265358979323846;
    constexpr double kRad = kPi / 180.0;
    const double dlat = (lat2 - lat1) * kRad;
    const double dlon = (lon2 - lon1) * kRad;
    const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                     std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2.0 * 6371.0088 * std::asin(std::min(1.0, std::sqrt(a)));
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/// One class's geometry being built.
struct ClassBuild {
    std::string cls;
    std::string parent;                 // for a sub-class: its main class
    std::size_t rank = 0;               // precedence of the class (of its parent for a sub-class); 0 is highest
    std::vector<std::size_t> polygons;  // indices into SourceRead::polygons
    std::set<std::string> layers;
    std::set<std::pair<std::string, std::int64_t>> features;  // (layer, fid), to find their repairs
    int feature_count = 0;              // features assigned (FIDs need not be unique)
    std::optional<geo::Geometry> geometry;
    double area_m2 = 0.0;               // of geometry, kept up to date
    ClassOutcome outcome;
    // Once no other file can change the geometry (see seal()): its WKB and the WKB's SHA-256,
    // and `geometry` is released.
    std::vector<unsigned char> wkb;
    std::string wkb_sha256;
    std::size_t parts = 0;

    /// Whether this class has area to store (sealed or not).
    [[nodiscard]] bool has_area() const { return !wkb.empty() || (geometry && !geometry->is_empty()); }
};

/// Turns a class's final geometry into the bytes the store keeps, in the worker that built it,
/// and frees the GEOS geometry: a year of 300,000-vertex snapshots would otherwise be held twice
/// (as GEOS geometries and as WKB) until the single write at the end.
void seal(ClassBuild& b) {
    if (b.geometry && !b.geometry->is_empty()) {
        b.parts = b.geometry->num_geometries();
        b.wkb = b.geometry->to_wkb();
        b.wkb_sha256 = sha256_hex(b.wkb);
    }
    b.geometry.reset();
}

/// What one file gives: its classes' geometries and the report.
struct FileResult {
    std::string path;
    std::string date;
    SourceReport report;
    std::vector<ClassBuild> classes;  // main classes in precedence order, then sub-classes
    int features = 0;
    int other_features = 0;
    std::vector<Repair> repairs;
    std::vector<std::string> notes;
    std::vector<std::string> layers;  // layers with polygons, in file order
};

void add_ignored(SourceReport& report, const std::string& reason, const std::string& value, bool unmatched) {
    auto it = std::find_if(report.ignored.begin(), report.ignored.end(),
                           [&](const IgnoredFeatures& g) { return g.reason == reason; });
    if (it == report.ignored.end()) {
        report.ignored.push_back(IgnoredFeatures{reason, 0, {}, unmatched});
        it = report.ignored.end() - 1;
    }
    it->features += 1;
    if (!value.empty() && it->values.size() < kMaxListedValues &&
        std::find(it->values.begin(), it->values.end(), value) == it->values.end()) {
        it->values.push_back(value);
    }
}

/// Gives the area `b` shares with the higher class `h` to `h`. Returns true if an overlay ran
/// (then `b` may hold new slivers).
bool cut_by(ClassBuild& b, const ClassBuild& h, SourceReport& report, double grid) {
    if (!b.geometry || b.geometry->is_empty() || !h.geometry || h.geometry->is_empty() ||
        !geo::meets(geo::envelope(*b.geometry), geo::envelope(*h.geometry))) {
        return false;
    }
    geo::Geometry rest = geo::difference(*b.geometry, *h.geometry, grid);
    const double rest_m2 = geo::geodesic_area_m2(rest);
    const double given_m2 = b.area_m2 - rest_m2;
    b.geometry = std::move(rest);
    b.area_m2 = rest_m2;
    if (given_m2 >= 1.0) {  // below a square metre it is noise of the overlay
        b.outcome.overlap_km2 += given_m2 / 1e6;
        if (b.parent.empty()) {
            auto it = std::find_if(report.overlaps.begin(), report.overlaps.end(), [&](const OverlapResolved& o) {
                return o.cls == b.cls && o.kept_by == h.cls;
            });
            if (it == report.overlaps.end()) {
                report.overlaps.push_back(OverlapResolved{b.cls, h.cls, 0.0});
                it = report.overlaps.end() - 1;
            }
            it->area_km2 += given_m2 / 1e6;
        }
    }
    return true;
}

/// Drops sliver parts and fills sliver holes (with class rules), then puts the geometry in
/// normal form and measures it.
void finish(ClassBuild& b, const RunSetup& setup, bool clean) {
    geo::Geometry& g = *b.geometry;
    if (clean && !g.is_empty()) {
        geo::SliverRemoval s = geo::remove_slivers(g, setup.min_area_m2, setup.min_width_m);
        b.outcome.sliver_parts += s.parts;
        b.outcome.sliver_parts_km2 += s.parts_area_m2 / 1e6;
        b.outcome.sliver_holes += s.holes;
        b.outcome.sliver_holes_km2 += s.holes_area_m2 / 1e6;
        g = std::move(s.result);
        b.area_m2 = s.result_area_m2;
    } else {
        b.area_m2 = geo::geodesic_area_m2(g);
    }
    geo::normalize(g);
    b.outcome.area_km2 = b.area_m2 / 1e6;
    b.outcome.parts = g.is_empty() ? 0 : g.num_geometries();
    b.outcome.stored = !g.is_empty();
}

/// `clip`: setup.clip or its copy in `ctx` (a prepared geometry belongs to one thread).
FileResult build_file(const geo::Context& ctx, const RunSetup& setup, const geo::ClipArea* clip,
                      const IngestOptions& options, SourceRead& source, const std::string& path) {
    const Classifier& classifier = *setup.classifier;
    const double grid = options.grid_size_deg;
    FileResult result;
    result.path = path;
    result.features = source.features;
    result.other_features = source.other_features;
    result.repairs = source.repairs;
    result.notes = source.notes;
    result.layers = source.layers;
    SourceReport& report = result.report;
    report.file = path;
    report.provider = setup.provider;
    report.rules = setup.rules_label;
    report.sha256 = source.sha256;
    report.features = source.features;
    report.polygonal_features = source.polygonal_features;
    report.notes = source.notes;

    // Classes in resolution order, then sub-classes in the order the rules name them.
    const std::vector<std::string>& mains = classifier.main_classes();
    std::map<std::string, std::size_t> index;
    auto add_class = [&](const std::string& cls, const std::string& parent) {
        if (index.count(cls) == 0) {
            const std::string& ranked = parent.empty() ? cls : parent;
            ClassBuild b;
            b.cls = cls;
            b.parent = parent;
            b.rank = static_cast<std::size_t>(std::find(mains.begin(), mains.end(), ranked) - mains.begin());
            b.outcome.cls = cls;
            b.outcome.parent = parent;
            index[cls] = result.classes.size();
            result.classes.push_back(std::move(b));
        }
    };
    for (const auto& c : mains) {
        add_class(c, "");
    }
    for (const auto& rule : classifier.map().rules) {
        for (std::size_t k = 1; k < rule.classes.size(); ++k) {
            add_class(rule.classes[k], rule.classes[0]);
        }
    }

    // Classify every polygonal feature.
    const std::string name = file_name(path);
    std::vector<int> hits(classifier.map().rules.size(), 0);
    std::map<std::pair<std::string, std::int64_t>, std::string> class_of;  // for the repairs
    for (const auto& record : source.records) {
        Classifier::Result r = classifier.classify(record, name);
        if (r.rule >= 0) {
            hits[static_cast<std::size_t>(r.rule)] += 1;
        }
        const auto key = std::make_pair(record.layer, record.fid);
        if (r.classes.empty()) {
            add_ignored(report, r.why, r.value, r.rule < 0);
            class_of[key] = "ignored";
            continue;
        }
        report.used_features += 1;
        class_of[key] = r.classes.front();
        for (const auto& cls : r.classes) {
            ClassBuild& b = result.classes[index.at(cls)];
            for (std::size_t i = 0; i < record.polygon_count; ++i) {
                b.polygons.push_back(record.first_polygon + i);
            }
            b.layers.insert(record.layer);
            b.features.insert(key);
            b.feature_count += 1;
        }
    }
    for (const auto& [type, count] : source.other_geometry_types) {
        for (int i = 0; i < count; ++i) {
            add_ignored(report, type == "none" ? "no geometry" : "not a polygon (" + type + ")", "", false);
        }
    }
    for (std::size_t i = 0; i < hits.size(); ++i) {
        if (hits[i] > 0) {
            const auto& rule = classifier.map().rules[i];
            report.rules_used.push_back(RuleHit{classifier.describe(static_cast<int>(i)), rule.classes, hits[i]});
        }
    }
    for (const auto& rep : source.repairs) {
        auto it = class_of.find({rep.layer, rep.feature});
        report.repairs.push_back(ClassedRepair{rep, it == class_of.end() ? std::string("ignored") : it->second});
    }

    if (report.used_features == 0) {
        std::set<std::string> attributes;
        for (const auto& record : source.records) {
            for (const auto& [k, v] : record.attributes) {
                attributes.insert(k);
            }
        }
        std::string values;
        for (const auto& g : report.ignored) {
            for (const auto& v : g.values) {
                values += (values.empty() ? "'" : ", '") + v + "'";
            }
        }
        std::string attrs;
        for (const auto& a : attributes) {
            attrs += (attrs.empty() ? "" : ", ") + a;
        }
        throw InputError(path + ": none of its " + std::to_string(source.polygonal_features) +
                         " polygonal feature(s) matched a class of " + setup.rules_label +
                         (values.empty() ? std::string() : " (values seen: " + values + ")") + "; its attributes are " +
                         (attrs.empty() ? std::string("(none)") : attrs) + ", layer(s) " + join(source.layers) +
                         "; check --preset, or describe the file with --class-field and --class-map");
    }

    // Build each class: dissolve, clip, give overlaps to higher classes, clean slivers.
    const bool clean = classifier.map().clean_slivers;
    std::vector<const ClassBuild*> done;  // main classes built so far, highest first
    for (auto& b : result.classes) {
        for (const auto& rep : source.repairs) {
            b.outcome.repairs += b.features.count({rep.layer, rep.feature}) != 0 ? 1 : 0;
        }
        b.outcome.features = b.feature_count;
        if (b.features.empty()) {
            continue;  // the rules know this class, this file has none of it
        }
        std::vector<geo::Geometry> polys;
        polys.reserve(b.polygons.size());
        for (std::size_t i : b.polygons) {
            polys.push_back(source.polygons[i].clone());
        }
        b.geometry = geo::dissolve(ctx, polys, grid);
        // The area before clipping and cuts is measured here only when they need it; else it
        // follows from finish()'s measures (a 300,000-vertex snapshot costs ~0.1 s a pass).
        const bool cut = std::any_of(done.begin(), done.end(), [&](const ClassBuild* h) { return h->rank < b.rank; });
        const bool measure_before = clip != nullptr || cut;
        if (measure_before) {
            b.area_m2 = geo::geodesic_area_m2(*b.geometry);
            b.outcome.area_before_km2 = b.area_m2 / 1e6;
        }
        if (clip != nullptr && !b.geometry->is_empty()) {
            b.geometry = clip_parts(ctx, *clip, *b.geometry, grid, b.outcome);
            b.area_m2 -= (b.outcome.outside_km2 + b.outcome.clipped_km2) * 1e6;
        }
        for (const ClassBuild* h : done) {
            if (h->rank < b.rank) {
                cut_by(b, *h, report, grid);
            }
        }
        finish(b, setup, clean);
        if (!measure_before) {
            b.outcome.area_before_km2 =
                b.area_m2 / 1e6 - b.outcome.sliver_holes_km2 + b.outcome.sliver_parts_km2;
        }
        if (b.parent.empty()) {
            done.push_back(&b);
        }
    }

    // Without a clip boundary, flag parts far from the rest: stray polygons in the wrong ocean.
    if (clip == nullptr) {
        std::vector<geo::Geometry> parts;
        std::vector<std::string> part_class;
        for (const auto& b : result.classes) {
            if (!b.parent.empty() || !b.geometry) {
                continue;
            }
            for (auto& p : geo::polygons_of(*b.geometry)) {
                parts.push_back(std::move(p));
                part_class.push_back(b.cls);
            }
        }
        std::vector<double> lons;
        std::vector<double> lats;
        for (const auto& p : parts) {
            const geo::Envelope box = geo::envelope(p);
            lons.push_back((box.min_lon + box.max_lon) / 2);
            lats.push_back((box.min_lat + box.max_lat) / 2);
        }
        if (parts.size() >= 2) {
            const double lon0 = median(lons);
            const double lat0 = median(lats);
            for (std::size_t i = 0; i < parts.size(); ++i) {
                const double d = haversine_km(lon0, lat0, lons[i], lats[i]);
                if (d > options.max_distance_km) {
                    report.implausible.push_back(
                        ImplausiblePart{part_class[i], geo::geodesic_area_m2(parts[i]) / 1e6, lons[i], lats[i], d});
                }
            }
            std::sort(report.implausible.begin(), report.implausible.end(),
                      [](const ImplausiblePart& a, const ImplausiblePart& b) { return a.area_km2 > b.area_km2; });
        }
    }
    return result;
}

/// Files of the same date in one run are one map (ISW publishes control of terrain and advances
/// as separate layers): classes of different files must not overlap either.
void resolve_across_files(std::vector<FileResult>& files, const RunSetup& setup, double grid) {
    std::map<std::string, std::vector<std::size_t>> by_date;
    for (std::size_t i = 0; i < files.size(); ++i) {
        by_date[files[i].date].push_back(i);
    }
    const bool clean = setup.classifier->map().clean_slivers;
    for (const auto& [date, group] : by_date) {
        if (group.size() < 2) {
            continue;
        }
        // Every class of the group, highest precedence first; a main class before its sub-classes.
        std::vector<std::pair<std::size_t, ClassBuild*>> all;
        for (std::size_t f : group) {
            for (auto& b : files[f].classes) {
                if (b.geometry && !b.geometry->is_empty()) {
                    all.emplace_back(f, &b);
                }
            }
        }
        std::stable_sort(all.begin(), all.end(), [](const auto& x, const auto& y) {
            return std::make_pair(x.second->rank, !x.second->parent.empty()) <
                   std::make_pair(y.second->rank, !y.second->parent.empty());
        });
        for (auto& [f, b] : all) {
            bool cut = false;
            for (const auto& [g, h] : all) {
                if (g != f && h->parent.empty() && h->rank < b->rank) {
                    cut = cut_by(*b, *h, files[f].report, grid) || cut;
                }
            }
            if (cut) {
                finish(*b, setup, clean);
            }
        }
    }
}

/// Throws InputError when a file that lies wholly outside the clip boundary would fall on it
/// with x and y swapped: latitude, longitude order where GeoJSON and frontline want lon, lat.
void check_swapped_axes(const SourceRead& source, const geo::ClipArea& clip, const std::string& path,
                        const std::string& clip_path) {
    geo::Envelope box;
    for (const auto& p : source.polygons) {
        box = geo::merged(box, geo::envelope(p));
    }
    const geo::Envelope area = geo::envelope(clip.area());
    if (box.empty || geo::meets(box, area)) {
        return;
    }
    geo::Envelope swapped = box;
    swapped.min_lon = box.min_lat;
    swapped.max_lon = box.max_lat;
    swapped.min_lat = box.min_lon;
    swapped.max_lat = box.max_lon;
    if (geo::meets(swapped, area)) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "x %.4f..%.4f, y %.4f..%.4f", box.min_lon, box.max_lon, box.min_lat, box.max_lat);
        throw InputError(path + ": its extent (" + buf + ") lies outside the clip boundary " + clip_path +
                         " but would lie on it with x and y swapped: the coordinates look like latitude, longitude; "
                         "write them as longitude, latitude (GeoJSON order)");
    }
}

/// Throws InputError when the store (or, for a new one, its folder) cannot be written, before any
/// file is read. SQLite writes its rollback journal beside the store, so the folder must be
/// writable too. Connection strings (PG:...) are left to their driver.
void check_store_writable(const std::string& path) {
    if (path.rfind("PG:", 0) == 0) {
        return;
    }
    const auto slash = path.find_last_of('/');
    const std::string folder = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    if (Store::exists(path) && ::access(path.c_str(), W_OK) != 0) {
        throw InputError("store " + path + ": read-only (" + std::strerror(errno) +
                         "); make it writable (chmod u+w), or ingest into another store with --store");
    }
    if (Store::exists(folder) && ::access(folder.c_str(), W_OK) != 0) {
        throw InputError("store " + path + ": read-only folder " + folder + " (" + std::strerror(errno) +
                         "; the store's journal is written beside it); make the folder writable, or use --store "
                         "in a writable folder");
    }
}

RunSetup make_setup(const geo::Context& ctx, const IngestOptions& options) {
    RunSetup setup;
    const Preset* preset = options.preset.empty() ? nullptr : &find_preset(options.preset);
    setup.provider = preset != nullptr && options.provider == IngestOptions{}.provider ? preset->provider : options.provider;
    check_name(setup.provider, "--provider");
    if (!options.class_field.empty() && options.class_map.empty()) {
        throw InputError("--class-field " + options.class_field +
                         ": needs --class-map, the rules that map that field's values to classes");
    }
    if (!options.class_map.empty()) {
        setup.classifier = std::make_unique<Classifier>(load_class_map(options.class_map, options.class_field));
        setup.rules_label = "class map " + options.class_map;
        setup.rules_used = true;
    } else if (preset != nullptr) {
        setup.classifier = std::make_unique<Classifier>(preset->classes);
        setup.rules_label = "preset " + preset->name;
        setup.rules_used = true;
    } else {
        check_name(options.cls, "--class");
        setup.classifier = std::make_unique<Classifier>(single_class_map(options.cls));
        setup.rules_label = "single class " + options.cls;
    }
    if (preset != nullptr) {
        setup.read = preset->read;
    }
    if (options.max_vertices == 0) {
        throw InputError("--max-vertices: must be > 0");
    }
    setup.read.limits.max_vertices = options.max_vertices;
    if (!(options.min_area_km2 >= 0.0)) {
        throw InputError("--min-area-km2: must be >= 0 (0 keeps every part and hole)");
    }
    if (!(options.min_width_m >= 0.0)) {
        throw InputError("--min-width-m: must be >= 0 (0 keeps every part and hole)");
    }
    if (!(options.max_distance_km > 0.0)) {
        throw InputError("--max-distance-km: must be > 0");
    }
    setup.min_area_m2 = options.min_area_km2 * 1e6;
    setup.min_width_m = options.min_width_m;
    if (!options.clip.empty()) {
        SourceRead boundary = [&] {
            try {
                return read_source(ctx, options.clip);
            } catch (const InputError& e) {
                throw InputError(std::string("--clip: ") + e.what());
            }
        }();
        try {
            setup.clip = std::make_unique<geo::ClipArea>(ctx, boundary.polygons, options.grid_size_deg);
        } catch (const InputError&) {
            throw InputError("--clip " + options.clip + ": its polygons have no area; give a boundary file with polygons");
        }
    }
    return setup;
}

}  // namespace

IngestReport ingest_files(const geo::Context& ctx, const IngestOptions& options) {
    if (options.preset.empty() && options.class_map.empty()) {
        check_name(options.provider, "--provider");
        check_name(options.cls, "--class");
    }
    if (options.files.empty()) {
        throw InputError("ingest: no input files; name one or more files to ingest");
    }
    if (!(options.grid_size_deg > 0.0 && options.grid_size_deg <= 0.01)) {
        throw InputError("--grid-size-deg: must be > 0 and <= 0.01 degrees");
    }
    const std::string fixed_date = options.date.empty() ? "" : parse_date(options.date, "--date");
    const std::string today = today_utc();
    check_store_writable(options.store_path);
    const RunSetup setup = make_setup(ctx, options);

    IngestReport report;
    report.store_path = Store::display_name(options.store_path);
    report.rules_used = setup.rules_used;
    report.precedence = setup.classifier->main_classes();
    report.clip_path = options.clip;
    if (setup.clip) {
        report.clip_area_km2 = geo::geodesic_area_m2(setup.clip->area()) / 1e6;
    }
    if (setup.classifier->map().clean_slivers) {
        report.min_area_km2 = options.min_area_km2;
        report.min_width_m = options.min_width_m;
    }
    std::vector<Snapshot> snapshots;
    std::vector<std::size_t> report_index;      // snapshots[i] is reported in report.files[report_index[i]]
    std::map<std::string, std::size_t> by_key;  // key text → index in snapshots

    // Each file's date first: a missing or future date fails before any file is read.
    std::vector<std::string> dates;
    for (const auto& path : options.files) {
        std::string date = fixed_date;
        if (date.empty()) {
            auto found = date_from_filename(path);
            if (!found) {
                throw InputError(path +
                                 ": no date in the file name (YYYYMMDD, YYYY-MM-DD or a 10-digit Unix "
                                 "timestamp); give it with --date YYYY-MM-DD");
            }
            date = *found;
        }
        if (date > today) {
            throw InputError(path + ": date " + date + " is in the future (today is " + today +
                             " UTC); give the right date with --date");
        }
        dates.push_back(std::move(date));
    }

    // An existing store or PostGIS is written through GDAL, which is loaded on first use
    // (gdal_env.hpp, load_gdal): load it before the workers start, since loading it beside them
    // was measured slower (its mmap and mprotect calls stall every thread of the process). A new
    // GeoPackage is written without GDAL (gpkg_writer.hpp); a file only GDAL reads loads it then.
    if (Store::is_database(options.store_path) || Store::exists(options.store_path)) {
        init_gdal();
    }

    // Files are read and built in parallel, each worker with its own GEOS context (and its own
    // copy of the clip area); the results do not depend on the number of workers. The first
    // file in command-line order that fails is the one reported, as in a sequential run.
    const std::size_t n_files = options.files.size();
    const std::size_t n_workers = std::max<std::size_t>(
        1, std::min<std::size_t>(n_files, options.threads > 0 ? static_cast<std::size_t>(options.threads)
                                                              : std::max(1u, std::thread::hardware_concurrency())));
    std::vector<std::unique_ptr<geo::Context>> contexts;     // worker 0 uses the caller's
    std::vector<std::unique_ptr<geo::ClipArea>> clip_copies;
    std::vector<const geo::ClipArea*> clips{setup.clip.get()};
    for (std::size_t w = 1; w < n_workers; ++w) {
        contexts.push_back(std::make_unique<geo::Context>());
        if (setup.clip) {
            clip_copies.push_back(std::make_unique<geo::ClipArea>(*contexts.back(), *setup.clip));
        }
        clips.push_back(setup.clip ? clip_copies.back().get() : nullptr);
    }
    std::vector<std::optional<FileResult>> results(n_files);
    std::vector<std::exception_ptr> errors(n_files);
    std::map<std::string, std::size_t> files_on_date;
    for (const auto& d : dates) {
        files_on_date[d] += 1;
    }
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> first_failed{n_files};
    auto work = [&](std::size_t w) {
        const geo::Context& wctx = w == 0 ? ctx : *contexts[w - 1];
        geo::EdgeMemoScope memo;  // consecutive snapshots share most edges: measure each once
        for (std::size_t i = next++; i < n_files && i < first_failed.load(); i = next++) {
            try {
                const std::string& path = options.files[i];
                SourceRead source = read_source(wctx, path, setup.read);
                FileResult file = build_file(wctx, setup, clips[w], options, source, path);
                file.date = dates[i];
                file.report.date = dates[i];
                bool any = false;
                for (const auto& b : file.classes) {
                    any = any || b.has_area();
                }
                if (!any) {
                    if (!setup.rules_used && !setup.clip) {
                        std::string which;
                        if (!source.repairs.empty()) {
                            const Repair& first = source.repairs.front();
                            which = " (layer '" + first.layer + "', feature " + std::to_string(first.feature) + ": " +
                                    first.reason +
                                    (source.repairs.size() > 1 ? ", and " + std::to_string(source.repairs.size() - 1) + " more"
                                                               : "") +
                                    ")";
                        }
                        throw InputError(path + ": its polygons have no area left after repair" + which +
                                         "; nothing to ingest, check the file's geometry");
                    }
                    if (clips[w] != nullptr) {
                        check_swapped_axes(source, *clips[w], path, options.clip);
                    }
                    throw InputError(path + ": no area left in any class" +
                                     (setup.clip ? " inside the clip boundary (--clip " + options.clip + ")" : std::string()) +
                                     "; nothing to ingest");
                }
                if (files_on_date.at(dates[i]) == 1) {  // else resolve_across_files() may still cut it
                    for (auto& b : file.classes) {
                        seal(b);
                    }
                }
                results[i] = std::move(file);
            } catch (...) {
                errors[i] = std::current_exception();
                std::size_t seen = first_failed.load();
                while (i < seen && !first_failed.compare_exchange_weak(seen, i)) {
                }
            }
        }
    };
    {
        std::vector<std::thread> pool;
        for (std::size_t w = 1; w < n_workers; ++w) {
            pool.emplace_back(work, w);
        }
        work(0);
        for (auto& t : pool) {
            t.join();
        }
    }
    if (first_failed.load() < n_files) {
        std::rethrow_exception(errors[first_failed.load()]);
    }
    std::vector<FileResult> built;
    built.reserve(n_files);
    for (auto& r : results) {
        built.push_back(std::move(*r));
    }
    resolve_across_files(built, setup, options.grid_size_deg);

    for (auto& file : built) {
        const std::string& path = file.path;
        for (auto& b : file.classes) {
            if (!b.features.empty()) {
                file.report.classes.push_back(b.outcome);
            }
            if (!b.has_area()) {
                continue;
            }
            seal(b);
            IngestedFile out;
            out.file = path;
            out.key = SnapshotKey{setup.provider, file.date, b.cls};
            out.area_km2 = b.area_m2 / 1e6;
            out.features = file.features;
            out.polygonal_features = b.feature_count;
            out.other_features = file.other_features;
            out.parts = static_cast<int>(b.parts);
            for (const auto& rep : file.repairs) {
                if (b.features.count({rep.layer, rep.feature}) != 0) {
                    out.repairs.push_back(rep);
                }
            }
            out.notes = file.notes;

            Snapshot s;
            s.wkb = std::move(b.wkb);
            s.info.key = out.key;
            s.info.area_km2 = out.area_km2;
            s.info.content_sha256 = b.wkb_sha256;
            s.info.source_file = file_name(path);
            s.info.source_layers = setup.rules_used ? join(std::vector<std::string>(b.layers.begin(), b.layers.end()))
                                                    : join(file.layers);  // every layer with polygons, in file order
            s.info.source_sha256 = file.report.sha256;
            s.info.repaired = static_cast<int>(out.repairs.size());
            s.info.ingested_at = now_utc();

            const std::string key_text = out.key.provider + "\n" + out.key.date + "\n" + out.key.cls;
            auto seen = by_key.find(key_text);
            if (seen != by_key.end()) {
                const Snapshot& first = snapshots[seen->second];
                if (first.info.content_sha256 != s.info.content_sha256) {
                    throw InputError(path + ": gives " + out.key.provider + " " + out.key.date + " " + out.key.cls +
                                     " like " + first.info.source_file +
                                     " but with different content; ingest them in separate runs (with --replace) "
                                     "or give each its own --date");
                }
                out.status = IngestStatus::unchanged;
                report.files.push_back(std::move(out));
                continue;
            }
            by_key[key_text] = snapshots.size();
            report_index.push_back(report.files.size());
            snapshots.push_back(std::move(s));
            report.files.push_back(std::move(out));
        }
        report.sources.push_back(std::move(file.report));
    }

    // Compare with what the store holds; nothing is written until every file has passed.
    std::vector<Snapshot> to_write;
    if (Store::exists(options.store_path)) {
        Store store = Store::open(options.store_path);
        for (std::size_t i = 0; i < snapshots.size(); ++i) {
            Snapshot& s = snapshots[i];
            IngestedFile& out = report.files[report_index[i]];
            auto existing = store.find(s.info.key);
            if (!existing) {
                out.status = IngestStatus::added;
                to_write.push_back(std::move(s));
            } else if (existing->content_sha256 == s.info.content_sha256) {
                out.status = IngestStatus::unchanged;
            } else if (options.replace) {
                out.status = IngestStatus::replaced;
                s.replaces_sha256 = existing->content_sha256;
                to_write.push_back(std::move(s));
            } else {
                throw InputError(out.file + ": the store already holds " + s.info.key.provider + " " +
                                 s.info.key.date + " " + s.info.key.cls + " (from " + existing->source_file +
                                 ") with different content; pass --replace to overwrite it, or --date to "
                                 "store it under another date");
            }
        }
    } else {
        to_write = std::move(snapshots);
    }
    if (!to_write.empty()) {
        Store::write(options.store_path, to_write);
    }
    return report;
}

}  // namespace frontline::ingest
