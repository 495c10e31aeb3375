#include "protocol/minutes_render.hpp"

#include "domain/derived.hpp"
#include "protocol/exports.hpp"

namespace renkei::protocol {
namespace {

using namespace renkei::domain;

std::string_view kind_label(CouncilKind kind) {
  return kind == CouncilKind::one_on_one ? "一対一協議" : "協議会・会議";
}

std::string time_range(const Minutes& m) {
  return m.date + " " + m.start_time + "〜" + (m.end_time ? *m.end_time : "（開催中）");
}

std::string person_name(const MinutesPerson& p) {
  if (p.role == Role::observer) return p.name + "（オブザーバー）";
  // Took part through proxy input (電話・書面): CONTINUITY.md section 4.
  return p.proxied ? p.name + "（代理入力）" : p.name;
}

// "北広島町 鈴木、…" of attendees who did not confirm confidentiality.
std::string unacknowledged(const Minutes& m) {
  std::string out;
  for (const MinutesOrg& org : m.attendees)
    for (const MinutesPerson& p : org.people) {
      if (p.acknowledged) continue;
      if (!out.empty()) out += "、";
      out += org.org.empty() ? p.name : org.org + " " + p.name;
    }
  return out;
}

std::string session_text(const Minutes& m) {
  std::string text(label_ja(m.session));
  if (m.session != SessionType::closed) return text;
  text += "（守秘義務の確認: 出席者" + std::to_string(m.attendee_count) + "名中" +
          std::to_string(m.acknowledged_count) + "名";
  if (const std::string missing = unacknowledged(m); !missing.empty())
    text += "、未確認: " + missing;
  return text + "）";
}

std::string attendee_summary(const Minutes& m) {
  std::string text = std::to_string(m.attendee_count) + "名";
  if (m.observer_count > 0)
    text += "（うちオブザーバー" + std::to_string(m.observer_count) + "名）";
  return text;
}

// "2027-03-31", "2027-01-31（期限超過）" or "未定".
std::string due_text(const MinutesTask& task) {
  if (!task.due) return "未定";
  return task.overdue ? *task.due + "（期限超過）" : *task.due;
}

std::string footer_text(const Minutes& m) {
  // Numbers only: internal ids (council, seq) are not for the people who read it.
  return "この議事録は Renkei の会議記録から自動生成しました（記録番号 " +
         std::to_string(m.first_seq) + "〜" + std::to_string(m.last_seq) + "）。";
}

// "3. " before an agenda item's title; nothing before 開会前・その他.
std::string item_number(const MinutesItem& item) {
  return item.index ? std::to_string(*item.index + 1) + ". " : std::string();
}

// --- Markdown ----------------------------------------------------------------

void md_people(std::string& out, const std::vector<MinutesOrg>& orgs) {
  if (orgs.empty()) {
    out += "なし\n";
    return;
  }
  for (const MinutesOrg& org : orgs) {
    std::string names;
    for (const MinutesPerson& p : org.people) {
      if (!names.empty()) names += "、";
      names += person_name(p);
    }
    out += "- " + markdown_text(org.org.empty() ? "（所属不明）" : org.org, " ") + ": " +
           markdown_text(names, " ") + "\n";
  }
}

// Marks a line whose text seems to hold personal information.
constexpr std::string_view pii_mark = "※個人情報の可能性";

void md_line(std::string& out, const MinutesLine& line, std::string_view bullet,
             std::string_view indent) {
  out += std::string(bullet) + markdown_text(line.text, "  \n" + std::string(indent));
  if (line.pii) out += " " + std::string(pii_mark);
  out += "\n";
  const std::string detail_indent = std::string(indent) + "  ";
  for (const std::string& detail : line.details)
    out += std::string(indent) + "- " + markdown_text(detail, "  \n" + detail_indent) + "\n";
}

// --- HTML ----------------------------------------------------------------------

std::string html_multiline(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = text.size();
    out += html_text(text.substr(start, end - start));
    if (end == text.size()) break;
    out += "<br>";
    start = end + (text.substr(end, 2) == "\r\n" ? 2 : 1);
  }
  return out;
}

void html_people(std::string& out, const std::vector<MinutesOrg>& orgs) {
  if (orgs.empty()) {
    out += "なし";
    return;
  }
  out += "<ul class=\"people\">";
  for (const MinutesOrg& org : orgs) {
    out += "<li><span class=\"org\">" + html_text(org.org.empty() ? "（所属不明）" : org.org) +
           "</span> ";
    bool first = true;
    for (const MinutesPerson& p : org.people) {
      if (!first) out += "、";
      first = false;
      out += html_text(person_name(p));
    }
    out += "</li>";
  }
  out += "</ul>";
}

void html_line(std::string& out, const MinutesLine& line) {
  out += "<li>" + html_multiline(line.text);
  if (line.pii) out += " <span class=\"pii-badge\">" + std::string(pii_mark) + "</span>";
  if (!line.details.empty()) {
    out += "<ul>";
    for (const std::string& detail : line.details) out += "<li>" + html_multiline(detail) + "</li>";
    out += "</ul>";
  }
  out += "</li>\n";
}

void html_row(std::string& out, std::string_view header, const std::string& cell_html) {
  out += "<tr><th scope=\"row\">";
  out += header;
  out += "</th><td>" + cell_html + "</td></tr>\n";
}

}  // namespace

std::string markdown_text(std::string_view text, std::string_view line_break) {
  std::string out;
  out.reserve(text.size() + 8);
  bool line_start = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += line_break;
      line_start = true;
      continue;
    }
    if (line_start) {
      // Leading blanks would make an indented code block.
      if (c == ' ' || c == '\t') continue;
      if (c == '-' || c == '+' || c == '=') out.push_back('\\');
      if (c >= '0' && c <= '9') {
        std::size_t j = i;
        while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
        if (j < text.size() && (text[j] == '.' || text[j] == ')')) {
          out.append(text.substr(i, j - i));
          out.push_back('\\');
          out.push_back(text[j]);
          i = j;
          line_start = false;
          continue;
        }
      }
    }
    line_start = false;
    if (std::string_view("\\`*_[]<>#|~!&").find(c) != std::string_view::npos) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string html_text(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string render_minutes_markdown(const Minutes& m) {
  std::string out;
  out += "# " + markdown_text(m.title, " ") + " 議事録\n\n";
  out += "| 項目 | 内容 |\n|---|---|\n";
  out += "| 会議体 | " + markdown_text(m.council_name, " ") + "（" +
         std::string(kind_label(m.kind)) + "） |\n";
  out += "| 日時 | " + time_range(m) + " |\n";
  out += "| 和暦 | " + m.date_wareki + " |\n";
  out += "| 公開・非公開 | " + markdown_text(session_text(m), " ") + " |\n";
  out += "| 進行 | " + markdown_text(m.chair.org + " " + m.chair.name, " ") + " |\n";
  out += "| 出席者 | " + attendee_summary(m) + " |\n";
  out += "| 欠席者 | " + std::to_string(m.absentee_count) + "名 |\n";

  out += "\n## 出席者\n\n";
  md_people(out, m.attendees);
  out += "\n## 欠席者\n\n";
  md_people(out, m.absentees);

  out += "\n## 議事\n";
  for (const MinutesItem& item : m.items) {
    out += "\n### " + item_number(item) + markdown_text(item.title, " ") + "\n\n";
    if (item.lines.empty()) out += "- 特記事項なし\n";
    for (const MinutesLine& line : item.lines) md_line(out, line, "- ", "  ");
  }

  out += "\n## 決定事項\n\n";
  if (m.decisions.empty()) out += "なし\n";
  for (std::size_t i = 0; i < m.decisions.size(); ++i)
    md_line(out, m.decisions[i], std::to_string(i + 1) + ". ", "   ");

  out += "\n## 次回までの宿題\n\n";
  if (m.tasks.empty()) {
    out += "なし\n";
  } else {
    out += "| 役割 | 担当機関 | 期限 | 進捗 |\n|---|---|---|---|\n";
    for (const MinutesTask& task : m.tasks)
      out += "| " + markdown_text(task.title, " ") + " | " + markdown_text(task.owner_org, " ") +
             " | " + due_text(task) + " | " + std::string(label_ja(task.status)) + " |\n";
  }
  out += "\n---\n\n" + footer_text(m) + "\n";
  return out;
}

std::string render_minutes_html(const Minutes& m) {
  std::string out;
  out += "<!doctype html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + html_text(m.title) + " 議事録</title>\n";
  out += "<link rel=\"stylesheet\" href=\"/print.css\">\n";
  out += "<script src=\"" + std::string(minutes_script_path) + "\" defer></script>\n";
  out += "</head>\n<body>\n";
  // Hidden in print (print.css): back to the council's record, and print.
  out += "<nav class=\"minutes-actions\"><a class=\"button\" href=\"/councils/" +
         html_text(m.council) +
         "/record\">戻る</a> <button type=\"button\" id=\"print-minutes\">印刷</button></nav>\n";
  out += "<main class=\"minutes\">\n<header>\n<p class=\"council\">" + html_text(m.council_name) +
         "</p>\n<h1>" + html_text(m.title) + " 議事録</h1>\n</header>\n";

  out += "<table class=\"meta\">\n";
  html_row(out, "会議体",
           html_text(m.council_name) + "（" + std::string(kind_label(m.kind)) + "）");
  html_row(out, "日時",
           html_text(time_range(m)) + "<br><span class=\"wareki\">" + html_text(m.date_wareki) +
               "</span>");
  html_row(out, "公開・非公開", html_text(session_text(m)));
  html_row(out, "進行", html_text(m.chair.org + " " + m.chair.name));
  std::string attendees = html_text(attendee_summary(m));
  html_people(attendees, m.attendees);
  html_row(out, "出席者", attendees);
  std::string absentees = html_text(std::to_string(m.absentee_count) + "名");
  if (!m.absentees.empty()) html_people(absentees, m.absentees);
  html_row(out, "欠席者", absentees);
  out += "</table>\n";

  out += "<section class=\"agenda\">\n<h2>議事</h2>\n";
  for (const MinutesItem& item : m.items) {
    out += "<section class=\"item\">\n<h3>" + html_text(item_number(item) + item.title) +
           "</h3>\n<ul>\n";
    if (item.lines.empty()) out += "<li class=\"none\">特記事項なし</li>\n";
    for (const MinutesLine& line : item.lines) html_line(out, line);
    out += "</ul>\n</section>\n";
  }
  out += "</section>\n";

  out += "<section class=\"decisions\">\n<h2>決定事項</h2>\n";
  if (m.decisions.empty()) {
    out += "<p class=\"none\">なし</p>\n";
  } else {
    out += "<ol>\n";
    for (const MinutesLine& line : m.decisions) html_line(out, line);
    out += "</ol>\n";
  }
  out += "</section>\n";

  out += "<section class=\"tasks\">\n<h2>次回までの宿題</h2>\n";
  if (m.tasks.empty()) {
    out += "<p class=\"none\">なし</p>\n";
  } else {
    out +=
        "<table class=\"roles\">\n<thead><tr><th scope=\"col\">役割</th><th "
        "scope=\"col\">担当機関</th><th scope=\"col\">期限</th><th "
        "scope=\"col\">進捗</th></tr></thead>\n<tbody>\n";
    for (const MinutesTask& task : m.tasks)
      out += "<tr><td>" + html_text(task.title) + "</td><td>" + html_text(task.owner_org) +
             "</td><td>" + html_text(due_text(task)) + "</td><td>" +
             std::string(label_ja(task.status)) + "</td></tr>\n";
    out += "</tbody>\n</table>\n";
  }
  out += "</section>\n";
  out +=
      "<footer>\n<p>" + html_text(footer_text(m)) + "</p>\n</footer>\n</main>\n</body>\n</html>\n";
  return out;
}

std::string minutes_file_name(const Minutes& m, std::string_view extension) {
  return safe_file_name("議事録_" + m.title + "_" + m.date_iso) + "." + std::string(extension);
}

std::string minutes_ascii_file_name(const Minutes& m, std::string_view extension) {
  return "minutes-" + safe_file_name(m.meeting) + "." + std::string(extension);
}

}  // namespace renkei::protocol
