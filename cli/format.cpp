#include "cli/format.hpp"

#include <cmath>
#include <cstdio>
#include <regex>

#include "geo/error.hpp"

namespace frontline::cli {

double round_to(double value, int decimals) {
    const double scale = std::pow(10.0, decimals);
    double r = std::round(value * scale) / scale;
    return r == 0.0 ? 0.0 : r;  // no "-0"
}

std::string grouped(double value, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(round_to(value, decimals)));
    std::string digits(buf);
    auto point = digits.find('.');
    std::string whole = digits.substr(0, point);
    std::string frac = point == std::string::npos ? "" : digits.substr(point);
    std::string out;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        if (i > 0 && (whole.size() - i) % 3 == 0) {
            out += ',';
        }
        out += whole[i];
    }
    return (round_to(value, decimals) < 0 ? "-" : "") + out + frac;
}

std::string signed_grouped(double value, int decimals) {
    std::string s = grouped(value, decimals);
    return s[0] == '-' || round_to(value, decimals) == 0.0 ? s : "+" + s;
}

double parse_distance_m(const std::string& text, const std::string& option) {
    static const std::regex pattern(R"(\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*(km|m)?\s*)");
    std::smatch m;
    if (!std::regex_match(text, m, pattern)) {
        throw InputError(option + " " + text + ": not a distance; write it like 40km or 500m");
    }
    double value = std::stod(m[1]);
    if (m[2] == "km") {
        value *= 1000.0;
    }
    if (!std::isfinite(value)) {
        throw InputError(option + " " + text + ": not a finite distance");
    }
    return value;
}

}  // namespace frontline::cli
