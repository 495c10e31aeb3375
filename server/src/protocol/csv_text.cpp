#include "protocol/csv_text.hpp"

#include <iconv.h>

#include <cerrno>

#include "domain/search_text.hpp"

namespace renkei::protocol {
namespace {

std::optional<std::string> cp932_to_utf8(std::string_view bytes) {
  iconv_t cd = iconv_open("UTF-8", "CP932");
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out(bytes.size() * 3 + 4, '\0');
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  char* dst = out.data();
  std::size_t out_left = out.size();
  const std::size_t done = iconv(cd, &in, &in_left, &dst, &out_left);
  iconv_close(cd);
  if (done == static_cast<std::size_t>(-1) || in_left != 0) return std::nullopt;
  out.resize(out.size() - out_left);
  return out;
}

}  // namespace

std::optional<DecodedText> decode_spreadsheet_text(std::string_view bytes) {
  constexpr std::string_view bom = "\xEF\xBB\xBF";
  if (bytes.substr(0, bom.size()) == bom) {
    bytes.remove_prefix(bom.size());
    if (!domain::is_valid_utf8(bytes)) return std::nullopt;
    return DecodedText{std::string(bytes), SpreadsheetEncoding::utf8_bom};
  }
  if (domain::is_valid_utf8(bytes))
    return DecodedText{std::string(bytes), SpreadsheetEncoding::utf8};
  auto text = cp932_to_utf8(bytes);
  if (!text || !domain::is_valid_utf8(*text)) return std::nullopt;
  return DecodedText{std::move(*text), SpreadsheetEncoding::cp932};
}

CsvParse parse_csv(std::string_view text) {
  CsvParse out;
  std::size_t line = 1;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    CsvRecord record;
    record.line = line;
    bool blank = true;
    for (;;) {
      std::string field;
      if (i < n && text[i] == '"') {
        blank = false;
        const std::size_t opened_on = line;
        ++i;
        for (;;) {
          if (i >= n) {
            out.error = "引用符が閉じていません / unterminated quoted field";
            out.error_line = opened_on;
            return out;
          }
          const char c = text[i++];
          if (c == '"') {
            if (i < n && text[i] == '"') {
              field.push_back('"');
              ++i;
              continue;
            }
            break;
          }
          if (c == '\n') ++line;
          field.push_back(c);
        }
        // Text after the closing quote up to the separator is kept, as
        // spreadsheets do.
        while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
          field.push_back(text[i++]);
      } else {
        while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
          field.push_back(text[i++]);
        if (!field.empty()) blank = false;
      }
      record.fields.push_back(std::move(field));
      if (i < n && text[i] == ',') {
        blank = false;
        ++i;
        continue;
      }
      break;
    }
    if (i < n && text[i] == '\r') ++i;
    if (i < n && text[i] == '\n') {
      ++i;
      ++line;
    }
    if (!blank) out.records.push_back(std::move(record));
  }
  return out;
}

}  // namespace renkei::protocol
