#!/usr/bin/env python3
"""Writes the bad-input catalogue's files (tests/data/bad_inputs/). Every file is made here by
hand-written code: no third-party data. Run from anywhere; it writes beside itself.
The expected outcome of each file is in manifest.json, read by tests/cli/test_bad_inputs.cpp."""
import io
import json
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

# Cell B: lon 30..31, lat 48..49 (8,217.589925 km2, tests/reference/reference_values.json).
B = [[30, 48], [31, 48], [31, 49], [30, 49], [30, 48]]


def ring_text(ring):
    return "[" + ", ".join("[%s, %s]" % (x, y) for x, y in ring) + "]"


def fc(*geometries_text, extra=""):
    feats = []
    for i, g in enumerate(geometries_text):
        feats.append('{"type": "Feature", "id": %d, "properties": {"n": %d}, "geometry": %s}' % (i, i, g))
    return '{"type": "FeatureCollection",%s "features": [\n%s\n]}\n' % (extra, ",\n".join(feats))


def poly(*rings):
    return '{"type": "Polygon", "coordinates": [%s]}' % ", ".join(ring_text(r) for r in rings)


def write(name, text, mode="w"):
    with open(os.path.join(HERE, name), mode) as f:
        f.write(text)


GOOD = poly(B)

# --- non-finite and out-of-range numbers -------------------------------------------------------
write("nan_literal.geojson", fc('{"type": "Polygon", "coordinates": [[[NaN, 48], [31, 48], [31, 49], [30, 49], [NaN, 48]]]}'))
write("infinity_literal.geojson", fc('{"type": "Polygon", "coordinates": [[[30, 48], [Infinity, 48], [31, 49], [30, 49], [30, 48]]]}'))
write("overflow_1e400.geojson", fc('{"type": "Polygon", "coordinates": [[[30, 48], [1e400, 48], [31, 49], [30, 49], [30, 48]]]}'))
write("lat_beyond_90.geojson", fc(poly([[30, 48], [31, 48], [31, 95], [30, 95], [30, 48]])))
write("lat_below_minus_90.geojson", fc(poly([[30, -91], [31, -91], [31, 49], [30, 49], [30, -91]])))
write("lon_beyond_180.geojson", fc(poly([[179, 48], [181, 48], [181, 49], [179, 49], [179, 48]])))
write("lon_below_minus_180.geojson", fc(poly([[-181, 48], [-179, 48], [-179, 49], [-181, 49], [-181, 48]])))
# Cell B in UTM 36N metres, but labelled (by the legacy crs member) as EPSG:4326.
# pyproj: Transformer.from_crs(4326, 32636, always_xy=True) of cell B's corners, to the millimetre.
utm = [[276224.085, 5320655.789], [350812.125, 5318235.614], [353719.054, 5429382.984], [280586.299, 5431792.865], [276224.085, 5320655.789]]
write("projected_labelled_4326.geojson",
      fc(poly(utm), extra=' "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4326"}},'))
# The same metres with their true CRS in the legacy member: honoured, and the report says so.
write("legacy_crs_member_utm36.geojson",
      fc(poly(utm), extra=' "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32636"}},'))
# Cell B with x and y swapped (lat, lon): in range, but nowhere near the clip boundary.
write("latlon_swapped.geojson", fc(poly([[y, x] for x, y in B])))
write("clip_boundary_ukraine_box.geojson", fc(poly([[22, 44], [41, 44], [41, 53], [22, 53], [22, 44]])))
write("antimeridian_crossing.geojson", fc(poly([[179.5, 60], [-179.5, 60], [-179.5, 61], [179.5, 61], [179.5, 60]])))

# --- JSON that GDAL reads wrongly or silently -------------------------------------------------
write("duplicate_coordinates_key.geojson", fc(
    '{"type": "Polygon", "coordinates": [%s], "coordinates": [[[30, 48], [30.001, 48], [30.001, 48.001], [30, 48]]]}' % ring_text(B)))
write("duplicate_type_key.geojson", '{"type": "FeatureCollection", "features": [\n'
      '{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "type": "Point", "coordinates": [%s]}}\n]}\n' % ring_text(B))
deep = "[" * 1000 + "30, 48" + "]" * 1000
write("nesting_1000_deep.geojson", fc(GOOD, '{"type": "Polygon", "coordinates": %s}' % deep))
write("truncated.geojson", fc(GOOD)[:90])
write("empty_file.geojson", "")
write("whitespace_only.geojson", "   \n\n")
write("trailing_garbage.geojson", fc(GOOD) + "}, {\"type\": \"Feature\"}\n")
write("wrong_type_case.geojson", fc('{"type": "polygon", "coordinates": [%s]}' % ring_text(B)))
write("unknown_geometry_type.geojson", fc(GOOD, '{"type": "Polygonn", "coordinates": [%s]}' % ring_text(B)))
write("string_positions.geojson", fc('{"type": "Polygon", "coordinates": [[["30", "48"], ["31", "48"], ["31", "49"], ["30", "49"], ["30", "48"]]]}'))
write("one_element_positions.geojson", fc('{"type": "Polygon", "coordinates": [[[30], [31], [31], [30], [30]]]}'))
write("polygon_nested_too_shallow.geojson", fc('{"type": "Polygon", "coordinates": %s}' % ring_text(B)))
write("multipolygon_nested_as_polygon.geojson", fc('{"type": "MultiPolygon", "coordinates": [%s]}' % ring_text(B)))
write("null_coordinates.geojson", fc(GOOD, '{"type": "Polygon", "coordinates": null}'))
write("features_not_array.geojson", '{"type": "FeatureCollection", "features": {"type": "Feature"}}\n')
with open(os.path.join(HERE, "not_utf8_property.geojson"), "wb") as f:
    f.write(('{"type": "FeatureCollection", "features": [\n{"type": "Feature", "properties": {"name": "Donec\xe9k"}, '
             '"geometry": %s}\n]}\n' % GOOD).encode("latin-1"))
write("bom_utf8.geojson", "\ufeff" + fc(GOOD))

# --- geometry problems -------------------------------------------------------------------------
write("unclosed_ring.geojson", fc(poly([[30, 48], [31, 48], [31, 49], [30, 49]])))
write("three_point_ring.geojson", fc(poly([[30, 48], [31, 48], [30, 48]])))
write("two_point_ring.geojson", fc(poly([[30, 48], [31, 48]])))
write("bowtie.geojson", fc(poly([[30, 48], [31, 49], [31, 48], [30, 49], [30, 48]])))
write("hole_outside_shell.geojson", fc(poly(B, [[32, 48.2], [32.5, 48.2], [32.5, 48.7], [32, 48.7], [32, 48.2]])))
write("overlapping_parts.geojson", fc('{"type": "MultiPolygon", "coordinates": [[%s], [%s]]}' % (
    ring_text(B), ring_text([[30.5, 48], [31.5, 48], [31.5, 49], [30.5, 49], [30.5, 48]]))))
write("duplicate_points.geojson", fc(poly([[30, 48], [30, 48], [31, 48], [31, 48], [31, 49], [30, 49], [30, 49], [30, 48]])))
write("zero_area_ring_beside_good.geojson", fc(GOOD, poly([[32, 48], [33, 48], [32.5, 48], [32, 48]])))
write("only_zero_area_ring.geojson", fc(poly([[32, 48], [33, 48], [32.5, 48], [32, 48]])))
write("mixed_geometry_types.geojson", fc(GOOD, '{"type": "Point", "coordinates": [30.5, 48.5]}',
                                         '{"type": "LineString", "coordinates": [[30, 48], [31, 49]]}', 'null'))
write("empty_feature_collection.geojson", '{"type": "FeatureCollection", "features": []}\n')
write("points_only.geojson", fc('{"type": "Point", "coordinates": [30.5, 48.5]}'))

# --- dates ------------------------------------------------------------------------------------
write("snapshot_2025-02-30.geojson", fc(GOOD))
write("snapshot_2099-01-01.geojson", fc(GOOD))
write("snapshot_no_date.geojson", fc(GOOD))

# --- KML / KMZ / zip -------------------------------------------------------------------------
def kml(coords, head=""):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n%s<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
            '<Placemark><name>area</name><Polygon><outerBoundaryIs><LinearRing><coordinates>%s</coordinates>'
            '</LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>\n' % (head, coords))


good_kml_coords = "30,48 31,48 31,49 30,49 30,48"
write("kml_good.kml", kml(good_kml_coords))
write("kml_non_numeric.kml", kml("30,48 31,abc 31,49 30,49 30,48"))
write("kml_one_value_tuple.kml", kml("30,48 31 31,49 30,49 30,48"))
write("kml_nan.kml", kml("30,48 nan,48 31,49 30,49 30,48"))
laughs = '<!DOCTYPE kml [\n<!ENTITY a "aaaaaaaaaa">\n' + "".join(
    '<!ENTITY %s "%s">\n' % (chr(ord("b") + i), ("&%s;" % chr(ord("a") + i)) * 10) for i in range(8)) + "]>\n"
write("kml_entity_expansion.kml", kml(good_kml_coords, head=laughs).replace("<name>area</name>", "<name>&i;</name>"))
write("kml_external_entity.kml", kml(good_kml_coords, head='<!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n')
      .replace("<name>area</name>", "<name>&x;</name>"))
write("kml_truncated.kml", kml(good_kml_coords)[:200])


def zip_bytes(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            z.writestr(info, data)
    return buf.getvalue()


write("zip_that_is_text.zip", "this is not a zip archive\n")
write("kmz_that_is_geojson.kmz", fc(GOOD))
write("kmz_without_kml.kmz", zip_bytes([("README.txt", "no map here\n")]), "wb")
write("kmz_bad_coordinates.kmz", zip_bytes([("doc.kml", kml("30,48 31,abc 31,49 30,49 30,48"))]), "wb")
write("geojson_that_is_zip.geojson", zip_bytes([("doc.kml", kml(good_kml_coords))]), "wb")
write("random_bytes.geojson", bytes((i * 73 + 41) % 256 for i in range(512)), "wb")

# --- stores -----------------------------------------------------------------------------------
write("store_not_a_geopackage.gpkg", "SQLite format 3\0 but not really\n")
write("store_text.gpkg", "just text\n")

# A single feature over a vertex limit given on the command line (the default limit is far larger).
import math
n = 5000  # 5,001 positions with the closing one
big = [[30.5 + 0.4 * math.cos(2 * math.pi * i / n), 48.5 + 0.4 * math.sin(2 * math.pi * i / n)] for i in range(n)]
big.append(big[0])
write("huge_feature_5001_vertices.geojson", fc(poly([[round(x, 7), round(y, 7)] for x, y in big])))
