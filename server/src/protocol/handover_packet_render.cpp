#include "protocol/handover_packet_render.hpp"

#include "domain/calendar.hpp"
#include "domain/derived.hpp"
#include "protocol/exports.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/minutes_render.hpp"

namespace renkei::protocol {
namespace {

using namespace renkei::domain;

// As the client's ホーム and packet page name them.
std::string_view kind_label(CouncilKind kind) {
  return kind == CouncilKind::one_on_one ? "一対一協議" : "協議体";
}

std::string_view event_kind(PacketRoleEvent::Kind kind) {
  switch (kind) {
    case PacketRoleEvent::Kind::proposed: return "proposed";
    case PacketRoleEvent::Kind::consented: return "consented";
    case PacketRoleEvent::Kind::declined: return "declined";
    case PacketRoleEvent::Kind::status: return "status";
  }
  return "proposed";
}

constexpr std::string_view pii_mark = "※個人情報の可能性";

// --- JSON ----------------------------------------------------------------------

void pii_json(JsonWriter& w, const std::vector<PersonalInfoKind>& kinds) {
  w.key("pii");
  w.begin_array();
  for (const PersonalInfoKind kind : kinds) w.string(to_string(kind));
  w.end_array();
}

void meeting_json(JsonWriter& w, std::string_view name, const std::optional<PacketMeetingRef>& m) {
  w.key(name);
  if (!m) return w.null();
  w.begin_object();
  w.field("id", m->id);
  w.field("title", m->title);
  w.field("started_at", m->started_at);
  w.string_or_null("ended_at", m->ended_at);
  w.end_object();
}

void stage_change_json(JsonWriter& w, const PacketStageChange& c) {
  w.begin_object();
  w.field("theme", c.theme);
  w.field("from", c.from);
  w.field("to", c.to);
  w.field("reason", c.reason);
  w.field("at", c.at);
  w.string_or_null("meeting", c.meeting);
  w.end_object();
}

void role_json(JsonWriter& w, const PacketRole& r) {
  w.begin_object();
  w.field("id", r.id);
  w.field("title", r.title);
  w.field("owner_org", r.owner_org);
  w.string_or_null("due", r.due);
  w.string_or_null("detail", r.detail);
  w.string_or_null("theme", r.theme);
  w.field("state", to_string(r.state));
  w.field("status", to_string(r.status));
  w.field("overdue", r.overdue);
  w.field("redacted", r.redacted);
  pii_json(w, r.pii);
  meeting_json(w, "agreed_in", r.agreed_in);
  w.key("history");
  w.begin_array();
  for (const PacketRoleEvent& e : r.history) {
    w.begin_object();
    w.field("kind", event_kind(e.kind));
    w.field("at", e.at);
    w.key("by");
    w.begin_object();
    w.field("org", e.by_org);
    w.field("name", e.by_name);
    w.end_object();
    if (e.status) w.field("status", to_string(*e.status));
    w.string_or_null("note", e.note);
    if (e.kind == PacketRoleEvent::Kind::consented || e.kind == PacketRoleEvent::Kind::declined)
      w.field("decisive", e.decisive);
    w.string_or_null("meeting", e.meeting);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

void proposal_json(JsonWriter& w, const PacketProposal& p) {
  w.begin_object();
  w.field("id", p.id);
  w.field("kind", to_string(p.kind));
  w.field("text", p.text);
  w.field("adopted_at", p.adopted_at);
  w.string_or_null("meeting", p.meeting);
  w.end_object();
}

void changes_json(JsonWriter& w, const PacketChanges& c) {
  w.key("changes");
  w.begin_object();
  w.field("since_seq", c.since_seq);
  w.field("events", c.events);
  w.field("omitted", c.omitted);
  w.key("meetings");
  w.begin_array();
  for (const auto& m : c.meetings) {
    w.begin_object();
    w.field("id", m.id);
    w.field("title", m.title);
    w.field("started_at", m.started_at);
    w.string_or_null("ended_at", m.ended_at);
    w.end_object();
  }
  w.end_array();
  w.key("status_changes");
  w.begin_array();
  for (const auto& s : c.status_changes) {
    w.begin_object();
    w.field("role", s.role);
    w.field("title", s.title);
    w.field("from", to_string(s.from));
    w.field("to", to_string(s.to));
    w.field("at", s.at);
    w.end_object();
  }
  w.end_array();
  w.key("issues_posted");
  w.begin_array();
  for (const auto& i : c.issues_posted) {
    w.begin_object();
    w.field("id", i.id);
    w.field("text", i.text);
    w.field("at", i.at);
    pii_json(w, i.pii);
    w.end_object();
  }
  w.end_array();
  w.key("indicator_reports");
  w.begin_array();
  for (const auto& r : c.indicator_reports) {
    w.begin_object();
    w.field("indicator", r.indicator);
    w.field("name", r.name);
    w.number_field("value", r.value);
    w.field("unit", r.unit);
    w.field("period", r.period);
    w.field("at", r.at);
    w.end_object();
  }
  w.end_array();
  w.key("stage_changes");
  w.begin_array();
  for (const auto& s : c.stage_changes) stage_change_json(w, s);
  w.end_array();
  w.key("open_proposals");
  w.begin_array();
  for (const auto& p : c.open_proposals) {
    w.begin_object();
    w.field("id", p.id);
    w.field("text", p.text);
    w.end_object();
  }
  w.end_array();
  w.key("open_rankings");
  w.begin_array();
  for (const auto& r : c.open_rankings) {
    w.begin_object();
    w.field("id", r.id);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

void council_json(JsonWriter& w, const PacketCouncil& c) {
  w.begin_object();
  w.field("id", c.info.id);
  w.field("name", c.info.name);
  w.field("kind", to_string(c.info.kind));
  w.string_or_null("area", c.info.area);
  w.string_or_null("next_meeting", c.info.next_meeting);
  w.field("archived", c.info.archived);
  w.field("seated", c.info.seated);
  w.field("loaded", c.loaded);
  meeting_json(w, "live", c.live);
  meeting_json(w, "last", c.last);
  w.field("overdue", c.overdue);
  w.key("roles");
  w.begin_array();
  for (const auto& r : c.roles) role_json(w, r);
  w.end_array();
  w.key("awaiting");
  w.begin_array();
  for (const auto& r : c.awaiting) role_json(w, r);
  w.end_array();
  w.key("themes");
  w.begin_array();
  for (const auto& t : c.themes) {
    w.begin_object();
    w.field("name", t.name);
    w.field("stage", t.stage);
    w.field("stage_name", stage_name_ja(t.stage));
    w.key("changes");
    w.begin_array();
    for (const auto& s : t.changes) stage_change_json(w, s);
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("vision");
  if (c.vision)
    proposal_json(w, *c.vision);
  else
    w.null();
  w.key("directions");
  w.begin_array();
  for (const auto& d : c.directions) proposal_json(w, d);
  w.end_array();
  w.key("last_meeting");
  w.begin_object();
  w.key("decisions");
  w.begin_array();
  for (const auto& d : c.last_decisions) w.string(d);
  w.end_array();
  w.key("homework");
  w.begin_array();
  for (const auto& t : c.homework) {
    w.begin_object();
    w.field("role", t.role);
    w.field("title", t.title);
    w.field("owner_org", t.owner_org);
    w.string_or_null("due", t.due);
    w.field("state", to_string(t.state));
    w.field("status", to_string(t.status));
    w.field("overdue", t.overdue);
    w.field("ours", t.ours);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  changes_json(w, c.changes);
  w.end_object();
}

std::uint64_t total_overdue(const HandoverPacket& p) {
  std::uint64_t n = 0;
  for (const auto& c : p.councils) n += c.overdue;
  return n;
}

// --- Text shared by Markdown and HTML --------------------------------------------

std::string due_text(const std::optional<std::string>& due, bool overdue) {
  if (!due) return "期限なし";
  return japanese_date(*due) + (overdue ? "（期限超過）" : "");
}

std::string title_text(const std::string& title) {
  return title.empty() ? std::string("（削除済み）") : title;
}

std::string event_text(const PacketRoleEvent& e) {
  std::string who = e.by_org.empty() ? e.by_name : e.by_org + " " + e.by_name;
  std::string text = japanese_date(e.at) + " ";
  switch (e.kind) {
    case PacketRoleEvent::Kind::proposed: text += "提案（" + who + "）"; break;
    case PacketRoleEvent::Kind::consented:
      text += (e.decisive ? "担当機関が合意（" : "賛同（") + who + "）";
      break;
    case PacketRoleEvent::Kind::declined:
      text += (e.decisive ? "担当機関が辞退（" : "不同意（") + who + "）";
      break;
    case PacketRoleEvent::Kind::status:
      text += "進捗を「" + std::string(label_ja(e.status.value_or(RoleStatus::not_started))) +
              "」に（" + who + "）";
      break;
  }
  if (e.note) text += "：" + *e.note;
  return text;
}

std::string meeting_text(const PacketMeetingRef& m) {
  return m.title + "（" + japanese_date(m.ended_at ? *m.ended_at : m.started_at) + "）";
}

std::string since_text(const HandoverPacket& p) {
  return p.since ? japanese_date(*p.since) + "以降" : std::string("記録の最初から");
}

// "2027年4月1日以降の変更", or "これまでの変更" over the whole log.
std::string changes_heading(const HandoverPacket& p) {
  return p.since ? japanese_date(*p.since) + "以降の変更" : std::string("これまでの変更");
}

std::string stage_text(int stage) {
  return "段階" + std::to_string(stage) + " " + std::string(stage_name_ja(stage));
}

std::string stage_change_text(const PacketStageChange& c) {
  std::string text =
      japanese_date(c.at) + " 段階" + std::to_string(c.from) + "→" + std::to_string(c.to);
  if (!c.reason.empty()) text += "：" + c.reason;
  return text;
}

std::string next_meeting_text(const PacketCouncil& c) {
  return c.info.next_meeting ? japanese_date(*c.info.next_meeting) : std::string("未定");
}

std::string area_text(const PacketCouncil& c) { return c.info.area ? *c.info.area : "—"; }

// Lines of "what changed", shared by both formats (plain text).
std::vector<std::string> change_lines(const PacketChanges& c) {
  std::vector<std::string> lines;
  for (const auto& m : c.meetings) lines.push_back("会議 " + meeting_text(m));
  for (const auto& s : c.status_changes)
    lines.push_back(japanese_date(s.at) + " 役割「" + title_text(s.title) + "」の進捗: " +
                    std::string(label_ja(s.from)) + "→" + std::string(label_ja(s.to)));
  for (const auto& s : c.stage_changes)
    lines.push_back("テーマ「" + s.theme + "」 " + stage_change_text(s));
  for (const auto& i : c.issues_posted)
    lines.push_back(japanese_date(i.at) + " 課題の投稿: " + title_text(i.text) +
                    (i.pii.empty() ? "" : " " + std::string(pii_mark)));
  for (const auto& r : c.indicator_reports)
    lines.push_back(japanese_date(r.at) + " 指標「" + r.name + "」" + r.period + ": " +
                    format_number(r.value) + r.unit);
  for (const auto& p : c.open_proposals) lines.push_back("提案を審議中: " + title_text(p.text));
  if (!c.open_rankings.empty())
    lines.push_back("優先順位の投票を受付中: " + std::to_string(c.open_rankings.size()) + "件");
  if (c.omitted > 0) lines.push_back("ほか" + std::to_string(c.omitted) + "件（古いものを省略）");
  return lines;
}

// Nothing recorded yet for the organisation in the council: one line then,
// rather than seven "なし".
bool quiet(const PacketCouncil& c) {
  const PacketChanges& ch = c.changes;
  return !c.vision && !c.last && !c.live && c.roles.empty() && c.awaiting.empty() &&
         c.themes.empty() && c.directions.empty() && c.last_decisions.empty() &&
         c.homework.empty() && ch.meetings.empty() && ch.status_changes.empty() &&
         ch.stage_changes.empty() && ch.issues_posted.empty() && ch.indicator_reports.empty() &&
         ch.open_proposals.empty() && ch.open_rankings.empty();
}

constexpr const char* quiet_text = "この会議体では、まだ会議や役割の記録がありません。";

// --- Markdown ------------------------------------------------------------------

std::string md(std::string_view text) { return markdown_text(text, "<br>"); }

void md_role(std::string& out, const PacketRole& r) {
  out += "- " + std::string(r.overdue ? "**期限超過** " : "") + md(title_text(r.title)) +
         " — 期限 " + md(due_text(r.due, false)) + "、進捗 " + std::string(label_ja(r.status));
  if (r.agreed_in) out += "、合意 " + md(meeting_text(*r.agreed_in));
  if (!r.pii.empty()) out += " " + std::string(pii_mark);
  out += "\n";
  if (r.detail) out += "  - 内容: " + md(*r.detail) + "\n";
  for (const auto& e : r.history) out += "  - " + md(event_text(e)) + "\n";
}

void md_roles(std::string& out, const std::vector<PacketRole>& roles) {
  if (roles.empty()) {
    out += "なし\n\n";
    return;
  }
  for (const auto& r : roles) md_role(out, r);
  out += "\n";
}

void md_council(std::string& out, const PacketCouncil& c, const std::string& changes_heading) {
  out += "## " + md(c.info.name) + "（" + std::string(kind_label(c.info.kind)) + "）\n\n";
  out += "- 管内: " + md(area_text(c)) + "\n";
  out += "- 次回の会議: " + md(next_meeting_text(c)) + "\n";
  if (c.live) out += "- 開催中の会議: " + md(meeting_text(*c.live)) + "\n";
  if (c.last) out += "- 前回の会議: " + md(meeting_text(*c.last)) + "\n";
  if (!c.loaded) out += "- 記録を読み込めませんでした\n";
  if (quiet(c)) {
    out += "\n" + std::string(quiet_text) + "\n\n";
    return;
  }
  out += "\n### 担当している役割\n\n";
  md_roles(out, c.roles);
  out += "### 合意をお願いされている役割\n\n";
  md_roles(out, c.awaiting);
  out += "### テーマと段階\n\n";
  if (c.themes.empty()) out += "なし\n";
  for (const auto& t : c.themes) {
    out += "- " + md(t.name) + ": " + md(stage_text(t.stage)) + "\n";
    for (const auto& s : t.changes) out += "  - " + md(stage_change_text(s)) + "\n";
  }
  out += "\n### あるべき姿と方針\n\n";
  if (!c.vision && c.directions.empty()) out += "なし\n";
  if (c.vision)
    out += "- あるべき姿: " + md(title_text(c.vision->text)) + "（" +
           md(japanese_date(c.vision->adopted_at)) + " 採択）\n";
  for (const auto& d : c.directions)
    out +=
        "- 方針: " + md(title_text(d.text)) + "（" + md(japanese_date(d.adopted_at)) + " 採択）\n";
  out += "\n### 前回の会議の決定事項\n\n";
  if (c.last_decisions.empty()) out += "なし\n";
  for (const auto& d : c.last_decisions) out += "- " + md(d) + "\n";
  out += "\n### 次回までの宿題\n\n";
  if (c.homework.empty()) out += "なし\n";
  for (const auto& t : c.homework)
    out += "- " + md(title_text(t.title)) + " — " + md(t.owner_org) + "、期限 " +
           md(due_text(t.due, t.overdue)) + "、" + std::string(label_ja(t.status)) + "\n";
  out += "\n### " + changes_heading + "\n\n";
  const auto lines = change_lines(c.changes);
  if (lines.empty()) out += "なし\n";
  for (const auto& line : lines) out += "- " + md(line) + "\n";
  out += "\n";
}

// --- HTML ----------------------------------------------------------------------

std::string h(std::string_view text) { return html_text(text); }

void html_row(std::string& out, std::string_view header, const std::string& cell_html) {
  out += "<tr><th scope=\"row\">" + h(header) + "</th><td>" + cell_html + "</td></tr>\n";
}

void html_roles(std::string& out, const std::vector<PacketRole>& roles) {
  if (roles.empty()) {
    out += "<p class=\"none\">なし</p>\n";
    return;
  }
  out +=
      "<table class=\"roles packet-roles\">\n<thead><tr><th scope=\"col\">役割</th><th "
      "scope=\"col\">期限</th><th scope=\"col\">進捗</th><th "
      "scope=\"col\">経緯</th></tr></thead>\n<tbody>\n";
  for (const auto& r : roles) {
    out += "<tr><td>" + h(title_text(r.title));
    if (!r.pii.empty()) out += " <span class=\"pii-badge\">" + std::string(pii_mark) + "</span>";
    if (r.detail) out += "<br><span class=\"detail\">" + h(*r.detail) + "</span>";
    out += "</td><td>" + h(due_text(r.due, r.overdue)) + "</td><td>" + h(label_ja(r.status)) +
           "</td><td><ul>";
    for (const auto& e : r.history) out += "<li>" + h(event_text(e)) + "</li>";
    if (r.agreed_in)
      out += "<li>合意した会議: " + h(meeting_text(*r.agreed_in)) + "（議事録に記載）</li>";
    out += "</ul></td></tr>\n";
  }
  out += "</tbody>\n</table>\n";
}

void html_list(std::string& out, const std::vector<std::string>& lines) {
  if (lines.empty()) {
    out += "<p class=\"none\">なし</p>\n";
    return;
  }
  out += "<ul>\n";
  for (const auto& line : lines) out += "<li>" + h(line) + "</li>\n";
  out += "</ul>\n";
}

void html_council(std::string& out, const PacketCouncil& c, const std::string& changes_heading) {
  out += "<section class=\"council\">\n<h2>" + h(c.info.name) + "（" + h(kind_label(c.info.kind)) +
         "）</h2>\n<table class=\"meta\">\n";
  html_row(out, "管内", h(area_text(c)));
  html_row(out, "次回の会議", h(next_meeting_text(c)));
  if (c.live) html_row(out, "開催中の会議", h(meeting_text(*c.live)));
  html_row(out, "前回の会議", c.last ? h(meeting_text(*c.last)) : std::string("なし"));
  out += "</table>\n";
  if (!c.loaded) out += "<p class=\"none\">記録を読み込めませんでした</p>\n";
  if (quiet(c)) {
    out += "<p class=\"none\">" + std::string(quiet_text) + "</p>\n</section>\n";
    return;
  }
  out += "<h3>担当している役割</h3>\n";
  html_roles(out, c.roles);
  out += "<h3>合意をお願いされている役割</h3>\n";
  html_roles(out, c.awaiting);
  out += "<h3>テーマと段階</h3>\n";
  if (c.themes.empty()) out += "<p class=\"none\">なし</p>\n";
  if (!c.themes.empty()) {
    out += "<ul>\n";
    for (const auto& t : c.themes) {
      out += "<li>" + h(t.name) + "：" + h(stage_text(t.stage));
      if (!t.changes.empty()) {
        out += "<ul>";
        for (const auto& s : t.changes) out += "<li>" + h(stage_change_text(s)) + "</li>";
        out += "</ul>";
      }
      out += "</li>\n";
    }
    out += "</ul>\n";
  }
  out += "<h3>あるべき姿と方針</h3>\n";
  std::vector<std::string> adopted;
  if (c.vision)
    adopted.push_back("あるべき姿：" + title_text(c.vision->text) + "（" +
                      japanese_date(c.vision->adopted_at) + " 採択）");
  for (const auto& d : c.directions)
    adopted.push_back("方針：" + title_text(d.text) + "（" + japanese_date(d.adopted_at) +
                      " 採択）");
  html_list(out, adopted);
  out += "<h3>前回の会議の決定事項</h3>\n";
  html_list(out, c.last_decisions);
  out += "<h3>次回までの宿題</h3>\n";
  std::vector<std::string> tasks;
  for (const auto& t : c.homework)
    tasks.push_back(title_text(t.title) + " — " + t.owner_org + "、期限 " +
                    due_text(t.due, t.overdue) + "、" + std::string(label_ja(t.status)));
  html_list(out, tasks);
  out += "<h3>" + h(changes_heading) + "</h3>\n";
  html_list(out, change_lines(c.changes));
  out += "</section>\n";
}

}  // namespace

std::string japanese_date(std::string_view text) {
  std::optional<CivilDate> date;
  if (text.size() == 10) {
    date = parse_iso_date(text);
  } else if (const auto jst = to_jst(text)) {
    date = jst->date;
  }
  if (!date) return std::string(text);
  return std::to_string(date->year) + "年" + std::to_string(date->month) + "月" +
         std::to_string(date->day) + "日";
}

std::string encode_handover_packet(const HandoverPacket& p) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("org");
  w.begin_object();
  w.field("id", p.org.id);
  w.field("name", p.org.name);
  w.end_object();
  w.string_or_null("since", p.since);
  w.field("today", p.today);
  w.key("predecessor");
  if (p.predecessor) {
    w.begin_object();
    w.field("person", p.predecessor->person);
    w.field("name", p.predecessor->name);
    w.end_object();
  } else {
    w.null();
  }
  w.field("overdue", total_overdue(p));
  w.key("councils");
  w.begin_array();
  for (const auto& c : p.councils) council_json(w, c);
  w.end_array();
  w.end_object();
  return out;
}

std::string render_handover_markdown(const HandoverPacket& p) {
  std::string out = "# 引き継ぎ資料 " + md(p.org.name) + "\n\n";
  out += "- 作成日: " + japanese_date(p.today) + "\n";
  out += "- 変更の掲載期間: " + md(since_text(p)) + "\n";
  if (p.predecessor) out += "- 前任者: " + md(p.predecessor->name) + "\n";
  out += "- 会議体: " + std::to_string(p.councils.size()) +
         "、期限超過の役割: " + std::to_string(total_overdue(p)) + "\n\n";
  if (p.councils.empty()) out += "この機関が席を持つ会議体はありません。\n\n";
  for (const auto& c : p.councils) md_council(out, c, changes_heading(p));
  out += "---\n\nこの資料は Renkei の会議記録から自動生成しました。\n";
  return out;
}

std::string render_handover_html(const HandoverPacket& p) {
  std::string out;
  out += "<!doctype html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>引き継ぎ資料 " + h(p.org.name) + "</title>\n";
  out += "<link rel=\"stylesheet\" href=\"/print.css\">\n";
  out += "<script src=\"" + std::string(minutes_script_path) + "\" defer></script>\n";
  out += "</head>\n<body>\n";
  out += "<nav class=\"minutes-actions\"><a class=\"button\" href=\"/handover/" + h(p.org.id) +
         "\">戻る</a> <button type=\"button\" id=\"print-minutes\">印刷</button></nav>\n";
  out += "<main class=\"minutes handover\">\n<header>\n<p class=\"council\">" + h(p.org.name) +
         "</p>\n<h1>引き継ぎ資料</h1>\n</header>\n<table class=\"meta\">\n";
  html_row(out, "機関", h(p.org.name));
  html_row(out, "作成日", h(japanese_date(p.today)));
  html_row(out, "変更の掲載期間", h(since_text(p)));
  if (p.predecessor) html_row(out, "前任者", h(p.predecessor->name));
  html_row(out, "会議体",
           h(std::to_string(p.councils.size()) + "（期限超過の役割 " +
             std::to_string(total_overdue(p)) + "件）"));
  out += "</table>\n";
  if (p.councils.empty()) out += "<p class=\"none\">この機関が席を持つ会議体はありません。</p>\n";
  for (const auto& c : p.councils) html_council(out, c, changes_heading(p));
  out +=
      "<footer>\n<p>この資料は Renkei の会議記録から自動生成しました。</p>\n</footer>\n</main>\n"
      "</body>\n</html>\n";
  return out;
}

std::string handover_file_name(const HandoverPacket& p, std::string_view extension) {
  return safe_file_name("引き継ぎ資料_" + p.org.name + "_" + p.today) + "." +
         std::string(extension);
}

std::string handover_ascii_file_name(const HandoverPacket& p, std::string_view extension) {
  return "handover-" + safe_file_name(p.org.id) + "-" + p.today + "." + std::string(extension);
}

}  // namespace renkei::protocol
