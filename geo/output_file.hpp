#pragma once
/// Outputs that appear whole or not at all: written to a temporary file beside the target and
/// renamed onto it when complete. Shared by every writer (vector outputs, reports, images, the
/// viewer page). It lives in geo/, the library every other one links, because it needs nothing
/// but the C library.
///
/// A target that exists and is not a regular file (/dev/null, /dev/stdout, a named pipe) is
/// written directly: renaming a file onto /dev/null replaces the device with that file, which a
/// user running as root would discover when every `> /dev/null` on the machine started filling it.
#include <string>

namespace frontline::geo {

/// Where to write the output for `path`: "dir/out.tmp-<pid>.geojson" beside "dir/out.geojson"
/// (the extension stays last: GDAL's FlatGeobuf and CSV drivers create a folder instead of a
/// file when the name lacks theirs), or `path` itself when it exists and is not a regular file.
std::string staging_path(const std::string& path);

/// Renames the staged file onto `path` (nothing to do when they are the same). False, with the
/// staged file removed, if the rename fails.
bool commit_output(const std::string& staged, const std::string& path);

/// Removes the staged file after a failure; never `path` itself.
void discard_output(const std::string& staged, const std::string& path);

}  // namespace frontline::geo
