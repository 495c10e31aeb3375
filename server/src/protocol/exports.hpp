// Files for download: the role table and the issue list as CSV (for a
// spreadsheet), role due dates as an iCalendar file (for a calendar), and the
// Content-Disposition header that names them. Formats and their rules are in
// server/docs/RECORD.md ("Exports").
#pragma once

#include <string>
#include <string_view>

#include "domain/council_state.hpp"

namespace renkei::protocol {

// roles.csv: UTF-8 with a byte order mark (so Excel reads it as UTF-8), CRLF
// line ends, RFC 4180 quoting, one row per role in creation order, under the
// header 課題,対応（役割）,担当機関,期限,合意状態,進捗,テーマ,提案者,提案日.
std::string roles_csv(const domain::CouncilState& state);

// issues.csv: the same format, header ID,課題,テーマ,機関,投稿者,投稿日時,状態.
std::string issues_csv(const domain::CouncilState& state);

// roles.ics: one all-day VEVENT per role with a due date (RFC 5545).
std::string roles_ics(const domain::CouncilState& state);

// One CSV field: a text starting with = + - @ (or a tab or carriage
// return) is prefixed with ' so that a spreadsheet does not run it as a
// formula; a field holding a comma, a double quote or a line break is
// quoted, its quotes doubled.
std::string csv_field(std::string_view text);

// An iCalendar TEXT value: \ ; , escaped with a backslash, line breaks as \n.
std::string ics_text(std::string_view text);

// A content line folded as RFC 5545 3.1 requires: at most 75 octets per
// line, continuation lines starting with one space, never inside a UTF-8
// sequence; every line ends with CRLF.
std::string ics_fold(std::string_view line);

// `attachment` (or `inline`) with an ASCII `filename` fallback and the
// UTF-8 name as RFC 5987 `filename*=UTF-8''...` (RFC 6266).
std::string content_disposition(std::string_view utf8_name, std::string_view ascii_name,
                                bool inline_display = false);

// A file name from user text: characters that file systems refuse
// (/ \ : * ? " < > | and control characters) become _.
std::string safe_file_name(std::string_view text);

}  // namespace renkei::protocol
