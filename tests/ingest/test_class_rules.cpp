// Class rules: the Classifier, class map files, and the built-in presets' vocabularies.
// The DeepStateMap labels below are written out by hand in the shape the exports use
// ("<Ukrainian> /// <English> /// <i18n key>") for each vocabulary era that
// ../shared/data/README.md lists; no DeepStateMap file content is copied here. Every label of
// all 48 real exports is checked by tests/cli/test_presets.cpp on the real files.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "geo/error.hpp"
#include "ingest/class_rules.hpp"
#include "ingest/presets.hpp"
#include "tests/test_support.hpp"

namespace frontline::ingest {
namespace {

using test::TempDir;

::testing::AssertionResult contains(const std::string& text, const std::string& part) {
    if (text.find(part) != std::string::npos) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << part << "\"";
}

SourceFeature feature(const std::map<std::string, std::string>& attributes, const std::string& layer = "layer") {
    SourceFeature f;
    f.layer = layer;
    f.fid = 1;
    f.attributes = attributes;
    return f;
}

/// The classes a preset gives a feature with these attributes ({} when ignored).
std::vector<std::string> classes_of(const std::string& preset, const std::map<std::string, std::string>& attributes,
                                    const std::string& layer = "layer") {
    static std::map<std::string, Classifier> cache;
    auto it = cache.find(preset);
    if (it == cache.end()) {
        it = cache.emplace(preset, Classifier(find_preset(preset).classes)).first;
    }
    return it->second.classify(feature(attributes, layer), "file.geojson").classes;
}

std::vector<std::string> deepstate(const std::string& name, const std::string& fill = "#ffffff") {
    return classes_of("deepstate", {{"name", name}, {"fill", fill}});
}

const std::vector<std::string> kOccupied = {"occupied"};
const std::vector<std::string> kContested = {"contested"};
const std::vector<std::string> kLiberated = {"liberated"};
const std::vector<std::string> kCrimea = {"occupied", "occupied_crimea"};
const std::vector<std::string> kOrdlo = {"occupied", "occupied_ordlo"};
const std::vector<std::string> kIgnored = {};

std::string load_error(const std::string& text, const std::string& field = "") {
    TempDir dir;
    test::write_text(dir.file("map.json"), text);
    try {
        ClassMap m = load_class_map(dir.file("map.json"), field);
        Classifier c(m);
        ADD_FAILURE() << "the map loaded";
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

// --- Labels ---------------------------------------------------------------------------------------

TEST(NormalizeLabel, SpacesNoBreakSpacesAndLineBreaks) {
    EXPECT_EQ(normalize_label("  Occupied\n///\nOccupied Petsamo\n"), "Occupied /// Occupied Petsamo");
    EXPECT_EQ(normalize_label("Liberated\xC2\xA0/// x"), "Liberated /// x");
    EXPECT_EQ(normalize_label("a \t\r\n  b"), "a b");
    EXPECT_EQ(normalize_label(""), "");
}

// --- The Classifier -------------------------------------------------------------------------------

ClassMap small_map() {
    ClassMap m;
    m.name = "test";
    m.field = "status";
    ClassRule occupied;
    occupied.value = "Occupied";
    occupied.classes = {"occupied"};
    ClassRule grey;
    grey.pattern = "grey|unknown";
    grey.classes = {"contested"};
    ClassRule label;
    label.pattern = "^label";
    label.why = "a map label";
    ClassRule crimea;
    crimea.field = "region";
    crimea.value = "Crimea";
    crimea.classes = {"occupied", "occupied_crimea"};
    m.rules = {crimea, occupied, grey, label};
    return m;
}

TEST(Classifier, ValuesArePatternsAreSearchedFirstMatchWins) {
    Classifier c(small_map());
    EXPECT_EQ(c.classify(feature({{"status", "occupied"}}), "f").classes, kOccupied) << "case-insensitive";
    EXPECT_EQ(c.classify(feature({{"status", " Occupied\n"}}), "f").classes, kOccupied) << "normalised";
    EXPECT_TRUE(c.classify(feature({{"status", "Occupied since"}}), "f").classes.empty()) << "a value matches whole";
    EXPECT_EQ(c.classify(feature({{"status", "Grey zone"}}), "f").classes, kContested) << "patterns are searched";
    EXPECT_EQ(c.classify(feature({{"status", "UNKNOWN"}}), "f").classes, kContested);
    // The first rule that matches decides: the region rule comes before the status rules.
    auto r = c.classify(feature({{"status", "Grey zone"}, {"region", "Crimea"}}), "f");
    EXPECT_EQ(r.classes, kCrimea);
    EXPECT_EQ(r.rule, 0);
    EXPECT_EQ(r.value, "Crimea");
}

TEST(Classifier, IgnoredAndUnmatchedFeaturesSayWhy) {
    Classifier c(small_map());
    auto label = c.classify(feature({{"status", "label: Kyiv"}}), "f");
    EXPECT_TRUE(label.classes.empty());
    EXPECT_EQ(label.why, "a map label");
    EXPECT_EQ(label.rule, 3);
    auto none = c.classify(feature({{"status", "something else"}}), "f");
    EXPECT_TRUE(none.classes.empty());
    EXPECT_EQ(none.rule, -1);
    EXPECT_EQ(none.why, "matched no rule");
    EXPECT_EQ(none.value, "something else");
    auto missing = c.classify(feature({}), "f");
    EXPECT_EQ(missing.rule, -1) << "a missing attribute is empty text";

    ClassMap strict = small_map();
    strict.unmatched = "error";
    try {
        Classifier(strict).classify(feature({{"status", "something else"}}, "L"), "f.geojson");
        ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
        EXPECT_TRUE(contains(e.what(), "f.geojson, layer 'L', feature 1"));
        EXPECT_TRUE(contains(e.what(), "status 'something else'"));
    }
    ClassMap fallback = small_map();
    fallback.unmatched = "other";
    EXPECT_EQ(Classifier(fallback).classify(feature({{"status", "x"}}), "f").classes, std::vector<std::string>{"other"});
}

TEST(Classifier, LayerAndFileNamesArePseudoFields) {
    ClassMap m;
    m.name = "t";
    ClassRule by_layer;
    by_layer.field = kLayerField;
    by_layer.pattern = "CoT";
    by_layer.classes = {"occupied"};
    ClassRule by_file;
    by_file.field = kFileField;
    by_file.pattern = "advance";
    by_file.classes = {"advanced"};
    m.rules = {by_layer, by_file};
    Classifier c(m);
    EXPECT_EQ(c.classify(feature({}, "20220401_RussianAssessedCoTinUkraine"), "x.geojson").classes, kOccupied);
    EXPECT_EQ(c.classify(feature({}, "other"), "20220401_Advance.geojson").classes, std::vector<std::string>{"advanced"});
    EXPECT_EQ(c.describe(0), "$layer ~ /CoT/");
}

TEST(Classifier, MainClassesFollowThePrecedenceThenTheRules) {
    ClassMap m = small_map();
    ClassRule extra;
    extra.value = "x";
    extra.classes = {"disputed"};
    m.rules.push_back(extra);
    Classifier c(m);
    EXPECT_EQ(c.main_classes(), (std::vector<std::string>{"occupied", "contested", "disputed"}));
    ASSERT_EQ(c.parents().size(), 1u);
    EXPECT_EQ(c.parents().at("occupied_crimea"), "occupied");
    m.precedence = {"contested", "occupied"};
    EXPECT_EQ(Classifier(m).main_classes(), (std::vector<std::string>{"contested", "occupied", "disputed"}));
    EXPECT_EQ(default_precedence(), (std::vector<std::string>{"occupied", "advanced", "contested", "liberated"}));
}

TEST(Classifier, BadMapsAreInputErrors) {
    ClassMap bad_regex = small_map();
    bad_regex.rules[2].pattern = "(unclosed";
    EXPECT_THROW(Classifier{bad_regex}, InputError);
    ClassMap bad_name = small_map();
    bad_name.rules[1].classes = {"not a name"};
    EXPECT_THROW(Classifier{bad_name}, InputError);
    ClassMap both = small_map();
    both.rules[1].pattern = "x";
    EXPECT_THROW(Classifier{both}, InputError);
    ClassMap two_parents = small_map();
    ClassRule r;
    r.value = "y";
    r.classes = {"contested", "occupied_crimea"};
    two_parents.rules.push_back(r);
    EXPECT_THROW(Classifier{two_parents}, InputError);
    ClassMap sub_and_main = small_map();
    ClassRule s;
    s.value = "z";
    s.classes = {"occupied_crimea"};
    sub_and_main.rules.push_back(s);
    EXPECT_THROW(Classifier{sub_and_main}, InputError);
    ClassMap no_field = small_map();
    no_field.field = "";
    EXPECT_THROW(Classifier{no_field}, InputError);
}

// --- Class map files ------------------------------------------------------------------------------

TEST(ClassMapFile, FullFormAndShorthands) {
    TempDir dir;
    test::write_text(dir.file("map.json"), R"({
        "field": "status",
        "rules": [{"field": "kind", "value": "label", "class": "ignore", "why": "a map label"},
                  {"pattern": "crimea", "class": ["occupied", "occupied_crimea"]}],
        "values": {"Russian": "occupied", "grey": "contested", "marker": "ignore"},
        "patterns": {"^retaken": "liberated"},
        "precedence": ["occupied", "contested", "liberated"],
        "unmatched": "error",
        "clean_slivers": false})");
    ClassMap m = load_class_map(dir.file("map.json"), "");
    EXPECT_EQ(m.field, "status");
    EXPECT_EQ(m.unmatched, "error");
    EXPECT_FALSE(m.clean_slivers);
    ASSERT_EQ(m.rules.size(), 6u);
    EXPECT_EQ(m.rules[0].field, "kind");
    EXPECT_TRUE(m.rules[0].classes.empty()) << "\"ignore\"";
    EXPECT_EQ(m.rules[0].why, "a map label");
    EXPECT_EQ(m.rules[1].classes, kCrimea);
    EXPECT_EQ(m.rules[2].value, "Russian") << "values come after the rules, in file order";
    EXPECT_EQ(m.rules[4].value, "marker");
    EXPECT_TRUE(m.rules[4].classes.empty());
    EXPECT_EQ(m.rules[5].pattern, "^retaken") << "patterns come after the values";
    Classifier c(m);
    EXPECT_EQ(c.classify(feature({{"status", "Retaken in May"}}), "f").classes, kLiberated);
    EXPECT_EQ(c.classify(feature({{"status", "russian"}}), "f").classes, kOccupied);
    EXPECT_EQ(c.classify(feature({{"status", "x"}, {"kind", "label"}}), "f").why, "a map label");

    // --class-field replaces the map's field.
    EXPECT_EQ(load_class_map(dir.file("map.json"), "state").field, "state");
}

TEST(ClassMapFile, MistakesAreInputErrorsNamingTheFile) {
    EXPECT_TRUE(contains(load_error("not json"), "not valid JSON"));
    EXPECT_TRUE(contains(load_error(""), "not valid JSON"));
    EXPECT_TRUE(contains(load_error("[1, 2]"), "JSON object"));
    EXPECT_TRUE(contains(load_error(R"({"field": "s"})"), "no rules"));
    EXPECT_TRUE(contains(load_error(R"({"values": {"a": "occupied"}})"), "--class-field"));
    EXPECT_TRUE(contains(load_error(R"({"field": "s", "valuez": {}})"), "unknown key \"valuez\""));
    EXPECT_TRUE(contains(load_error(R"({"field": "s", "rules": [{"value": "a"}]})"), "no \"class\""));
    EXPECT_TRUE(contains(load_error(R"({"field": "s", "rules": [{"value": "a", "class": 3}]})"), "\"class\""));
    EXPECT_TRUE(contains(load_error(R"({"field": "s", "rules": [{"value": "a", "class": "x", "colour": 1}]})"),
                         "unknown key \"colour\""));
    EXPECT_TRUE(contains(load_error(R"({"field": "s", "patterns": {"(": "occupied"}})"), "not a valid regular expression"));
    EXPECT_TRUE(contains(load_error(R"({"field": "s", "values": {"a": "bad name"}})"), "not a valid name"));
    EXPECT_TRUE(contains(load_error(R"({"field": "s", "values": {"a": "x"}, "clean_slivers": "yes"})"), "clean_slivers"));
    TempDir dir;
    try {
        load_class_map(dir.file("missing.json"), "");
        ADD_FAILURE();
    } catch (const InputError& e) {
        EXPECT_TRUE(contains(e.what(), "--class-map " + dir.file("missing.json")));
    }
}

// --- Presets ----------------------------------------------------------------------------------------

TEST(Presets, NamesAndProviders) {
    std::vector<std::string> names;
    for (const auto& p : presets()) {
        names.push_back(p.name);
        EXPECT_EQ(p.provider, p.name);
        EXPECT_NO_THROW(Classifier{p.classes}) << p.name;
    }
    EXPECT_EQ(names, (std::vector<std::string>{"deepstate", "cyterat", "isw", "nzz"}));
    try {
        find_preset("liveuamap");
        ADD_FAILURE();
    } catch (const InputError& e) {
        EXPECT_TRUE(contains(e.what(), "--preset liveuamap"));
        EXPECT_TRUE(contains(e.what(), "deepstate, cyterat, isw, nzz"));
    }
    EXPECT_EQ(find_preset("nzz").read.unwrap_member, "value");
    EXPECT_EQ(find_preset("deepstate").read.unwrap_member, "");
}

TEST(DeepStatePreset, UkrainianOnlyNamesOf2022) {
    EXPECT_EQ(deepstate("Окуповано"), kOccupied);
    EXPECT_EQ(deepstate("Окуповано 04.04"), kOccupied);
    EXPECT_EQ(deepstate("Ізюм. Окуповано"), kOccupied);
    EXPECT_EQ(deepstate("Окуповані Циркуни"), kOccupied);
    EXPECT_EQ(deepstate("Рубіжне. Території зайняті ворогом"), kOccupied);
    EXPECT_EQ(deepstate("Звільнено"), kLiberated);
    EXPECT_EQ(deepstate("Звільнено 25.03"), kLiberated);
    EXPECT_EQ(deepstate("звільнено 26.03.2022"), kLiberated);
    EXPECT_EQ(deepstate("Під контролем ЗСУ"), kLiberated);
    EXPECT_EQ(deepstate("Під питанням"), kContested);
    EXPECT_EQ(deepstate("Сіра зона"), kContested);
    EXPECT_EQ(deepstate("Ситуація невідома"), kContested);
    EXPECT_EQ(deepstate("Крим", "#000000"), kCrimea);
    EXPECT_EQ(deepstate("Окупований Крим", "#000000"), kCrimea);
    EXPECT_EQ(deepstate("Острів Тузла", "#000000"), kCrimea);
    EXPECT_EQ(deepstate("ОРДЛО", "#000000"), kOrdlo);
    EXPECT_EQ(deepstate("Придністров'я", "#880e4f"), kIgnored) << "Transnistria";
}

TEST(DeepStatePreset, TakenBackContestedAndContensedOf2022) {
    EXPECT_EQ(deepstate("Окуповано /// Occupied"), kOccupied);
    EXPECT_EQ(deepstate("Окуповано /// Occupied\n"), kOccupied);
    EXPECT_EQ(deepstate("Звільнено /// Taken back"), kLiberated);
    EXPECT_EQ(deepstate("Звільнено 16.04 /// Taken back16.04"), kLiberated);
    EXPECT_EQ(deepstate("Звільнено /// Recaptured"), kLiberated);
    EXPECT_EQ(deepstate("Під питанням /// Contested"), kContested);
    EXPECT_EQ(deepstate("Під питанням /// Contensed"), kContested) << "the typo of September 2022";
    EXPECT_EQ(deepstate("Під питанням\xC2\xA0/// Contensed"), kContested);
    EXPECT_EQ(deepstate("ОРДЛО /// CADR and CALR"), kOrdlo);
    EXPECT_EQ(deepstate("Окупований Крим /// Occupied Crimea"), kCrimea);
    EXPECT_EQ(deepstate("Острів Тузла /// Occupied Tuzla Island"), kCrimea);
    EXPECT_EQ(deepstate("Придністров'я /// Transnistria"), kIgnored);
}

TEST(DeepStatePreset, LiberatedAndUnknownStatusOf2022And2023) {
    EXPECT_EQ(deepstate("Звільнено /// Liberated"), kLiberated);
    EXPECT_EQ(deepstate("Звільнено 04.09 /// Liberated 04.09"), kLiberated);
    EXPECT_EQ(deepstate("Ситуація невідома /// Situation is unknown"), kContested);
    EXPECT_EQ(deepstate("Статус невідомий /// Unknown status"), kContested);
    // Annotation polygons outside Ukraine, from 2022-11 on.
    for (const char* abroad : {"Окупована область Петсамо /// Occupied Petsamo", "Occupied Salla",
                               "Аннексовані у Естонії території /// Annexed from Estonia territories",
                               "Occupied Pechorsky district (Saaste Boot)", "Occupied Latvia territories.",
                               "Occupied Southern Kuril islands.", "Occupied Tskhinvali district",
                               "East Prussia is temporarily occupied.", "Окупована Абхазія. /// Occupied Abkhazia.",
                               "The temporarily occupied territory of Karelia.",
                               "The temporarily occupied territory of the Republic of Ichkeria."}) {
        EXPECT_EQ(deepstate(abroad, "#ff5252"), kIgnored) << abroad;
        EXPECT_EQ(classes_of("deepstate", {{"name", abroad}}), kIgnored) << abroad << ", whatever its colour";
    }
}

TEST(DeepStatePreset, InternationalisationKeysOf2024On) {
    EXPECT_EQ(deepstate("Окуповано /// Occupied /// geoJSON.status.occupied"), kOccupied);
    EXPECT_EQ(deepstate("Статус невідомий /// Unknown status /// geoJSON.status.unknown"), kContested);
    EXPECT_EQ(deepstate("Звільнено /// Liberated /// geoJSON.status.dismissed"), kLiberated);
    EXPECT_EQ(deepstate("Звільнено 25.03 /// Liberated 25.03 /// geoJSON.status.dismissed_at {{at:25.03}}"), kLiberated);
    EXPECT_EQ(deepstate("x /// geoJSON.status.dismissed_at {{at:19.09}}"), kLiberated);
    EXPECT_EQ(deepstate("Окупований Крим /// Occupied Crimea /// geoJSON.territories.crimea"), kCrimea);
    EXPECT_EQ(deepstate("Острів Тузла /// Occupied Tuzla Island /// geoJSON.territories.tuzla"), kCrimea);
    EXPECT_EQ(deepstate("ОРДЛО /// CADR and CALR /// geoJSON.territories.ordlo"), kOrdlo);
    for (const char* key : {"petsamo", "salla", "estonia", "pechorsky-district", "latvia", "kuril", "transnistria",
                            "tskhinvali-district", "prussia", "abkhazia", "karelia", "ichkeria"}) {
        EXPECT_EQ(deepstate(std::string("x /// geoJSON.territories.") + key), kIgnored) << key;
    }
    // A garbled Ukrainian word still has its English and its key.
    EXPECT_EQ(deepstate("Звільнен\xEF\xBF\xBD\xEF\xBF\xBD /// Liberated /// geoJSON.status.dismissed"), kLiberated);
}

TEST(DeepStatePreset, NamesWithoutAStatusAreClassedByTheirColour) {
    // Snake Island was occupied until 30 June 2022, then liberated: its name never says which.
    EXPECT_EQ(deepstate("Зміїний", "#a52714"), kOccupied);
    EXPECT_EQ(deepstate("Зміїний /// Snake Island", "#bcaaa4"), kContested);
    EXPECT_EQ(deepstate("Зміїний /// Snake Island /// geoJSON.zmiinyi_island", "#0f9d58"), kLiberated);
    EXPECT_EQ(deepstate("Зміїний /// Snake Island", "#0288d1"), kLiberated);
    EXPECT_EQ(deepstate("24.03", "#0288d1"), kLiberated) << "a bare date";
    EXPECT_EQ(deepstate("Багатокутник 11", "#a52714"), kOccupied) << "'Polygon 11'";
    EXPECT_EQ(deepstate("Невідомо точно", "#a52714"), kOccupied) << "a note, drawn in the occupied colour";
    EXPECT_EQ(deepstate("x", "#bdbdbd"), kContested);
    EXPECT_EQ(deepstate("x", "#01579b"), kLiberated);
    EXPECT_EQ(deepstate("x", "#ff5252"), kIgnored);
    auto unknown = Classifier(find_preset("deepstate").classes)
                       .classify(feature({{"name", "Something new"}, {"fill", "#123456"}}), "f");
    EXPECT_TRUE(unknown.classes.empty());
    EXPECT_EQ(unknown.rule, -1) << "reported as matching no rule, not silently dropped";
}

TEST(IswPreset, TheLayerNameGivesTheClass) {
    EXPECT_EQ(classes_of("isw", {{"FID", "1"}}, "20220401_RussianAssessedCoTinUkraine"), kOccupied);
    EXPECT_EQ(classes_of("isw", {{"FID", "1"}}, "20220401_RussianAssessedAdvanceinUkraine"),
              std::vector<std::string>{"advanced"});
    EXPECT_EQ(classes_of("isw", {}, "Russian Control of Terrain"), kOccupied);
    EXPECT_EQ(classes_of("isw", {}, "Ukraine"), kIgnored) << "ISW's country outline is no class";
}

TEST(NzzPreset, TheTypeGivesTheClass) {
    EXPECT_EQ(classes_of("nzz", {{"type", "nochange"}}), kOccupied);
    EXPECT_EQ(classes_of("nzz", {{"type", "gains"}}), kOccupied);
    EXPECT_EQ(classes_of("nzz", {{"type", "losses"}}), kLiberated);
    EXPECT_EQ(classes_of("nzz", {{"type", "other"}}), kIgnored);
}

TEST(CyteratPreset, EveryPolygonIsOccupied) {
    EXPECT_EQ(classes_of("cyterat", {}), kOccupied);
    EXPECT_EQ(classes_of("cyterat", {{"name", "anything"}}), kOccupied);
}

TEST(SingleClassMap, EveryPolygonIsTheClassAndNothingIsCleaned) {
    ClassMap m = single_class_map("all_statuses");
    EXPECT_FALSE(m.clean_slivers);
    Classifier c(m);
    EXPECT_EQ(c.classify(feature({{"name", "Liberated"}}), "f").classes, std::vector<std::string>{"all_statuses"});
    EXPECT_EQ(c.main_classes(), std::vector<std::string>{"all_statuses"});
}

}  // namespace
}  // namespace frontline::ingest
