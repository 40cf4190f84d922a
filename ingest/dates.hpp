#pragma once
/// Snapshot dates. A date is an ISO "YYYY-MM-DD" string (UTC calendar day), which sorts correctly
/// as text.
#include <optional>
#include <string>

namespace frontline::ingest {

/// Checks that `text` is a real calendar date "YYYY-MM-DD" (years 1900–2999) and returns it.
/// Throws InputError naming `what` (e.g. "--from") otherwise.
std::string parse_date(const std::string& text, const std::string& what);

/// The date in a file name, from (in this order) "YYYY-MM-DD", a 10-digit Unix timestamp
/// (seconds, read as a UTC day, as in DeepStateMap archive names) or "YYYYMMDD". Only the file
/// name counts, not the folders. Digits that form a longer run are not split. Nothing if none.
std::optional<std::string> date_from_filename(const std::string& path);

/// `date` ("YYYY-MM-DD", valid) moved by `days` days.
std::string add_days(const std::string& date, int days);

/// `date` moved by `months` calendar months; the day is clamped to the month's length
/// (2025-01-31 + 1 month = 2025-02-28).
std::string add_months(const std::string& date, int months);

/// Today's date in UTC.
std::string today_utc();

/// Now in UTC as "YYYY-MM-DDTHH:MM:SSZ".
std::string now_utc();

}  // namespace frontline::ingest
