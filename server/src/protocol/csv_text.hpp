// Reading the CSV files that the secretariat's console imports
// (organisations and people), as Japanese Excel saves them: "CSV UTF-8"
// (with a byte-order mark), plain UTF-8, or "CSV" in Shift_JIS (Windows
// code page 932, with its NEC and IBM extensions, e.g. ① and 髙).
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace renkei::protocol {

enum class SpreadsheetEncoding { utf8_bom, utf8, cp932 };

struct DecodedText {
  std::string utf8;
  SpreadsheetEncoding encoding = SpreadsheetEncoding::utf8;
};

// The file's text as UTF-8: a UTF-8 byte-order mark is removed; bytes that
// are valid UTF-8 are taken as UTF-8; anything else is read as CP932.
// Nothing when it is neither (a byte sequence CP932 does not define).
std::optional<DecodedText> decode_spreadsheet_text(std::string_view bytes);

// One record of a CSV file: its fields and the line it starts on (1-based,
// counting physical lines, so a quoted field with a line break moves the
// next record's line on).
struct CsvRecord {
  std::size_t line = 0;
  std::vector<std::string> fields;
};

struct CsvParse {
  std::vector<CsvRecord> records;  // blank lines skipped
  // Set when the text is not well-formed CSV (e.g. a quote left open);
  // `records` then holds what came before the error.
  std::optional<std::string> error;
  std::size_t error_line = 0;
};

// RFC 4180 with the liberties spreadsheets take: CRLF or LF line ends, a
// last line without one, fields quoted with '"' and '""' inside quotes.
// Spaces around unquoted fields are kept (the caller trims values).
CsvParse parse_csv(std::string_view utf8);

}  // namespace renkei::protocol
