# The `frontline` executable loads libgdal on first use, not at start-up (ingest/gdal_env.hpp,
# load_gdal): it is not among the executable's DT_NEEDED entries, ingesting a plain GeoJSON file
# into a new GeoPackage store and reading the store do not load it (LD_DEBUG=files lists every
# library the loader opens), and writing into an existing store does.
#   cmake -DEXE=... -DSONAME=libgdal.so.32 -DREADELF=... -DSAMPLE=... -DWORK=... -P lazy_gdal.cmake
execute_process(COMMAND ${READELF} -dW ${EXE} OUTPUT_VARIABLE dynamic RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${READELF} -d ${EXE} failed")
endif()
if(dynamic MATCHES "\\(NEEDED\\)[^\n]*\\[${SONAME}\\]")
  message(FATAL_ERROR "${EXE} still lists ${SONAME} as needed: it is loaded at every start-up")
endif()

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(ENV{LD_DEBUG} files)
execute_process(COMMAND ${EXE} ingest --store ${WORK}/s.gpkg ${SAMPLE}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ingest failed (${rc}): ${err}")
endif()
if(err MATCHES "file=${SONAME} ")
  message(FATAL_ERROR "ingest loaded ${SONAME} to read a plain GeoJSON file into a new store")
endif()
execute_process(COMMAND ${EXE} ingest --store ${WORK}/s.gpkg --date 2020-01-01 ${SAMPLE}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "second ingest failed (${rc}): ${err}")
endif()
if(NOT err MATCHES "file=${SONAME} ")
  message(FATAL_ERROR "ingest wrote into an existing store without loading ${SONAME}? LD_DEBUG shows no load of it")
endif()
execute_process(COMMAND ${EXE} list --store ${WORK}/s.gpkg --json
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "\"occupied\"")
  message(FATAL_ERROR "list failed (${rc}) or lists no occupied snapshot: ${out}")
endif()
if(err MATCHES "file=${SONAME} ")
  message(FATAL_ERROR "list loaded ${SONAME}, though the store is read through SQLite")
endif()
execute_process(COMMAND ${EXE} --version RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "GDAL [0-9]")
  message(FATAL_ERROR "--version failed (${rc}) or names no GDAL version: ${out}")
endif()
file(REMOVE_RECURSE ${WORK})
