#!/usr/bin/python3
"""Builds the hand-made ceasefire proposals in this folder from files in sample_data/.

Run from the repository root: /usr/bin/python3 tests/data/ceasefire/make_proposals.py
Needs shapely and pyproj (Debian 12: python3-shapely, python3-pyproj). Deterministic.
"""
import json
import math
import os

from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, Point, mapping, shape
from shapely.ops import nearest_points, unary_union

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, "..", "..", "..", "sample_data")
GEOD = Geod(ellps="WGS84")


def load(name):
    with open(os.path.join(SAMPLE, name)) as f:
        return [shape(feat["geometry"]) for feat in json.load(f)["features"]]


def km(a, b):
    return GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000.0


def write(name, geom, what):
    doc = {"type": "FeatureCollection",
           "features": [{"type": "Feature", "properties": {"name": name, "what": what}, "geometry": mapping(geom)}]}
    with open(os.path.join(HERE, name + ".geojson"), "w") as f:
        json.dump(doc, f, indent=None, separators=(",", ":"))
        f.write("\n")


country = unary_union(load("ukraine_adm1_east.geojson"))
occupied = unary_union(load("deepstatemap_data_20260101.geojson")).intersection(country)
edge = country.boundary
# The 2026-01-01 front in the east outline: the occupied area's edge away from the outline's edge.
front = occupied.boundary.difference(edge.buffer(0.03))
longest = max(getattr(front, "geoms", [front]), key=lambda g: g.length)
core = longest.simplify(0.02, preserve_topology=False)
coords = [tuple(round(v, 5) for v in c) for c in core.coords]


def beyond(p):
    """The nearest point of the outline's edge to p, moved 1 km further out."""
    q = nearest_points(edge, Point(p))[0]
    d = km(p, (q.x, q.y))
    f = 1.0 + 1.0 / d
    return (round(p[0] + (q.x - p[0]) * f, 5), round(p[1] + (q.y - p[1]) * f, 5))


good = [beyond(coords[0])] + coords + [beyond(coords[-1])]
write("follows_front_20260101", LineString(good),
      "the 2026-01-01 front in the east outline, simplified within 0.02 deg, ends carried 1 km past the outline's edge")

# A loop: two middle vertices swapped, so the line crosses itself.
loop = list(good)
m = len(loop) // 2
loop[m], loop[m + 2] = loop[m + 2], loop[m]
assert not LineString(loop).is_simple
write("self_intersecting", LineString(loop), "follows_front_20260101 with vertices %d and %d swapped" % (m, m + 2))

# Short: the last vertices dropped until the end is at least 30 km from the outline's edge, then
# the end placed on the last segment where the distance to the edge is 30 km.
short = list(good)


def to_edge(p):
    q = nearest_points(edge, Point(p))[0]
    return km(p, (q.x, q.y))


popped = None
while to_edge(short[-1]) < 30.0:
    popped = short.pop()
# Bisect the segment to the dropped vertex for the point 30 km from the edge.
lo, hi = short[-1], popped
for _ in range(40):
    mid = ((lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2)
    if to_edge(mid) >= 30.0:
        lo = mid
    else:
        hi = mid
short.append((round(lo[0], 5), round(lo[1], 5)))
write("stops_30km_short", LineString(short), "follows_front_20260101 cut where it is 30 km from the outline's edge")

# An enclave: the good line plus a closed ring of about 10 km around a point of the free side
# (near Dnipro), which the line then puts on the occupying side.
cx, cy = 35.30, 48.30
ring = [(cx - 0.07, cy - 0.045), (cx + 0.07, cy - 0.045), (cx + 0.07, cy + 0.045), (cx - 0.07, cy + 0.045), (cx - 0.07, cy - 0.045)]
assert country.contains(Point(cx, cy)) and not occupied.contains(Point(cx, cy))
write("leaves_enclave", MultiLineString([good, ring]),
      "follows_front_20260101 plus a closed ring of about 10 x 10 km around (35.30, 48.30) on the free side")

for name in ["stops_30km_short"]:
    end = short[-1]
    q = nearest_points(edge, Point(end))[0]
    print(name, "end", end, "to edge km", round(km(end, (q.x, q.y)), 3))
print("vertices", len(good))
