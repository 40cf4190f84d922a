#include "geo/geometry.hpp"

#include <geos_c.h>

#include <cstdarg>
#include <cstdio>

namespace frontline::geo {

Context::Context() : m_handle(GEOS_init_r()) {
    if (m_handle == nullptr) {
        throw RunError("could not create a GEOS context (out of memory?)");
    }
    GEOSContext_setErrorMessageHandler_r(m_handle, &Context::on_error, this);
}

Context::~Context() { GEOS_finish_r(m_handle); }

void Context::on_error(const char* message, void* self) {
    static_cast<Context*>(self)->m_last_error = message != nullptr ? message : "";
}

void Context::raise(const std::string& what) const {
    std::string message = what;
    if (!m_last_error.empty()) {
        message += ": " + m_last_error;
    }
    m_last_error.clear();
    throw GeosError(message);
}

void GeomDeleter::operator()(GEOSGeom_t* g) const {
    if (g != nullptr) {
        GEOSGeom_destroy_r(ctx, g);
    }
}

std::string geos_version() { return GEOSversion(); }

Geometry::Geometry(const Context& ctx, GEOSGeom_t* g, const char* what)
    : m_ctx(&ctx), m_geom(g, GeomDeleter{ctx.handle()}) {
    if (g == nullptr) {
        ctx.raise(what);
    }
}

Geometry Geometry::from_wkb(const Context& ctx, const unsigned char* wkb, std::size_t size) {
    auto* h = ctx.handle();
    GEOSWKBReader* reader = GEOSWKBReader_create_r(h);
    GEOSGeometry* g = GEOSWKBReader_read_r(h, reader, wkb, size);
    GEOSWKBReader_destroy_r(h, reader);
    if (g == nullptr) {
        std::string msg = "malformed WKB geometry";
        if (!ctx.last_error().empty()) {
            msg += ": " + ctx.last_error();
        }
        throw InputError(msg);
    }
    return Geometry(ctx, g);
}

Geometry Geometry::from_wkt(const Context& ctx, const std::string& wkt) {
    auto* h = ctx.handle();
    GEOSWKTReader* reader = GEOSWKTReader_create_r(h);
    GEOSGeometry* g = GEOSWKTReader_read_r(h, reader, wkt.c_str());
    GEOSWKTReader_destroy_r(h, reader);
    if (g == nullptr) {
        throw InputError("malformed WKT geometry: " + ctx.last_error());
    }
    return Geometry(ctx, g);
}

Geometry Geometry::empty_multipolygon(const Context& ctx) {
    return Geometry(ctx, GEOSGeom_createEmptyCollection_r(ctx.handle(), GEOS_MULTIPOLYGON),
                    "creating an empty MultiPolygon");
}

std::vector<unsigned char> Geometry::to_wkb() const {
    auto* h = m_ctx->handle();
    GEOSWKBWriter* writer = GEOSWKBWriter_create_r(h);
    GEOSWKBWriter_setOutputDimension_r(h, writer, 2);
    GEOSWKBWriter_setByteOrder_r(h, writer, GEOS_WKB_NDR);
    std::size_t size = 0;
    unsigned char* buf = GEOSWKBWriter_write_r(h, writer, get(), &size);
    GEOSWKBWriter_destroy_r(h, writer);
    if (buf == nullptr) {
        m_ctx->raise("writing WKB");
    }
    std::vector<unsigned char> out(buf, buf + size);
    GEOSFree_r(h, buf);
    return out;
}

std::string Geometry::to_wkt(int decimals) const {
    auto* h = m_ctx->handle();
    GEOSWKTWriter* writer = GEOSWKTWriter_create_r(h);
    GEOSWKTWriter_setRoundingPrecision_r(h, writer, decimals);
    GEOSWKTWriter_setTrim_r(h, writer, 1);
    GEOSWKTWriter_setOutputDimension_r(h, writer, 2);
    char* text = GEOSWKTWriter_write_r(h, writer, get());
    GEOSWKTWriter_destroy_r(h, writer);
    if (text == nullptr) {
        m_ctx->raise("writing WKT");
    }
    std::string out(text);
    GEOSFree_r(h, text);
    return out;
}

Geometry Geometry::clone() const {
    return Geometry(*m_ctx, GEOSGeom_clone_r(m_ctx->handle(), get()), "cloning a geometry");
}

Geometry Geometry::clone_into(const Context& ctx) const {
    return Geometry(ctx, GEOSGeom_clone_r(ctx.handle(), get()), "copying a geometry");
}

bool Geometry::is_empty() const {
    char r = GEOSisEmpty_r(m_ctx->handle(), get());
    if (r == 2) {
        m_ctx->raise("testing for emptiness");
    }
    return r == 1;
}

int Geometry::type_id() const { return GEOSGeomTypeId_r(m_ctx->handle(), get()); }

int Geometry::num_geometries() const {
    int n = GEOSGetNumGeometries_r(m_ctx->handle(), get());
    if (n < 0) {
        m_ctx->raise("counting sub-geometries");
    }
    return n;
}

int Geometry::num_points() const {
    int n = GEOSGetNumCoordinates_r(m_ctx->handle(), get());
    if (n < 0) {
        m_ctx->raise("counting coordinates");
    }
    return n;
}

}  // namespace frontline::geo
