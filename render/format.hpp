#pragma once
/// The output formats of `render`: chosen by --format or by the output file's extension.
#include <string>

namespace frontline::render {

enum class Format { png, svg, pdf };

/// "png", "svg" or "pdf".
const char* to_string(Format f);

/// The format named by `format` (case-insensitive; "" means: from the extension of `path`).
/// Throws InputError naming the option or the file when neither names png, svg or pdf.
Format output_format(const std::string& path, const std::string& format);

/// Throws InputError if `path` is empty or its folder does not exist or cannot be written.
void check_writable(const std::string& path);

}  // namespace frontline::render
