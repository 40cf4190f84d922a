#include "ingest/points_reader.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <memory>

#include "geo/error.hpp"
#include "ingest/gdal_env.hpp"

namespace frontline::ingest {

std::vector<Site> read_sites(const std::string& path, const std::string& name_field) {
    init_gdal();
    GdalErrors errors;
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_VERBOSE_ERROR));
    if (!ds) {
        throw InputError(path + ": GDAL cannot open it as vector data (" + errors.last_error() +
                         "); give a point layer such as GeoJSON, GPKG or CSV with X/Y columns");
    }
    OGRSpatialReference wgs84;
    wgs84.SetWellKnownGeogCS("WGS84");
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::vector<Site> sites;
    for (OGRLayer* layer : ds->GetLayers()) {
        const int field = layer->GetLayerDefn()->GetFieldIndex(name_field.c_str());
        const OGRSpatialReference* srs = layer->GetSpatialRef();
        std::unique_ptr<OGRCoordinateTransformation> ct;
        if (srs != nullptr && !srs->IsSame(&wgs84)) {
            ct.reset(OGRCreateCoordinateTransformation(srs, &wgs84));
            if (!ct) {
                throw InputError(path + ", layer '" + std::string(layer->GetName()) +
                                 "': cannot transform its CRS to WGS84; reproject it to EPSG:4326");
            }
        }
        for (auto& feature : *layer) {
            const OGRGeometry* g = feature->GetGeometryRef();
            if (g == nullptr || g->IsEmpty()) {
                continue;
            }
            const std::string at = path + ", layer '" + layer->GetName() + "', feature " + std::to_string(feature->GetFID());
            std::vector<OGRPoint> points;
            if (wkbFlatten(g->getGeometryType()) == wkbPoint) {
                points.push_back(*g->toPoint());
            } else if (wkbFlatten(g->getGeometryType()) == wkbMultiPoint) {
                for (const OGRPoint* p : *g->toMultiPoint()) {
                    points.push_back(*p);
                }
            } else {
                continue;
            }
            if (field < 0) {
                std::string known;
                for (int i = 0; i < layer->GetLayerDefn()->GetFieldCount(); ++i) {
                    known += (known.empty() ? "" : ", ") + std::string(layer->GetLayerDefn()->GetFieldDefn(i)->GetNameRef());
                }
                throw InputError(path + ", layer '" + layer->GetName() + "': no field '" + name_field +
                                 "' for site names (its fields: " + (known.empty() ? "none" : known) +
                                 "); name one with --site-name-field");
            }
            for (auto& p : points) {
                double x = p.getX();
                double y = p.getY();
                if (!std::isfinite(x) || !std::isfinite(y) || (ct && !ct->Transform(1, &x, &y)) || x < -180 || x > 180 ||
                    y < -90 || y > 90) {
                    throw InputError(at + ": the point is not a valid longitude/latitude; check the file's CRS");
                }
                sites.push_back(Site{feature->GetFieldAsString(field), x, y});
            }
        }
    }
    if (sites.empty()) {
        throw InputError(path + ": no point features; --sites takes a point layer (cities, bases)");
    }
    return sites;
}

}  // namespace frontline::ingest
