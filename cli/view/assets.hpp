#pragma once
/// What `frontline view` embeds in every viewer, compiled in at build time (cli/view/embed.cmake).
#include <string_view>

namespace frontline::cli::view {

/// cli/view/viewer.html: the page, its CSS and JS, with @@PLACEHOLDERS@@ for the rest.
std::string_view template_html();
/// Debian's libjs-leaflet leaflet.min.js (source-map comment removed).
std::string_view leaflet_js();
/// Debian's libjs-leaflet leaflet.css (its image url()s replaced by none: the viewer uses none).
std::string_view leaflet_css();
/// The embedded Leaflet's version ("1.6.0").
std::string_view leaflet_version();

}  // namespace frontline::cli::view
