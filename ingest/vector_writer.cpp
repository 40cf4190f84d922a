#include "ingest/vector_writer.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <unistd.h>

#include "geo/error.hpp"
#include "geo/output_file.hpp"
#include "ingest/gdal_env.hpp"

namespace frontline::ingest {

namespace {

std::string lower(std::string s) {
    for (auto& c : s) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

/// A fresh /vsimem/ file name with the driver's extension (FlatGeobuf and CSV need theirs).
std::string memory_name(GDALDriver* driver) {
    static std::atomic<int> serial{0};
    const char* ext = driver->GetMetadataItem(GDAL_DMD_EXTENSION);
    return "/vsimem/frontline_output_" + std::to_string(::getpid()) + "_" + std::to_string(++serial) + "/out" +
           (ext != nullptr && *ext != '\0' ? std::string(".") + ext : std::string());
}

/// Writes the bytes of the in-memory file `memory` to `path` (a device or a pipe).
void copy_memory_file(const std::string& memory, const std::string& path) {
    vsi_l_offset size = 0;
    const GByte* data = VSIGetMemFileBuffer(memory.c_str(), &size, FALSE);
    std::FILE* f = data != nullptr ? std::fopen(path.c_str(), "wb") : nullptr;
    bool ok = f != nullptr && std::fwrite(data, 1, static_cast<std::size_t>(size), f) == size;
    if (f != nullptr) {
        ok = std::fclose(f) == 0 && ok;
    }
    if (!ok) {
        throw InputError(path + ": cannot write the output (" + std::strerror(errno) + ")");
    }
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string output_driver(const std::string& path, const std::string& format) {
    init_gdal();
    std::string name = format;
    if (name.empty()) {
        static const std::map<std::string, std::string> by_extension = {
            {".gpkg", "GPKG"},          {".fgb", "FlatGeobuf"}, {".geojsonl", "GeoJSONSeq"},
            {".geojsons", "GeoJSONSeq"}, {".csv", "CSV"},        {".shp", "ESRI Shapefile"},
            {".kml", "KML"}};
        name = "GeoJSON";
        for (const auto& [ext, driver] : by_extension) {
            if (ends_with(lower(path), ext)) {
                name = driver;
            }
        }
    }
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(name.c_str());
    if (driver == nullptr || driver->GetMetadataItem(GDAL_DCAP_VECTOR) == nullptr ||
        driver->GetMetadataItem(GDAL_DCAP_CREATE) == nullptr) {
        throw InputError("-f " + name +
                         ": not an OGR vector format GDAL can write here; try GeoJSON, GPKG, "
                         "FlatGeobuf, GeoJSONSeq, CSV or 'ESRI Shapefile'");
    }
    return name;
}

void write_features(const std::string& path, const std::string& driver_name, const std::string& layer_name,
                    const std::vector<OutField>& fields, const std::vector<OutFeature>& features) {
    init_gdal();
    GdalErrors errors;
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name.c_str());
    if (driver == nullptr) {
        throw InputError("-f " + driver_name + ": GDAL has no such driver");
    }
    const bool is_geojson = driver_name == "GeoJSON";
    // Shapefiles are several files; everything else here is one file we can rename into place.
    const bool single_file = driver_name != "ESRI Shapefile";
    // A device or pipe (/dev/null, /dev/stdout, a FIFO) cannot be renamed onto, and GDAL refuses
    // to create over an existing path: the output is made in memory and its bytes copied there.
    const bool device = single_file && geo::staging_path(path) == path;
    const std::string target = !single_file ? path : device ? memory_name(driver) : geo::staging_path(path);
    if (!single_file) {
        if (geo::staging_path(path) == path) {
            throw InputError(path + ": not a regular file; a Shapefile is several files, so give a file name");
        }
        driver->Delete(path.c_str());
    }

    try {
        GDALDatasetUniquePtr ds(driver->Create(target.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) {
            throw InputError(path + ": cannot create the output (" + errors.last_error() +
                             "); check that the folder exists and is writable");
        }
        OGRSpatialReference wgs84;
        wgs84.SetWellKnownGeogCS("WGS84");
        wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        std::vector<const char*> options;
        if (is_geojson) {
            options = {"RFC7946=YES", "WRITE_BBOX=YES", "COORDINATE_PRECISION=7"};
        } else if (driver_name == "CSV") {
            options = {"GEOMETRY=AS_WKT"};
        }
        options.push_back(nullptr);
        OGRLayer* layer = ds->CreateLayer(layer_name.c_str(), &wgs84, wkbUnknown,
                                          const_cast<char**>(options.data()));
        if (layer == nullptr) {
            throw RunError(path + ": cannot create layer " + layer_name + " (" + errors.last_error() + ")");
        }
        for (const auto& field : fields) {
            OGRFieldType type = field.type == OutField::Type::real      ? OFTReal
                                : field.type == OutField::Type::integer ? OFTInteger64
                                                                        : OFTString;
            OGRFieldDefn defn(field.name.c_str(), type);
            if (layer->CreateField(&defn) != OGRERR_NONE) {
                throw RunError(path + ": cannot create field " + field.name + " (" + errors.last_error() + ")");
            }
        }
        GIntBig id = 0;
        for (const auto& feature : features) {
            OGRFeature f(layer->GetLayerDefn());
            for (std::size_t i = 0; i < fields.size() && i < feature.properties.size(); ++i) {
                const int index = static_cast<int>(i);
                std::visit(
                    [&](const auto& v) {
                        using T = std::decay_t<decltype(v)>;
                        if constexpr (std::is_same_v<T, std::string>) {
                            f.SetField(index, v.c_str());
                        } else if constexpr (std::is_same_v<T, double>) {
                            f.SetField(index, v);
                        } else {
                            f.SetField(index, static_cast<GIntBig>(v));
                        }
                    },
                    feature.properties[i]);
            }
            OGRGeometry* geom = nullptr;
            if (OGRGeometryFactory::createFromWkb(feature.wkb.data(), &wgs84, &geom, feature.wkb.size()) !=
                OGRERR_NONE) {
                throw RunError(path + ": cannot convert a geometry for output");
            }
            f.SetGeometryDirectly(geom);
            if (is_geojson) {
                f.SetFID(++id);
            }
            if (layer->CreateFeature(&f) != OGRERR_NONE) {
                throw RunError(path + ": cannot write a feature (" + errors.last_error() + ")");
            }
        }
        ds.reset();
        if (!errors.last_error().empty()) {
            throw RunError(path + ": cannot finish writing (" + errors.last_error() + ")");
        }
        if (device) {
            copy_memory_file(target, path);
            VSIUnlink(target.c_str());
        } else if (single_file && !geo::commit_output(target, path)) {
            throw InputError(path + ": cannot move the output into place; check that it is writable");
        }
    } catch (...) {
        if (single_file && target != path) {
            VSIUnlink(target.c_str());
        }
        throw;
    }
}

}  // namespace frontline::ingest
