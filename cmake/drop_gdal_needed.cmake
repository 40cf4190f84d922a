# Post-link step of the `frontline` executable (cli/CMakeLists.txt): removes its DT_NEEDED entry for
# libgdal, which ingest/gdal_env.cpp (load_gdal) then dlopen()s on first use. Why: see
# ingest/gdal_env.hpp. Safe only when every reference to libgdal is a lazily bound call (a PLT
# slot): a data reference would be resolved at start-up, before libgdal is there. So this checks
# the executable's relocations against libgdal's symbols first and fails the build otherwise.
#   cmake -DEXE=... -DSONAME=libgdal.so.32 -DGDAL_LIB=... -DPATCHELF=... -DREADELF=... -DNM=... -P drop_gdal_needed.cmake
foreach(var EXE SONAME GDAL_LIB PATCHELF READELF NM)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "drop_gdal_needed: ${var} is not set")
  endif()
endforeach()

execute_process(COMMAND ${READELF} -dW ${EXE} OUTPUT_VARIABLE dynamic RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "drop_gdal_needed: ${READELF} -d ${EXE} failed")
endif()
if(NOT dynamic MATCHES "\\(NEEDED\\)[^\n]*\\[${SONAME}\\]")
  return()  # not linked against it (nothing to do)
endif()
if(dynamic MATCHES "\\(BIND_NOW\\)" OR dynamic MATCHES "\\(FLAGS(_1)?\\)[^\n]*NOW")
  message(WARNING "drop_gdal_needed: ${EXE} is linked with -z now; libgdal stays loaded at start-up")
  return()
endif()

execute_process(COMMAND ${NM} -D --defined-only ${GDAL_LIB} OUTPUT_VARIABLE gdal_symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "drop_gdal_needed: ${NM} -D ${GDAL_LIB} failed")
endif()
string(REGEX REPLACE "[^\n]* [A-Za-z] " "" gdal_symbols "\n${gdal_symbols}")  # names only, one per line
string(REGEX REPLACE "@[^\n]*" "" gdal_symbols "${gdal_symbols}")                # without symbol versions
execute_process(COMMAND ${READELF} -rW ${EXE} OUTPUT_VARIABLE relocations RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "drop_gdal_needed: ${READELF} -r ${EXE} failed")
endif()
string(REPLACE "\n" ";" relocations "${relocations}")
set(eager "")
foreach(line IN LISTS relocations)
  # "offset info R_X86_64_GLOB_DAT value name + addend": every relocation with a symbol that is not a PLT slot
  if(line MATCHES "^[0-9a-f]+ +[0-9a-f]+ +(R_[A-Z0-9_]+) +[0-9a-f]+ +([^ @]+)")
    set(type ${CMAKE_MATCH_1})
    set(name ${CMAKE_MATCH_2})
    if(NOT type MATCHES "JUMP_SLOT$")
      string(FIND "${gdal_symbols}" "\n${name}\n" at)
      if(NOT at EQUAL -1)
        list(APPEND eager "${name} (${type})")
      endif()
    endif()
  endif()
endforeach()
if(eager)
  message(FATAL_ERROR "drop_gdal_needed: ${EXE} refers to libgdal's data, which cannot be bound lazily: ${eager}. "
                      "Keep such code behind a function call, or configure with -DFRONTLINE_LAZY_GDAL=OFF.")
endif()
execute_process(COMMAND ${PATCHELF} --remove-needed ${SONAME} ${EXE} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "drop_gdal_needed: ${PATCHELF} --remove-needed ${SONAME} ${EXE} failed")
endif()
