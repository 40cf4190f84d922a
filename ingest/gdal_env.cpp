#include "ingest/gdal_env.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>

#include <dlfcn.h>

#include <mutex>

#include "geo/error.hpp"
#include "geo/geodesic.hpp"

namespace frontline::ingest {

void load_gdal() {
#ifdef FRONTLINE_GDAL_SONAME
    static std::once_flag once;
    std::call_once(once, [] {
        if (dlopen(FRONTLINE_GDAL_SONAME, RTLD_LAZY | RTLD_GLOBAL) == nullptr) {
            const char* why = dlerror();
            throw RunError(std::string("cannot load GDAL (" FRONTLINE_GDAL_SONAME "): ") +
                           (why != nullptr ? why : "unknown error") + "; install Debian's libgdal32 (scripts/setup.sh does)");
        }
    });
#endif
}

void init_gdal() {
    load_gdal();
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        // The store is written in one transaction; GDAL must not keep its own write-ahead log
        // beside the file, so that the store is a single file a user can copy.
        CPLSetConfigOption("OGR_SQLITE_JOURNAL", "DELETE");
    });
}

namespace {

void CPL_STDCALL collect(CPLErr err_class, CPLErrorNum /*err_no*/, const char* message) {
    auto* self = static_cast<GdalErrors*>(CPLGetErrorHandlerUserData());
    if (self != nullptr && err_class != CE_None && err_class != CE_Debug) {
        self->add(err_class != CE_Warning, message != nullptr ? message : "");
    }
}

}  // namespace

GdalErrors::GdalErrors() {
    load_gdal();
    CPLPushErrorHandlerEx(&collect, this);
}

GdalErrors::~GdalErrors() { CPLPopErrorHandler(); }

void GdalErrors::add(bool is_error, std::string message) {
    (is_error ? m_errors : m_warnings).push_back(std::move(message));
}

std::string GdalErrors::last_error() const { return m_errors.empty() ? "" : m_errors.back(); }

std::string GdalErrors::summary() const {
    if (m_errors.empty()) {
        return "";
    }
    return m_errors.front() == m_errors.back() ? m_errors.front() : m_errors.front() + "; then: " + m_errors.back();
}

void GdalErrors::clear() {
    m_errors.clear();
    m_warnings.clear();
}

std::string library_versions() {
    load_gdal();
    return std::string("GDAL ") + GDALVersionInfo("RELEASE_NAME") + ", GEOS " + geo::geos_version() +
           ", PROJ " + geo::proj_version();
}

}  // namespace frontline::ingest
