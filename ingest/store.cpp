#include "ingest/store.hpp"

#include <cpl_conv.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <regex>
#include <sys/stat.h>
#include <tuple>
#include <unistd.h>

#include "geo/error.hpp"
#include "ingest/gdal_env.hpp"
#include "ingest/gpkg_direct.hpp"
#include "ingest/gpkg_writer.hpp"

namespace frontline::ingest {

namespace {

constexpr const char* kSnapshotsLayer = "snapshots";
constexpr const char* kMetaLayer = "frontline_meta";

std::string sql_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        out += c;
        if (c == '\'') {
            out += '\'';
        }
    }
    return out + "'";
}

std::string key_filter(const SnapshotKey& key) {
    return "provider = " + sql_quote(key.provider) + " AND \"class\" = " + sql_quote(key.cls) +
           " AND date = " + sql_quote(key.date);
}

SnapshotInfo info_of(const OGRFeature& f) {
    SnapshotInfo info;
    info.key.provider = f.GetFieldAsString("provider");
    info.key.date = f.GetFieldAsString("date");
    info.key.cls = f.GetFieldAsString("class");
    info.area_km2 = f.GetFieldAsDouble("area_km2");
    info.content_sha256 = f.GetFieldAsString("content_sha256");
    info.source_file = f.GetFieldAsString("source_file");
    info.source_layers = f.GetFieldAsString("source_layers");
    info.source_sha256 = f.GetFieldAsString("source_sha256");
    info.repaired = f.GetFieldAsInteger("repaired");
    info.ingested_at = f.GetFieldAsString("ingested_at");
    return info;
}

/// The open error when another connection holds SQLite's lock past GDAL's busy timeout (5 s):
/// a writer committing, or one that keeps its transaction open.
[[noreturn]] void throw_locked(const std::string& path, const std::string& why) {
    throw InputError("store " + path + ": another process is writing it (" + why + "); run again when that has finished");
}

GDALDatasetUniquePtr open_gpkg(const std::string& path, bool update, GdalErrors& errors) {
    const char* const drivers[] = {"GPKG", nullptr};
    unsigned flags = GDAL_OF_VECTOR | GDAL_OF_VERBOSE_ERROR | (update ? GDAL_OF_UPDATE : 0U);
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), flags, drivers));
    if (!ds && errors.last_error().find("locked") != std::string::npos) {
        throw_locked(path, errors.last_error());
    }
    if (!ds && !update && Store::exists(path + "-journal")) {
        // A write that was killed leaves a hot rollback journal. SQLite rolls it back on the next
        // open with write access, but a read-only open fails ("attempt to write a readonly
        // database"). Let SQLite roll it back, then open read-only as asked.
        GDALDatasetUniquePtr rw(GDALDataset::Open(path.c_str(), flags | GDAL_OF_UPDATE, drivers));
        if (!rw) {
            const std::string why = errors.last_error();
            if (why.find("locked") != std::string::npos) {
                throw_locked(path, why);
            }
            throw InputError("store " + path + ": an interrupted write left its rollback journal (" + path +
                             "-journal), and the store cannot be opened with write access to roll it back (" +
                             why + "); make the store and its folder writable and run again");
        }
        rw.reset();
        ds.reset(GDALDataset::Open(path.c_str(), flags, drivers));
    }
    if (!ds) {
        std::string why = errors.last_error();
        throw InputError("store " + path + ": not a GeoPackage" +
                         (why.empty() ? std::string() : " (" + why + ")") +
                         "; name a frontline store (.gpkg) or a new file with --store");
    }
    return ds;
}

// --- PostGIS: the same tables through OGR's PostgreSQL driver; only connecting, creating the
// --- schema and the unique index differ from a GeoPackage.

/// Connects to the database of a "PG:..." connection string.
GDALDatasetUniquePtr open_pg(const std::string& location, bool update, GdalErrors& errors) {
    const char* const drivers[] = {"PostgreSQL", nullptr};
    unsigned flags = GDAL_OF_VECTOR | GDAL_OF_VERBOSE_ERROR | (update ? GDAL_OF_UPDATE : 0U);
    GDALDatasetUniquePtr ds(GDALDataset::Open(location.c_str(), flags, drivers));
    if (!ds) {
        std::string why = errors.last_error();
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) {
            why.pop_back();
        }
        throw InputError("store " + Store::display_name(location) + ": cannot connect to PostgreSQL" +
                         (why.empty() ? std::string() : " (" + why + ")") +
                         "; check host, port, dbname and user in the connection string (or PGSERVICE, "
                         "~/.pgpass)");
    }
    return ds;
}

GDALDatasetUniquePtr open_store(const std::string& location, bool update, GdalErrors& errors) {
    return Store::is_database(location) ? open_pg(location, update, errors) : open_gpkg(location, update, errors);
}

/// True if the result of `sql` has at least one row.
bool query_has_rows(GDALDataset& ds, const std::string& sql) {
    OGRLayer* result = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (result == nullptr) {
        return false;
    }
    OGRFeatureUniquePtr f(result->GetNextFeature());
    ds.ReleaseResultSet(result);
    return f != nullptr;
}

/// Throws InputError unless the database has the PostGIS extension (a precondition: creating
/// extensions needs privileges a frontline user should not need).
void require_postgis(GDALDataset& ds, const std::string& location) {
    if (!query_has_rows(ds, "SELECT extversion FROM pg_extension WHERE extname = 'postgis'")) {
        throw InputError("store " + Store::display_name(location) +
                         ": the database has no PostGIS extension; ask its owner to run "
                         "'CREATE EXTENSION postgis;' in it, then ingest again");
    }
}

/// GDAL's message about a failed database statement, fit for one line: without the statement
/// itself (which holds the geometry in hex) and with a hint when the role lacks a privilege.
std::string db_message(std::string why) {
    const auto command = why.find("\nCommand:");
    if (command != std::string::npos) {
        why.erase(command);
    }
    for (char& c : why) {
        c = c == '\n' ? ' ' : c;
    }
    while (!why.empty() && why.back() == ' ') {
        why.pop_back();
    }
    if (why.find("permission denied") != std::string::npos) {
        why += "; the database role needs SELECT, INSERT and DELETE on snapshots and frontline_meta and USAGE on "
               "their sequences (CREATE on the schema for the first ingest), see the README";
    }
    return why;
}

/// Throws InputError unless `ds` holds a frontline store of a schema this build understands.
OGRLayer* check_schema(GDALDataset& ds, const std::string& path) {
    OGRLayer* meta = ds.GetLayerByName(kMetaLayer);
    OGRLayer* snaps = ds.GetLayerByName(kSnapshotsLayer);
    if (meta == nullptr || snaps == nullptr) {
        throw InputError("store " + Store::display_name(path) +
                         (Store::is_database(path) ? ": a database but not a frontline store"
                                                   : ": a GeoPackage but not a frontline store") +
                         " (no 'snapshots' and 'frontline_meta' tables); name another store with --store");
    }
    meta->SetAttributeFilter("key = 'schema_version'");
    meta->ResetReading();
    OGRFeatureUniquePtr f(meta->GetNextFeature());
    meta->SetAttributeFilter(nullptr);
    int version = f ? std::atoi(f->GetFieldAsString("value")) : 0;
    if (version != Store::kSchemaVersion) {
        throw InputError("store " + Store::display_name(path) + ": schema version " + std::to_string(version) +
                         (version > Store::kSchemaVersion ? " was written by a newer frontline"
                                                          : " is not one this frontline knows") +
                         " (this build reads version " + std::to_string(Store::kSchemaVersion) +
                         "); use the frontline that wrote it");
    }
    return snaps;
}

void create_schema(GDALDataset& ds, const std::string& path, const GdalErrors& errors) {
    const std::string name = Store::display_name(path);
    const bool pg = Store::is_database(path);
    OGRSpatialReference wgs84;
    wgs84.SetWellKnownGeogCS("WGS84");
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    // The same table in both backends: PostGIS gets a GiST index on geom (the PG driver's
    // default), a GeoPackage its RTree; text columns without a length limit.
    const char* const gpkg_options[] = {"GEOMETRY_NAME=geom", "FID=fid", "SPATIAL_INDEX=YES",
                                        "DESCRIPTION=frontline control-area snapshots", nullptr};
    const char* const pg_options[] = {"GEOMETRY_NAME=geom", "FID=fid", "SPATIAL_INDEX=GIST", "PRECISION=NO",
                                      "DESCRIPTION=frontline control-area snapshots", nullptr};
    const char* const pg_meta_options[] = {"FID=fid", "PRECISION=NO", nullptr};
    OGRLayer* snaps = ds.CreateLayer(kSnapshotsLayer, &wgs84, wkbMultiPolygon,
                                     const_cast<char**>(pg ? pg_options : gpkg_options));
    OGRLayer* meta =
        ds.CreateLayer(kMetaLayer, nullptr, wkbNone, pg ? const_cast<char**>(pg_meta_options) : nullptr);
    if (snaps == nullptr || meta == nullptr) {
        throw RunError("store " + name + ": cannot create the tables (" + db_message(errors.last_error()) + ")");
    }
    const std::pair<const char*, OGRFieldType> fields[] = {
        {"provider", OFTString},      {"date", OFTString},         {"class", OFTString},
        {"area_km2", OFTReal},        {"content_sha256", OFTString}, {"source_file", OFTString},
        {"source_layers", OFTString}, {"source_sha256", OFTString}, {"repaired", OFTInteger},
        {"ingested_at", OFTString}};
    for (const auto& [field, type] : fields) {
        OGRFieldDefn defn(field, type);
        if (snaps->CreateField(&defn) != OGRERR_NONE) {
            throw RunError("store " + name + ": cannot create field " + field + " (" + db_message(errors.last_error()) + ")");
        }
    }
    for (const char* field : {"key", "value"}) {
        OGRFieldDefn defn(field, OFTString);
        if (meta->CreateField(&defn) != OGRERR_NONE) {
            throw RunError("store " + name + ": cannot create field " + field + " (" + db_message(errors.last_error()) + ")");
        }
    }
    const std::pair<const char*, std::string> rows[] = {
        {"schema_version", std::to_string(Store::kSchemaVersion)}, {"created_by", "frontline"}};
    for (const auto& [key, value] : rows) {
        OGRFeature f(meta->GetLayerDefn());
        f.SetField("key", key);
        f.SetField("value", value.c_str());
        if (meta->CreateFeature(&f) != OGRERR_NONE) {
            throw RunError("store " + name + ": cannot write the schema version (" + db_message(errors.last_error()) + ")");
        }
    }
    // One row per key, enforced by the database too (two writers at once cannot both add it).
    // OGR's PostgreSQL driver creates the table lazily: reading it forces the CREATE TABLE first.
    snaps->ResetReading();
    snaps->GetFeatureCount(TRUE);
    ds.ExecuteSQL("CREATE UNIQUE INDEX snapshots_key ON snapshots(provider, \"class\", date)",
                  nullptr, nullptr);
    if (pg && !query_has_rows(ds, "SELECT 1 FROM pg_indexes WHERE indexname = 'snapshots_key' AND "
                                  "tablename = 'snapshots' AND schemaname = current_schema()")) {
        throw RunError("store " + name + ": cannot create the unique index on (provider, class, date) (" +
                       db_message(errors.last_error()) + ")");
    }
}

/// "provider date class" for messages.
std::string key_text(const SnapshotKey& key) { return key.provider + " " + key.date + " " + key.cls; }

/// True if GDAL's last error is the database refusing a second row with the same key.
bool is_unique_violation(const std::string& message) {
    return message.find("snapshots_key") != std::string::npos ||
           message.find("UNIQUE constraint failed") != std::string::npos ||
           message.find("duplicate key") != std::string::npos;
}

void write_rows(OGRLayer& layer, const std::vector<Snapshot>& snapshots, const std::string& path,
                const GdalErrors& errors) {
    const std::string name = Store::display_name(path);
    for (const auto& s : snapshots) {
        layer.SetAttributeFilter(key_filter(s.info.key).c_str());
        layer.ResetReading();
        std::vector<GIntBig> old;
        std::string stored_sha256;
        for (auto& f : layer) {
            old.push_back(f->GetFID());
            stored_sha256 = f->GetFieldAsString("content_sha256");
        }
        layer.SetAttributeFilter(nullptr);
        // Inside the transaction: what is stored now must be what the writer saw when it decided.
        if (!old.empty() && (!s.replaces_sha256 || *s.replaces_sha256 != stored_sha256)) {
            throw RunError("store " + name + ": another ingest stored " + key_text(s.info.key) +
                           " meanwhile; nothing from this run was written. Run it again to compare "
                           "with what is now stored (--replace to overwrite it)");
        }
        for (GIntBig fid : old) {
            if (layer.DeleteFeature(fid) != OGRERR_NONE) {
                throw RunError("store " + name + ": cannot replace the snapshot " + key_text(s.info.key) + " (" +
                               db_message(errors.last_error()) +
                               "); another ingest may have replaced it meanwhile: run again");
            }
        }
        OGRFeature f(layer.GetLayerDefn());
        f.SetField("provider", s.info.key.provider.c_str());
        f.SetField("date", s.info.key.date.c_str());
        f.SetField("class", s.info.key.cls.c_str());
        f.SetField("area_km2", stored_real(s.info.area_km2));
        f.SetField("content_sha256", s.info.content_sha256.c_str());
        f.SetField("source_file", s.info.source_file.c_str());
        f.SetField("source_layers", s.info.source_layers.c_str());
        f.SetField("source_sha256", s.info.source_sha256.c_str());
        f.SetField("repaired", s.info.repaired);
        f.SetField("ingested_at", s.info.ingested_at.c_str());
        OGRGeometry* geom = nullptr;
        if (OGRGeometryFactory::createFromWkb(s.wkb.data(), layer.GetSpatialRef(), &geom,
                                              s.wkb.size()) != OGRERR_NONE) {
            throw RunError("store " + name + ": cannot convert a snapshot geometry");
        }
        std::unique_ptr<OGRGeometry> owned(geom);
        if (wkbFlatten(geom->getGeometryType()) == wkbPolygon) {
            owned.reset(OGRGeometryFactory::forceToMultiPolygon(owned.release()));
        }
        f.SetGeometryDirectly(owned.release());
        if (layer.CreateFeature(&f) != OGRERR_NONE) {
            const std::string why = errors.last_error();
            if (is_unique_violation(why)) {
                throw RunError("store " + name + ": another ingest stored " + key_text(s.info.key) +
                               " meanwhile; nothing from this run was written. Run it again to compare "
                               "with what is now stored (--replace to overwrite it)");
            }
            throw RunError("store " + name + ": cannot write the snapshot " + key_text(s.info.key) +
                           (why.empty() ? std::string() : " (" + db_message(why) + ")"));
        }
    }
}

/// Store::list()'s order: by provider, class and date.
void sort_by_key(std::vector<SnapshotInfo>& infos) {
    std::sort(infos.begin(), infos.end(), [](const SnapshotInfo& a, const SnapshotInfo& b) {
        return std::tie(a.key.provider, a.key.cls, a.key.date) < std::tie(b.key.provider, b.key.cls, b.key.date);
    });
}

/// WKB of an empty MultiPolygon: a snapshot with nothing inside a bounding box.
std::vector<unsigned char> empty_multipolygon_wkb() {
    OGRMultiPolygon empty;
    std::vector<unsigned char> wkb(empty.WkbSize());
    empty.exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    return wkb;
}

}  // namespace

bool Store::is_database(const std::string& location) {
    return location.size() >= 3 && (location.compare(0, 3, "PG:") == 0 || location.compare(0, 3, "pg:") == 0);
}

std::string Store::display_name(const std::string& location) {
    if (!is_database(location)) {
        return location;
    }
    // Never print a password given in the connection string.
    static const std::regex password(R"((password\s*=\s*)('([^'\\]|\\.)*'|\S+))", std::regex::icase);
    return std::regex_replace(location, password, "$1***");
}

struct Store::Impl {
    /// A GeoPackage read straight through SQLite (gpkg_direct.hpp), when it could be; else null.
    std::unique_ptr<GpkgDirect> direct;
    /// GDAL's view of the store: always for PostGIS; for a GeoPackage when `direct` is null or
    /// once something needs GDAL (a bounding box, a geometry blob `direct` leaves to GDAL).
    GDALDatasetUniquePtr ds;
    OGRLayer* snapshots = nullptr;
    std::optional<BBox> bbox;

    /// Opens the GeoPackage through GDAL if that has not been done.
    OGRLayer& gdal_snapshots(const std::string& path) {
        if (snapshots == nullptr) {
            init_gdal();
            GdalErrors errors;
            ds = open_gpkg(path, false, errors);
            snapshots = check_schema(*ds, path);
        }
        return *snapshots;
    }
};

Store::Store(std::string path, std::unique_ptr<Impl> impl)
    : m_path(std::move(path)), m_impl(std::move(impl)) {}
Store::~Store() = default;
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;

bool Store::exists(const std::string& path) {
    if (is_database(path)) {
        init_gdal();
        GdalErrors errors;
        GDALDatasetUniquePtr ds = open_pg(path, false, errors);
        return ds->GetLayerByName(kSnapshotsLayer) != nullptr || ds->GetLayerByName(kMetaLayer) != nullptr;
    }
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

Store Store::open(const std::string& path) {
    // GDAL is loaded only for what the SQLite reader leaves to it (gdal_env.hpp, load_gdal).
    std::optional<GdalErrors> errors;
    auto impl = std::make_unique<Impl>();
    if (is_database(path)) {
        init_gdal();
        errors.emplace();
        impl->ds = open_pg(path, false, *errors);
        if (impl->ds->GetLayerByName(kSnapshotsLayer) == nullptr && impl->ds->GetLayerByName(kMetaLayer) == nullptr) {
            throw InputError("store " + display_name(path) +
                             ": the database holds no frontline store yet; ingest snapshots first (frontline "
                             "ingest --store \"" + display_name(path) + "\" FILE...)");
        }
    } else {
        if (!exists(path)) {
            throw InputError("store " + path + ": no such file; ingest snapshots first (frontline ingest --store " +
                             path + " FILE...)");
        }
        try {
            impl->direct = GpkgDirect::open(path, kSchemaVersion);
        } catch (const GpkgReadError& e) {
            throw_locked(path, e.what());  // GpkgDirect::open throws for a lock only
        }
        if (impl->direct) {
            return Store(path, std::move(impl));
        }
        init_gdal();
        errors.emplace();
        impl->ds = open_gpkg(path, false, *errors);
    }
    impl->snapshots = check_schema(*impl->ds, path);
    return Store(path, std::move(impl));
}

std::string Store::name() const { return display_name(m_path); }

void Store::restrict_to(const BBox& bbox) { m_impl->bbox = bbox; }

std::vector<SnapshotInfo> Store::list() const {
    if (m_impl->direct) {
        std::vector<SnapshotInfo> out;
        try {
            out = m_impl->direct->list();
        } catch (const GpkgReadError& e) {
            if (e.locked()) {
                throw_locked(m_path, e.what());
            }
            throw RunError("store " + name() + ": cannot read the snapshots table (" + e.what() + ")");
        }
        sort_by_key(out);
        return out;
    }
    GdalErrors errors;
    // Plain SQL naming the columns, so no geometry is sent: OGR's PostgreSQL driver selects the
    // geometry column even when it is set to be ignored. The same statement serves a GeoPackage.
    OGRLayer* rows = m_impl->ds->ExecuteSQL(
        "SELECT provider, date, \"class\", area_km2, content_sha256, source_file, source_layers, source_sha256, "
        "repaired, ingested_at FROM snapshots",
        nullptr, nullptr);
    if (rows == nullptr) {
        throw RunError("store " + name() + ": cannot read the snapshots table (" + db_message(errors.last_error()) +
                       ")");
    }
    std::vector<SnapshotInfo> out;
    for (auto& f : *rows) {
        out.push_back(info_of(*f));
    }
    m_impl->ds->ReleaseResultSet(rows);
    sort_by_key(out);
    return out;
}

std::optional<SnapshotInfo> Store::find(const SnapshotKey& key) const {
    for (auto& info : list()) {
        if (info.key.provider == key.provider && info.key.cls == key.cls && info.key.date == key.date) {
            return info;
        }
    }
    return std::nullopt;
}

std::optional<SnapshotInfo> Store::latest_on_or_before(const std::string& provider, const std::string& cls,
                                                       const std::string& date) const {
    std::optional<SnapshotInfo> best;
    for (auto& info : list()) {
        if (info.key.provider == provider && info.key.cls == cls && info.key.date <= date) {
            best = info;  // list() is sorted by date within (provider, class)
        }
    }
    return best;
}

std::vector<unsigned char> Store::load_wkb(const SnapshotKey& key) const {
    const std::optional<BBox>& box = m_impl->bbox;
    if (m_impl->direct && !box) {
        GpkgDirect::Loaded loaded;
        try {
            loaded = m_impl->direct->load_wkb(key);
        } catch (const GpkgReadError& e) {
            if (e.locked()) {
                throw_locked(m_path, e.what());
            }
            throw RunError("store " + name() + ": cannot read the snapshot " + key_text(key) + " (" + e.what() + ")");
        }
        if (loaded.kind == GpkgDirect::Loaded::Kind::wkb) {
            return std::move(loaded.wkb);
        }
        if (loaded.kind == GpkgDirect::Loaded::Kind::missing) {
            throw InputError("store " + name() + ": no snapshot " + key_text(key));
        }
    }
    GdalErrors errors;
    OGRLayer* layer = m_impl->direct ? &m_impl->gdal_snapshots(m_path) : m_impl->snapshots;
    layer->SetAttributeFilter(key_filter(key).c_str());
    // With a bounding box the database's spatial index (PostGIS GiST, GeoPackage RTree) skips a
    // snapshot that lies wholly outside it: nothing is sent for it.
    if (box) {
        layer->SetSpatialFilterRect(box->min_lon, box->min_lat, box->max_lon, box->max_lat);
    }
    layer->ResetReading();
    OGRFeatureUniquePtr f(layer->GetNextFeature());
    layer->SetAttributeFilter(nullptr);
    layer->SetSpatialFilter(nullptr);
    if (box && !f && find(key)) {
        return empty_multipolygon_wkb();
    }
    if (!f || f->GetGeometryRef() == nullptr) {
        throw InputError("store " + name() + ": no snapshot " + key_text(key));
    }
    const OGRGeometry* g = f->GetGeometryRef();
    std::vector<unsigned char> wkb(g->WkbSize());
    g->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    return wkb;
}

namespace {

/// Writes into an existing GeoPackage, or into a PostGIS database (creating the tables there in the
/// same transaction when they are missing, so two first ingests at once cannot leave half a schema).
void write_in_place(const std::string& path, const std::vector<Snapshot>& snapshots, GdalErrors& errors) {
    const std::string name = Store::display_name(path);
    const bool pg = Store::is_database(path);
    GDALDatasetUniquePtr ds = open_store(path, true, errors);
    const bool create = pg && ds->GetLayerByName(kSnapshotsLayer) == nullptr &&
                        ds->GetLayerByName(kMetaLayer) == nullptr;
    if (create) {
        require_postgis(*ds, path);
    }
    if (ds->StartTransaction(FALSE) != OGRERR_NONE) {
        throw RunError("store " + name + ": cannot start a transaction (" + db_message(errors.last_error()) + ")");
    }
    try {
        if (create) {
            create_schema(*ds, path, errors);
        }
        OGRLayer* layer = check_schema(*ds, path);
        write_rows(*layer, snapshots, path, errors);
    } catch (const RunError& e) {
        ds->RollbackTransaction();
        const std::string why = e.what();
        if (create && (why.find("already exists") != std::string::npos ||
                       why.find("pg_type_typname_nsp_index") != std::string::npos)) {
            throw RunError("store " + name + ": another ingest created the store meanwhile; nothing from this run "
                           "was written, run it again");
        }
        throw;
    } catch (...) {
        ds->RollbackTransaction();
        throw;
    }
    if (ds->CommitTransaction() != OGRERR_NONE) {
        const std::string why = errors.last_error();
        ds->RollbackTransaction();
        if (create && why.find("already exists") != std::string::npos) {
            throw RunError("store " + name + ": another ingest created the store meanwhile; run again");
        }
        // SQLite's first message says why (e.g. "disk I/O error" when a write hits EFBIG).
        throw RunError("store " + name + ": cannot commit (" + db_message(errors.summary()) +
                       "); the store is unchanged; check the free disk space and any file-size limit (ulimit -f), "
                       "then run again");
    }
    ds.reset();
}

}  // namespace

namespace {

/// Moves a complete new store from `tmp` to `path`; link() refuses to replace a store another run
/// created meanwhile. `tmp` is removed either way.
void move_into_place(const std::string& tmp, const std::string& path) {
    if (::link(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        throw RunError("store " + path + ": cannot move the new store into place (" + std::strerror(err) + ")" +
                       (err == EEXIST ? "; another ingest created it meanwhile, run again" : ""));
    }
    ::unlink(tmp.c_str());
}

}  // namespace

void Store::write(const std::string& path, const std::vector<Snapshot>& snapshots, Writer writer) {
    const bool new_file = !is_database(path) && !exists(path);
    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    if (new_file && writer == Writer::any) {
        // A new GeoPackage: written through SQLite (gpkg_writer.hpp), without loading GDAL; on any
        // failure GDAL writes it below and reports what went wrong.
        ::unlink(tmp.c_str());  // ours: a process of this id that died before cleaning up
        if (write_new_gpkg(tmp, snapshots)) {
            move_into_place(tmp, path);
            return;
        }
    }
    init_gdal();
    GdalErrors errors;
    // The store's creation options are fixed here and known good; GDAL's check of them parses
    // the driver's whole option list as XML, a tenth of ingesting the daily archive.
    CPLConfigOptionSetter no_option_check("GDAL_VALIDATE_CREATION_OPTIONS", "NO", false);
    if (!new_file) {
        write_in_place(path, snapshots, errors);
        return;
    }

    // A new store is built beside its final name and moved into place only when complete, so a
    // failure never leaves a half-written file behind.
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (driver == nullptr) {
        throw RunError("GDAL has no GPKG driver");
    }
    try {
        GDALDatasetUniquePtr ds(driver->Create(tmp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) {
            throw InputError("store " + path + ": cannot create it (" + errors.last_error() +
                             "); check that its folder exists and is writable");
        }
        create_schema(*ds, path, errors);
        OGRLayer* layer = ds->GetLayerByName(kSnapshotsLayer);
        if (ds->StartTransaction(FALSE) != OGRERR_NONE) {
            throw RunError("store " + path + ": cannot start a transaction");
        }
        write_rows(*layer, snapshots, path, errors);
        if (ds->CommitTransaction() != OGRERR_NONE) {
            throw RunError("store " + path + ": cannot commit (" + errors.summary() + ")");
        }
        ds.reset();
        if (!errors.last_error().empty()) {
            throw RunError("store " + path + ": cannot finish writing (" + errors.last_error() + ")");
        }
        move_into_place(tmp, path);
    } catch (...) {
        ::unlink(tmp.c_str());
        throw;
    }
}

}  // namespace frontline::ingest
