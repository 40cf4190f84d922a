#!/usr/bin/python3
"""Independent reference numbers for frontline's tests.

Computes, with tools that are *not* frontline:

1. geodesic areas of a few synthetic lon/lat polygons (with and without holes);
2. the geodesic area of every ``deepstatemap_occupied`` daily snapshot;
3. gained / lost territory (GEOS difference) for three snapshot pairs, with
   part counts and "small part" statistics.

Area method (primary): ``pyproj.Geod(ellps="WGS84").geometry_area_perimeter``,
i.e. PROJ's C port of GeographicLib (Karney 2013): polygon edges are
*geodesics* on the WGS84 ellipsoid. pyproj adds the *signed* area of every
ring (counter-clockwise = positive) and, for a MultiPolygon, of every part, so
each polygon is first normalised with ``shapely.geometry.polygon.orient(p, 1.0)``
(exterior CCW, holes CW) and the per-polygon areas are summed. Without that
step the clockwise input data would give wrong results for polygons with
holes (see the ``hole_orientation_check`` block in the output).

Cross-checks:
* the pure-Python GeographicLib (``geographiclib`` package), an independent
  implementation of the same algorithm, computing each ring's area separately
  and subtracting holes explicitly;
* optionally PostGIS ``ST_Area(geography, true)`` / ``ST_Perimeter(geography,
  true)`` / ``ST_Difference`` (pass ``--pg-dsn``).

Usage::

    /usr/bin/python3 tests/reference/compute_reference.py [DATA_DIR] \
        [--out reference_values.json] [--csv snapshot_areas.csv] \
        [--pg-dsn "host=/tmp port=55432 user=postgres dbname=postgres"]

DATA_DIR defaults to ``../shared/data`` relative to the repository root
(the repository root is two levels above this file). The JSON is always
printed to stdout; ``--out`` also writes it to a file.
"""

import argparse
import csv
import hashlib
import json
import math
import pathlib
import platform
import sys

import pyproj
import shapely
from geographiclib.geodesic import Geodesic
import geographiclib
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon, box, shape
from shapely.geometry.polygon import orient

try:  # shapely >= 2.0
    GEOS_VERSION = shapely.geos_version_string
except AttributeError:  # shapely 1.8
    from shapely.geos import geos_version_string as GEOS_VERSION

GEOD = Geod(ellps="WGS84")
GLIB = Geodesic.WGS84  # pure-Python GeographicLib, same ellipsoid (a=6378137, f=1/298.257223563)

SNAPSHOT_DIR = pathlib.Path("deepstatemap_occupied") / "data"
SNAPSHOT_DATES = ["20250102", "20260101", "20250801", "20260812", "20260813"]
PAIRS = [("20250102", "20260101"), ("20260812", "20260813"), ("20250801", "20250802")]

SMALL_AREA_M2 = 0.01e6      # "tiny" part: area below 0.01 km²
THIN_MEAN_WIDTH_M = 10.0    # "sliver": mean width 2*area/perimeter below 10 m


# --------------------------------------------------------------------------
# geometry helpers
# --------------------------------------------------------------------------

def polygons_of(geom):
    """List of the Polygon parts of a Polygon / MultiPolygon / GeometryCollection.

    Non-polygonal members (points, lines that GEOS may emit) are dropped and
    counted separately by the caller if needed."""
    if geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        out = []
        for g in geom.geoms:
            out.extend(polygons_of(g))
        return out
    return []


def pyproj_polygon_area_perimeter(poly):
    """(area m², perimeter m) of one Polygon, geodesic edges on WGS84.

    orient(...,1.0) makes the exterior CCW and holes CW, so pyproj's signed
    ring sum is exterior - holes and positive.

    The perimeter is the full boundary length *including hole rings* (as in
    PostGIS ST_Perimeter). pyproj 3.4's geometry_area_perimeter returns the
    exterior ring's perimeter only, so the rings are measured here one by one."""
    area, _ = GEOD.geometry_area_perimeter(orient(poly, sign=1.0))
    assert area >= 0.0, "oriented polygon must have non-negative area"
    perim = math.fsum(GEOD.polygon_area_perimeter(*ring.xy)[1]
                      for ring in [poly.exterior, *poly.interiors])
    return area, perim


def densify_lonlat(geom, max_step_deg):
    """Insert vertices on the *straight lon/lat* segments so that no segment is
    longer than max_step_deg (in degrees). Diagnostic only: measuring the
    result with geodesic edges approximates the area the polygon would have if
    its edges were straight lines in lon/lat (plate carrée) instead of geodesics."""
    def ring(coords):
        cs = list(coords)
        out = []
        for (x0, y0), (x1, y1) in zip(cs[:-1], cs[1:]):
            n = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) / max_step_deg))
            out.extend((x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n) for i in range(n))
        out.append(cs[-1])
        return out
    return MultiPolygon([Polygon(ring(p.exterior.coords), [ring(h.coords) for h in p.interiors])
                         for p in polygons_of(geom)])


def pyproj_area_m2(geom):
    return math.fsum(pyproj_polygon_area_perimeter(p)[0] for p in polygons_of(geom))


def geographiclib_ring_area(coords):
    """|area| (m²) of one closed ring with geodesic edges, pure-Python GeographicLib."""
    poly = GLIB.Polygon()
    pts = list(coords)
    if pts[0] == pts[-1]:
        pts = pts[:-1]
    for lon, lat in ((c[0], c[1]) for c in pts):
        poly.AddPoint(lat, lon)
    # reverse=False, sign=True: signed area (CCW positive); take abs per ring.
    _, _, area = poly.Compute(False, True)
    return abs(area)


def geographiclib_area_m2(geom):
    """Area as sum over polygons of |exterior| - sum |holes| (orientation-free)."""
    total = []
    for p in polygons_of(geom):
        total.append(geographiclib_ring_area(p.exterior.coords))
        for hole in p.interiors:
            total.append(-geographiclib_ring_area(hole.coords))
    return math.fsum(total)


def part_stats(part_areas_perims):
    """Statistics over a list of (area m², perimeter m) of polygon parts."""
    small = [a for a, _ in part_areas_perims if a < SMALL_AREA_M2]
    thin = [a for a, p in part_areas_perims if p > 0 and 2.0 * a / p < THIN_MEAN_WIDTH_M]
    largest = sorted((a for a, _ in part_areas_perims), reverse=True)[:5]
    return {
        "parts": len(part_areas_perims),
        "area_km2": math.fsum(a for a, _ in part_areas_perims) / 1e6,
        "parts_below_0.01km2": len(small),
        "area_km2_of_parts_below_0.01km2": math.fsum(small) / 1e6,
        "parts_mean_width_below_10m": len(thin),
        "area_km2_of_parts_mean_width_below_10m": math.fsum(thin) / 1e6,
        "largest_5_parts_km2": [a / 1e6 for a in largest],
    }


def git_blob_sha1(path):
    """git hash-object of a file (to compare with shared/data/MANIFEST.csv)."""
    data = path.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def load_snapshot(data_dir, date):
    path = data_dir / SNAPSHOT_DIR / f"deepstatemap_data_{date}.geojson"
    with open(path, encoding="utf-8") as f:
        fc = json.load(f)
    feats = fc["features"]
    assert len(feats) == 1, f"{path}: expected one feature, got {len(feats)}"
    geom = shape(feats[0]["geometry"])
    assert geom.is_valid, f"{path}: invalid geometry"
    return path, geom


# --------------------------------------------------------------------------
# optional PostGIS
# --------------------------------------------------------------------------

class PostGIS:
    """Thin wrapper around a PostGIS connection (geometries passed as WKB, SRID 4326)."""

    def __init__(self, dsn):
        import psycopg2  # only needed when --pg-dsn is given
        self.conn = psycopg2.connect(dsn)
        self.conn.autocommit = True
        self.Binary = psycopg2.Binary

    def scalar(self, sql, *args):
        with self.conn.cursor() as cur:
            cur.execute(sql, args)
            return cur.fetchone()[0]

    def version(self):
        return self.scalar("SELECT postgis_full_version()")

    def area_perimeter_m(self, geom):
        with self.conn.cursor() as cur:
            cur.execute(
                "SELECT ST_Area(g::geography, true), ST_Perimeter(g::geography, true) "
                "FROM (SELECT ST_GeomFromWKB(%s, 4326) AS g) s",
                (self.Binary(geom.wkb),))
            return cur.fetchone()

    def difference_parts(self, a, b):
        """ST_Difference(a, b) -> (list of (area, perimeter) of polygon parts, #non-polygon parts)."""
        with self.conn.cursor() as cur:
            cur.execute(
                """
                WITH d AS (SELECT ST_Difference(ST_GeomFromWKB(%s, 4326),
                                                ST_GeomFromWKB(%s, 4326)) AS g),
                     parts AS (SELECT (ST_Dump(g)).geom AS p FROM d)
                SELECT ST_Dimension(p),
                       ST_Area(p::geography, true),
                       ST_Perimeter(p::geography, true)
                FROM parts
                """,
                (self.Binary(a.wkb), self.Binary(b.wkb)))
            rows = cur.fetchall()
        polys = [(r[1], r[2]) for r in rows if r[0] == 2]
        return polys, sum(1 for r in rows if r[0] != 2)

    def close(self):
        self.conn.close()


# --------------------------------------------------------------------------
# the three reference sections
# --------------------------------------------------------------------------

def parallel_bounded_cell_area_m2(lon0, lat0, lon1, lat1):
    """Exact area of the cell bounded by meridians and *parallels* (not geodesics)
    on WGS84, via the authalic-latitude function q(phi). Reference only."""
    a, f = GLIB.a, GLIB.f
    e2 = f * (2 - f)
    e = math.sqrt(e2)

    def q(phi):
        s = math.sin(phi)
        return (1 - e2) * (s / (1 - e2 * s * s) - math.log((1 - e * s) / (1 + e * s)) / (2 * e))

    return a * a / 2 * (q(math.radians(lat1)) - q(math.radians(lat0))) * math.radians(lon1 - lon0)


def synthetic_section(pg):
    cell_a = box(0, 0, 1, 1)
    cell_b = box(30, 48, 31, 49)
    hole = box(30.25, 48.25, 30.75, 48.75)
    cell_c = Polygon(cell_b.exterior.coords, [hole.exterior.coords])
    multi_d = MultiPolygon([cell_a, cell_b])
    cases = {
        "a_cell_lon0-1_lat0-1": cell_a,
        "b_cell_lon30-31_lat48-49": cell_b,
        "c_cell_b_with_hole_lon30.25-30.75_lat48.25-48.75": cell_c,
        "d_multipolygon_a_plus_b": multi_d,
        "hole_alone_lon30.25-30.75_lat48.25-48.75": hole,
    }
    out = {}
    for name, g in cases.items():
        parts = [pyproj_polygon_area_perimeter(p) for p in polygons_of(g)]
        rec = {
            "wkt": g.wkt,
            "area_km2_pyproj": math.fsum(a for a, _ in parts) / 1e6,
            "perimeter_km_pyproj": math.fsum(p for _, p in parts) / 1e3,
            "area_km2_geographiclib_python": geographiclib_area_m2(g) / 1e6,
        }
        if pg is not None:
            a, p = pg.area_perimeter_m(g)
            rec["area_km2_postgis"] = a / 1e6
            rec["perimeter_km_postgis"] = p / 1e3
        out[name] = rec

    # For comparison only: cells bounded by parallels (rhumb lines along latitude)
    out["for_comparison_parallel_bounded_cells_km2"] = {
        "a_lon0-1_lat0-1": parallel_bounded_cell_area_m2(0, 0, 1, 1) / 1e6,
        "b_lon30-31_lat48-49": parallel_bounded_cell_area_m2(30, 48, 31, 49) / 1e6,
    }

    # Demonstrate that holes subtract only after orient(): shapely's box() builds CCW rings,
    # so cell_c as constructed has a CCW exterior and a CCW hole. pyproj sums signed
    # ring areas, so the naive call *adds* the hole.
    naive_area, _ = GEOD.geometry_area_perimeter(cell_c)
    a_b = out["b_cell_lon30-31_lat48-49"]["area_km2_pyproj"]
    a_h = out["hole_alone_lon30.25-30.75_lat48.25-48.75"]["area_km2_pyproj"]
    a_c = out["c_cell_b_with_hole_lon30.25-30.75_lat48.25-48.75"]["area_km2_pyproj"]
    out["hole_orientation_check"] = {
        "cell_b_minus_hole_km2": a_b - a_h,
        "cell_c_oriented_km2": a_c,
        "holes_subtract": abs((a_b - a_h) - a_c) < 1e-6,
        "naive_unoriented_abs_area_km2_WRONG": abs(naive_area) / 1e6,
    }
    assert out["hole_orientation_check"]["holes_subtract"]
    return out


def snapshots_section(data_dir, pg, csv_path):
    files = sorted((data_dir / SNAPSHOT_DIR).glob("deepstatemap_data_*.geojson"))
    rows = []
    for path in files:
        date = path.stem.rsplit("_", 1)[1]
        _, geom = load_snapshot(data_dir, date)
        parts = polygons_of(geom)
        row = {
            "date": date,
            "file": str(path.relative_to(data_dir)),
            "git_blob_sha1": git_blob_sha1(path),
            "polygon_parts": len(parts),
            "holes": sum(len(p.interiors) for p in parts),
            "vertices": sum(len(p.exterior.coords) + sum(len(h.coords) for h in p.interiors)
                            for p in parts),
            "area_km2_pyproj": pyproj_area_m2(geom) / 1e6,
            "area_km2_geographiclib_python": geographiclib_area_m2(geom) / 1e6,
        }
        if pg is not None:
            row["area_km2_postgis"] = pg.area_perimeter_m(geom)[0] / 1e6
        rows.append(row)

    if csv_path is not None:
        with open(csv_path, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
            w.writeheader()
            for r in rows:
                w.writerow({k: (f"{v:.6f}" if isinstance(v, float) else v) for k, v in r.items()})

    by_date = {r["date"]: r for r in rows}
    # Diagnostic for the selected files: the same polygons read with straight lon/lat edges.
    lonlat_edges = {}
    for d in SNAPSHOT_DATES:
        _, geom = load_snapshot(data_dir, d)
        lonlat_edges[d] = pyproj_area_m2(densify_lonlat(geom, 0.001)) / 1e6
    max_diff_glib = max(abs(r["area_km2_pyproj"] - r["area_km2_geographiclib_python"]) for r in rows)
    out = {
        "count": len(rows),
        "selected": {d: by_date[d] for d in SNAPSHOT_DATES},
        "all": rows,
        "max_abs_diff_km2_pyproj_vs_geographiclib_python": max_diff_glib,
        "diagnostic_area_km2_if_edges_were_straight_lonlat_lines": {
            "note": "NOT the reference; each edge densified every <=0.001 deg along the "
                    "straight lon/lat segment, then geodesic area",
            **lonlat_edges,
        },
    }
    if pg is not None:
        out["max_abs_diff_km2_pyproj_vs_postgis"] = max(
            abs(r["area_km2_pyproj"] - r["area_km2_postgis"]) for r in rows)
    return out


def pairs_section(data_dir, pg):
    out = {}
    for d_from, d_to in PAIRS:
        _, g_from = load_snapshot(data_dir, d_from)
        _, g_to = load_snapshot(data_dir, d_to)
        gained = g_to.difference(g_from)   # GEOS overlay on the raw (unsnapped) geometries
        lost = g_from.difference(g_to)
        rec = {
            "from": d_from,
            "to": d_to,
            "area_from_km2": pyproj_area_m2(g_from) / 1e6,
            "area_to_km2": pyproj_area_m2(g_to) / 1e6,
        }
        for label, g in (("gained", gained), ("lost", lost)):
            parts = [pyproj_polygon_area_perimeter(p) for p in polygons_of(g)]
            stats = part_stats(parts)
            stats["result_geom_type"] = g.geom_type
            stats["area_km2_geographiclib_python"] = geographiclib_area_m2(g) / 1e6
            rec[f"{label}_shapely_geos"] = stats
        # Consistency. With exact arithmetic, area(to) - area(from) == gained - lost,
        # area(from) == area(from ∩ to) + lost and area(to) == area(from ∩ to) + gained.
        # GEOS computes the overlay in the lon/lat plane, so every new vertex it
        # creates lies on the straight lon/lat segment, not on the geodesic edge;
        # measured with geodesic edges, the pieces do not add up exactly. The
        # residuals below show how large that effect is (in m²).
        inter_m2 = pyproj_area_m2(g_from.intersection(g_to))
        from_m2, to_m2 = pyproj_area_m2(g_from), pyproj_area_m2(g_to)
        gained_m2 = rec["gained_shapely_geos"]["area_km2"] * 1e6
        lost_m2 = rec["lost_shapely_geos"]["area_km2"] * 1e6
        rec["intersection_km2"] = inter_m2 / 1e6
        rec["net_change_km2"] = (to_m2 - from_m2) / 1e6
        rec["gained_minus_lost_km2"] = (gained_m2 - lost_m2) / 1e6
        rec["residual_m2"] = {
            "net_change_minus_(gained-lost)": (to_m2 - from_m2) - (gained_m2 - lost_m2),
            "from_minus_(intersection+lost)": from_m2 - (inter_m2 + lost_m2),
            "to_minus_(intersection+gained)": to_m2 - (inter_m2 + gained_m2),
        }
        if pg is not None:
            for label, (a, b) in (("gained", (g_to, g_from)), ("lost", (g_from, g_to))):
                parts, non_poly = pg.difference_parts(a, b)
                stats = part_stats(parts)
                stats["non_polygonal_parts"] = non_poly
                rec[f"{label}_postgis"] = stats
        out[f"{d_from}->{d_to}"] = rec
    return out


def main():
    repo_root = pathlib.Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data_dir", nargs="?", default=str(repo_root / ".." / "shared" / "data"),
                    help="shared data directory (default: <repo>/../shared/data)")
    ap.add_argument("--out", help="also write the JSON to this file")
    ap.add_argument("--csv", help="write per-snapshot areas of all files to this CSV")
    ap.add_argument("--pg-dsn", help="libpq DSN of a PostGIS database for the second reference")
    args = ap.parse_args()
    data_dir = pathlib.Path(args.data_dir).resolve()

    pg = PostGIS(args.pg_dsn) if args.pg_dsn else None
    try:
        result = {
            "tools": {
                "python": platform.python_version(),
                "pyproj": pyproj.__version__,
                "PROJ": pyproj.proj_version_str,
                "shapely": shapely.__version__,
                "GEOS": GEOS_VERSION,
                "geographiclib_python": geographiclib.__version__,
                "postgis_full_version": pg.version() if pg else None,
                "postgresql": pg.scalar("SHOW server_version") if pg else None,
            },
            "method": {
                "ellipsoid": "WGS84 (a=6378137, 1/f=298.257223563)",
                "edges": "geodesic",
                "area": "sum over polygons of pyproj Geod.geometry_area_perimeter(orient(p, 1.0))",
                "difference": "shapely (GEOS) difference on the raw geometries, no snapping/precision",
                "units": "km² for areas, km for perimeters",
                "small_part_thresholds": {"area_m2": SMALL_AREA_M2,
                                          "mean_width_m": THIN_MEAN_WIDTH_M,
                                          "mean_width_definition": "2*area/perimeter, geodesic "
                                          "perimeter including hole rings"},
            },
            "data_dir_relative": "shared/data",
            "synthetic": synthetic_section(pg),
            "snapshots": snapshots_section(data_dir, pg, args.csv),
            "pairs": pairs_section(data_dir, pg),
        }
    finally:
        if pg is not None:
            pg.close()

    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    sys.exit(main())
