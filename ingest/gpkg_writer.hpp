#pragma once
/// A new frontline GeoPackage store written straight through SQLite, for Store::write.
///
/// Why not GDAL here: a new store is the usual case (ingest into a fresh file), and going through
/// GDAL there costs loading libgdal and its hundred-odd libraries (about 35 ms on the 2-core
/// machine, a tenth of ingesting the daily archive, before a single row is written) plus its
/// driver's schema set-up. The file this writes is the one GDAL 3.6 writes for the same snapshots:
/// the same tables, triggers, RTree and rows, the schema being GDAL's own SQL (taken from a store
/// GDAL created). tests/ingest/test_gpkg_writer.cpp writes the same snapshots both ways and
/// compares every table, so a GDAL whose store differs fails there. Stores that exist already and
/// PostGIS are written through GDAL as before; so is a new store when this writer fails for any
/// reason (GDAL then has the messages).
#include <string>
#include <vector>

#include "ingest/store.hpp"

namespace frontline::ingest {

/// `x` to 15 significant digits, the area_km2 both writers store: what OGR's PostgreSQL driver
/// writes for a Real field ("%.15g"), so a store's areas do not depend on its backend.
double stored_real(double x);

/// Writes `snapshots` (each a 2-D little-endian WKB Polygon or MultiPolygon) into a new
/// GeoPackage at `path`, which must not exist. True when the file is complete and closed; false
/// (and no file left at `path`) when anything failed.
bool write_new_gpkg(const std::string& path, const std::vector<Snapshot>& snapshots);

}  // namespace frontline::ingest
