#include "ingest/dates.hpp"

#include <algorithm>
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
    char buf[48];
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

/// Days since 1970-01-01 of a civil date, and back (Howard Hinnant's algorithms).
long days_from_civil(int y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void civil_from_days(long z, int& y, int& m, int& d) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

void split_date(const std::string& date, int& y, int& m, int& d) {
    y = std::stoi(date.substr(0, 4));
    m = std::stoi(date.substr(5, 2));
    d = std::stoi(date.substr(8, 2));
}

}  // namespace

std::string add_days(const std::string& date, int days) {
    int y = 0, m = 0, d = 0;
    split_date(date, y, m, d);
    civil_from_days(days_from_civil(y, m, d) + days, y, m, d);
    return format_ymd(y, m, d);
}

std::string add_months(const std::string& date, int months) {
    int y = 0, m = 0, d = 0;
    split_date(date, y, m, d);
    int total = y * 12 + (m - 1) + months;
    y = total / 12;
    m = total % 12 + 1;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int max_day = days[m - 1] + (m == 2 && is_leap(y) ? 1 : 0);
    return format_ymd(y, m, std::min(d, max_day));
}

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
    static const std::regex iso(R"((^|[^0-9])(\d{4})-(\d{2})-(\d{2})(?=$|[^0-9]))");
    for (auto it = std::sregex_iterator(name.begin(), name.end(), iso); it != std::sregex_iterator(); ++it) {
        const std::smatch& m = *it;
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
