// Snapshot dates: parsing --date style options and finding the date in a file name.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <regex>
#include <string>

#include "geo/error.hpp"
#include "ingest/dates.hpp"

namespace frontline::ingest {
namespace {

::testing::AssertionResult contains(const std::string& text, const std::string& part) {
    if (text.find(part) != std::string::npos) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << part << "\"";
}

/// The message of the InputError parse_date throws, or "" with a test failure if it throws none.
std::string parse_date_error(const std::string& text, const std::string& what) {
    try {
        std::string got = parse_date(text, what);
        ADD_FAILURE() << "parse_date accepted '" << text << "' as " << got;
    } catch (const InputError& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "parse_date('" << text << "') threw something else than InputError: " << e.what();
    }
    return "";
}

/// Sets TZ for the life of the object, so that a local-time mistake shows (UTC is required).
class ScopedTimeZone {
public:
    explicit ScopedTimeZone(const char* tz) {
        if (const char* old = std::getenv("TZ")) {
            m_old = old;
        }
        ::setenv("TZ", tz, 1);
        ::tzset();
    }
    ~ScopedTimeZone() {
        if (m_old) {
            ::setenv("TZ", m_old->c_str(), 1);
        } else {
            ::unsetenv("TZ");
        }
        ::tzset();
    }
    ScopedTimeZone(const ScopedTimeZone&) = delete;
    ScopedTimeZone& operator=(const ScopedTimeZone&) = delete;

private:
    std::optional<std::string> m_old;
};

TEST(IngestParseDate, AcceptsRealDatesUnchanged) {
    for (const char* d : {"2025-01-02", "2024-02-29", "2000-02-29", "1900-01-01", "2999-12-31", "2025-12-31",
                          "2025-04-30"}) {
        EXPECT_EQ(parse_date(d, "--from"), d);
    }
}

TEST(IngestParseDate, RejectsImpossibleDatesNamingTheOption) {
    // 2025 and 1900 are not leap years (1900: divisible by 100, not by 400).
    for (const char* d : {"2025-02-30", "2025-13-01", "2025-00-10", "2025-01-00", "2025-01-32", "2025-02-29",
                          "1900-02-29", "2025-04-31", "1899-12-31", "3000-01-01"}) {
        const std::string msg = parse_date_error(d, "--from");
        EXPECT_TRUE(contains(msg, "--from")) << d;
        EXPECT_TRUE(contains(msg, d)) << "the message should quote the bad value";
    }
}

TEST(IngestParseDate, RejectsGarbageNamingTheOption) {
    for (const char* d : {"garbage", "", "2025-1-2", "20250102", "2025/01/02", " 2025-01-02", "2025-01-02 ",
                          "2025-01-02T00:00:00Z", "02-01-2025", "yyyy-mm-dd", "2025-0a-02"}) {
        EXPECT_TRUE(contains(parse_date_error(d, "--to"), "--to")) << "'" << d << "'";
    }
}

TEST(IngestDateFromFilename, CompactDate) {
    EXPECT_EQ(date_from_filename("deepstatemap_data_20250102.geojson"), "2025-01-02");
    EXPECT_EQ(date_from_filename("/data/deepstatemap_occupied/data/deepstatemap_data_20260101.geojson"),
              "2026-01-01");
    EXPECT_EQ(date_from_filename("20240229.gpkg"), "2024-02-29");
}

TEST(IngestDateFromFilename, IsoDate) {
    EXPECT_EQ(date_from_filename("x_2025-01-02.kml"), "2025-01-02");
    EXPECT_EQ(date_from_filename("2025-01-02"), "2025-01-02");
    EXPECT_EQ(date_from_filename("/tmp/front 2024-12-31 final.geojson"), "2024-12-31");
}

TEST(IngestDateFromFilename, UnixTimestampIsReadAsUtcDay) {
    // 1648989208 = 2022-04-03T12:33:28Z (a DeepStateMap archive name).
    EXPECT_EQ(date_from_filename("1648989208.geojson"), "2022-04-03");
    EXPECT_EQ(date_from_filename("/work/shared/data/deepstatemap_raw/geojsons/1648989208.geojson"), "2022-04-03");
    // 2022-04-03T00:00:00Z = 1648944000: the day boundary is UTC midnight.
    EXPECT_EQ(date_from_filename("1648943999.geojson"), "2022-04-02");
    EXPECT_EQ(date_from_filename("1648944000.geojson"), "2022-04-03");
}

TEST(IngestDateFromFilename, UnixTimestampIgnoresTheLocalTimeZone) {
    // POSIX TZ "XXX-14" is 14 hours ahead of UTC, "YYY+12" 12 hours behind: in local time these
    // timestamps would fall on another day.
    {
        ScopedTimeZone tz("XXX-14");
        EXPECT_EQ(date_from_filename("1648943999.geojson"), "2022-04-02");
    }
    {
        ScopedTimeZone tz("YYY+12");
        EXPECT_EQ(date_from_filename("1648944000.geojson"), "2022-04-03");
    }
}

TEST(IngestDateFromFilename, FoldersAreIgnored) {
    EXPECT_EQ(date_from_filename("/data/20250102/x.geojson"), std::nullopt);
    EXPECT_EQ(date_from_filename("/data/2025-01-02/x.geojson"), std::nullopt);
    EXPECT_EQ(date_from_filename("/data/1648989208/x.geojson"), std::nullopt);
    EXPECT_EQ(date_from_filename("C:\\data\\20250102\\x.geojson"), std::nullopt);
    // ... but the file name still counts when a folder has a date too.
    EXPECT_EQ(date_from_filename("/data/20240101/y_20250102.geojson"), "2025-01-02");
}

TEST(IngestDateFromFilename, LongerDigitRunsAreNotSplit) {
    EXPECT_EQ(date_from_filename("x_202501021.geojson"), std::nullopt);   // 9 digits
    EXPECT_EQ(date_from_filename("x_120250102.geojson"), std::nullopt);   // 9 digits
    EXPECT_EQ(date_from_filename("16489892081.geojson"), std::nullopt);   // 11 digits
    EXPECT_EQ(date_from_filename("116489892081.geojson"), std::nullopt);  // 12 digits
    EXPECT_EQ(date_from_filename("12025-01-02.kml"), std::nullopt);
    EXPECT_EQ(date_from_filename("2025-01-023.kml"), std::nullopt);
}

TEST(IngestDateFromFilename, NothingWithoutADate) {
    EXPECT_EQ(date_from_filename("frontline.geojson"), std::nullopt);
    EXPECT_EQ(date_from_filename(""), std::nullopt);
    EXPECT_EQ(date_from_filename("map_v2_2025.geojson"), std::nullopt);
    EXPECT_EQ(date_from_filename("x_20251340.geojson"), std::nullopt);  // eight digits, but no calendar date
    EXPECT_EQ(date_from_filename("x_2025-13-01.geojson"), std::nullopt);
}

TEST(IngestDateFromFilename, DocumentedOrderIsoThenTimestampThenCompact) {
    EXPECT_EQ(date_from_filename("1648989208_2025-01-02.geojson"), "2025-01-02");
    EXPECT_EQ(date_from_filename("20250102_1648989208.geojson"), "2022-04-03");
}

// An ISO-looking run that is not a calendar date must not hide a valid one later in the name.
TEST(IngestDateFromFilename, InvalidIsoLookalikeDoesNotHideALaterDate) {
    EXPECT_EQ(date_from_filename("report_2025-13-01_2025-01-02.geojson"), "2025-01-02");
}

TEST(IngestClock, TodayAndNowAreUtcIsoText) {
    const std::string before = today_utc();
    const std::string now = now_utc();
    const std::string after = today_utc();
    EXPECT_EQ(parse_date(before, "today"), before);
    EXPECT_TRUE(std::regex_match(now, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)"))) << now;
    const std::string now_day = now.substr(0, 10);
    EXPECT_TRUE(now_day == before || now_day == after) << now << " vs " << before;

    // Against the C library's own UTC calendar, read between two calls of ours.
    const std::string first = today_utc();
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    const std::string libc_today = buf;
    const std::string second = today_utc();
    EXPECT_TRUE(libc_today == first || libc_today == second) << libc_today << " vs " << first << "/" << second;
}

}  // namespace
}  // namespace frontline::ingest
