#pragma once
/// Number formatting shared by the commands' summaries.
#include <string>

namespace frontline::cli {

/// `value` rounded to `decimals` places (JSON summaries carry 4 decimals of km²: 100 m²).
double round_to(double value, int decimals = 4);

/// "4,349.88": thousands separators and a fixed number of decimals, for tables.
std::string grouped(double value, int decimals = 2);

/// Like grouped() with a leading sign: "+4,333.12", "-16.76".
std::string signed_grouped(double value, int decimals = 2);

/// A distance such as "40km", "500 m" or "1.5km" in metres (a bare number is metres).
/// Throws InputError naming `option` for anything else or a negative value.
double parse_distance_m(const std::string& text, const std::string& option);

}  // namespace frontline::cli
