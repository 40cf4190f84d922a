#include "render/canvas.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "geo/error.hpp"
#include "geo/output_file.hpp"

namespace frontline::render {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string folder_of(const std::string& path) {
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos) {
        return ".";
    }
    return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

const char* to_string(Format f) {
    switch (f) {
        case Format::png:
            return "png";
        case Format::svg:
            return "svg";
        case Format::pdf:
            return "pdf";
    }
    return "?";
}

Format output_format(const std::string& path, const std::string& format) {
    auto named = [](const std::string& name) -> int {
        const std::string n = lower(name);
        if (n == "png") return 0;
        if (n == "svg") return 1;
        if (n == "pdf") return 2;
        return -1;
    };
    int f = -1;
    if (!format.empty()) {
        f = named(format);
        if (f < 0) {
            throw InputError("--format " + format + ": unknown image format; use png, svg or pdf");
        }
    } else {
        const auto slash = path.find_last_of('/');
        const auto dot = path.find_last_of('.');
        if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) {
            f = named(path.substr(dot + 1));
        }
        if (f < 0) {
            throw InputError("-o " + path +
                             ": cannot tell the image format from the extension; end the name in .png, .svg or .pdf "
                             "or give --format png|svg|pdf");
        }
    }
    return static_cast<Format>(f);
}

void check_writable(const std::string& path) {
    if (path.empty()) {
        throw InputError("-o: give the output image file (.png, .svg or .pdf)");
    }
    const std::string folder = folder_of(path);
    if (::access(folder.c_str(), W_OK) != 0) {
        throw InputError("-o " + path + ": cannot write into folder '" + folder +
                         "' (it does not exist or is not writable); choose another output path");
    }
}

Canvas::Canvas(const std::string& path, Format format, int width_px, int height_px)
    : m_path(path), m_tmp(geo::staging_path(path)), m_format(format) {
    switch (format) {
        case Format::png:
            m_surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width_px, height_px);
            break;
        case Format::svg:
            m_surface = cairo_svg_surface_create(m_tmp.c_str(), width_px, height_px);
            break;
        case Format::pdf:
            m_surface = cairo_pdf_surface_create(m_tmp.c_str(), width_px, height_px);
            break;
    }
    if (cairo_surface_status(m_surface) != CAIRO_STATUS_SUCCESS) {
        const std::string why = cairo_status_to_string(cairo_surface_status(m_surface));
        cairo_surface_destroy(m_surface);
        geo::discard_output(m_tmp, m_path);
        throw InputError("-o " + path + ": cannot create the image (" + why + "); check the folder is writable");
    }
    m_cr = cairo_create(m_surface);
}

Canvas::~Canvas() {
    if (m_cr != nullptr) {
        cairo_destroy(m_cr);
    }
    if (m_surface != nullptr) {
        cairo_surface_destroy(m_surface);
    }
    if (!m_done) {
        geo::discard_output(m_tmp, m_path);  // SVG/PDF streamed part of an image there
    }
}

void Canvas::finish() {
    cairo_status_t status = cairo_status(m_cr);
    cairo_destroy(m_cr);
    m_cr = nullptr;
    if (status == CAIRO_STATUS_SUCCESS && m_format == Format::png) {
        status = cairo_surface_write_to_png(m_surface, m_tmp.c_str());
    }
    cairo_surface_finish(m_surface);
    if (status == CAIRO_STATUS_SUCCESS) {
        status = cairo_surface_status(m_surface);
    }
    cairo_surface_destroy(m_surface);
    m_surface = nullptr;
    if (status != CAIRO_STATUS_SUCCESS) {
        geo::discard_output(m_tmp, m_path);
        throw InputError("-o " + m_path + ": cannot write the image (" + cairo_status_to_string(status) + ")");
    }
    if (!geo::commit_output(m_tmp, m_path)) {
        throw InputError("-o " + m_path + ": cannot move the finished image into place");
    }
    m_done = true;
}

void Canvas::set_colour(Rgb c, double alpha) const { cairo_set_source_rgba(m_cr, c.r, c.g, c.b, alpha); }

double Canvas::text_width(const std::string& s, double size_px, bool bold) const {
    cairo_select_font_face(m_cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(m_cr, size_px);
    cairo_text_extents_t e;
    cairo_text_extents(m_cr, s.c_str(), &e);
    return e.x_advance;
}

double Canvas::text(const std::string& s, double x, double y, double size_px, Rgb c, bool bold) const {
    const double w = text_width(s, size_px, bold);
    set_colour(c);
    cairo_move_to(m_cr, x, y);
    cairo_show_text(m_cr, s.c_str());
    cairo_new_path(m_cr);
    return w;
}

}  // namespace frontline::render
