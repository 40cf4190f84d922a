#pragma once
/// Owning wrappers for the GEOS C API (reentrant functions only). GEOS types are forward
/// declared so that no public header of ours includes geos_c.h.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "geo/error.hpp"

struct GEOSContextHandle_HS;
struct GEOSGeom_t;

namespace frontline::geo {

/// An error raised by GEOS (topology exception, invalid argument), with GEOS's own message.
class GeosError : public RunError {
public:
    using RunError::RunError;
};

/// One GEOS context. Not thread-safe: use one per thread. Records the last error message GEOS
/// reported so that a NULL return can be turned into an exception carrying it.
class Context {
public:
    Context();
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    GEOSContextHandle_HS* handle() const { return m_handle; }
    /// Throws GeosError with `what` and GEOS's last message; clears the message.
    [[noreturn]] void raise(const std::string& what) const;
    /// The last message GEOS reported ("" if none since the last raise()).
    const std::string& last_error() const { return m_last_error; }

private:
    static void on_error(const char* message, void* self);
    GEOSContextHandle_HS* m_handle = nullptr;
    mutable std::string m_last_error;
};

/// Deleter for GEOS geometries that remembers the context that made them.
struct GeomDeleter {
    GEOSContextHandle_HS* ctx = nullptr;
    void operator()(GEOSGeom_t* g) const;
};
using GeomPtr = std::unique_ptr<GEOSGeom_t, GeomDeleter>;

/// A GEOS geometry owned through its context. Coordinates are whatever the caller put in; in
/// frontline they are always WGS84 longitude/latitude degrees (x = longitude).
class Geometry {
public:
    /// Takes ownership of `g`; throws GeosError (with GEOS's message) when `g` is NULL.
    Geometry(const Context& ctx, GEOSGeom_t* g, const char* what = "GEOS operation");

    /// Parses ISO WKB (2-D; Z/M are dropped). Throws InputError on malformed WKB.
    static Geometry from_wkb(const Context& ctx, const unsigned char* wkb, std::size_t size);
    static Geometry from_wkb(const Context& ctx, const std::vector<unsigned char>& wkb) {
        return from_wkb(ctx, wkb.data(), wkb.size());
    }
    /// Parses WKT (tests and error messages). Throws InputError on malformed WKT.
    static Geometry from_wkt(const Context& ctx, const std::string& wkt);
    /// An empty MultiPolygon.
    static Geometry empty_multipolygon(const Context& ctx);

    /// 2-D little-endian ISO WKB.
    std::vector<unsigned char> to_wkb() const;
    /// WKT with `decimals` digits after the point, trimmed (error messages and tests).
    std::string to_wkt(int decimals = 7) const;

    Geometry clone() const;
    /// A copy owned by `ctx`, for use on the thread that owns `ctx`; only this geometry's
    /// coordinates are read, not its own context (which another thread may be using).
    Geometry clone_into(const Context& ctx) const;
    bool is_empty() const;
    /// GEOS type id (GEOS_POLYGON = 3, GEOS_MULTIPOLYGON = 6, GEOS_GEOMETRYCOLLECTION = 7 ...).
    int type_id() const;
    /// Number of sub-geometries (1 for a simple geometry).
    int num_geometries() const;
    /// Number of coordinates.
    int num_points() const;

    GEOSGeom_t* get() const { return m_geom.get(); }
    GEOSGeom_t* release() { return m_geom.release(); }
    const Context& context() const { return *m_ctx; }

private:
    const Context* m_ctx;
    GeomPtr m_geom;
};

/// The GEOS release actually loaded ("3.11.1-CAPI-1.17.1").
std::string geos_version();

}  // namespace frontline::geo
