#pragma once
/// SHA-256 digests (OpenSSL) of files and byte strings, as lowercase hex.
#include <string>
#include <vector>

namespace frontline::ingest {

/// SHA-256 of `bytes` as 64 lowercase hex digits.
std::string sha256_hex(const std::vector<unsigned char>& bytes);

/// SHA-256 of a file's bytes, read through GDAL's virtual file system (so /vsizip/ paths work).
/// Throws InputError naming the file if it cannot be read.
std::string sha256_file(const std::string& path);

}  // namespace frontline::ingest
