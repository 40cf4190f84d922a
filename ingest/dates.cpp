#include "ingest/dates.hpp"

#include <ctime>
#include <regex>

#include "geo/error.hpp"

namespace frontline::ingest {

namespace {

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool valid_ymd(int y, int m, int d) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) {
        return false;
    }
    int max_day = days[m - 1] + (m == 2 && is_leap(y) ? 1 : 0);
    return d <= max_day;
}

std::string format_ymd(int y, int m, int d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
}

std::string format_time(std::time_t t, const char* fmt) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, fmt, &tm);
    return buf;
}

std::string basename_of(const std::string& path) {
    auto slash = path.find_last_of("/\\");
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::string parse_date(const std::string& text, const std::string& what) {
    static const std::regex iso(R"((\d{4})-(\d{2})-(\d{2}))");
    std::smatch m;
    if (std::regex_match(text, m, iso)) {
        int y = std::stoi(m[1]);
        int mo = std::stoi(m[2]);
        int d = std::stoi(m[3]);
        if (valid_ymd(y, mo, d)) {
            return text;
        }
    }
    throw InputError(what + ": '" + text + "' is not a date; give it as YYYY-MM-DD, e.g. 2025-01-02");
}

std::optional<std::string> date_from_filename(const std::string& path) {
    const std::string name = basename_of(path);
    static const std::regex iso(R"((^|[^0-9])(\d{4})-(\d{2})-(\d{2})($|[^0-9]))");
    std::smatch m;
    if (std::regex_search(name, m, iso)) {
        int y = std::stoi(m[2]);
        int mo = std::stoi(m[3]);
        int d = std::stoi(m[4]);
        if (valid_ymd(y, mo, d)) {
            return format_ymd(y, mo, d);
        }
    }
    static const std::regex digits(R"(\d+)");
    std::optional<std::string> compact;
    for (auto it = std::sregex_iterator(name.begin(), name.end(), digits); it != std::sregex_iterator();
         ++it) {
        const std::string run = it->str();
        if (run.size() == 10) {
            auto t = static_cast<std::time_t>(std::stoll(run));
            return format_time(t, "%Y-%m-%d");
        }
        if (run.size() == 8 && !compact) {
            int y = std::stoi(run.substr(0, 4));
            int mo = std::stoi(run.substr(4, 2));
            int d = std::stoi(run.substr(6, 2));
            if (valid_ymd(y, mo, d)) {
                compact = format_ymd(y, mo, d);
            }
        }
    }
    return compact;
}

std::string today_utc() { return format_time(std::time(nullptr), "%Y-%m-%d"); }

std::string now_utc() { return format_time(std::time(nullptr), "%Y-%m-%dT%H:%M:%SZ"); }

}  // namespace frontline::ingest
