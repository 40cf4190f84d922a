#pragma once
/// Private to render/: a Cairo surface of the chosen format that is written to a temporary file
/// beside the output and renamed into place only when complete, so a failure leaves nothing.
#include <cairo.h>

#include <string>

#include "render/format.hpp"

namespace frontline::render {

/// An RGB colour, components 0..1.
struct Rgb {
    double r, g, b;
};
/// "#rrggbb" → Rgb (for the constants below; no validation).
constexpr Rgb hex(unsigned v) {
    return Rgb{((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0, (v & 0xff) / 255.0};
}

class Canvas {
public:
    /// Creates the surface (SVG and PDF stream into the temporary file as they are drawn).
    /// Throws InputError naming `path` if the temporary file cannot be created.
    Canvas(const std::string& path, Format format, int width_px, int height_px);
    ~Canvas();
    Canvas(const Canvas&) = delete;
    Canvas& operator=(const Canvas&) = delete;

    cairo_t* cr() const { return m_cr; }
    /// Finishes the surface, writes it and renames it to the output path. Throws InputError
    /// naming the path when Cairo or the rename fails (the temporary file is removed).
    void finish();

    void set_colour(Rgb c, double alpha = 1.0) const;
    /// Text in DejaVu Sans at `size_px`; (x, y) is the baseline start. Returns the advance width.
    double text(const std::string& s, double x, double y, double size_px, Rgb c, bool bold = false) const;
    /// The advance width `s` would take.
    double text_width(const std::string& s, double size_px, bool bold = false) const;

private:
    std::string m_path;
    std::string m_tmp;
    Format m_format;
    cairo_surface_t* m_surface = nullptr;
    cairo_t* m_cr = nullptr;
    bool m_done = false;
};

}  // namespace frontline::render
