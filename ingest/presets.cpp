#include "ingest/presets.hpp"

#include "geo/error.hpp"

namespace frontline::ingest {

namespace {

ClassRule pattern_rule(std::string pattern, std::vector<std::string> classes, std::string why = "") {
    ClassRule r;
    r.pattern = std::move(pattern);
    r.classes = std::move(classes);
    r.why = std::move(why);
    return r;
}

ClassRule value_rule(std::string field, std::string value, std::vector<std::string> classes, std::string why = "") {
    ClassRule r;
    r.field = std::move(field);
    r.value = std::move(value);
    r.classes = std::move(classes);
    r.why = std::move(why);
    return r;
}

/// DeepStateMap's full map export (deepstatemap.live history, as archived by
/// DanielRose2310/deepstatemaps-history). A polygon's status is only in its free-text `name`,
/// "<Ukrainian> /// <English> /// <i18n key>", whose vocabulary changed over the years:
///   2022-04/05  Ukrainian only: Окуповано, Звільнено ..., Під питанням, Сіра зона, ОРДЛО, Крим
///   2022-06/09  "Occupied", "Taken back", "Recaptured", "Contested", "Contensed", "CADR and CALR"
///   2022-09/23  "Occupied", "Liberated", "Situation is unknown", "Unknown status", "Occupied Crimea"
///   2024-       geoJSON.status.{occupied,unknown,dismissed,dismissed_at}, geoJSON.territories.*
/// Names that say nothing about status (Snake Island, "Багатокутник 11", a bare date, a road)
/// are classed by their fill colour, the colour the map shows them in.
ClassMap deepstate_map() {
    ClassMap m;
    m.name = "deepstate";
    m.field = "name";
    const std::string fill = "fill";
    const std::string abroad = "annotation polygon outside Ukraine";
    m.rules = {
        // Political annotations outside Ukraine (from 2022-11) and Transnistria (from the start).
        pattern_rule(R"(geoJSON\.territories\.(petsamo|salla|estonia|latvia|pechorsky|kuril|transnistria|tskhinval|prussia|abkhazia|karelia|ichkeria))"
                     R"(|Transnistria|Придністров|Petsamo|Salla|Estonia|Latvia|Pechorsky|Kuril|Tskhinval|Prussia|Abkhazia|Karelia|Ichkeria)",
                     {}, abroad),
        // Occupied since 2014: Crimea (with Tuzla Island), and ORDLO ("CADR and CALR").
        pattern_rule(R"(geoJSON\.territories\.(crimea|tuzla)|Occupied Crimea|Tuzla|(К|к)рим|Тузла)",
                     {"occupied", "occupied_crimea"}),
        pattern_rule(R"(geoJSON\.territories\.ordlo|CADR and CALR|ОРДЛО|ОРДіЛО)", {"occupied", "occupied_ordlo"}),
        // The grey zone.
        pattern_rule(R"(geoJSON\.status\.unknown|Unknown status|Situation is unknown|\bContested\b|\bContensed\b)"
                     R"(|Під питанням|Сіра зона|Ситуація невідома|Статус невідомий|(Н|н)ам достеменно невідомо)",
                     {"contested"}),
        // Taken back ("dismissed" is the i18n key's word for it).
        pattern_rule(R"(geoJSON\.status\.dismissed|\bLiberated\b|Taken back|\bRecaptured\b|(З|з)вільн|Під контролем ЗСУ|Орки відсутні)",
                     {"liberated"}),
        pattern_rule(R"(geoJSON\.status\.occupied|\bOccupied\b|under occupation|(О|о)куп|зайняті ворогом)", {"occupied"}),
        // No status in the name: the map's fill colour.
        value_rule(fill, "#a52714", {"occupied"}),
        value_rule(fill, "#bcaaa4", {"contested"}),
        value_rule(fill, "#bdbdbd", {"contested"}),
        value_rule(fill, "#0f9d58", {"liberated"}),
        value_rule(fill, "#0288d1", {"liberated"}),
        value_rule(fill, "#01579b", {"liberated"}),
        value_rule(fill, "#ff5252", {}, abroad),
    };
    return m;
}

/// cyterat/deepstate-map-data: one dissolved MultiPolygon per day, already only the occupied area
/// (DeepStateMap's "Occupied", "Occupied Crimea" and "CADR and CALR").
ClassMap cyterat_map() {
    ClassMap m;
    m.name = "cyterat";
    m.rules = {ClassRule{}};
    m.rules[0].classes = {"occupied"};
    return m;
}

/// ISW/CTP daily layers (as published by Nikkei-Visual-Data-Journalism/ISW): the class is in the
/// layer (file) name. "Assessed Russian control of terrain" (which includes Crimea and the
/// pre-2022 occupied Donbas) is occupied; "assessed Russian advances" (operating without control)
/// is its own class, `advanced`.
ClassMap isw_map() {
    ClassMap m;
    m.name = "isw";
    m.field = kLayerField;
    m.rules = {
        pattern_rule(R"(AssessedCoT|Control ?of ?Terrain|Control_of_Terrain)", {"occupied"}),
        pattern_rule(R"(AssessedAdvance|Advance)", {"advanced"}),
    };
    return m;
}

/// NZZ's map areas based on Liveuamap (conflict-investigations/nzz-maps): Russian-held area split
/// by `type` over a reporting window of a few days: `nochange` (held throughout) and `gains`
/// (taken in the window) are occupied; `losses` (held at the window's start, lost by its end: the
/// areas DeepStateMap shows turning from occupied to liberated) are liberated.
ClassMap nzz_map() {
    ClassMap m;
    m.name = "nzz";
    m.field = "type";
    m.rules = {
        value_rule("", "nochange", {"occupied"}),
        value_rule("", "gains", {"occupied"}),
        value_rule("", "losses", {"liberated"}),
    };
    return m;
}

std::vector<Preset> make_presets() {
    std::vector<Preset> out;
    out.push_back(Preset{"deepstate", "deepstate",
                         "DeepStateMap full map exports (deepstatemap.live history; every status polygon and marker)",
                         deepstate_map(), {}});
    out.push_back(Preset{"cyterat", "cyterat",
                         "the DeepStateMap daily occupied-area archive (cyterat/deepstate-map-data)", cyterat_map(), {}});
    out.push_back(Preset{"isw", "isw",
                         "ISW/CTP layers: assessed control of terrain (occupied) and assessed advances (advanced)",
                         isw_map(), {}});
    ReadOptions unwrap;
    unwrap.unwrap_member = "value";
    out.push_back(Preset{"nzz", "nzz", "NZZ map areas based on Liveuamap ({\"value\": FeatureCollection} files)",
                         nzz_map(), unwrap});
    return out;
}

}  // namespace

const std::vector<Preset>& presets() {
    static const std::vector<Preset> all = make_presets();
    return all;
}

const Preset& find_preset(const std::string& name) {
    std::string names;
    for (const auto& p : presets()) {
        if (p.name == name) {
            return p;
        }
        names += (names.empty() ? "" : ", ") + p.name;
    }
    throw InputError("--preset " + name + ": no such preset; choose one of " + names +
                     ", or describe the source with --class-field and --class-map");
}

ClassMap single_class_map(const std::string& cls) {
    ClassMap m;
    m.name = "single class";
    m.rules = {ClassRule{}};
    m.rules[0].classes = {cls};
    m.clean_slivers = false;
    return m;
}

}  // namespace frontline::ingest
