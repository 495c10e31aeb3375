// The secretariat's CSV import of organisations and people (PEOPLE.md,
// "Console"): the file's bytes are decoded (csv_text.hpp), each row is
// checked, and a preview with per-row errors is made before anything is
// written. Pure: the directory is consulted only through the callbacks, on
// the caller's thread.
//
// Columns, with or without a header row (header names in Japanese or
// English; without one, this order):
//   organisations  名称 name, 種別 kind, 管内 area, 都道府県 prefecture
//   people         氏名 name, 機関 org (name or id), ログインID login
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace renkei::protocol {

struct ImportRow {
  std::size_t line = 0;                       // the row's line in the file
  std::map<std::string, std::string> values;  // by column key: name, kind, area, ...
  std::vector<std::string> errors;            // Japanese-first messages
};

struct ImportPreview {
  std::vector<ImportRow> rows;
  std::size_t valid = 0;
  std::size_t invalid = 0;
  // Set when the file cannot be read at all (encoding, broken CSV, no rows).
  std::optional<std::string> file_error;
  std::string encoding;  // "utf-8-bom", "utf-8" or "cp932"
  bool ok() const { return !file_error && invalid == 0 && valid > 0; }
};

// Most rows a file may hold.
inline constexpr std::size_t max_import_rows = 2000;

struct OrganisationImportRules {
  // True when an active organisation of this name exists already.
  std::function<bool(std::string_view name)> name_taken;
  // A secretariat imports into its own area only: empty areas take it, any
  // other area is an error. Unset for administrators.
  std::optional<std::string> area;
};

struct PersonImportRules {
  // The id of the active organisation named (or with that id), if any, and
  // whether the importer may add people to it (its area).
  std::function<std::optional<std::string>(std::string_view org)> find_org;
  std::function<bool(std::string_view org_id)> org_in_scope;
  std::function<bool(std::string_view login)> login_taken;
};

ImportPreview preview_organisations(std::string_view bytes, const OrganisationImportRules& rules);
ImportPreview preview_people(std::string_view bytes, const PersonImportRules& rules);

// A login as stored and compared: ASCII letters in lower case.
std::string normalise_login(std::string login);

// Logins: 3-64 characters of a-z, 0-9, '.', '_', '-' and '@' (lower case).
bool valid_login(std::string_view login);

// {"encoding","rows":[{"line","values":{..},"errors":[..]}],"valid","invalid"}
// plus "code"/"message" when the file cannot be read.
std::string encode_import_preview(const ImportPreview& preview);

}  // namespace renkei::protocol
