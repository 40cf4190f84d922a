-- The PostGIS peer's SQL (run by peer_postgis.sh after ogr2ogr loaded table raw(d, geom) and,
-- with -v regions=1, table regions). psql variables: out (folder), regions (0/1), region_field.
--
-- Each snapshot is the union of its file's features (invalid ones repaired with ST_MakeValid);
-- gained = ST_Difference(later, earlier), lost = ST_Difference(earlier, later) (GEOS, floating
-- precision); areas are ST_Area(geom::geography, true): geodesic on WGS84 (GeographicLib via PROJ).
\set ON_ERROR_STOP 1
SELECT pg_backend_pid() AS bpid \gset
\setenv BPID :bpid

CREATE TEMP TABLE snap AS
  SELECT d, ST_Union(CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_MakeValid(geom) END) AS geom
  FROM raw GROUP BY d;

CREATE TEMP TABLE delta AS
  SELECT d1, d2, ST_Difference(g2, g1) AS gained, ST_Difference(g1, g2) AS lost
  FROM (SELECT d AS d1, geom AS g1,
               lead(d) OVER (ORDER BY d) AS d2, lead(geom) OVER (ORDER BY d) AS g2
        FROM snap) p
  WHERE d2 IS NOT NULL;

\set f :out '/steps.csv'
\o :f
COPY (SELECT d1 AS "from", d2 AS "to",
             ST_Area(gained::geography, true) / 1e6 AS gained_km2,
             ST_Area(lost::geography, true) / 1e6 AS lost_km2
      FROM delta ORDER BY d1) TO STDOUT WITH (FORMAT csv, HEADER);
\o

\if :regions
  -- The gained and lost parts, cut at the regions; what lies outside every region is the
  -- difference with the union of the regions.
  CREATE TEMP TABLE parts AS
    SELECT d1, d2, 'gained' AS change, (ST_Dump(gained)).geom AS geom FROM delta
    UNION ALL
    SELECT d1, d2, 'lost', (ST_Dump(lost)).geom FROM delta;
  CREATE INDEX ON parts USING gist (geom);
  CREATE TEMP TABLE cut AS
    SELECT p.d1, p.d2, p.change, r.:"region_field" AS region,
           ST_Area(ST_CollectionExtract(ST_Intersection(p.geom, r.geom), 3)::geography, true) AS m2
    FROM parts p JOIN regions r ON ST_Intersects(p.geom, r.geom)
    UNION ALL
    SELECT p.d1, p.d2, p.change, '(outside all regions)',
           ST_Area(ST_CollectionExtract(ST_Difference(p.geom, u.geom), 3)::geography, true)
    FROM parts p, (SELECT ST_Union(geom) AS geom FROM regions) u;
  \set f :out '/regions.csv'
  \o :f
  COPY (SELECT d1 AS "from", d2 AS "to", region,
               coalesce(sum(m2) FILTER (WHERE change = 'gained'), 0) / 1e6 AS gained_km2,
               coalesce(sum(m2) FILTER (WHERE change = 'lost'), 0) / 1e6 AS lost_km2
        FROM cut GROUP BY 1, 2, 3 ORDER BY 1, 3) TO STDOUT WITH (FORMAT csv, HEADER);
  \o
\endif

-- Peak resident memory (kB) and CPU time (clock ticks, user + system) of this server process,
-- which did all the work, for the benchmark table.
\! { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$BPID/status; sed 's/^.*) //' /proc/$BPID/stat | awk '{print $12 + $13}'; } > "$OUT/backend_stats"
