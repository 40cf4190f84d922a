#!/usr/bin/python3
"""Writes the synthetic series of the scale job.

Takes one real snapshot (default: DeepStateMap occupied area of 2026-01-01), densifies every ring
along its straight lon/lat edges to about --vertices vertices in total (the shape does not change),
then writes --days daily GeoJSON files scale_YYYYMMDD.geojson in which a sector of the boundary
(every vertex within --radius-deg of a point on the front line near Pokrovsk) is pushed west a
little more each day, with a weekly wobble so that some days gain and others lose:

    shift(t) = A * t / days + B * sin(2 pi t / 14)     degrees of longitude, times
    w(r)     = (1 - (r / R)^2)^2                        for a vertex at distance r < R from the centre

The field is smooth and its gradient stays well below 1, so the polygons stay valid (no ring
can fold over itself). Coordinates are written with 7 decimals. Only numpy and the standard
library are used; no frontline code.
"""

import argparse
import datetime as dt
import json
import math
import pathlib
import sys

import numpy as np


def densify_ring(ring, spacing):
    """Vertices on the straight lon/lat edges of `ring` (closed, first == last), at most `spacing` apart."""
    a = np.asarray(ring, dtype=float)
    seg = a[1:] - a[:-1]
    n = np.maximum(1, np.ceil(np.hypot(seg[:, 0], seg[:, 1]) / spacing).astype(int))
    parts = []
    for (x0, y0), (dx, dy), k in zip(a[:-1], seg, n):
        t = np.arange(k) / k
        parts.append(np.column_stack((x0 + dx * t, y0 + dy * t)))
    parts.append(a[-1:])
    return np.vstack(parts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", help="a GeoJSON file with one (Multi)Polygon feature")
    ap.add_argument("out_dir")
    ap.add_argument("--vertices", type=int, default=300_000)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--start", default="2025-01-01", help="date of the first file")
    ap.add_argument("--centre", default="37.20,48.30", help="lon,lat; the nearest boundary vertex is the centre")
    ap.add_argument("--radius-deg", type=float, default=0.4)
    ap.add_argument("--drift-deg", type=float, default=0.06, help="A: westward drift over the whole series")
    ap.add_argument("--wobble-deg", type=float, default=0.004, help="B: amplitude of the 14-day wobble")
    args = ap.parse_args()

    src = json.loads(pathlib.Path(args.source).read_text())
    geom = src["features"][0]["geometry"]
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]

    total_len = sum(float(np.sum(np.hypot(*np.diff(np.asarray(r, dtype=float), axis=0).T)))
                    for p in polys for r in p)
    n_rings = sum(len(p) for p in polys)
    spacing = total_len / max(1, args.vertices - n_rings)
    rings = [[densify_ring(r, spacing) for r in p] for p in polys]
    flat = np.vstack([r for p in rings for r in p])
    n_vertices = len(flat)

    # Centre: the boundary vertex nearest the requested point.
    cx, cy = (float(v) for v in args.centre.split(","))
    i0 = int(np.argmin(np.hypot(flat[:, 0] - cx, flat[:, 1] - cy)))
    cx, cy = flat[i0]
    r2 = ((flat[:, 0] - cx) ** 2 + (flat[:, 1] - cy) ** 2) / args.radius_deg ** 2
    moving = np.nonzero(r2 < 1.0)[0]
    weight = (1.0 - r2[moving]) ** 2

    # Every vertex formatted once; per day only the moving ones are formatted again.
    text = [f"[{x:.7f},{y:.7f}]" for x, y in flat]
    # Ring boundaries in `flat`, to rebuild the nesting.
    layout = [[len(r) for r in p] for p in rings]

    out_dir = pathlib.Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    start = dt.date.fromisoformat(args.start)
    head = ('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
            '"geometry":{"type":"MultiPolygon","coordinates":[')
    xs, ys = flat[moving, 0], flat[moving, 1]
    for t in range(args.days):
        shift = args.drift_deg * t / args.days + args.wobble_deg * math.sin(2.0 * math.pi * t / 14.0)
        nx = xs - shift * weight
        for i, x, y in zip(moving, nx, ys):
            text[i] = f"[{x:.7f},{y:.7f}]"
        # Rings must stay closed exactly: the first and last vertex are the same point, moved the same.
        chunks, k = [], 0
        for p in layout:
            pr = []
            for n in p:
                pr.append("[" + ",".join(text[k:k + n]) + "]")
                k += n
            chunks.append("[" + ",".join(pr) + "]")
        day = start + dt.timedelta(days=t)
        path = out_dir / f"scale_{day:%Y%m%d}.geojson"
        path.write_text(head + ",".join(chunks) + "]}}]}\n")
    print(json.dumps({"files": args.days, "vertices_per_file": n_vertices, "moving_vertices": int(len(moving)),
                      "centre": [round(float(cx), 6), round(float(cy), 6)], "radius_deg": args.radius_deg,
                      "first": f"{start:%Y-%m-%d}", "last": f"{start + dt.timedelta(days=args.days - 1):%Y-%m-%d}"}))


if __name__ == "__main__":
    sys.exit(main())
