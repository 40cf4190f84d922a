// libFuzzer target: the ingest path from bytes to stored geometry. The first byte picks the file
// name's extension (GeoJSON, KML, KMZ, zip, GeoPackage, FlatGeobuf, none), the rest is the file;
// it goes through read_source (the byte checks, GDAL, the lon/lat and finiteness checks, repair),
// then the dissolve onto the grid, the geodesic area and the WKB that the store would hold.
// Bad input must end in InputError (or RunError for a GEOS failure); anything else - a crash, a
// sanitizer report, another exception - is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

#include "geo/error.hpp"
#include "geo/geodesic.hpp"
#include "geo/polygon_ops.hpp"
#include "ingest/reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace frontline;
    if (size < 1) {
        return 0;
    }
    static const char* const kExtensions[] = {".geojson", ".kml", ".kmz", ".zip", ".gpkg", ".fgb", ".json", ""};
    const std::string path = "/tmp/frontline-fuzz-" + std::to_string(::getpid()) + "-2025-01-01" +
                             kExtensions[data[0] % (sizeof kExtensions / sizeof kExtensions[0])];
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data + 1), static_cast<std::streamsize>(size - 1));
    }
    static geo::Context ctx;
    try {
        ingest::ReadOptions options;
        options.limits.max_vertices = 100000;  // keeps each run fast; the limit itself is under test too
        ingest::SourceRead source = ingest::read_source(ctx, path, options);
        geo::Geometry dissolved = geo::dissolve(ctx, source.polygons, geo::kDefaultGridSizeDeg);
        geo::normalize(dissolved);
        (void)geo::geodesic_area_m2(dissolved);
        (void)dissolved.to_wkb();
    } catch (const InputError&) {
    } catch (const RunError&) {
    }
    std::remove(path.c_str());
    return 0;
}
