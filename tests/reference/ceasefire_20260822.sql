-- Reference values for `frontline ceasefire` on the real data, computed in PostGIS with no
-- frontline code. Load the three files first (GDAL 3.6.2):
--   PG="PG:host=/tmp/cf_pg_ref port=55471 user=postgres dbname=postgres"
--   ogr2ogr -f PostgreSQL "$PG" geoboundaries_ukr_adm1/geoBoundaries-UKR-ADM1.geojson -nln adm1 -lco GEOMETRY_NAME=geom -nlt PROMOTE_TO_MULTI
--   ogr2ogr -f PostgreSQL "$PG" deepstatemap_occupied/data/deepstatemap_data_20260822.geojson -nln occ_20260822 -lco GEOMETRY_NAME=geom -nlt PROMOTE_TO_MULTI
--   ogr2ogr -f PostgreSQL "$PG" deepstatemap_occupied/data/deepstatemap_data_20260101.geojson -nln occ_20260101 -lco GEOMETRY_NAME=geom -nlt PROMOTE_TO_MULTI
-- then: psql ... -f ceasefire_20260822.sql
-- Areas: ST_Area(geography, true), spheroidal (GeographicLib through PROJ), km².
\pset format unaligned
\pset fieldsep ' '
WITH country AS (SELECT ST_Union(geom) AS g FROM adm1),
     donetsk AS (SELECT geom AS g FROM adm1 WHERE shapename = 'Donetsk Oblast'),
     occ AS (SELECT ST_Intersection(o.geom, c.g) AS g FROM occ_20260822 o, country c),
     occ0101 AS (SELECT ST_Intersection(o.geom, c.g) AS g FROM occ_20260101 o, country c)
SELECT
  -- 1. "All of Donetsk oblast to the occupying side": what the free side gives up is Donetsk
  --    oblast minus what is occupied on 2026-08-22; the occupying side gives up nothing.
  round((ST_Area(ST_Difference(d.g, o.g)::geography, true) / 1e6)::numeric, 4) AS donetsk_ceded_by_free_km2,
  round((ST_Area(d.g::geography, true) / 1e6)::numeric, 4) AS donetsk_oblast_km2,
  -- 2. "Freeze on the line of 2026-01-01", evaluated on 2026-08-22: the free side gives up what
  --    was occupied on 2026-01-01 and is not now; the occupying side what it took since.
  round((ST_Area(ST_Difference(j.g, o.g)::geography, true) / 1e6)::numeric, 4) AS freeze0101_ceded_by_free_km2,
  round((ST_Area(ST_Difference(o.g, j.g)::geography, true) / 1e6)::numeric, 4) AS freeze0101_ceded_by_occupied_km2
FROM donetsk d, occ o, occ0101 j;
