// read_source: polygons out of any vector source, in WGS84 lon/lat, repaired and checked.
// Fixtures are in tests/data/ingest (see its README). Reference areas come from
// tests/reference/reference_values.json (pyproj, geographiclib and PostGIS agree to 1e-10 km²).
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "geo/error.hpp"
#include "geo/geodesic.hpp"
#include "geo/polygon_ops.hpp"
#include "ingest/hash.hpp"
#include "ingest/reader.hpp"
#include "tests/test_support.hpp"

namespace frontline::ingest {
namespace {

using test::TempDir;

constexpr double kCellA_km2 = 12308.778361469453;  // lon 0..1, lat 0..1
constexpr double kCellB_km2 = 8217.589924770447;   // lon 30..31, lat 48..49
constexpr double kCellBWithHole_km2 = 6163.145585500672;

std::string fixture(const std::string& name) { return test::source_dir() + "/tests/data/ingest/" + name; }

::testing::AssertionResult contains(const std::string& text, const std::string& part) {
    if (text.find(part) != std::string::npos) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << part << "\"";
}

/// The message of the InputError read_source throws, or "" with a test failure if it throws none.
std::string read_error(const geo::Context& ctx, const std::string& path) {
    try {
        SourceRead r = read_source(ctx, path);
        ADD_FAILURE() << "read_source(" << path << ") succeeded with " << r.polygons.size() << " polygon(s)";
    } catch (const InputError& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "read_source(" << path << ") threw something else than InputError: " << e.what();
    }
    return "";
}

double total_area_km2(const SourceRead& r) {
    double sum = 0.0;
    for (const auto& p : r.polygons) {
        sum += geo::geodesic_area_m2(p);
    }
    return sum / 1e6;
}

/// Every polygon read is valid and lies in lon/lat range.
void expect_valid_lonlat(const SourceRead& r) {
    for (const auto& p : r.polygons) {
        EXPECT_FALSE(geo::invalid_reason(p).has_value()) << p.to_wkt();
        const int type = p.type_id();
        EXPECT_TRUE(type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON) << p.to_wkt();
        double xmin = 0, ymin = 0, xmax = 0, ymax = 0;
        ASSERT_EQ(GEOSGeom_getExtent_r(p.context().handle(), p.get(), &xmin, &ymin, &xmax, &ymax), 1);
        EXPECT_GE(xmin, -180.0);
        EXPECT_LE(xmax, 180.0);
        EXPECT_GE(ymin, -90.0);
        EXPECT_LE(ymax, 90.0);
    }
}

/// `a` and `b` are the same polygons: with tolerance 0, equal vertex for vertex after
/// normalising; otherwise the same number of parts and vertices, and no vertex of one farther than
/// `tolerance` degrees from the other (discrete Hausdorff distance). Normalising alone cannot be
/// used with a tolerance: a 1e-12° wobble can change which vertex a ring starts at.
::testing::AssertionResult same_shape(const geo::Geometry& a, const geo::Geometry& b, double tolerance) {
    geo::Geometry na = geo::polygonal_part(a);
    geo::Geometry nb = geo::polygonal_part(b);
    geo::normalize(na);
    geo::normalize(nb);
    auto* h = na.context().handle();
    if (tolerance == 0.0) {
        if (GEOSEqualsExact_r(h, na.get(), nb.get(), 0.0) == 1) {
            return ::testing::AssertionSuccess();
        }
        return ::testing::AssertionFailure() << na.to_wkt(9) << " differs from " << nb.to_wkt(9);
    }
    double distance = 0.0;
    if (na.num_geometries() != nb.num_geometries() || na.num_points() != nb.num_points() ||
        GEOSHausdorffDistance_r(h, na.get(), nb.get(), &distance) != 1 || !(distance <= tolerance)) {
        return ::testing::AssertionFailure() << na.to_wkt(9) << " differs from " << nb.to_wkt(9)
                                             << " (Hausdorff distance " << distance << "°)";
    }
    return ::testing::AssertionSuccess();
}

/// All polygons of a read as one MultiPolygon.
geo::Geometry all_polygons(const geo::Context& ctx, const SourceRead& r) {
    std::vector<geo::Geometry> parts;
    for (const auto& p : r.polygons) {
        for (auto& q : geo::polygons_of(p)) {
            parts.push_back(std::move(q));
        }
    }
    return geo::make_multipolygon(ctx, std::move(parts));
}

TEST(IngestReadSource, LonLatPolygon) {
    geo::Context ctx;
    const std::string path = fixture("square_lonlat.geojson");
    SourceRead r = read_source(ctx, path);
    EXPECT_EQ(r.path, path);
    EXPECT_EQ(r.features, 1);
    EXPECT_EQ(r.polygonal_features, 1);
    EXPECT_EQ(r.other_features, 0);
    ASSERT_EQ(r.polygons.size(), 1u);
    EXPECT_EQ(r.layers, std::vector<std::string>{"square_lonlat"});
    EXPECT_TRUE(r.repairs.empty());
    EXPECT_NEAR(total_area_km2(r), kCellB_km2, 1e-6);
    EXPECT_TRUE(same_shape(r.polygons[0],
                           geo::Geometry::from_wkt(ctx, "POLYGON ((30 48, 31 48, 31 49, 30 49, 30 48))"), 0.0));
    expect_valid_lonlat(r);
    EXPECT_EQ(r.sha256, sha256_file(path));
}

TEST(IngestReadSource, Sha256OfKnownBytes) {
    TempDir dir;
    test::write_text(dir.file("abc"), "abc");
    // FIPS 180-2, appendix B.1.
    EXPECT_EQ(sha256_file(dir.file("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex({'a', 'b', 'c'}), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex({}), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_THROW(sha256_file(dir.file("missing")), InputError);
}

TEST(IngestReadSource, PolygonsInsideAGeometryCollection) {
    geo::Context ctx;
    SourceRead r = read_source(ctx, fixture("collection.geojson"));
    EXPECT_EQ(r.features, 1);
    EXPECT_EQ(r.polygonal_features, 1);
    EXPECT_EQ(r.other_features, 0);
    ASSERT_EQ(r.polygons.size(), 2u) << "both polygons, and not the point";
    EXPECT_NEAR(total_area_km2(r), kCellA_km2 + kCellB_km2, 1e-6);
    EXPECT_TRUE(same_shape(all_polygons(ctx, r),
                           geo::Geometry::from_wkt(ctx, "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 1, 0 0)), "
                                                        "((30 48, 31 48, 31 49, 30 49, 30 48)))"),
                           0.0));
    expect_valid_lonlat(r);
}

TEST(IngestReadSource, ThreeDimensionalCoordinatesLoseZAndKeepArea) {
    geo::Context ctx;
    SourceRead flat = read_source(ctx, fixture("square_lonlat.geojson"));
    SourceRead r = read_source(ctx, fixture("square_3d.geojson"));
    ASSERT_EQ(r.polygons.size(), 1u);
    EXPECT_EQ(GEOSHasZ_r(ctx.handle(), r.polygons[0].get()), 0) << "Z must be dropped";
    EXPECT_NEAR(total_area_km2(r), total_area_km2(flat), 1e-9);
    EXPECT_NEAR(total_area_km2(r), kCellB_km2, 1e-6);
    EXPECT_TRUE(same_shape(r.polygons[0], flat.polygons[0], 0.0));
}

TEST(IngestReadSource, ProjectedShapefileIsTransformedToLonLat) {
    geo::Context ctx;
    // The lon/lat square reprojected to UTM zone 36N (EPSG:32636) with ogr2ogr.
    SourceRead r = read_source(ctx, fixture("square_utm36.shp"));
    ASSERT_EQ(r.polygons.size(), 1u);
    EXPECT_EQ(r.layers, std::vector<std::string>{"square_utm36"});
    // The report says which CRS the layer was in.
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_EQ(r.notes[0], "layer 'square_utm36' is in WGS 84 / UTM zone 36N (EPSG:32636); transformed to WGS84 longitude/latitude");
    expect_valid_lonlat(r);
    // Acceptance: within 0.01 %; the round trip through UTM keeps the vertices to ~1e-9°, so
    // the shape check is much tighter.
    EXPECT_NEAR(total_area_km2(r), kCellB_km2, kCellB_km2 * 1e-4);
    EXPECT_TRUE(same_shape(r.polygons[0],
                           geo::Geometry::from_wkt(ctx, "POLYGON ((30 48, 31 48, 31 49, 30 49, 30 48))"), 1e-7));
    // ... and the check does see a vertex 1e-6° off.
    EXPECT_FALSE(same_shape(r.polygons[0],
                            geo::Geometry::from_wkt(ctx, "POLYGON ((30 48, 31 48, 31 49.000001, 30 49, 30 48))"),
                            1e-7));
}

TEST(IngestReadSource, ZippedShapefile) {
    geo::Context ctx;
    // square_utm36.{shp,shx,dbf,prj} zipped: exercises the archive and the .prj inside it.
    SourceRead r = read_source(ctx, fixture("square_utm36_shp.zip"));
    ASSERT_EQ(r.polygons.size(), 1u);
    EXPECT_EQ(r.layers, std::vector<std::string>{"square_utm36"});
    EXPECT_NEAR(total_area_km2(r), kCellB_km2, kCellB_km2 * 1e-4);
    EXPECT_TRUE(same_shape(r.polygons[0],
                           geo::Geometry::from_wkt(ctx, "POLYGON ((30 48, 31 48, 31 49, 30 49, 30 48))"), 1e-7));
    // The hash is of the archive's bytes as given, not of a member.
    EXPECT_EQ(r.sha256, sha256_file(fixture("square_utm36_shp.zip")));
}

TEST(IngestReadSource, Kmz) {
    geo::Context ctx;
    SourceRead r = read_source(ctx, fixture("square.kmz"));
    ASSERT_EQ(r.polygons.size(), 1u);
    EXPECT_EQ(r.polygonal_features, 1);
    EXPECT_NEAR(total_area_km2(r), kCellB_km2, 1e-6);
    expect_valid_lonlat(r);
}

TEST(IngestReadSource, LonLatShapefileWithoutCrsIsReadAndNoted) {
    geo::Context ctx;
    SourceRead r = read_source(ctx, fixture("square_nocrs.shp"));
    ASSERT_EQ(r.polygons.size(), 1u);
    EXPECT_NEAR(total_area_km2(r), kCellB_km2, 1e-6);
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_TRUE(contains(r.notes[0], "no CRS"));
    EXPECT_TRUE(contains(r.notes[0], "square_nocrs"));
}

TEST(IngestReadSource, ProjectedShapefileWithoutPrjIsRefused) {
    geo::Context ctx;
    TempDir dir;
    for (const char* ext : {".shp", ".shx", ".dbf"}) {  // the .prj left behind
        test::copy_file(fixture(std::string("square_utm36") + ext), dir.file(std::string("utm") + ext));
    }
    const std::string msg = read_error(ctx, dir.file("utm.shp"));
    EXPECT_TRUE(contains(msg, dir.file("utm.shp")));
    EXPECT_TRUE(contains(msg, "not a longitude/latitude"));
    EXPECT_TRUE(contains(msg, "no CRS"));
}

/// The area after a repair is measured as the store keeps it, on the 1e-7° grid: ingest then
/// measures the stored snapshot with the same edges, which its edge memo reuses.
TEST(IngestReadSource, AreaAfterARepairIsMeasuredOnTheGrid) {
    TempDir dir;
    const std::string path = dir.file("bowtie_fine.geojson");
    test::write_text(path, R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":)"
                           R"({"type":"Polygon","coordinates":[[[30.000000041,48.000000047],[31.000000043,49.000000048],)"
                           R"([31.000000044,48.000000046],[30.000000042,49.000000049],[30.000000041,48.000000047]]]}}]})");
    geo::Context ctx;
    SourceRead r = read_source(ctx, path);
    ASSERT_EQ(r.repairs.size(), 1u);
    const geo::Geometry kept = all_polygons(ctx, r);
    const double on_grid = geo::geodesic_area_m2(geo::round_to_grid(kept, geo::kDefaultGridSizeDeg));
    EXPECT_EQ(r.repairs[0].area_after_m2, on_grid);
    EXPECT_NE(r.repairs[0].area_after_m2, geo::geodesic_area_m2(kept)) << "off the grid, the area is another";
}

TEST(IngestReadSource, BowTieIsRepairedAndReported) {
    geo::Context ctx;
    SourceRead r = read_source(ctx, fixture("bowtie.geojson"));
    ASSERT_EQ(r.repairs.size(), 1u);
    const Repair& rep = r.repairs[0];
    EXPECT_EQ(rep.layer, "bowtie");
    EXPECT_EQ(rep.feature, 7) << "the GeoJSON feature id";
    EXPECT_TRUE(contains(rep.reason, "Self-intersection"));
    EXPECT_TRUE(contains(rep.reason, "30.5 48.5")) << "GEOS names where the rings cross";
    EXPECT_GT(rep.area_after_m2, 0.0);
    ASSERT_FALSE(r.polygons.empty());
    expect_valid_lonlat(r);
    // MakeValid keeps both triangles of the bow-tie: about half the cell (their edges through the
    // crossing point are geodesics, so not exactly half).
    const double area_km2 = total_area_km2(r);
    EXPECT_NEAR(area_km2 * 1e6, rep.area_after_m2, 1e-3);
    EXPECT_NEAR(area_km2, kCellB_km2 / 2, kCellB_km2 * 0.01);
    EXPECT_EQ(geo::polygons_of(all_polygons(ctx, r)).size(), 2u);
}

TEST(IngestReadSource, PolygonWithHole) {
    geo::Context ctx;
    TempDir dir;
    test::write_text(dir.file("hole.geojson"),
                     R"({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
                        "geometry": {"type": "Polygon", "coordinates": [
                          [[30, 48], [31, 48], [31, 49], [30, 49], [30, 48]],
                          [[30.25, 48.25], [30.25, 48.75], [30.75, 48.75], [30.75, 48.25], [30.25, 48.25]]]}}]})");
    SourceRead r = read_source(ctx, dir.file("hole.geojson"));
    EXPECT_TRUE(r.repairs.empty());
    EXPECT_NEAR(total_area_km2(r), kCellBWithHole_km2, 1e-6);
}

TEST(IngestReadSource, CountsFeaturesWithoutPolygons) {
    geo::Context ctx;
    TempDir dir;
    test::write_text(dir.file("mixed.geojson"),
                     R"({"type": "FeatureCollection", "features": [
                        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [30.5, 48.5]}},
                        {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[30, 48], [31, 49]]}},
                        {"type": "Feature", "properties": {}, "geometry": null},
                        {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPolygon", "coordinates": [
                          [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]], [[[30, 48], [31, 48], [31, 49], [30, 49], [30, 48]]]]}}]})");
    SourceRead r = read_source(ctx, dir.file("mixed.geojson"));
    EXPECT_EQ(r.features, 4);
    EXPECT_EQ(r.polygonal_features, 1);
    EXPECT_EQ(r.other_features, 3);
    EXPECT_NEAR(total_area_km2(r), kCellA_km2 + kCellB_km2, 1e-6);
}

TEST(IngestReadSource, OnlyPointsIsAnInputError) {
    geo::Context ctx;
    const std::string path = fixture("points_only.geojson");
    const std::string msg = read_error(ctx, path);
    EXPECT_TRUE(contains(msg, path));
    EXPECT_TRUE(contains(msg, "no polygonal geometry"));
}

TEST(IngestReadSource, MissingFileIsAnInputError) {
    geo::Context ctx;
    TempDir dir;
    const std::string path = dir.file("does_not_exist.geojson");
    const std::string msg = read_error(ctx, path);
    EXPECT_TRUE(contains(msg, path));
    EXPECT_TRUE(contains(msg, "no such file"));
}

TEST(IngestReadSource, FolderIsAnInputError) {
    geo::Context ctx;
    TempDir dir;
    const std::string msg = read_error(ctx, dir.path());
    EXPECT_TRUE(contains(msg, dir.path()));
    EXPECT_TRUE(contains(msg, "folder"));
}

TEST(IngestReadSource, GarbageFilesAreInputErrorsNamingTheFile) {
    geo::Context ctx;
    TempDir dir;
    test::write_text(dir.file("notes.txt"), "this is not vector data\nat all\n");
    test::write_text(dir.file("broken.geojson"), R"({"type": "FeatureCollection", "features": [ {"type": )");
    test::write_text(dir.file("empty.geojson"), "");
    std::string binary;
    for (int i = 0; i < 4096; ++i) {
        binary += static_cast<char>((i * 7919 + 13) % 256);
    }
    test::write_text(dir.file("random.gpkg"), binary);
    test::write_text(dir.file("notazip.zip"), "PK but not really a zip file");
    for (const char* name : {"notes.txt", "broken.geojson", "empty.geojson", "random.gpkg", "notazip.zip"}) {
        const std::string msg = read_error(ctx, dir.file(name));
        EXPECT_TRUE(contains(msg, dir.file(name))) << name;
    }
}

TEST(IngestReadSource, NanCoordinateIsAnInputError) {
    geo::Context ctx;
    const std::string path = fixture("nan_coordinate.geojson");
    const std::string msg = read_error(ctx, path);
    EXPECT_TRUE(contains(msg, path));
    EXPECT_TRUE(contains(msg, "finite"));
    // Caught by the JSON check before GDAL reads it: the feature's index in "features".
    EXPECT_TRUE(contains(msg, "layer 'nan_coordinate', feature index 0")) << msg;
}

TEST(IngestReadSource, InfiniteCoordinateIsAnInputError) {
    geo::Context ctx;
    TempDir dir;
    const std::string path = dir.file("inf.geojson");
    test::write_text(path, R"({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [[[30, 48], [31, 48], [Infinity, 49], [30, 49], [30, 48]]]}}]})");
    const std::string msg = read_error(ctx, path);
    EXPECT_TRUE(contains(msg, path));
    EXPECT_TRUE(contains(msg, "finite"));
}

TEST(IngestReadSource, GeoJsonCrsMemberIsHonoured) {
    geo::Context ctx;
    TempDir dir;
    // square_utm36's coordinates in an old-style GeoJSON with a "crs" member (EPSG:32636).
    const std::string path = dir.file("utm.geojson");
    test::write_text(path, R"({"type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32636"}},
        "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[
          [276224.08460322, 5320655.78919157], [280586.298659403, 5431792.86454668],
          [353719.053885045, 5429382.98410822], [350812.125038976, 5318235.61388218],
          [276224.08460322, 5320655.78919157]]]}}]})");
    SourceRead r = read_source(ctx, path);
    ASSERT_EQ(r.polygons.size(), 1u);
    EXPECT_NEAR(total_area_km2(r), kCellB_km2, kCellB_km2 * 1e-4);
    EXPECT_TRUE(same_shape(r.polygons[0],
                           geo::Geometry::from_wkt(ctx, "POLYGON ((30 48, 31 48, 31 49, 30 49, 30 48))"), 1e-7));
}

TEST(IngestReadSource, PolygonWithNoAreaIsReportedAndDropped) {
    geo::Context ctx;
    TempDir dir;
    const std::string path = dir.file("flat.geojson");
    test::write_text(path, R"({"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": 3, "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[30, 48], [31, 49], [30.5, 48.5], [30, 48]]]}},
        {"type": "Feature", "id": 4, "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]})");
    SourceRead r = read_source(ctx, path);
    ASSERT_EQ(r.repairs.size(), 1u);
    EXPECT_EQ(r.repairs[0].feature, 3);
    EXPECT_EQ(r.repairs[0].area_after_m2, 0.0);
    ASSERT_EQ(r.polygons.size(), 1u) << "the collapsed polygon is dropped";
    EXPECT_NEAR(total_area_km2(r), kCellA_km2, 1e-6);
}

TEST(IngestReadSource, UnclosedRingIsAnInputErrorNamingTheFeature) {
    geo::Context ctx;
    TempDir dir;
    const std::string path = dir.file("unclosed.geojson");
    test::write_text(path, R"({"type": "FeatureCollection", "features": [{"type": "Feature", "id": 12, "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [[[30, 48], [31, 48], [31, 49], [30, 49]]]}}]})");
    const std::string msg = read_error(ctx, path);
    EXPECT_TRUE(contains(msg, path));
    EXPECT_TRUE(contains(msg, "layer 'unclosed', feature 12"));
    EXPECT_TRUE(contains(msg, "closed"));
}

TEST(IngestReadSource, LatitudeOutOfRangeIsAnInputError) {
    geo::Context ctx;
    const std::string path = fixture("lat_out_of_range.geojson");
    const std::string msg = read_error(ctx, path);
    EXPECT_TRUE(contains(msg, path));
    EXPECT_TRUE(contains(msg, "95.0"));
    EXPECT_TRUE(contains(msg, "longitude/latitude"));
}

TEST(IngestReadSource, OutOfRangeMessageDoesNotClaimAMissingCrs) {
    geo::Context ctx;
    const std::string path = fixture("lat_out_of_range.geojson");
    const std::string msg = read_error(ctx, path);
    EXPECT_FALSE(contains(msg, "no CRS")) << "GDAL gives this GeoJSON layer a WGS84 CRS";
}

// Real data: a full DeepStateMap export (3-D coordinates, points, GeometryCollections and one
// invalid polygon per shared/data/MANIFEST.csv: 69 features = 3 GeometryCollection + 7 Point +
// 59 Polygon, 66 polygon parts, "Interior is disconnected").
TEST(IngestReadSourceRealData, DeepStateMapRawExport) {
    FRONTLINE_REQUIRE_DATA(path, "deepstatemap_raw/geojsons/1648989208.geojson");
    geo::Context ctx;
    SourceRead r = read_source(ctx, path);
    EXPECT_EQ(r.features, 69);
    EXPECT_EQ(r.other_features, 7);
    EXPECT_EQ(r.polygonal_features, 62);
    ASSERT_FALSE(r.repairs.empty());
    EXPECT_TRUE(contains(r.repairs[0].reason, "Interior is disconnected"));
    expect_valid_lonlat(r);
    for (const auto& p : r.polygons) {
        EXPECT_EQ(GEOSHasZ_r(ctx.handle(), p.get()), 0);
    }
}

}  // namespace
}  // namespace frontline::ingest
