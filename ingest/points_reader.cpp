#include "ingest/points_reader.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <functional>
#include <memory>

#include "geo/error.hpp"
#include "geo/front.hpp"
#include "ingest/gdal_env.hpp"

namespace frontline::ingest {

namespace {

/// Calls `fn(layer, feature, geometry)` for every non-empty geometry of every layer of `path`,
/// the geometry transformed to WGS84 lon/lat. `what` names the expected content in errors.
void for_each_geometry(const std::string& path, const std::string& what,
                       const std::function<void(OGRLayer&, OGRFeature&, OGRGeometry&)>& fn) {
    init_gdal();
    GdalErrors errors;
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_VERBOSE_ERROR));
    if (!ds) {
        throw InputError(path + ": GDAL cannot open it as vector data (" + errors.last_error() + "); give " + what +
                         " such as GeoJSON, GPKG or CSV");
    }
    OGRSpatialReference wgs84;
    wgs84.SetWellKnownGeogCS("WGS84");
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    for (OGRLayer* layer : ds->GetLayers()) {
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
            std::unique_ptr<OGRGeometry> copy(g->clone());
            copy->flattenTo2D();
            if (ct && copy->transform(ct.get()) != OGRERR_NONE) {
                throw InputError(at + ": cannot transform it to WGS84 lon/lat; check the file's CRS");
            }
            OGREnvelope env;
            copy->getEnvelope(&env);
            if (!std::isfinite(env.MinX) || !std::isfinite(env.MaxX) || !std::isfinite(env.MinY) || !std::isfinite(env.MaxY) ||
                env.MinX < -180 || env.MaxX > 180 || env.MinY < -90 || env.MaxY > 90) {
                throw InputError(at + ": coordinates are not a valid longitude/latitude; check the file's CRS");
            }
            fn(*layer, *feature, *copy);
        }
    }
}

}  // namespace

std::vector<Site> read_sites(const std::string& path, const std::string& name_field) {
    std::vector<Site> sites;
    for_each_geometry(path, "a point layer", [&](OGRLayer& layer, OGRFeature& feature, OGRGeometry& g) {
        std::vector<const OGRPoint*> points;
        if (wkbFlatten(g.getGeometryType()) == wkbPoint) {
            points.push_back(g.toPoint());
        } else if (wkbFlatten(g.getGeometryType()) == wkbMultiPoint) {
            for (const OGRPoint* p : *g.toMultiPoint()) {
                points.push_back(p);
            }
        } else {
            return;
        }
        const int field = layer.GetLayerDefn()->GetFieldIndex(name_field.c_str());
        if (field < 0) {
            std::string known;
            for (int i = 0; i < layer.GetLayerDefn()->GetFieldCount(); ++i) {
                known += (known.empty() ? "" : ", ") + std::string(layer.GetLayerDefn()->GetFieldDefn(i)->GetNameRef());
            }
            throw InputError(path + ", layer '" + layer.GetName() + "': no field '" + name_field + "' for names (its fields: " +
                             (known.empty() ? "none" : known) + "); name one with the name-field option");
        }
        for (const OGRPoint* p : points) {
            sites.push_back(Site{feature.GetFieldAsString(field), p->getX(), p->getY()});
        }
    });
    if (sites.empty()) {
        throw InputError(path + ": no point features; give a point layer (towns, cities, bases)");
    }
    return sites;
}

geo::Geometry read_lines(const geo::Context& ctx, const std::string& path) {
    std::vector<geo::Geometry> lines;
    for_each_geometry(path, "a line layer", [&](OGRLayer&, OGRFeature&, OGRGeometry& g) {
        const auto type = wkbFlatten(g.getGeometryType());
        if (type != wkbLineString && type != wkbMultiLineString && type != wkbGeometryCollection) {
            return;
        }
        std::vector<unsigned char> wkb(static_cast<std::size_t>(g.WkbSize()));
        g.exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
        for (auto& l : geo::lines_of(geo::Geometry::from_wkb(ctx, wkb))) {
            lines.push_back(std::move(l));
        }
    });
    if (lines.empty()) {
        throw InputError(path + ": no LineString or MultiLineString; --line takes the proposed line (use --area for a polygon)");
    }
    return geo::make_multilinestring(ctx, std::move(lines));
}

}  // namespace frontline::ingest
