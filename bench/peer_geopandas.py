#!/usr/bin/python3
"""The GeoPandas/Shapely + pyproj peer: gained and lost km² between consecutive snapshots.

Written the way a GeoPandas user would do the job, with no frontline code:

* read every file with geopandas.read_file, repair invalid features with shapely's make_valid,
  dissolve each file into one geometry (unary_union); the date is YYYYMMDD in the file name;
* sort by date; for every consecutive pair gained = later.difference(earlier) and
  lost = earlier.difference(later) (Shapely/GEOS, floating precision, no grid);
* with --regions: cut the gained and lost parts at the regions with geopandas.overlay
  (how="intersection") and, for what lies outside every region, take the difference with the
  union of the regions;
* areas: geodesic on WGS84 with pyproj, Geod(ellps="WGS84").geometry_area_perimeter, one
  polygon at a time after shapely.geometry.polygon.orient(p, 1.0) (pyproj adds signed ring
  areas, so the orientation must be normalised), summed with math.fsum.

Writes CSV: steps (from,to,gained_km2,lost_km2) and, with --regions, regions
(from,to,region,gained_km2,lost_km2; region "(outside all regions)" for the rest).
"""

import argparse
import csv
import math
import pathlib
import re
import sys
import warnings

import geopandas as gpd
import pandas as pd
from pyproj import Geod
from shapely.geometry.polygon import orient
from shapely.ops import unary_union
from shapely.validation import make_valid

GEOD = Geod(ellps="WGS84")
OUTSIDE = "(outside all regions)"


def polygons(geom):
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [p for g in geom.geoms for p in polygons(g)]
    return []  # points and lines have no area


def area_km2(geom):
    return math.fsum(GEOD.geometry_area_perimeter(orient(p, 1.0))[0] for p in polygons(geom)) / 1e6


def file_date(path):
    m = re.search(r"(\d{4})(\d{2})(\d{2})", pathlib.Path(path).name)
    if not m:
        sys.exit(f"peer_geopandas: no YYYYMMDD date in {path}")
    return "-".join(m.groups())


def read_snapshot(path):
    gdf = gpd.read_file(path)
    geoms = [g if g.is_valid else make_valid(g) for g in gdf.geometry if g is not None]
    return unary_union(geoms)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--out", required=True, help="CSV of the steps")
    ap.add_argument("--regions", help="regions file for a per-region breakdown")
    ap.add_argument("--region-field", default="shapeName")
    ap.add_argument("--regions-out", help="CSV of the per-region breakdown")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")

    snaps = sorted((file_date(f), read_snapshot(f)) for f in args.files)

    regions = regions_union = None
    if args.regions:
        regions = gpd.read_file(args.regions)[[args.region_field, "geometry"]].to_crs(4326)
        regions_union = unary_union(list(regions.geometry))

    steps, region_rows = [], []
    for (d1, g1), (d2, g2) in zip(snaps, snaps[1:]):
        gained, lost = g2.difference(g1), g1.difference(g2)
        steps.append((d1, d2, area_km2(gained), area_km2(lost)))
        if regions is None:
            continue
        per_region = {}
        for change, geom in (("gained", gained), ("lost", lost)):
            parts = gpd.GeoDataFrame(geometry=polygons(geom), crs=regions.crs)
            if parts.empty:
                continue
            cut = gpd.overlay(parts, regions, how="intersection", keep_geom_type=True)
            sums = cut.geometry.apply(area_km2).groupby(cut[args.region_field]).sum()
            for name, a in sums.items():
                per_region.setdefault(name, {"gained": 0.0, "lost": 0.0})[change] = a
            per_region.setdefault(OUTSIDE, {"gained": 0.0, "lost": 0.0})[change] = \
                area_km2(geom.difference(regions_union))
        for name, v in per_region.items():
            region_rows.append((d1, d2, name, v["gained"], v["lost"]))

    with open(args.out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["from", "to", "gained_km2", "lost_km2"])
        w.writerows(steps)
    if regions is not None and args.regions_out:
        with open(args.regions_out, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["from", "to", "region", "gained_km2", "lost_km2"])
            w.writerows(region_rows)


if __name__ == "__main__":
    sys.exit(main())
