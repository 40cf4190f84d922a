#pragma once
/// GDAL set-up and error routing. GDAL must never print on its own: its messages are collected
/// by a scoped handler and folded into our exceptions.
#include <string>
#include <vector>

namespace frontline::ingest {

/// Makes sure libgdal is in the process, once, thread-safe; throws RunError if it cannot be loaded.
///
/// Why: loading libgdal and the ~120 libraries it needs costs ~40 ms of every run on our 2-core
/// machines (about 1,900 page faults for its relocations), a fifth of a whole `series` run over
/// the daily archive, and `series`, `delta` or `list` on a GeoPackage store need no GDAL at all
/// (gpkg_direct.hpp). So the `frontline` executable is linked against libgdal as usual, then its
/// DT_NEEDED entry for libgdal is removed after the link (cmake/drop_gdal_needed.cmake, with
/// patchelf), and this function dlopen()s it (RTLD_LAZY: most of its libraries bind now anyway;
/// RTLD_GLOBAL, so the executable finds its symbols) before the first GDAL call; the calls
/// bind lazily through the PLT (the executable is linked with -z lazy, and the post-link step
/// checks that every reference to libgdal is such a call). Every function of this library that
/// calls GDAL calls init_gdal() or load_gdal() first, or runs only after one that did (a
/// GdalErrors, a dataset). Test executables keep libgdal linked normally; here dlopen() then only
/// finds it loaded. Running the executable with LD_BIND_NOW set would fail at start-up: don't.
void load_gdal();

/// load_gdal(), then registers GDAL's drivers once and sets the configuration frontline relies on.
void init_gdal();

/// Collects GDAL's errors and warnings while it is alive (PDAL's ErrorHandler does the same).
/// Not thread-safe across threads: GDAL's handler stack is per thread. Loads GDAL (load_gdal()).
class GdalErrors {
public:
    GdalErrors();
    ~GdalErrors();
    GdalErrors(const GdalErrors&) = delete;
    GdalErrors& operator=(const GdalErrors&) = delete;

    /// The last failure message, or "" if none.
    std::string last_error() const;
    /// The first failure message (often the cause: "File too large", "database is locked") and,
    /// if different, the last one; "" if none.
    std::string summary() const;
    /// Every warning, in order.
    const std::vector<std::string>& warnings() const { return m_warnings; }
    void clear();
    /// Called by the GDAL handler.
    void add(bool is_error, std::string message);

private:
    std::vector<std::string> m_errors;
    std::vector<std::string> m_warnings;
};

/// "GDAL 3.6.2, GEOS 3.11.1, PROJ 9.1.1": the versions actually loaded.
std::string library_versions();

}  // namespace frontline::ingest
