// The bad-input catalogue: tests/data/bad_inputs/ holds small hand-made files (written by
// make_cases.py there) and manifest.json gives each case's defined outcome. Every case runs the
// real binary: `frontline ingest --store s.gpkg --json [--date 2025-01-01] FILE...` in a fresh
// folder, and is checked against the manifest:
// - exit 2: exactly one line on stderr, "frontline: error: ...", holding each listed substring
//   and a hint after "; ", with nothing on stdout and the store exactly as it was;
// - exit 0: nothing on stderr, and the --json report shows the listed repairs and notes, the
//   expected area and the count of ignored features.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <gdal_priv.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "tests/test_support.hpp"

namespace frontline {
namespace {

using nlohmann::json;

std::string catalogue_dir() { return test::source_dir() + "/tests/data/bad_inputs"; }

struct Case {
    std::string name;
    json spec;
};

std::vector<Case> load_cases() {
    std::ifstream in(catalogue_dir() + "/manifest.json");
    std::vector<Case> cases;
    if (!in) {
        return cases;
    }
    const json doc = json::parse(in);
    for (const auto& c : doc.at("cases")) {
        cases.push_back(Case{c.at("name").get<std::string>(), c});
    }
    return cases;
}

std::string base_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

/// A store holding one snapshot, whose schema_version is then set to `version`.
void make_store_with_schema(const std::string& dir, int version) {
    test::copy_file(catalogue_dir() + "/kml_good.kml", dir + "/seed.kml");
    auto r = test::run_frontline({"ingest", "--store", "s.gpkg", "--date", "2024-12-31", "seed.kml"}, dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open((dir + "/s.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    ASSERT_TRUE(ds);
    const std::string sql = "UPDATE frontline_meta SET value = '" + std::to_string(version) + "' WHERE key = 'schema_version'";
    ds->ExecuteSQL(sql.c_str(), nullptr, nullptr);
}

class BadInput : public ::testing::TestWithParam<Case> {};

TEST_P(BadInput, HasItsDefinedOutcome) {
    const json& spec = GetParam().spec;
    test::TempDir dir;
    std::vector<std::string> inputs;
    for (const auto& f : spec.at("files")) {
        const std::string from = catalogue_dir() + "/" + f.get<std::string>();
        ASSERT_TRUE(test::file_exists(from)) << from;
        test::copy_file(from, dir.file(base_name(from)));
        inputs.push_back(base_name(from));
    }
    if (spec.contains("inputs")) {
        inputs = spec["inputs"].get<std::vector<std::string>>();
    }
    const std::string store = dir.file("s.gpkg");
    if (spec.contains("store")) {
        test::copy_file(catalogue_dir() + "/" + spec["store"].get<std::string>(), store);
    }
    if (spec.contains("store_schema_version")) {
        make_store_with_schema(dir.path(), spec["store_schema_version"].get<int>());
    }
    const bool had_store = test::file_exists(store);
    const std::string store_before = had_store ? test::read_bytes(store) : "";

    std::vector<std::string> args = {"ingest", "--store", "s.gpkg", "--json"};
    const std::vector<std::string> extra =
        spec.contains("args") ? spec["args"].get<std::vector<std::string>>() : std::vector<std::string>{"--date", "2025-01-01"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.insert(args.end(), inputs.begin(), inputs.end());
    const test::RunResult r = test::run_frontline(args, dir.path());

    const int expected_exit = spec.at("exit").get<int>();
    ASSERT_EQ(r.exit_code, expected_exit) << "stderr: " << r.err << "\nstdout: " << r.out.substr(0, 2000);
    if (expected_exit != 0) {
        EXPECT_EQ(r.out, "");
        ASSERT_FALSE(r.err.empty());
        EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "not one line: " << r.err;
        EXPECT_EQ(r.err.rfind("frontline: error: ", 0), 0u) << r.err;
        EXPECT_NE(r.err.find("; "), std::string::npos) << "no hint of what to try: " << r.err;
        for (const auto& s : spec.value("stderr", json::array())) {
            EXPECT_NE(r.err.find(s.get<std::string>()), std::string::npos) << "expected '" << s.get<std::string>() << "' in " << r.err;
        }
        if (had_store) {
            EXPECT_TRUE(test::read_bytes(store) == store_before) << "the store changed";
        } else {
            EXPECT_FALSE(test::file_exists(store)) << "a store was created";
        }
        return;
    }
    EXPECT_EQ(r.err, "");
    const json doc = json::parse(r.out);
    ASSERT_EQ(doc.at("files").size(), 1u) << r.out;
    const json& file = doc["files"][0];
    EXPECT_EQ(file["status"], "added");
    for (const auto& want : spec.value("repairs", json::array())) {
        bool found = false;
        for (const auto& rep : file["repairs"]) {
            found = found || rep["reason"].get<std::string>().find(want.get<std::string>()) != std::string::npos;
        }
        EXPECT_TRUE(found) << "no repair '" << want << "' in " << file["repairs"].dump();
    }
    if (!spec.contains("repairs")) {
        EXPECT_TRUE(file["repairs"].empty()) << file["repairs"].dump();
    }
    for (const auto& want : spec.value("notes", json::array())) {
        bool found = false;
        for (const auto& note : file["notes"]) {
            found = found || note.get<std::string>().find(want.get<std::string>()) != std::string::npos;
        }
        EXPECT_TRUE(found) << "no note '" << want << "' in " << file["notes"].dump();
    }
    if (spec.contains("area_km2")) {
        EXPECT_NEAR(file["area_km2"].get<double>(), spec["area_km2"][0].get<double>(), spec["area_km2"][1].get<double>());
    }
    if (spec.contains("ignored_features")) {
        EXPECT_EQ(file["ignored_features"], spec["ignored_features"]);
    }
}

INSTANTIATE_TEST_SUITE_P(Catalogue, BadInput, ::testing::ValuesIn(load_cases()),
                         [](const ::testing::TestParamInfo<Case>& param_info) { return param_info.param.name; });

TEST(BadInputCatalogue, HasAtLeastFortyCasesEachWithAnOutcome) {
    const auto cases = load_cases();
    EXPECT_GE(cases.size(), 40u);
    for (const auto& c : cases) {
        EXPECT_TRUE(c.spec.contains("exit")) << c.name;
        EXPECT_TRUE(c.spec.at("exit") == 0 || c.spec.contains("stderr")) << c.name << ": an error case must say what stderr holds";
    }
}

}  // namespace
}  // namespace frontline
