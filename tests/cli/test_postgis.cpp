// PostGIS as the store, against a real PostgreSQL server: scripts/pg-server starts a private one
// and exports FRONTLINE_TEST_PG ("PG:host=... port=... dbname=... user=..."); without it every
// test here skips, saying so. Each test works in a schema of its own (active_schema=...), so the
// tests can run in parallel against one database.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "ingest/gdal_env.hpp"
#include "ingest/hash.hpp"
#include "ingest/store.hpp"
#include "tests/test_support.hpp"

extern char** environ;

namespace frontline {
namespace {

using nlohmann::json;

std::string sample(const std::string& name) { return test::sample_dir() + "/" + name; }

const char* pg_base() {
    const char* pg = std::getenv("FRONTLINE_TEST_PG");
    return (pg != nullptr && *pg != '\0') ? pg : nullptr;
}

#define FRONTLINE_REQUIRE_PG()                                                                            \
    if (pg_base() == nullptr) {                                                                           \
        GTEST_SKIP() << "FRONTLINE_TEST_PG is not set: no PostgreSQL server to test against (scripts/test " \
                        "starts one with scripts/pg-server)";                                             \
    }

/// A connection to the test database, for SQL the tests run themselves.
class Sql {
public:
    explicit Sql(const std::string& conn) {
        ingest::init_gdal();
        const char* const drivers[] = {"PostgreSQL", nullptr};
        m_ds.reset(GDALDataset::Open(conn.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers));
        if (!m_ds) {
            ADD_FAILURE() << "cannot connect to " << conn << ": " << CPLGetLastErrorMsg();
        }
    }
    /// Runs a statement; returns the first column of the first row, or "" if there is none.
    std::string run(const std::string& sql) {
        if (!m_ds) {
            return "";
        }
        CPLErrorReset();
        OGRLayer* result = m_ds->ExecuteSQL(sql.c_str(), nullptr, nullptr);
        EXPECT_EQ(CPLGetLastErrorType(), CE_None) << sql << ": " << CPLGetLastErrorMsg();
        std::string value;
        if (result != nullptr) {
            OGRFeatureUniquePtr f(result->GetNextFeature());
            if (f && f->GetFieldCount() > 0) {
                value = f->GetFieldAsString(0);
            }
            m_ds->ReleaseResultSet(result);
        }
        return value;
    }
    GDALDataset& dataset() { return *m_ds; }

private:
    GDALDatasetUniquePtr m_ds;
};

/// A schema of its own for one test, dropped with everything in it afterwards.
class PgSchema {
public:
    PgSchema() : m_name("t" + std::to_string(::getpid()) + "_" + std::to_string(s_counter++)) {
        Sql(pg_base()).run("CREATE SCHEMA " + m_name);
    }
    ~PgSchema() { Sql(pg_base()).run("DROP SCHEMA " + m_name + " CASCADE"); }
    PgSchema(const PgSchema&) = delete;
    PgSchema& operator=(const PgSchema&) = delete;
    /// The connection string frontline is given.
    std::string conn() const { return std::string(pg_base()) + " active_schema=" + m_name; }
    const std::string& name() const { return m_name; }
    std::string count() { return Sql(conn()).run("SELECT count(*) FROM " + m_name + ".snapshots"); }

private:
    static inline int s_counter = 0;
    std::string m_name;
};

/// A frontline process running in the background, its output in files.
class Background {
public:
    Background(const std::vector<std::string>& args, const test::TempDir& dir, const std::string& tag)
        : m_out(dir.file(tag + ".out")), m_err(dir.file(tag + ".err")) {
        std::vector<std::string> argv_s = {FRONTLINE_BINARY};
        argv_s.insert(argv_s.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& a : argv_s) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, m_out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&actions, 2, m_err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        EXPECT_EQ(posix_spawn(&m_pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
        posix_spawn_file_actions_destroy(&actions);
    }
    ~Background() {
        if (m_pid > 0 && !m_done) {
            ::kill(m_pid, SIGKILL);
            wait();
        }
    }
    Background(const Background&) = delete;
    Background& operator=(const Background&) = delete;
    /// Waits for it to end; the exit code, or 128 + signal.
    int wait() {
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        m_done = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    void kill() { ::kill(m_pid, SIGKILL); }
    std::string err() const { return test::read_bytes(m_err); }
    std::string out() const { return test::read_bytes(m_out); }

private:
    std::string m_out;
    std::string m_err;
    pid_t m_pid = -1;
    bool m_done = false;
};

/// An open transaction that makes writers of `schema`.snapshots wait inside their own
/// transactions, so a test decides when concurrent writers go on instead of hoping they overlap.
class WriteGate {
public:
    explicit WriteGate(const PgSchema& schema) : m_schema(schema), m_sql(schema.conn()) {
        EXPECT_EQ(m_sql.dataset().StartTransaction(FALSE), OGRERR_NONE);
        m_pid = m_sql.run("SELECT pg_backend_pid()");
    }
    /// Every insert or delete waits.
    void lock_table() { m_sql.run("LOCK TABLE " + m_schema.name() + ".snapshots IN SHARE ROW EXCLUSIVE MODE"); }
    /// Only a writer of (default, `date`, occupied) waits, on the unique index, after its other rows.
    void hold_key(const std::string& date) {
        m_sql.run("INSERT INTO " + m_schema.name() + ".snapshots (provider, date, \"class\") VALUES ('default', '" +
                  date + "', 'occupied')");
    }
    /// Every first ingest (creating the tables) waits.
    void hold_table_name() { m_sql.run("CREATE TABLE " + m_schema.name() + ".snapshots (x integer)"); }
    /// Waits (at most 60 s) until `n` sessions wait for this one; returns their backend pids.
    std::vector<std::string> wait_for_writers(std::size_t n) {
        Sql probe(pg_base());
        // Waiting for this session, or for one that waits for it.
        const std::string sql = "SELECT string_agg(a.pid::text, ',') FROM pg_stat_activity a WHERE " + m_pid +
                                " = ANY(pg_blocking_pids(a.pid)) OR EXISTS (SELECT 1 FROM pg_stat_activity b WHERE "
                                "b.pid = ANY(pg_blocking_pids(a.pid)) AND " + m_pid + " = ANY(pg_blocking_pids(b.pid)))";
        for (int i = 0; i < 600; ++i) {
            std::vector<std::string> pids;
            std::stringstream in(probe.run(sql));
            for (std::string p; std::getline(in, p, ',');) {
                pids.push_back(p);
            }
            if (pids.size() >= n) {
                return pids;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        ADD_FAILURE() << "fewer than " << n << " writer(s) came to wait inside their transactions";
        return {};
    }
    void open() { m_sql.dataset().RollbackTransaction(); }

private:
    const PgSchema& m_schema;
    Sql m_sql;
    std::string m_pid;
};

test::RunResult run_ok(const std::vector<std::string>& args, const std::string& cwd = "") {
    auto r = test::run_frontline(args, cwd);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    return r;
}

/// stdout with the store's name replaced, for the lines that print it.
std::string without(std::string text, const std::string& name) {
    for (std::size_t at; (at = text.find(name)) != std::string::npos;) {
        text.replace(at, name.size(), "STORE");
    }
    return text;
}

const std::string kFrom = "deepstatemap_data_20250102.geojson";
const std::string kMid = "deepstatemap_data_20250801.geojson";
const std::string kTo = "deepstatemap_data_20260101.geojson";

// --- the same outputs, byte for byte, from either store ----------------------------------------

TEST(PostGIS, EveryCommandGivesTheGoldenOutputsOfAGeoPackage) {
    FRONTLINE_REQUIRE_PG();
    PgSchema pg;
    test::TempDir dir;
    const std::string gpkg = dir.file("s.gpkg");
    for (const std::string& store : {gpkg, pg.conn()}) {
        auto ingest = run_ok({"ingest", "--store", store, "--json", sample(kFrom), sample(kMid), sample(kTo)});
        EXPECT_EQ(json::parse(ingest.out)["files"].size(), 3u);
        for (const auto& [provider, file] : std::vector<std::pair<std::string, std::string>>{{"a", kMid}, {"b", kTo}}) {
            run_ok({"ingest", "--store", store, "--provider", provider, "--date", "2025-08-01", sample(file)});
        }
    }
    // Each command on both stores: the outputs must be byte-identical, and where the suite has a
    // golden, equal to it.
    struct Case {
        std::vector<std::string> args;
        std::string golden;  // "" if none
        std::string file;    // an output file to compare too ("" if none)
    };
    const std::string east = sample("ukraine_adm1_east.geojson");
    const std::vector<Case> cases = {
        {{"list", "--json"}, "", ""},
        {{"list"}, "", ""},
        {{"delta", "--from", "2025-01-02", "--to", "2026-01-01", "--json"}, "delta_20250102_20260101.json", ""},
        {{"delta", "--from", "2025-01-02", "--to", "2026-01-01"}, "delta_20250102_20260101.txt", ""},
        {{"delta", "--from", "2025-01-02", "--to", "2026-01-01", "-o", "d.geojson", "--json"}, "", "d.geojson"},
        {{"delta", "--from", "2025-01-02", "--to", "2026-01-01", "--bbox", "36.5,47.0,39.0,49.5", "--json"}, "", ""},
        {{"series", "--from", "2025-01-02", "--to", "2026-01-01", "--step", "quarter", "--regions", east, "--csv"},
         "series_quarter_regions.csv", ""},
        {{"series", "--from", "2025-01-02", "--to", "2026-01-01", "--step", "quarter", "--regions", east, "--json", "-o",
          "series.geojson"},
         "series_quarter_regions.json", "series.geojson"},
        {{"series", "--from", "2025-01-02", "--to", "2026-01-01", "--step", "snapshot", "--bbox", "36.5,47.0,39.0,49.5",
          "--csv"},
         "", ""},
        {{"compare", "--date", "2025-08-03", "--provider", "a", "--provider", "b", "--json", "-o", "cmp.geojson"},
         "compare_sample_20250801.json", "cmp.geojson"},
        {{"compare", "--date", "2025-08-03", "--provider", "a", "--provider", "b"}, "compare_sample_20250801.txt", ""},
        {{"front", "--date", "2026-01-01", "--border", "ukraine_adm1_east.geojson", "--regions",
          "ukraine_adm1_east.geojson", "--json"},
         "front_20260101_east.json", ""},
        {{"zones", "--date", "2026-01-01", "--border", east, "--band-occupied", "5km", "--band-free", "20km",
          "--placement", "--min-distance", "50km", "--max-distance", "150km", "--sites", sample("sites.geojson"),
          "--json", "-o", "zones.geojson"},
         "zones_20260101_east.json", "zones.geojson"},
    };
    for (const auto& c : cases) {
        std::string outputs[2];
        std::string files[2];
        int i = 0;
        for (const std::string& store : {gpkg, pg.conn()}) {
            test::TempDir out_dir;
            auto args = c.args;
            args.insert(args.begin() + 1, {"--store", store});
            // front runs from sample_data/ (its golden holds relative paths) and writes nothing there.
            const bool in_samples = c.args[0] == "front";
            auto r = run_ok(args, in_samples ? test::sample_dir() : out_dir.path());
            outputs[i] = without(r.out, store);
            if (!c.file.empty()) {
                files[i] = test::read_bytes(out_dir.file(c.file));
            }
            ++i;
        }
        const std::string what = c.args[0] + " " + (c.args.size() > 1 ? c.args[1] : "");
        EXPECT_FALSE(outputs[0].empty()) << what;
        EXPECT_EQ(outputs[0], outputs[1]) << what << ": PostGIS output differs from GeoPackage output";
        EXPECT_EQ(files[0], files[1]) << what << ": output file " << c.file << " differs";
        if (!c.golden.empty()) {
            test::expect_golden(outputs[1], c.golden);
        }
    }
}

TEST(PostGIS, GeometriesReadBackByteForByte) {
    FRONTLINE_REQUIRE_PG();
    PgSchema pg;
    test::TempDir dir;
    run_ok({"ingest", "--store", pg.conn(), sample(kFrom), sample(kTo)});
    run_ok({"ingest", "--store", dir.file("s.gpkg"), sample(kFrom), sample(kTo)});
    auto store = ingest::Store::open(pg.conn());
    auto gpkg = ingest::Store::open(dir.file("s.gpkg"));
    auto infos = store.list();
    ASSERT_EQ(infos.size(), 2u);
    for (const auto& info : infos) {
        const auto wkb = store.load_wkb(info.key);
        EXPECT_EQ(ingest::sha256_hex(wkb), info.content_sha256) << info.key.date;  // what ingest hashed
        EXPECT_TRUE(wkb == gpkg.load_wkb(info.key)) << info.key.date;
        auto other = gpkg.find(info.key);
        ASSERT_TRUE(other);
        EXPECT_EQ(info.area_km2, other->area_km2) << "doubles must survive the database as they are";
        EXPECT_EQ(info.source_sha256, other->source_sha256);
    }
    // The table is a real PostGIS table: type, SRID, the GiST index and the unique key.
    Sql sql(pg.conn());
    EXPECT_EQ(sql.run("SELECT type || ':' || srid FROM geometry_columns WHERE f_table_schema = '" + pg.name() +
                      "' AND f_table_name = 'snapshots'"),
              "MULTIPOLYGON:4326");
    EXPECT_EQ(sql.run("SELECT count(*) FROM pg_indexes WHERE schemaname = '" + pg.name() +
                      "' AND tablename = 'snapshots' AND indexdef LIKE '%USING gist%'"),
              "1");
    EXPECT_EQ(sql.run("SELECT count(*) FROM pg_indexes WHERE schemaname = '" + pg.name() +
                      "' AND indexname = 'snapshots_key' AND indexdef LIKE 'CREATE UNIQUE INDEX%'"),
              "1");
    // PostGIS measures what frontline stored (ST_Area on the spheroid, an independent computation).
    const double postgis_km2 =
        std::atof(sql.run("SELECT ST_Area(geom::geography, true) / 1e6 FROM " + pg.name() +
                          ".snapshots WHERE date = '2025-01-02'").c_str());
    EXPECT_NEAR(postgis_km2, 111885.55886983877, 0.01);
    // Re-ingesting is still a no-op.
    auto again = run_ok({"ingest", "--store", pg.conn(), sample(kFrom)});
    EXPECT_EQ(again.out.rfind("unchanged", 0), 0u) << again.out;
    EXPECT_EQ(pg.count(), "2");
}

TEST(PostGIS, StoreFromEnvironment) {
    FRONTLINE_REQUIRE_PG();
    PgSchema pg;
    ::setenv("FRONTLINE_STORE", pg.conn().c_str(), 1);
    auto ingest = test::run_frontline({"ingest", sample(kFrom)});
    auto list = test::run_frontline({"list", "--json"});
    ::unsetenv("FRONTLINE_STORE");
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_EQ(json::parse(list.out).size(), 1u);
    EXPECT_EQ(pg.count(), "1");
}

// --- errors --------------------------------------------------------------------------------------

TEST(PostGIS, ClearErrors) {
    FRONTLINE_REQUIRE_PG();
    PgSchema pg;
    // Nothing ingested yet.
    auto empty = test::run_frontline({"list", "--store", pg.conn()});
    EXPECT_EQ(empty.exit_code, 2);
    EXPECT_NE(empty.err.find("holds no frontline store yet"), std::string::npos) << empty.err;
    // No server there; the password is not printed.
    auto nowhere = test::run_frontline({"list", "--store", "PG:host=127.0.0.1 port=1 dbname=x user=x password=secret"});
    EXPECT_EQ(nowhere.exit_code, 2);
    EXPECT_NE(nowhere.err.find("cannot connect to PostgreSQL"), std::string::npos) << nowhere.err;
    EXPECT_EQ(nowhere.err.find("secret"), std::string::npos) << nowhere.err;
    // A schema version this build does not know is refused.
    run_ok({"ingest", "--store", pg.conn(), sample(kFrom)});
    Sql(pg.conn()).run("UPDATE " + pg.name() + ".frontline_meta SET value = '2' WHERE key = 'schema_version'");
    auto newer = test::run_frontline({"list", "--store", pg.conn()});
    EXPECT_EQ(newer.exit_code, 2);
    EXPECT_NE(newer.err.find("schema version 2 was written by a newer frontline"), std::string::npos) << newer.err;
    auto write = test::run_frontline({"ingest", "--store", pg.conn(), sample(kTo)});
    EXPECT_EQ(write.exit_code, 2);
    EXPECT_EQ(pg.count(), "1");
}

TEST(PostGIS, DatabaseWithoutPostgisSaysWhatToRun) {
    FRONTLINE_REQUIRE_PG();
    const std::string db = "nopostgis_" + std::to_string(::getpid());
    Sql(std::string(pg_base()) + " dbname=postgres").run("CREATE DATABASE " + db);
    auto r = test::run_frontline({"ingest", "--store", std::string(pg_base()) + " dbname=" + db, sample(kFrom)});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("no PostGIS extension"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("CREATE EXTENSION postgis"), std::string::npos) << r.err;
    {
        Sql check(std::string(pg_base()) + " dbname=" + db);
        EXPECT_EQ(check.run("SELECT count(*) FROM pg_tables WHERE tablename IN ('snapshots', 'frontline_meta')"), "0");
    }
    Sql(std::string(pg_base()) + " dbname=postgres").run("DROP DATABASE " + db);
}

// --- the least privileges the README promises ------------------------------------------------------

/// A login role for one test, dropped (with its privileges) afterwards.
class Role {
public:
    explicit Role(const std::string& tag) : m_name("fl_" + tag + "_" + std::to_string(::getpid())) {
        Sql(pg_base()).run("CREATE ROLE " + m_name + " LOGIN");
    }
    ~Role() {
        Sql sql(pg_base());
        sql.run("DROP OWNED BY " + m_name);
        sql.run("DROP ROLE " + m_name);
    }
    Role(const Role&) = delete;
    Role& operator=(const Role&) = delete;
    const std::string& name() const { return m_name; }

private:
    std::string m_name;
};

TEST(PostGIS, RunsWithTheDocumentedLeastPrivileges) {
    FRONTLINE_REQUIRE_PG();
    Role creator("creator");
    Role writer("writer");
    Role reader("reader");
    Role lister("lister");
    PgSchema pg;  // dropped before the roles
    const std::string s = pg.name();
    Sql admin(pg_base());
    // The first ingest needs CREATE on the schema, and nothing else.
    admin.run("GRANT USAGE, CREATE ON SCHEMA " + s + " TO " + creator.name());
    run_ok({"ingest", "--store", pg.conn() + " user=" + creator.name(), sample(kFrom)});
    // Later ingests: SELECT, INSERT, DELETE on the two tables and USAGE on their sequences.
    admin.run("GRANT USAGE ON SCHEMA " + s + " TO " + writer.name() + ", " + reader.name() + ", " + lister.name());
    admin.run("GRANT SELECT, INSERT, DELETE ON " + s + ".snapshots, " + s + ".frontline_meta TO " + writer.name());
    admin.run("GRANT USAGE ON ALL SEQUENCES IN SCHEMA " + s + " TO " + writer.name());
    run_ok({"ingest", "--store", pg.conn() + " user=" + writer.name(), sample(kMid)});
    run_ok({"ingest", "--store", pg.conn() + " user=" + writer.name(), "--replace", "--date", "2025-08-01", sample(kTo)});
    // Reading: SELECT on the two tables.
    admin.run("GRANT SELECT ON " + s + ".snapshots, " + s + ".frontline_meta TO " + reader.name());
    const std::string as_reader = pg.conn() + " user=" + reader.name();
    run_ok({"delta", "--store", as_reader, "--from", "2025-01-02", "--to", "2025-08-01", "--json"});
    auto refused = test::run_frontline({"ingest", "--store", as_reader, sample(kTo)});
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("permission denied"), std::string::npos) << refused.err;
    EXPECT_EQ(pg.count(), "2");
    // `list` reads no geometry at all: it works for a role that may not read the geom column.
    admin.run("GRANT SELECT (fid, provider, date, \"class\", area_km2, content_sha256, source_file, source_layers, "
              "source_sha256, repaired, ingested_at) ON " + s + ".snapshots TO " + lister.name());
    admin.run("GRANT SELECT ON " + s + ".frontline_meta TO " + lister.name());
    auto list = run_ok({"list", "--store", pg.conn() + " user=" + lister.name(), "--json"});
    EXPECT_EQ(json::parse(list.out).size(), 2u);
}

// --- several writers ------------------------------------------------------------------------------

TEST(PostGIS, ConcurrentIngestsOfDifferentDatesBothLand) {
    FRONTLINE_REQUIRE_PG();
    PgSchema pg;
    test::TempDir dir;
    run_ok({"ingest", "--store", pg.conn(), sample(kFrom)});
    WriteGate gate(pg);
    gate.lock_table();
    Background one({"ingest", "--store", pg.conn(), sample(kMid)}, dir, "one");
    Background two({"ingest", "--store", pg.conn(), sample(kTo)}, dir, "two");
    ASSERT_EQ(gate.wait_for_writers(2).size(), 2u) << "both ingests should be inside their transactions, waiting";
    gate.open();
    EXPECT_EQ(one.wait(), 0) << one.err();
    EXPECT_EQ(two.wait(), 0) << two.err();
    EXPECT_EQ(pg.count(), "3");
}

TEST(PostGIS, ConcurrentIngestsOfTheSameKeyLeaveOneAndTheOtherFailsCleanly) {
    FRONTLINE_REQUIRE_PG();
    PgSchema pg;
    test::TempDir dir;
    run_ok({"ingest", "--store", pg.conn(), sample(kFrom)});
    WriteGate gate(pg);
    gate.lock_table();
    // Two different files claiming the same (provider, date, class).
    Background one({"ingest", "--store", pg.conn(), "--date", "2025-08-01", sample(kMid)}, dir, "one");
    Background two({"ingest", "--store", pg.conn(), "--date", "2025-08-01", sample(kTo)}, dir, "two");
    ASSERT_EQ(gate.wait_for_writers(2).size(), 2u);
    gate.open();
    const int a = one.wait();
    const int b = two.wait();
    EXPECT_TRUE((a == 0) != (b == 0)) << "exactly one must succeed: " << a << " " << b << "\n" << one.err() << two.err();
    const std::string err = a == 0 ? two.err() : one.err();
    EXPECT_NE(err.find("another ingest stored default 2025-08-01 occupied meanwhile"), std::string::npos) << err;
    EXPECT_EQ(err.find('\n'), err.size() - 1) << "one line: " << err;
    EXPECT_EQ(pg.count(), "2");
    auto stored = ingest::Store::open(pg.conn()).find({"default", "2025-08-01", "occupied"});
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->source_file, a == 0 ? kMid : kTo);
}

TEST(PostGIS, TwoFirstIngestsAtOnceLeaveOneStore) {
    FRONTLINE_REQUIRE_PG();
    PgSchema pg;
    test::TempDir dir;
    WriteGate gate(pg);
    gate.hold_table_name();
    Background one({"ingest", "--store", pg.conn(), sample(kFrom)}, dir, "one");
    Background two({"ingest", "--store", pg.conn(), sample(kTo)}, dir, "two");
    ASSERT_EQ(gate.wait_for_writers(2).size(), 2u) << "both should be creating the tables";
    gate.open();
    const int a = one.wait();
    const int b = two.wait();
    ASSERT_TRUE((a == 0) != (b == 0)) << a << " " << b << "\n" << one.err() << two.err();
    const std::string err = a == 0 ? two.err() : one.err();
    EXPECT_NE(err.find("another ingest created the store meanwhile"), std::string::npos) << err;
    EXPECT_EQ(pg.count(), "1");
    // The loser's snapshot lands when it runs again.
    run_ok({"ingest", "--store", pg.conn(), sample(a == 0 ? kTo : kFrom)});
    EXPECT_EQ(pg.count(), "2");
}

TEST(PostGIS, KilledIngestLeavesNoPartialSnapshot) {
    FRONTLINE_REQUIRE_PG();
    PgSchema pg;
    test::TempDir dir;
    run_ok({"ingest", "--store", pg.conn(), sample(kFrom)});
    const auto before = ingest::Store::open(pg.conn()).list();
    std::vector<std::string> victims;
    {
        WriteGate gate(pg);
        gate.hold_key("2026-01-01");
        // An ingest of two files: it writes 2025-08-01, then waits to write 2026-01-01, and is
        // killed there, with one row written inside its transaction.
        Background victim({"ingest", "--store", pg.conn(), sample(kMid), sample(kTo)}, dir, "v");
        victims = gate.wait_for_writers(1);
        ASSERT_EQ(victims.size(), 1u);
        EXPECT_EQ(Sql(pg_base()).run("SELECT query FROM pg_stat_activity WHERE pid = " + victims[0]).find("INSERT"), 0u)
            << "the ingest should be waiting in an INSERT";
        victim.kill();
        EXPECT_EQ(victim.wait(), 128 + SIGKILL);
        gate.open();
    }
    // The server notices the dead client and rolls its transaction back.
    Sql probe(pg_base());
    for (int i = 0; i < 300 && probe.run("SELECT count(*) FROM pg_stat_activity WHERE pid = " + victims[0]) != "0"; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(probe.run("SELECT count(*) FROM pg_stat_activity WHERE pid = " + victims[0]), "0");
    auto after = ingest::Store::open(pg.conn()).list();
    ASSERT_EQ(after.size(), before.size()) << "no partial snapshot may land";
    EXPECT_EQ(after[0].content_sha256, before[0].content_sha256);
    // And the store takes the same ingest normally afterwards.
    run_ok({"ingest", "--store", pg.conn(), sample(kMid), sample(kTo)});
    EXPECT_EQ(pg.count(), "3");
}

// --- store copy -----------------------------------------------------------------------------------

TEST(PostGIS, StoreCopyBothWaysAndRefusesConflicts) {
    FRONTLINE_REQUIRE_PG();
    PgSchema pg;
    test::TempDir dir;
    run_ok({"ingest", "--store", dir.file("a.gpkg"), sample(kFrom), sample(kMid), sample(kTo)});
    auto there = run_ok({"store", "copy", "--from", dir.file("a.gpkg"), "--to", pg.conn(), "--json"});
    json doc = json::parse(there.out);
    EXPECT_EQ(doc["copied"], 3);
    EXPECT_EQ(doc["verified"], 3);
    auto back = run_ok({"store", "copy", "--from", pg.conn(), "--to", dir.file("b.gpkg"), "--json"});
    EXPECT_EQ(json::parse(back.out)["copied"], 3);
    // Every row survives both trips as it was, ingested_at included.
    EXPECT_EQ(run_ok({"list", "--store", dir.file("a.gpkg"), "--json"}).out,
              run_ok({"list", "--store", dir.file("b.gpkg"), "--json"}).out);
    auto a = ingest::Store::open(dir.file("a.gpkg"));
    auto b = ingest::Store::open(dir.file("b.gpkg"));
    for (const auto& info : a.list()) {
        EXPECT_TRUE(a.load_wkb(info.key) == b.load_wkb(info.key)) << info.key.date;
        EXPECT_EQ(b.find(info.key)->ingested_at, info.ingested_at);
    }
    // Again: nothing to copy, everything verified.
    auto again = run_ok({"store", "copy", "--from", dir.file("a.gpkg"), "--to", pg.conn(), "--json"});
    EXPECT_EQ(json::parse(again.out)["copied"], 0);
    EXPECT_EQ(json::parse(again.out)["already_there"], 3);
    // A key in the destination with other content stops the copy before it writes anything.
    run_ok({"ingest", "--store", dir.file("c.gpkg"), "--date", "2025-01-02", sample(kTo)});
    run_ok({"ingest", "--store", dir.file("c.gpkg"), "--date", "2024-12-01", sample(kTo)});
    auto conflict = test::run_frontline({"store", "copy", "--from", dir.file("c.gpkg"), "--to", pg.conn()});
    EXPECT_EQ(conflict.exit_code, 2);
    EXPECT_NE(conflict.err.find("already holds default 2025-01-02 occupied"), std::string::npos) << conflict.err;
    EXPECT_EQ(pg.count(), "3") << "nothing was copied";
}

// --- without a server: store copy between GeoPackages, --bbox ---------------------------------------

TEST(StoreCopy, BetweenGeoPackagesVerifiedAndRefusingConflicts) {
    test::TempDir dir;
    run_ok({"ingest", "--store", dir.file("a.gpkg"), sample(kFrom), sample(kTo)});
    auto r = run_ok({"store", "copy", "--from", dir.file("a.gpkg"), "--to", dir.file("b.gpkg")});
    EXPECT_NE(r.out.find("verified       2 of 2"), std::string::npos) << r.out;
    EXPECT_EQ(run_ok({"list", "--store", dir.file("a.gpkg"), "--json"}).out,
              run_ok({"list", "--store", dir.file("b.gpkg"), "--json"}).out);
    run_ok({"ingest", "--store", dir.file("c.gpkg"), "--date", "2026-01-01", sample(kMid)});
    const std::string before = test::read_bytes(dir.file("c.gpkg"));
    auto conflict = test::run_frontline({"store", "copy", "--from", dir.file("a.gpkg"), "--to", dir.file("c.gpkg")});
    EXPECT_EQ(conflict.exit_code, 2);
    EXPECT_NE(conflict.err.find("already holds default 2026-01-01 occupied"), std::string::npos) << conflict.err;
    EXPECT_EQ(test::read_bytes(dir.file("c.gpkg")), before) << "nothing may be written";
    auto same = test::run_frontline({"store", "copy", "--from", dir.file("a.gpkg"), "--to", dir.file("a.gpkg")});
    EXPECT_EQ(same.exit_code, 2);
}

TEST(Bbox, BoxesCoverWhatTheWholeGivesAndBadBoxesAreRefused) {
    test::TempDir dir;
    const std::string store = dir.file("s.gpkg");
    run_ok({"ingest", "--store", store, sample(kFrom), sample(kTo)});
    auto delta = [&](const std::string& bbox) {
        std::vector<std::string> args = {"delta", "--store", store, "--from", "2025-01-02", "--to", "2026-01-01", "--json"};
        if (!bbox.empty()) {
            args.insert(args.end(), {"--bbox", bbox});
        }
        return json::parse(run_ok(args).out);
    };
    const json whole = delta("");
    const json world = delta("-180,-90,180,90");
    const json west = delta("20,40,36,55");
    const json east = delta("36,40,45,55");
    const json away = delta("10,10,11,11");
    for (const char* key : {"area_from_km2", "area_to_km2", "gained_km2", "lost_km2"}) {
        EXPECT_NEAR(world[key].get<double>(), whole[key].get<double>(), 1e-6) << key;
        // Split at 36°E: the halves add up to the whole (cut parts may leave a few slivers behind).
        EXPECT_NEAR(west[key].get<double>() + east[key].get<double>(), whole[key].get<double>(), 0.05) << key;
        EXPECT_EQ(away[key].get<double>(), 0.0) << key;
    }
    EXPECT_EQ(west["bbox"], "20,40,36,55") << "the summary says the box";
    EXPECT_FALSE(whole.contains("bbox"));
    EXPECT_GT(west["gained_km2"].get<double>(), 100.0);
    EXPECT_GT(east["gained_km2"].get<double>(), 100.0);
    for (const char* bad : {"1,2,3", "5,5,4,6", "a,b,c,d", "-200,0,10,10"}) {
        auto r = test::run_frontline({"series", "--store", store, "--from", "2025-01-02", "--to", "2026-01-01", "--bbox", bad});
        EXPECT_EQ(r.exit_code, 2) << bad;
        EXPECT_NE(r.err.find("--bbox"), std::string::npos) << r.err;
    }
}

// --- the real daily archive -----------------------------------------------------------------------

TEST(PostGIS, SeriesOnTheRealArchiveGivesTheGeoPackageCsv) {
    FRONTLINE_REQUIRE_PG();
    auto files = test::archive_files();
    if (files.empty()) {
        GTEST_SKIP() << "real data not found: " << test::data_dir()
                     << "/deepstatemap_occupied/data (set FRONTLINE_DATA_DIR to the shared data folder)";
    }
    PgSchema pg;
    test::TempDir dir;
    const std::string gpkg = dir.file("archive.gpkg");
    std::vector<std::string> args = {"ingest", "--store", gpkg};
    args.insert(args.end(), files.begin(), files.end());
    run_ok(args);
    // Into PostGIS through its own ingest, not a copy, so both write paths are compared.
    args[2] = pg.conn();
    run_ok(args);
    EXPECT_EQ(pg.count(), std::to_string(files.size()));
    auto list = run_ok({"list", "--store", gpkg, "--json"});
    json snapshots = json::parse(list.out);
    const std::string first = snapshots.front()["date"];
    const std::string last = snapshots.back()["date"];
    for (const std::vector<std::string>& extra :
         {std::vector<std::string>{"--step", "month"}, std::vector<std::string>{"--step", "snapshot"},
          std::vector<std::string>{"--step", "week", "--bbox", "37.0,47.5,38.5,48.8"}}) {
        std::vector<std::string> series = {"series", "--from", first, "--to", last, "--csv"};
        series.insert(series.end(), extra.begin(), extra.end());
        auto with_gpkg = series;
        with_gpkg.insert(with_gpkg.begin() + 1, {"--store", gpkg});
        auto with_pg = series;
        with_pg.insert(with_pg.begin() + 1, {"--store", pg.conn()});
        auto a = run_ok(with_gpkg);
        auto b = run_ok(with_pg);
        EXPECT_GT(std::count(a.out.begin(), a.out.end(), '\n'), 3) << a.out;
        EXPECT_EQ(a.out, b.out) << extra[1];
    }
}

}  // namespace
}  // namespace frontline
