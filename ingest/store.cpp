#include "ingest/store.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <tuple>
#include <unistd.h>

#include "geo/error.hpp"
#include "ingest/gdal_env.hpp"

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

GDALDatasetUniquePtr open_gpkg(const std::string& path, bool update, GdalErrors& errors) {
    const char* const drivers[] = {"GPKG", nullptr};
    unsigned flags = GDAL_OF_VECTOR | GDAL_OF_VERBOSE_ERROR | (update ? GDAL_OF_UPDATE : 0U);
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), flags, drivers));
    if (!ds) {
        std::string why = errors.last_error();
        throw InputError("store " + path + ": not a GeoPackage" +
                         (why.empty() ? std::string() : " (" + why + ")") +
                         "; name a frontline store (.gpkg) or a new file with --store");
    }
    return ds;
}

/// Throws InputError unless `ds` holds a frontline store of a schema this build understands.
OGRLayer* check_schema(GDALDataset& ds, const std::string& path) {
    OGRLayer* meta = ds.GetLayerByName(kMetaLayer);
    OGRLayer* snaps = ds.GetLayerByName(kSnapshotsLayer);
    if (meta == nullptr || snaps == nullptr) {
        throw InputError("store " + path +
                         ": a GeoPackage but not a frontline store (no 'snapshots' and "
                         "'frontline_meta' tables); name another file with --store");
    }
    meta->SetAttributeFilter("key = 'schema_version'");
    meta->ResetReading();
    OGRFeatureUniquePtr f(meta->GetNextFeature());
    meta->SetAttributeFilter(nullptr);
    int version = f ? std::atoi(f->GetFieldAsString("value")) : 0;
    if (version != Store::kSchemaVersion) {
        throw InputError("store " + path + ": schema version " + std::to_string(version) +
                         (version > Store::kSchemaVersion ? " was written by a newer frontline"
                                                          : " is not one this frontline knows") +
                         " (this build reads version " + std::to_string(Store::kSchemaVersion) +
                         "); use the frontline that wrote it");
    }
    return snaps;
}

void create_schema(GDALDataset& ds, const std::string& path) {
    OGRSpatialReference wgs84;
    wgs84.SetWellKnownGeogCS("WGS84");
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const char* const layer_options[] = {"GEOMETRY_NAME=geom", "FID=fid", "SPATIAL_INDEX=YES",
                                         "DESCRIPTION=frontline control-area snapshots", nullptr};
    OGRLayer* snaps = ds.CreateLayer(kSnapshotsLayer, &wgs84, wkbMultiPolygon,
                                     const_cast<char**>(layer_options));
    OGRLayer* meta = ds.CreateLayer(kMetaLayer, nullptr, wkbNone, nullptr);
    if (snaps == nullptr || meta == nullptr) {
        throw RunError("store " + path + ": cannot create the tables");
    }
    const std::pair<const char*, OGRFieldType> fields[] = {
        {"provider", OFTString},      {"date", OFTString},         {"class", OFTString},
        {"area_km2", OFTReal},        {"content_sha256", OFTString}, {"source_file", OFTString},
        {"source_layers", OFTString}, {"source_sha256", OFTString}, {"repaired", OFTInteger},
        {"ingested_at", OFTString}};
    for (const auto& [name, type] : fields) {
        OGRFieldDefn defn(name, type);
        if (snaps->CreateField(&defn) != OGRERR_NONE) {
            throw RunError("store " + path + ": cannot create field " + name);
        }
    }
    for (const char* name : {"key", "value"}) {
        OGRFieldDefn defn(name, OFTString);
        if (meta->CreateField(&defn) != OGRERR_NONE) {
            throw RunError("store " + path + ": cannot create field " + name);
        }
    }
    const std::pair<const char*, std::string> rows[] = {
        {"schema_version", std::to_string(Store::kSchemaVersion)}, {"created_by", "frontline"}};
    for (const auto& [key, value] : rows) {
        OGRFeature f(meta->GetLayerDefn());
        f.SetField("key", key);
        f.SetField("value", value.c_str());
        if (meta->CreateFeature(&f) != OGRERR_NONE) {
            throw RunError("store " + path + ": cannot write the schema version");
        }
    }
    // One row per key, enforced by the database too (two writers at once cannot both add it).
    ds.ExecuteSQL("CREATE UNIQUE INDEX snapshots_key ON snapshots(provider, \"class\", date)",
                  nullptr, nullptr);
}

void write_rows(OGRLayer& layer, const std::vector<Snapshot>& snapshots,
                const std::string& path) {
    for (const auto& s : snapshots) {
        layer.SetAttributeFilter(key_filter(s.info.key).c_str());
        layer.ResetReading();
        std::vector<GIntBig> old;
        for (auto& f : layer) {
            old.push_back(f->GetFID());
        }
        layer.SetAttributeFilter(nullptr);
        for (GIntBig fid : old) {
            if (layer.DeleteFeature(fid) != OGRERR_NONE) {
                throw RunError("store " + path + ": cannot replace the snapshot " + s.info.key.provider +
                               " " + s.info.key.date + " " + s.info.key.cls);
            }
        }
        OGRFeature f(layer.GetLayerDefn());
        f.SetField("provider", s.info.key.provider.c_str());
        f.SetField("date", s.info.key.date.c_str());
        f.SetField("class", s.info.key.cls.c_str());
        f.SetField("area_km2", s.info.area_km2);
        f.SetField("content_sha256", s.info.content_sha256.c_str());
        f.SetField("source_file", s.info.source_file.c_str());
        f.SetField("source_layers", s.info.source_layers.c_str());
        f.SetField("source_sha256", s.info.source_sha256.c_str());
        f.SetField("repaired", s.info.repaired);
        f.SetField("ingested_at", s.info.ingested_at.c_str());
        OGRGeometry* geom = nullptr;
        if (OGRGeometryFactory::createFromWkb(s.wkb.data(), layer.GetSpatialRef(), &geom,
                                              s.wkb.size()) != OGRERR_NONE) {
            throw RunError("store " + path + ": cannot convert a snapshot geometry");
        }
        std::unique_ptr<OGRGeometry> owned(geom);
        if (wkbFlatten(geom->getGeometryType()) == wkbPolygon) {
            owned.reset(OGRGeometryFactory::forceToMultiPolygon(owned.release()));
        }
        f.SetGeometryDirectly(owned.release());
        if (layer.CreateFeature(&f) != OGRERR_NONE) {
            throw RunError("store " + path + ": cannot write the snapshot " + s.info.key.provider + " " +
                           s.info.key.date + " " + s.info.key.cls);
        }
    }
}

}  // namespace

struct Store::Impl {
    GDALDatasetUniquePtr ds;
    OGRLayer* snapshots = nullptr;
};

Store::Store(std::string path, std::unique_ptr<Impl> impl)
    : m_path(std::move(path)), m_impl(std::move(impl)) {}
Store::~Store() = default;
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;

bool Store::exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

Store Store::open(const std::string& path) {
    init_gdal();
    if (!exists(path)) {
        throw InputError("store " + path + ": no such file; ingest snapshots first (frontline ingest --store " +
                         path + " FILE...)");
    }
    GdalErrors errors;
    auto impl = std::make_unique<Impl>();
    impl->ds = open_gpkg(path, false, errors);
    impl->snapshots = check_schema(*impl->ds, path);
    return Store(path, std::move(impl));
}

std::vector<SnapshotInfo> Store::list() const {
    GdalErrors errors;
    OGRLayer* layer = m_impl->snapshots;
    layer->SetAttributeFilter(nullptr);
    const char* const ignored[] = {"OGR_GEOMETRY", nullptr};
    layer->SetIgnoredFields(const_cast<const char**>(ignored));
    std::vector<SnapshotInfo> out;
    for (auto& f : *layer) {
        out.push_back(info_of(*f));
    }
    layer->SetIgnoredFields(nullptr);
    std::sort(out.begin(), out.end(), [](const SnapshotInfo& a, const SnapshotInfo& b) {
        return std::tie(a.key.provider, a.key.cls, a.key.date) < std::tie(b.key.provider, b.key.cls, b.key.date);
    });
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
    GdalErrors errors;
    OGRLayer* layer = m_impl->snapshots;
    layer->SetAttributeFilter(key_filter(key).c_str());
    layer->ResetReading();
    OGRFeatureUniquePtr f(layer->GetNextFeature());
    layer->SetAttributeFilter(nullptr);
    if (!f || f->GetGeometryRef() == nullptr) {
        throw InputError("store " + m_path + ": no snapshot " + key.provider + " " + key.date + " " + key.cls);
    }
    const OGRGeometry* g = f->GetGeometryRef();
    std::vector<unsigned char> wkb(g->WkbSize());
    g->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    return wkb;
}

void Store::write(const std::string& path, const std::vector<Snapshot>& snapshots) {
    init_gdal();
    GdalErrors errors;
    if (exists(path)) {
        GDALDatasetUniquePtr ds = open_gpkg(path, true, errors);
        OGRLayer* layer = check_schema(*ds, path);
        if (ds->StartTransaction(FALSE) != OGRERR_NONE) {
            throw RunError("store " + path + ": cannot start a transaction (" + errors.summary() + ")");
        }
        try {
            write_rows(*layer, snapshots, path);
        } catch (...) {
            ds->RollbackTransaction();
            throw;
        }
        if (ds->CommitTransaction() != OGRERR_NONE) {
            ds->RollbackTransaction();
            throw RunError("store " + path + ": cannot commit (" + errors.summary() +
                           "); the store is unchanged; check the free disk space and any file-size limit (ulimit -f), then run again");
        }
        ds.reset();
        return;
    }

    // A new store is built beside its final name and moved into place only when complete, so a
    // failure never leaves a half-written file behind.
    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
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
        create_schema(*ds, path);
        OGRLayer* layer = ds->GetLayerByName(kSnapshotsLayer);
        if (ds->StartTransaction(FALSE) != OGRERR_NONE) {
            throw RunError("store " + path + ": cannot start a transaction");
        }
        write_rows(*layer, snapshots, path);
        if (ds->CommitTransaction() != OGRERR_NONE) {
            throw RunError("store " + path + ": cannot commit (" + errors.summary() + ")");
        }
        ds.reset();
        if (!errors.last_error().empty()) {
            throw RunError("store " + path + ": cannot finish writing (" + errors.last_error() + ")");
        }
        // link() refuses to replace a store another run created meanwhile.
        if (::link(tmp.c_str(), path.c_str()) != 0) {
            int err = errno;
            throw RunError("store " + path + ": cannot move the new store into place (" +
                           std::strerror(err) + ")" +
                           (err == EEXIST ? "; another ingest created it meanwhile, run again" : ""));
        }
        ::unlink(tmp.c_str());
    } catch (...) {
        ::unlink(tmp.c_str());
        throw;
    }
}

}  // namespace frontline::ingest
