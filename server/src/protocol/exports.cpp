#include "protocol/exports.hpp"

#include <algorithm>

#include "domain/calendar.hpp"
#include "domain/derived.hpp"

namespace renkei::protocol {
namespace {

using namespace renkei::domain;

constexpr std::string_view bom = "\xEF\xBB\xBF";
constexpr std::string_view crlf = "\r\n";

void csv_row(std::string& out, std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (std::string_view field : fields) {
    if (!first) out.push_back(',');
    first = false;
    out += csv_field(field);
  }
  out += crlf;
}

// "2026-11-24" (JST) of a log time; the text itself when it is not one.
std::string jst_date(std::string_view utc) {
  const auto jst = to_jst(utc);
  return jst ? iso_date(jst->date) : std::string(utc);
}

// "2026-11-24 19:00" (JST) of a log time.
std::string jst_date_time(std::string_view utc) {
  const auto jst = to_jst(utc);
  return jst ? iso_date(jst->date) + " " + hh_mm(*jst) : std::string(utc);
}

std::string person(const Actor& actor) { return actor.name + "（" + actor.org + "）"; }

// "20261124T100000Z" from "2026-11-24T10:00:00.123Z".
std::string ics_utc(std::string_view utc) {
  std::string out;
  for (char c : utc.substr(0, 19))
    if (c != '-' && c != ':') out.push_back(c);
  return out + "Z";
}

std::string ics_date(const CivilDate& date) {
  std::string iso = iso_date(date);
  iso.erase(std::remove(iso.begin(), iso.end(), '-'), iso.end());
  return iso;
}

// Length of the UTF-8 sequence a byte starts (1 for stray bytes).
std::size_t sequence_length(unsigned char b) {
  if (b < 0x80) return 1;
  if ((b & 0xE0) == 0xC0) return 2;
  if ((b & 0xF0) == 0xE0) return 3;
  if ((b & 0xF8) == 0xF0) return 4;
  return 1;
}

// The time of the latest change to a role (its iCalendar DTSTAMP).
std::string last_change(const RoleAgreement& role) {
  std::string at = role.proposed.at;
  for (const ConsentEntry& c : role.consents) at = std::max(at, c.given.at);
  for (const StatusEntry& s : role.statuses) at = std::max(at, s.changed.at);
  return at;
}

std::string_view ics_status(RoleState state) {
  switch (state) {
    case RoleState::agreed: return "CONFIRMED";
    case RoleState::declined: return "CANCELLED";
    case RoleState::proposed: return "TENTATIVE";
  }
  return "TENTATIVE";
}

}  // namespace

std::string csv_field(std::string_view text) {
  std::string value;
  if (!text.empty() && (text.front() == '=' || text.front() == '+' || text.front() == '-' ||
                        text.front() == '@' || text.front() == '\t' || text.front() == '\r'))
    value.push_back('\'');
  value += text;
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

std::string roles_csv(const CouncilState& state) {
  std::string out(bom);
  csv_row(out, {"課題", "対応（役割）", "担当機関", "期限", "合意状態", "進捗", "テーマ", "提案者",
                "提案日"});
  for (const RoleAgreement& role : state.roles) {
    const Issue* issue = role.issue ? state.find_issue(*role.issue) : nullptr;
    csv_row(out,
            {issue ? std::string_view(issue->text) : std::string_view(), role.title, role.owner_org,
             role.due.value_or(""), label_ja(role.state), label_ja(role.status),
             role.theme.value_or(""), person(role.proposed.by), jst_date(role.proposed.at)});
  }
  return out;
}

std::string issues_csv(const CouncilState& state) {
  std::string out(bom);
  csv_row(out, {"ID", "課題", "テーマ", "機関", "投稿者", "投稿日時", "状態"});
  const IssueStatuses statuses(state);
  for (const Issue& issue : state.issues) {
    std::string status(label_ja(statuses.of(issue)));
    if (issue.merged_into) status += "（" + *issue.merged_into + "へ）";
    csv_row(out, {issue.id, issue.text, issue.theme.value_or(""), issue.posted.by.org,
                  issue.posted.by.name, jst_date_time(issue.posted.at), status});
  }
  return out;
}

std::string ics_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        out += "\\n";
        break;
      case '\n': out += "\\n"; break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') out.push_back(c);
    }
  }
  return out;
}

std::string ics_fold(std::string_view line) {
  constexpr std::size_t limit = 75;
  std::string out;
  std::size_t room = limit;  // octets left on the current line
  for (std::size_t i = 0; i < line.size();) {
    const std::size_t n =
        std::min(sequence_length(static_cast<unsigned char>(line[i])), line.size() - i);
    if (n > room) {
      out += "\r\n ";
      room = limit - 1;
    }
    out.append(line.substr(i, n));
    room -= n;
    i += n;
  }
  out += "\r\n";
  return out;
}

std::string roles_ics(const CouncilState& state) {
  std::string out;
  out += ics_fold("BEGIN:VCALENDAR");
  out += ics_fold("VERSION:2.0");
  out += ics_fold("PRODID:-//Renkei//Renkei role due dates//JA");
  out += ics_fold("CALSCALE:GREGORIAN");
  out += ics_fold("METHOD:PUBLISH");
  out += ics_fold("X-WR-CALNAME:" + ics_text(state.name + " 役割の期限"));
  for (const RoleAgreement& role : state.roles) {
    if (!role.due) continue;
    const auto due = parse_iso_date(*role.due);
    if (!due) continue;
    std::string description = "担当機関: " + role.owner_org +
                              "\n合意状態: " + std::string(label_ja(role.state)) +
                              "\n進捗: " + std::string(label_ja(role.status));
    if (role.issue)
      if (const Issue* issue = state.find_issue(*role.issue))
        description += "\n課題: " + issue->text;
    if (role.detail) description += "\n" + *role.detail;
    out += ics_fold("BEGIN:VEVENT");
    out += ics_fold("UID:" + role.id + "@renkei");
    out += ics_fold("DTSTAMP:" + ics_utc(last_change(role)));
    out += ics_fold("DTSTART;VALUE=DATE:" + ics_date(*due));
    out += ics_fold("DTEND;VALUE=DATE:" + ics_date(add_days(*due, 1)));
    out += ics_fold("SUMMARY:" + ics_text(role.title + "（" + role.owner_org + "）"));
    out += ics_fold("DESCRIPTION:" + ics_text(description));
    if (role.theme) out += ics_fold("CATEGORIES:" + ics_text(*role.theme));
    out += ics_fold("STATUS:" + std::string(ics_status(role.state)));
    out += ics_fold("TRANSP:TRANSPARENT");
    out += ics_fold("END:VEVENT");
  }
  out += ics_fold("END:VCALENDAR");
  return out;
}

std::string content_disposition(std::string_view utf8_name, std::string_view ascii_name,
                                bool inline_display) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out = inline_display ? "inline" : "attachment";
  out += "; filename=\"";
  for (char c : ascii_name) {
    const auto b = static_cast<unsigned char>(c);
    out.push_back(b >= 0x20 && b < 0x7F && c != '"' && c != '\\' ? c : '_');
  }
  out += "\"; filename*=UTF-8''";
  for (char c : utf8_name) {
    const auto b = static_cast<unsigned char>(c);
    const bool attr_char = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') ||
                           (b >= '0' && b <= '9') ||
                           std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos;
    if (attr_char) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(hex[b >> 4]);
      out.push_back(hex[b & 0xF]);
    }
  }
  return out;
}

std::string safe_file_name(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    const bool bad =
        b < 0x20 || b == 0x7F || std::string_view("/\\:*?\"<>|").find(c) != std::string_view::npos;
    out.push_back(bad ? '_' : c);
  }
  return out;
}

}  // namespace renkei::protocol
