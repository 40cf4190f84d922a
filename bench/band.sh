#!/usr/bin/env bash
# Times the front-line issue's buffer benchmark: a 40 km band (and a 50 km placement zone with
# the 12 sample sites) along the real 2026-08-22 front, whole process, with peak memory.
# Target: under 10 s and 2 GB on a 2-core machine. Usage: bench/band.sh [DATA_DIR]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=${1:-$root/../shared/data}
source "$root/scripts/setup.sh"
frontline_install_packages time
frontline_build "$root/build-bench" -DCMAKE_BUILD_TYPE=Release -DFRONTLINE_BUILD_TESTS=OFF
bin="$root/build-bench/cli/frontline"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$bin" ingest --store "$work/s.gpkg" "$data/deepstatemap_occupied/data/deepstatemap_data_20260822.geojson" >/dev/null
/usr/bin/time -f "wall %e s, peak %M KB, cpu %U+%S s" "$bin" zones --store "$work/s.gpkg" --date 2026-08-22 \
  --border "$data/boundaries/geoboundaries_ukr_adm1/geoBoundaries-UKR-ADM1.geojson" \
  --border "$data/boundaries/stanford_national_boundary/stanford.geojson" \
  --band 40km --placement --min-distance 50km --sites "$root/sample_data/sites.geojson"
