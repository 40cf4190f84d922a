#include "ingest/vector_writer.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <cstdio>
#include <map>
#include <unistd.h>

#include "geo/error.hpp"
#include "ingest/gdal_env.hpp"

namespace frontline::ingest {

namespace {

std::string lower(std::string s) {
    for (auto& c : s) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// "dir/out.geojson" → "dir/out.tmp-PID.geojson": drivers such as FlatGeobuf and CSV create a
/// folder instead of a file when the name lacks their extension, so the extension stays last.
std::string temporary_name(const std::string& path) {
    const std::string tag = ".tmp-" + std::to_string(::getpid());
    auto dot = path.find_last_of('.');
    auto slash = path.find_last_of('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
        return path + tag;
    }
    return path.substr(0, dot) + tag + path.substr(dot);
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
    const std::string target = single_file ? temporary_name(path) : path;
    if (!single_file) {
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
        if (single_file && std::rename(target.c_str(), path.c_str()) != 0) {
            throw InputError(path + ": cannot move the output into place; check that it is writable");
        }
    } catch (...) {
        if (single_file) {
            VSIUnlink(target.c_str());
        }
        throw;
    }
}

}  // namespace frontline::ingest
