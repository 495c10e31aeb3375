#include "protocol/directory_import.hpp"

#include <set>
#include <utility>

#include "domain/organisation.hpp"
#include "protocol/csv_text.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/text_rules.hpp"

namespace renkei::protocol {
namespace {

struct Column {
  std::string key;
  std::vector<std::string_view> headers;  // accepted header names
  bool required = false;
};

const std::vector<Column>& organisation_columns() {
  static const std::vector<Column> columns = {
      {"name", {"名称", "機関名", "name", "organisation", "organization"}, true},
      {"kind", {"種別", "kind"}, true},
      {"area", {"管内", "保健所管内", "area"}, false},
      {"prefecture", {"都道府県", "prefecture"}, false},
  };
  return columns;
}

const std::vector<Column>& person_columns() {
  static const std::vector<Column> columns = {
      {"name", {"氏名", "名前", "name"}, true},
      {"org", {"機関", "所属", "所属機関", "org", "organisation", "organization"}, true},
      {"login", {"ログインID", "ログインＩＤ", "ログイン", "login"}, true},
  };
  return columns;
}

std::string trimmed(std::string_view text) {
  auto strip = [&](bool front) {
    for (;;) {
      if (text.empty()) return;
      if (text.size() >= 3 &&
          (front ? text.substr(0, 3) : text.substr(text.size() - 3)) == "\u3000") {
        front ? text.remove_prefix(3) : text.remove_suffix(3);
        continue;
      }
      const char c = front ? text.front() : text.back();
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return;
      front ? text.remove_prefix(1) : text.remove_suffix(1);
    }
  };
  strip(true);
  strip(false);
  return std::string(text);
}

std::string lower_ascii(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

// Which column each field is, from a header row; nothing when `record` is
// not a header (no field names a column).
std::optional<std::vector<std::string>> header_keys(const CsvRecord& record,
                                                    const std::vector<Column>& columns) {
  std::vector<std::string> keys;
  bool any = false;
  for (const std::string& field : record.fields) {
    const std::string name = lower_ascii(trimmed(field));
    std::string key;
    for (const Column& column : columns)
      for (std::string_view header : column.headers)
        if (name == lower_ascii(std::string(header))) key = column.key;
    if (!key.empty()) any = true;
    keys.push_back(key);
  }
  if (!any) return std::nullopt;
  return keys;
}

struct Table {
  std::vector<ImportRow> rows;
  std::optional<std::string> error;
  std::string encoding;
};

Table read_table(std::string_view bytes, const std::vector<Column>& columns) {
  Table table;
  auto decoded = decode_spreadsheet_text(bytes);
  if (!decoded) {
    table.error =
        "文字コードを判別できません。UTF-8 または Shift_JIS の CSV で保存してください / "
        "the file is neither UTF-8 nor Shift_JIS text";
    return table;
  }
  table.encoding = decoded->encoding == SpreadsheetEncoding::utf8_bom ? "utf-8-bom"
                   : decoded->encoding == SpreadsheetEncoding::utf8   ? "utf-8"
                                                                      : "cp932";
  auto parsed = parse_csv(decoded->utf8);
  if (parsed.error) {
    table.error = std::to_string(parsed.error_line) + "行目: " + *parsed.error;
    return table;
  }
  if (parsed.records.empty()) {
    table.error = "行がありません / the file has no rows";
    return table;
  }
  std::vector<std::string> keys;
  std::size_t first = 0;
  if (auto header = header_keys(parsed.records.front(), columns)) {
    keys = std::move(*header);
    first = 1;
    for (const Column& column : columns) {
      bool present = false;
      for (const auto& k : keys) present = present || k == column.key;
      if (column.required && !present) {
        table.error = "見出しに「" + std::string(column.headers.front()) +
                      "」の列がありません / column " + column.key + " is missing";
        return table;
      }
    }
  } else {
    for (const Column& column : columns) keys.push_back(column.key);
  }
  if (parsed.records.size() - first > max_import_rows) {
    table.error = "一度に取り込めるのは " + std::to_string(max_import_rows) +
                  " 行までです / at most " + std::to_string(max_import_rows) + " rows at a time";
    return table;
  }
  if (parsed.records.size() == first) {
    table.error = "見出しのほかに行がありません / the file has only a header";
    return table;
  }
  for (std::size_t r = first; r < parsed.records.size(); ++r) {
    const CsvRecord& record = parsed.records[r];
    ImportRow row;
    row.line = record.line;
    for (const Column& column : columns) row.values[column.key] = "";
    for (std::size_t f = 0; f < record.fields.size(); ++f) {
      if (f < keys.size() && !keys[f].empty()) {
        row.values[keys[f]] = trimmed(record.fields[f]);
      } else if (!trimmed(record.fields[f]).empty()) {
        row.errors.push_back("列が多すぎます / too many columns");
        break;
      }
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

void require_text(ImportRow& row, const std::string& key, std::string_view label,
                  std::size_t max_points) {
  const std::string& value = row.values[key];
  if (value.empty()) {
    row.errors.push_back(std::string(label) + "が空です / " + key + " is empty");
  } else if (count_code_points(value) > max_points) {
    row.errors.push_back(std::string(label) + "は" + std::to_string(max_points) +
                         "文字までです / " + key + " is too long");
  }
}

ImportPreview finish(Table table) {
  ImportPreview preview;
  preview.file_error = std::move(table.error);
  preview.encoding = std::move(table.encoding);
  preview.rows = std::move(table.rows);
  for (const ImportRow& row : preview.rows)
    (row.errors.empty() ? preview.valid : preview.invalid)++;
  return preview;
}

}  // namespace

std::string normalise_login(std::string login) { return lower_ascii(std::move(login)); }

bool valid_login(std::string_view login) {
  if (login.size() < 3 || login.size() > 64) return false;
  for (char c : login) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                    c == '-' || c == '@';
    if (!ok) return false;
  }
  return true;
}

ImportPreview preview_organisations(std::string_view bytes, const OrganisationImportRules& rules) {
  Table table = read_table(bytes, organisation_columns());
  std::set<std::string> seen;
  for (ImportRow& row : table.rows) {
    if (!row.errors.empty()) continue;
    require_text(row, "name", "名称", 100);
    const std::string& name = row.values["name"];
    if (!name.empty()) {
      if (!seen.insert(name).second)
        row.errors.push_back("同じ名称の行がファイル内にあります / duplicate name in the file");
      else if (rules.name_taken && rules.name_taken(name))
        row.errors.push_back("同じ名称の機関が登録済みです / an organisation of this name exists");
    }
    const std::string& kind = row.values["kind"];
    if (auto parsed = domain::organisation_kind_from_text(kind)) {
      row.values["kind"] = std::string(domain::to_string(*parsed));
    } else {
      row.errors.push_back("種別「" + kind +
                           "」は使えません（病院、市町村、保健所 など） / unknown kind");
    }
    if (count_code_points(row.values["area"]) > 100 ||
        count_code_points(row.values["prefecture"]) > 20)
      row.errors.push_back("管内または都道府県が長すぎます / area or prefecture too long");
    if (rules.area) {
      if (row.values["area"].empty()) {
        row.values["area"] = *rules.area;
      } else if (row.values["area"] != *rules.area) {
        row.errors.push_back("担当の管内（" + *rules.area +
                             "）以外の機関は登録できません / outside your area");
      }
    }
  }
  return finish(std::move(table));
}

ImportPreview preview_people(std::string_view bytes, const PersonImportRules& rules) {
  Table table = read_table(bytes, person_columns());
  std::set<std::string> logins;
  for (ImportRow& row : table.rows) {
    if (!row.errors.empty()) continue;
    require_text(row, "name", "氏名", 100);
    require_text(row, "org", "機関", 100);
    std::string& login = row.values["login"];
    login = normalise_login(login);
    if (!valid_login(login)) {
      row.errors.push_back(
          "ログインIDは半角英小文字・数字・. _ - @ の3〜64文字です / login: 3-64 of a-z 0-9 . _ - "
          "@");
    } else if (!logins.insert(login).second) {
      row.errors.push_back(
          "同じログインIDの行がファイル内にあります / duplicate login in the file");
    } else if (rules.login_taken && rules.login_taken(login)) {
      row.errors.push_back("このログインIDは使われています / login already in use");
    }
    const std::string& org = row.values["org"];
    if (!org.empty()) {
      auto id = rules.find_org ? rules.find_org(org) : std::nullopt;
      if (!id) {
        row.errors.push_back(
            "機関「" + org +
            "」が見つかりません。先に機関を登録してください / unknown organisation");
      } else if (rules.org_in_scope && !rules.org_in_scope(*id)) {
        row.errors.push_back("担当の管内の機関ではありません / organisation outside your area");
      } else {
        row.values["org_id"] = *id;
      }
    }
  }
  return finish(std::move(table));
}

std::string encode_import_preview(const ImportPreview& preview) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  if (preview.file_error) {
    w.field("code", "bad_request");
    w.field("message", *preview.file_error);
  }
  w.field("encoding", preview.encoding);
  w.key("rows");
  w.begin_array();
  for (const ImportRow& row : preview.rows) {
    w.begin_object();
    w.key("line");
    w.unsigned_integer(row.line);
    w.key("values");
    w.begin_object();
    for (const auto& [key, value] : row.values) w.field(key, value);
    w.end_object();
    w.key("errors");
    w.begin_array();
    for (const std::string& error : row.errors) w.string(error);
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("valid");
  w.unsigned_integer(preview.valid);
  w.key("invalid");
  w.unsigned_integer(preview.invalid);
  w.end_object();
  return out;
}

}  // namespace renkei::protocol
