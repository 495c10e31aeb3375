#include "protocol/overview_codec.hpp"

#include <initializer_list>
#include <vector>

#include "protocol/exports.hpp"
#include "protocol/json_writer.hpp"

namespace renkei::protocol {
namespace {

constexpr std::string_view bom = "\xEF\xBB\xBF";

void row(std::string& out, std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (std::string_view field : fields) {
    if (!first) out.push_back(',');
    first = false;
    out += csv_field(field);
  }
  out += "\r\n";
}

std::string number_text(double value) {
  std::string out;
  JsonWriter w(out);
  w.number(value);
  return out;
}

std::string_view scope_text(OverviewScope scope) {
  return scope == OverviewScope::prefecture ? "prefecture" : "area";
}

void write_council(JsonWriter& w, const domain::OverviewCouncil& council) {
  w.begin_object();
  w.field("id", council.meta.id);
  w.field("name", council.meta.name);
  w.field("kind", std::string_view(domain::to_string(council.meta.kind)));
  w.string_or_null("area", council.meta.area);
  w.string_or_null("prefecture", council.meta.prefecture);
  w.field("archived", council.meta.archived);
  w.field("loaded", council.loaded);
  w.key("themes");
  w.begin_array();
  for (const auto& theme : council.themes) {
    w.begin_object();
    w.field("name", theme.name);
    w.field("stage", theme.stage);
    w.end_object();
  }
  w.end_array();
  w.key("live_meeting");
  if (council.live) {
    w.begin_object();
    w.field("id", council.live->id);
    w.field("title", council.live->title);
    w.field("started_at", council.live->at);
    w.end_object();
  } else {
    w.null();
  }
  w.key("last_meeting");
  if (council.last) {
    w.begin_object();
    w.field("id", council.last->id);
    w.field("title", council.last->title);
    w.field("ended_at", council.last->at);
    w.end_object();
  } else {
    w.null();
  }
  w.string_or_null("next_meeting", council.meta.next_meeting);
  w.end_object();
}

void write_role(JsonWriter& w, const domain::RoleMention& role) {
  w.begin_object();
  w.field("id", role.id);
  w.field("title", role.title);
  w.field("owner", role.owner);
  w.field("at", role.at);
  w.end_object();
}

std::string_view promoted_kind_text(domain::PromotedKind kind) {
  switch (kind) {
    case domain::PromotedKind::issue: return "issue";
    case domain::PromotedKind::role: return "role";
    case domain::PromotedKind::direction: return "direction";
  }
  return "issue";
}

std::string_view promoted_kind_ja(domain::PromotedKind kind) {
  switch (kind) {
    case domain::PromotedKind::issue: return "課題";
    case domain::PromotedKind::role: return "役割";
    case domain::PromotedKind::direction: return "方針";
  }
  return "課題";
}

}  // namespace

std::string_view stage_name_ja(int stage) {
  switch (stage) {
    case 1: return "実態把握・課題集約";
    case 2: return "相互理解・課題共有・共通認識";
    case 3: return "サービス提供体制の整備・役割合意形成";
    case 4: return "運用・評価・改善";
    default: return "";
  }
}

std::string encode_overview(const domain::Overview& o, OverviewScope scope, std::string_view name) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.field("scope", scope_text(scope));
  w.field("name", name);
  w.field("today", o.today);
  w.field("month", o.month);
  w.key("stages");
  w.begin_array();
  for (int stage = 1; stage <= 4; ++stage) {
    w.begin_object();
    w.field("stage", stage);
    w.field("name_ja", stage_name_ja(stage));
    w.end_object();
  }
  w.end_array();

  w.key("areas");
  w.begin_array();
  for (const auto& area : o.areas) {
    w.begin_object();
    w.field("name", area.name);
    w.key("councils");
    w.begin_array();
    for (const auto& council : area.councils) write_council(w, council);
    w.end_array();
    w.end_object();
  }
  w.end_array();

  w.key("matrix");
  w.begin_object();
  w.key("themes");
  w.begin_array();
  for (const auto& theme : o.matrix.themes) w.string(theme);
  w.end_array();
  w.key("areas");
  w.begin_array();
  for (const auto& area : o.matrix.areas) w.string(area);
  w.end_array();
  w.key("rows");
  w.begin_array();
  for (std::size_t t = 0; t < o.matrix.themes.size(); ++t) {
    w.begin_object();
    w.field("theme", o.matrix.themes[t]);
    w.key("cells");
    w.begin_array();
    for (std::size_t a = 0; a < o.matrix.areas.size(); ++a) {
      const auto& cell = o.matrix.at(t, a);
      w.begin_object();
      w.field("area", cell.area);
      if (cell.stage > 0) {
        w.field("stage", cell.stage);
        w.field("council", cell.council);
        w.field("council_name", cell.council_name);
      } else {
        w.key("stage");
        w.null();
      }
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.end_object();

  w.key("roles");
  w.begin_array();
  for (const auto& count : o.roles) {
    w.begin_object();
    w.field("area", count.area);
    w.field("kind", count.kind);
    w.field("open", count.open);
    w.field("overdue", count.overdue);
    w.end_object();
  }
  w.end_array();

  w.key("indicators");
  w.begin_array();
  for (const auto& indicator : o.indicators) {
    w.begin_object();
    w.field("name", indicator.name);
    w.key("values");
    w.begin_array();
    for (const auto& v : indicator.values) {
      w.begin_object();
      w.field("council", v.council);
      w.field("council_name", v.council_name);
      w.field("area", v.area);
      w.field("indicator", v.indicator);
      w.field("unit", v.unit);
      w.field("period", v.period);
      w.number_field("value", v.value);
      w.optional_number("target", v.target);
      w.field("small_count", v.small_count);
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();

  w.key("changes");
  w.begin_array();
  for (const auto& c : o.changes) {
    w.begin_object();
    w.field("council", c.council);
    w.field("council_name", c.council_name);
    w.field("area", c.area);
    w.key("stage_changes");
    w.begin_array();
    for (const auto& s : c.stage_changes) {
      w.begin_object();
      w.field("theme", s.theme);
      w.field("from", s.from);
      w.field("to", s.to);
      w.field("at", s.at);
      w.end_object();
    }
    w.end_array();
    w.key("adopted");
    w.begin_array();
    for (const auto& p : c.adopted) {
      w.begin_object();
      w.field("id", p.id);
      w.field("kind", std::string_view(domain::to_string(p.kind)));
      w.field("text", p.text);
      w.field("at", p.at);
      w.end_object();
    }
    w.end_array();
    w.key("agreed");
    w.begin_array();
    for (const auto& r : c.agreed) write_role(w, r);
    w.end_array();
    w.key("done");
    w.begin_array();
    for (const auto& r : c.done) write_role(w, r);
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("submissions");
  w.begin_array();
  for (const auto& sub : o.submissions) {
    w.begin_object();
    w.field("area", sub.area);
    w.field("date", sub.date);
    w.key("organisations");
    w.begin_array();
    for (const auto& org : sub.organisations) w.string(org);
    w.end_array();
    w.key("items");
    w.begin_array();
    for (const auto& item : sub.items) {
      w.begin_object();
      w.field("kind", promoted_kind_text(item.kind));
      w.field("text", item.text);
      w.optional_field("theme", item.theme);
      if (item.kind == domain::PromotedKind::role) {
        w.field("owner", item.owner_org);
        w.optional_field("due", item.due);
        w.optional_field("detail", item.detail);
      }
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return out;
}

std::string overview_csv(const domain::Overview& o, OverviewScope scope, std::string_view name) {
  std::string out(bom);
  const std::string title =
      std::string(scope == OverviewScope::prefecture ? "県の概観" : "圏域の概観") + "：" +
      std::string(name);
  row(out, {title, o.today});
  out += "\r\n";

  // The matrix: themes as rows, areas as columns, "stage 名称（協議体）".
  row(out, {"【段階（テーマ×圏域）】"});
  {
    std::vector<std::string> header{"テーマ"};
    for (const auto& area : o.matrix.areas) header.push_back(area.empty() ? "（圏域なし）" : area);
    bool first = true;
    for (const auto& h : header) {
      if (!first) out.push_back(',');
      first = false;
      out += csv_field(h);
    }
    out += "\r\n";
    for (std::size_t t = 0; t < o.matrix.themes.size(); ++t) {
      out += csv_field(o.matrix.themes[t]);
      for (std::size_t a = 0; a < o.matrix.areas.size(); ++a) {
        const auto& cell = o.matrix.at(t, a);
        out.push_back(',');
        if (cell.stage > 0)
          out +=
              csv_field(std::to_string(cell.stage) + " " + std::string(stage_name_ja(cell.stage)) +
                        "（" + cell.council_name + "）");
      }
      out += "\r\n";
    }
  }
  out += "\r\n";

  row(out, {"【協議体】"});
  row(out, {"圏域", "協議体ID", "協議体", "テーマ", "段階", "前回の会議", "次回の会議", "状態"});
  for (const auto& area : o.areas)
    for (const auto& council : area.councils) {
      const std::string last = council.last ? council.last->title + " " + council.last->at : "";
      const std::string status = council.meta.archived ? "アーカイブ" : "";
      if (council.themes.empty())
        row(out, {area.name, council.meta.id, council.meta.name, "", "", last,
                  council.meta.next_meeting.value_or(""), status});
      for (const auto& theme : council.themes)
        row(out,
            {area.name, council.meta.id, council.meta.name, theme.name, std::to_string(theme.stage),
             last, council.meta.next_meeting.value_or(""), status});
    }
  out += "\r\n";

  row(out, {"【役割分担（機関の種別ごと）】"});
  row(out, {"圏域", "機関の種別", "未完了", "うち期限超過"});
  for (const auto& c : o.roles)
    row(out, {c.area, c.kind, std::to_string(c.open), std::to_string(c.overdue)});
  out += "\r\n";

  row(out, {"【指標（最新値）】"});
  row(out, {"指標", "圏域", "協議体", "期間", "値", "単位", "目標", "少数（取扱注意）"});
  for (const auto& indicator : o.indicators)
    for (const auto& v : indicator.values)
      row(out, {indicator.name, v.area, v.council_name, v.period, number_text(v.value), v.unit,
                v.target ? number_text(*v.target) : "", v.small_count ? "少数" : ""});
  out += "\r\n";

  row(out, {"【今月の変化】"});
  row(out, {"圏域", "協議体", "種類", "内容", "日時"});
  for (const auto& c : o.changes) {
    for (const auto& s : c.stage_changes)
      row(out, {c.area, c.council_name, "段階の変更",
                s.theme + "：" + std::to_string(s.from) + "→" + std::to_string(s.to), s.at});
    for (const auto& p : c.adopted) row(out, {c.area, c.council_name, "提案の採択", p.text, p.at});
    for (const auto& r : c.agreed)
      row(out, {c.area, c.council_name, "役割の合意", r.title + "（" + r.owner + "）", r.at});
    for (const auto& r : c.done)
      row(out, {c.area, c.council_name, "役割の完了", r.title + "（" + r.owner + "）", r.at});
  }
  out += "\r\n";

  // 上申: one line per item, with its consultation's area, date and parties.
  row(out, {"【県本庁への上申】"});
  row(out, {"圏域", "日付", "機関", "種類", "内容", "テーマ", "担当", "期限"});
  for (const auto& sub : o.submissions) {
    std::string orgs;
    for (const auto& org : sub.organisations) orgs += (orgs.empty() ? "" : "・") + org;
    for (const auto& item : sub.items)
      row(out, {sub.area, sub.date, orgs, promoted_kind_ja(item.kind), item.text,
                item.theme.value_or(""), item.owner_org, item.due.value_or("")});
  }
  return out;
}

}  // namespace renkei::protocol
