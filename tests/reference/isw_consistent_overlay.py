#!/usr/bin/python3
"""Gained and lost km² of consecutive snapshots, overlaid consistently with geodesic edges.

frontline (like every planar overlay) splits a long edge at a straight lon/lat point while it
measures each edge as a geodesic, so on maps with long edges (the ISW layers: up to 58 km) the
overlaid parts' areas do not add up exactly to the snapshots' areas. This script removes that
effect: it densifies both snapshots along their geodesics (pyproj's Geod.npts) to edges of at
most --max-edge-m, which leaves their geodesic areas unchanged and puts every split point within
millimetres of the geodesic, then overlays with Shapely and measures with pyproj. 500 m and
250 m give the same figures to 0.0001 km².

Input: a frontline GeoPackage store (its stored snapshots are the overlay's inputs). Output: one
JSON document on stdout.

    /usr/bin/python3 tests/reference/isw_consistent_overlay.py STORE.gpkg [--provider isw] [--class occupied]
"""
import argparse
import json
import math
import sqlite3

from pyproj import Geod
from shapely import wkb
from shapely.geometry import MultiPolygon, Polygon

GEOD = Geod(ellps="WGS84")


def load(con, provider, cls, date):
    blob = con.execute("select geom from snapshots where provider=? and class=? and date=?",
                       (provider, cls, date)).fetchone()[0]
    envelope = (blob[3] >> 1) & 7  # GeoPackage binary header, then WKB
    return wkb.loads(bytes(blob[8 + {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[envelope]:]))


def densify_ring(coords, max_m):
    out = []
    for (x1, y1), (x2, y2) in zip(coords, coords[1:]):
        out.append((x1, y1))
        d = GEOD.inv(x1, y1, x2, y2)[2]
        if d > max_m:
            out.extend(GEOD.npts(x1, y1, x2, y2, int(math.ceil(d / max_m)) - 1))
    out.append(coords[-1])
    return out


def densify(m, max_m):
    return MultiPolygon([Polygon(densify_ring(list(p.exterior.coords), max_m),
                                 [densify_ring(list(r.coords), max_m) for r in p.interiors]) for p in m.geoms])


def km2(geom):
    if geom.is_empty:
        return 0.0
    parts = getattr(geom, "geoms", [geom])
    return sum(abs(GEOD.geometry_area_perimeter(p)[0]) for p in parts if p.geom_type == "Polygon") / 1e6


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("store")
    ap.add_argument("--provider", default="isw")
    ap.add_argument("--class", dest="cls", default="occupied")
    ap.add_argument("--max-edge-m", type=float, default=500.0)
    a = ap.parse_args()
    con = sqlite3.connect(a.store)
    dates = [r[0] for r in con.execute("select date from snapshots where provider=? and class=? order by date",
                                       (a.provider, a.cls))]
    snaps = [densify(load(con, a.provider, a.cls, d), a.max_edge_m) for d in dates]
    pairs = []
    for i in range(1, len(snaps)):
        x, y = snaps[i - 1], snaps[i]
        pairs.append({"from": dates[i - 1], "to": dates[i], "gained_km2": round(km2(y.difference(x)), 4),
                      "lost_km2": round(km2(x.difference(y)), 4),
                      "area_from_km2": round(km2(x), 4), "area_to_km2": round(km2(y), 4)})
    print(json.dumps({"max_edge_m": a.max_edge_m, "pairs": pairs}, indent=2))


if __name__ == "__main__":
    main()
