#!/usr/bin/env bash
# The PostGIS peer: gained and lost km² between consecutive snapshots, loaded with ogr2ogr and
# computed in SQL (peer_postgis.sql), the way a PostGIS user would do the job. No frontline code.
#
# usage: peer_postgis.sh OUT_DIR [--one-load] [--regions FILE --region-field NAME] FILE...
# --one-load loads every file with a single ogr2ogr through an OGR VRT union layer instead of one
# ogr2ogr per file (GDAL's start-up, about 0.2 s, then counts once instead of once per file).
# The database comes from PGHOST, PGPORT, PGUSER and PGDATABASE (an empty database with postgis).
# Writes OUT_DIR/steps.csv (from,to,gained_km2,lost_km2), with --regions OUT_DIR/regions.csv
# (from,to,region,gained_km2,lost_km2), OUT_DIR/load_seconds and OUT_DIR/backend_stats (peak
# resident memory in kB and CPU clock ticks of the server process that ran the SQL).
set -euo pipefail

out=$1; shift
regions=""; region_field=shapeName; one_load=0
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --regions) regions=$2; shift 2 ;;
    --region-field) region_field=$2; shift 2 ;;
    --one-load) one_load=1; shift ;;
    *) echo "peer_postgis: unknown option $1" >&2; exit 2 ;;
  esac
done
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pg="PG:host=$PGHOST port=$PGPORT user=$PGUSER dbname=$PGDATABASE"
mkdir -p "$out"

t0=$(date +%s.%N)
for f in "$@"; do
  [[ $(basename "$f") =~ [0-9]{8} ]] || { echo "peer_postgis: no YYYYMMDD date in $f" >&2; exit 2; }
done
if ((one_load)); then
  # One ogr2ogr for all files: an OGR VRT union layer whose field 'src' names each source layer.
  vrt=$out/all.vrt
  {
    echo '<OGRVRTDataSource><OGRVRTUnionLayer name="raw"><SourceLayerFieldName>src</SourceLayerFieldName>'
    for f in "$@"; do
      name=$(basename "$f")
      echo "<OGRVRTLayer name=\"${name%.*}\"><SrcDataSource>$(realpath "$f")</SrcDataSource></OGRVRTLayer>"
    done
    echo '</OGRVRTUnionLayer></OGRVRTDataSource>'
  } > "$vrt"
  ogr2ogr -f PostgreSQL "$pg" "$vrt" raw -nln raw -nlt PROMOTE_TO_MULTI -dim XY -overwrite \
    -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=NONE
  psql -X -q -v ON_ERROR_STOP=1 -c "ALTER TABLE raw ADD COLUMN d text" \
    -c "UPDATE raw SET d = regexp_replace(substring(src from '[0-9]{8}'), '(....)(..)(..)', '\\1-\\2-\\3')"
else
  # One ogr2ogr per file (what a user would type in a loop); the date is YYYYMMDD in the file name.
  first=1
  for f in "$@"; do
    name=$(basename "$f"); layer=${name%.*}
    [[ $name =~ ([0-9]{4})([0-9]{2})([0-9]{2}) ]]
    d="${BASH_REMATCH[1]}-${BASH_REMATCH[2]}-${BASH_REMATCH[3]}"
    mode=(-append)
    ((first)) && mode=(-overwrite -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=NONE)
    ogr2ogr -f PostgreSQL "$pg" "$f" -nln raw -nlt PROMOTE_TO_MULTI -dim XY "${mode[@]}" \
      -dialect OGRSQL -sql "SELECT '$d' AS d FROM \"$layer\""
    first=0
  done
fi
if [[ -n $regions ]]; then
  ogr2ogr -f PostgreSQL "$pg" "$regions" -nln regions -nlt PROMOTE_TO_MULTI -dim XY -overwrite \
    -lco GEOMETRY_NAME=geom -lco LAUNDER=NO -t_srs EPSG:4326
fi
t1=$(date +%s.%N)
echo "$t1 - $t0" | bc > "$out/load_seconds"

OUT=$out psql -X -q -v ON_ERROR_STOP=1 -v regions="$([[ -n $regions ]] && echo 1 || echo 0)" \
  -v region_field="$region_field" -v out="$out" -f "$here/peer_postgis.sql"
