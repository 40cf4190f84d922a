#pragma once
/// GDAL set-up and error routing. GDAL must never print on its own: its messages are collected
/// by a scoped handler and folded into our exceptions.
#include <string>
#include <vector>

namespace frontline::ingest {

/// Registers GDAL's drivers once and sets the configuration frontline relies on.
void init_gdal();

/// Collects GDAL's errors and warnings while it is alive (PDAL's ErrorHandler does the same).
/// Not thread-safe across threads: GDAL's handler stack is per thread.
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
