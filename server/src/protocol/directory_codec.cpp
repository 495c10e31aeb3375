#include "protocol/directory_codec.hpp"

#include <boost/json/value.hpp>

#include "domain/organisation.hpp"
#include "protocol/directory_import.hpp"
#include "protocol/exports.hpp"
#include "protocol/field_reader.hpp"
#include "protocol/json_parse.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/text_rules.hpp"

namespace renkei::protocol {
namespace {

namespace json = boost::json;

constexpr std::size_t max_body_depth = 8;
constexpr TextRule name_rule{100, false};
constexpr TextRule id_rule{100, false};
constexpr TextRule theme_rule{100, false};
constexpr std::size_t max_password_bytes = 1024;

BodyError body_error(const FieldError& e) {
  if (e.path.empty()) return BodyError{"bad_request", e.ja + " / " + e.en};
  return BodyError{"bad_request", e.path + ": " + e.ja + " / " + e.path + ": " + e.en};
}

// Parses `body` as a JSON object and runs `read` over it.
template <typename T, typename Read>
Decoded<T> decode(std::string_view body, Read read) {
  json::value value;
  if (parse_json(body, max_body_depth, value) != JsonFailure::none || !value.is_object())
    return BodyError{"bad_request", "JSON オブジェクトが必要です / a JSON object is required"};
  FieldReader r(value.as_object(), "");
  T out = read(r);
  if (!r.ok()) return body_error(*r.error());
  return out;
}

std::string password_field(FieldReader& r, std::string_view key) {
  std::string password = r.string(key);
  if (r.ok() && password.size() > max_password_bytes) r.fail(r.path(key), "長すぎます", "too long");
  return password;
}

// Present in a PATCH: the value (a field may be cleared with "" only when
// `clearable`); absent: nullopt.
std::optional<std::string> patch_text(FieldReader& r, std::string_view key, bool clearable) {
  const json::value* value = r.find(key);
  if (!value) return std::nullopt;
  if (clearable && (value->is_null() || (value->is_string() && value->as_string().empty())))
    return std::string();
  return r.text(key, name_rule);
}

void write_org(JsonWriter& w, const OrganisationView& org) {
  w.begin_object();
  w.field("id", org.id);
  w.field("name", org.name);
  w.field("kind", org.kind);
  w.key("area");
  org.area ? w.string(*org.area) : w.null();
  w.key("prefecture");
  org.prefecture ? w.string(*org.prefecture) : w.null();
  if (org.merged_into) w.field("merged_into", *org.merged_into);
  w.key("active");
  w.boolean(org.active);
  w.field("state", org.merged_into ? "merged" : org.active ? "active" : "deactivated");
  w.end_object();
}

void write_optional(JsonWriter& w, std::string_view key, const std::optional<std::string>& value) {
  w.key(key);
  value ? w.string(*value) : w.null();
}

void write_person(JsonWriter& w, const PersonView& p) {
  w.begin_object();
  w.field("id", p.id);
  w.field("name", p.name);
  w.key("org");
  p.org ? write_org(w, *p.org) : w.null();
  write_optional(w, "login", p.login);
  w.key("active");
  w.boolean(p.active);
  w.key("has_password");
  w.boolean(p.has_password);
  w.field("state", p.active ? "active" : "deactivated");
  w.key("totp_enrolled");
  w.boolean(p.totp_enrolled);
  w.key("second_factor");
  w.begin_object();
  w.key("enrolled");
  w.boolean(p.totp_enrolled);
  w.end_object();
  w.key("grants");
  w.begin_array();
  for (const GrantView& g : p.grants) {
    w.begin_object();
    w.field("role", g.role);
    w.field("scope", g.scope);
    w.end_object();
  }
  w.end_array();
  write_optional(w, "last_visit_at", p.last_visit_at);
  w.end_object();
}

void write_seat(JsonWriter& w, const SeatView& s) {
  w.begin_object();
  w.key("council");
  w.begin_object();
  w.field("id", s.council);
  w.field("name", s.council_name);
  w.field("kind", domain::to_string(s.council_kind));
  w.end_object();
  w.field("participant", s.participant);
  w.field("role", domain::to_string(s.role));
  w.field("person", s.person);
  w.field("name", s.name);
  w.key("org");
  if (s.org) {
    write_org(w, *s.org);
  } else {
    w.begin_object();
    w.key("id");
    w.null();
    w.field("name", s.org_name);
    w.end_object();
  }
  w.key("removed");
  w.boolean(s.removed);
  if (s.starts_at) write_optional(w, "starts_at", s.starts_at);
  if (s.ends_at) write_optional(w, "ends_at", s.ends_at);
  w.end_object();
}

}  // namespace

Decoded<SetupBody> decode_setup_body(std::string_view body) {
  return decode<SetupBody>(body,
                           [](FieldReader& r) { return SetupBody{password_field(r, "password")}; });
}

Decoded<SignInBody> decode_sign_in_body(std::string_view body) {
  return decode<SignInBody>(body, [](FieldReader& r) {
    SignInBody out;
    out.login = r.text("login", name_rule);
    out.password = password_field(r, "password");
    out.code = r.optional_text("code", name_rule);
    return out;
  });
}

Decoded<CodeBody> decode_code_body(std::string_view body) {
  return decode<CodeBody>(body, [](FieldReader& r) { return CodeBody{r.text("code", name_rule)}; });
}

Decoded<OrganisationBody> decode_organisation_body(std::string_view body, bool create) {
  return decode<OrganisationBody>(body, [create](FieldReader& r) {
    OrganisationBody out;
    if (create) {
      out.name = r.text("name", name_rule);
      out.kind = r.text("kind", name_rule);
      out.area = r.optional_text("area", name_rule);
      out.prefecture = r.optional_text("prefecture", name_rule);
    } else {
      out.name = patch_text(r, "name", false);
      out.kind = patch_text(r, "kind", false);
      out.area = patch_text(r, "area", true);
      out.prefecture = patch_text(r, "prefecture", true);
    }
    if (r.ok() && out.kind) {
      if (auto kind = domain::organisation_kind_from_text(*out.kind)) {
        out.kind = std::string(domain::to_string(*kind));
      } else {
        r.fail("kind", "種別が正しくありません（病院、市町村、保健所 など）",
               "unknown organisation kind");
      }
    }
    return out;
  });
}

Decoded<MergeBody> decode_merge_body(std::string_view body) {
  return decode<MergeBody>(body, [](FieldReader& r) { return MergeBody{r.text("into", id_rule)}; });
}

Decoded<PersonBody> decode_person_body(std::string_view body, bool create) {
  return decode<PersonBody>(body, [create](FieldReader& r) {
    PersonBody out;
    if (create) {
      out.name = r.text("name", name_rule);
      out.org = r.text("org", id_rule);
      out.login = r.text("login", name_rule);
      if (r.find("admin")) out.admin = r.boolean("admin");
      out.secretariat = r.optional_text("secretariat", name_rule);
    } else {
      out.name = patch_text(r, "name", false);
      out.org = patch_text(r, "org", false);
      out.login = patch_text(r, "login", false);
    }
    if (r.ok() && out.login) {
      *out.login = normalise_login(std::move(*out.login));
      if (!valid_login(*out.login))
        r.fail("login", "半角英小文字・数字・. _ - @ の3〜64文字にしてください",
               "3-64 characters of a-z 0-9 . _ - @");
    }
    return out;
  });
}

Decoded<CouncilBody> decode_council_body(std::string_view body) {
  return decode<CouncilBody>(body, [](FieldReader& r) {
    CouncilBody out;
    out.name = r.text("name", name_rule);
    if (r.find("kind"))
      out.kind = r.choice<domain::CouncilKind>("kind", domain::council_kind_from_string,
                                               "council, one_on_one");
    out.area = r.optional_text("area", name_rule);
    out.prefecture = r.optional_text("prefecture", name_rule);
    if (r.find("themes")) out.themes = r.text_list("themes", theme_rule, 0, 30);
    out.default_agenda = r.optional_text("default_agenda", id_rule);
    return out;
  });
}

Decoded<CouncilUpdateBody> decode_council_update_body(std::string_view body) {
  return decode<CouncilUpdateBody>(body, [](FieldReader& r) {
    CouncilUpdateBody out;
    out.name = patch_text(r, "name", false);
    if (r.find("themes")) out.themes = r.text_list("themes", theme_rule, 0, 30);
    out.next_meeting = patch_text(r, "next_meeting", true);
    out.default_agenda = patch_text(r, "default_agenda", true);
    if (r.ok() && out.next_meeting && !out.next_meeting->empty() &&
        !is_calendar_date(*out.next_meeting))
      r.fail("next_meeting", "YYYY-MM-DD形式の実在する日付が必要です",
             "a real date as YYYY-MM-DD is required");
    return out;
  });
}

Decoded<SeatBody> decode_seat_body(std::string_view body, bool create) {
  return decode<SeatBody>(body, [create](FieldReader& r) {
    SeatBody out;
    if (create) out.person = r.text("person", id_rule);
    out.role =
        r.choice<domain::Role>("role", domain::role_from_string, "facilitator, member, observer");
    return out;
  });
}

Decoded<GrantBody> decode_grant_body(std::string_view body) {
  return decode<GrantBody>(body, [](FieldReader& r) {
    GrantBody out;
    out.role = r.text("role", id_rule);
    out.scope = r.optional_text("scope", name_rule).value_or("");
    if (!r.ok()) return out;
    if (out.role != "admin" && out.role != "secretariat" && out.role != "prefecture_viewer")
      r.fail("role", "admin, secretariat, prefecture_viewer のいずれかにしてください",
             "one of admin, secretariat, prefecture_viewer");
    else if (out.role == "admin")
      out.scope.clear();
    else if (out.scope.empty())
      r.fail("scope", "範囲（圏域または都道府県）が必要です",
             "a scope (area or prefecture) is required");
    return out;
  });
}

std::string encode_organisation(const OrganisationView& org) {
  std::string out;
  JsonWriter w(out);
  write_org(w, org);
  return out;
}

std::string encode_organisations(const std::vector<OrganisationView>& orgs) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("orgs");
  w.begin_array();
  for (const auto& org : orgs) write_org(w, org);
  w.end_array();
  w.key("kinds");
  w.begin_array();
  for (domain::OrganisationKind kind : domain::organisation_kinds()) {
    w.begin_object();
    w.field("code", domain::to_string(kind));
    w.field("name", domain::japanese_name(kind));
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return out;
}

std::string encode_people(const std::vector<PersonView>& people) {
  return json_list_object("people", people,
                          [](JsonWriter& w, const PersonView& p) { write_person(w, p); });
}

std::string encode_councils(const std::vector<CouncilView>& councils) {
  return json_list_object("councils", councils, [](JsonWriter& w, const CouncilView& c) {
    w.begin_object();
    w.field("id", c.id);
    w.field("name", c.name);
    w.field("kind", domain::to_string(c.kind));
    write_optional(w, "area", c.area);
    write_optional(w, "prefecture", c.prefecture);
    w.key("themes");
    w.begin_array();
    for (const auto& t : c.themes) w.string(t);
    w.end_array();
    write_optional(w, "default_agenda", c.default_agenda);
    write_optional(w, "archived_at", c.archived_at);
    write_optional(w, "next_meeting", c.next_meeting);
    w.field("created_at", c.created_at);
    if (c.seats) {
      w.key("seats");
      w.unsigned_integer(*c.seats);
    }
    w.end_object();
  });
}

std::string encode_seats(const std::vector<SeatView>& seats) {
  return json_list_object("seats", seats,
                          [](JsonWriter& w, const SeatView& s) { write_seat(w, s); });
}

std::string encode_invitations(const std::vector<InvitationView>& invitations) {
  return json_list_object("invitations", invitations, [](JsonWriter& w, const InvitationView& i) {
    w.begin_object();
    w.field("person", i.person);
    w.field("name", i.name);
    w.field("org", i.org);
    write_optional(w, "login", i.login);
    w.field("state", i.state);
    w.field("created_at", i.created_at);
    w.field("expires_at", i.expires_at);
    write_optional(w, "used_at", i.used_at);
    w.end_object();
  });
}

std::string encode_audit(const std::vector<AuditView>& rows) {
  return json_list_object("audit", rows, [](JsonWriter& w, const AuditView& a) {
    w.begin_object();
    w.field("at", a.at);
    write_optional(w, "person", a.person);
    if (a.person_name) w.field("person_name", *a.person_name);
    write_optional(w, "address", a.address);
    w.field("action", a.action);
    w.field("subject", a.subject);
    w.field("target", a.subject);
    if (a.subject_name) w.field("target_name", *a.subject_name);
    write_optional(w, "council", a.council);
    w.field("outcome", a.outcome);
    // Old and new values are JSON objects the server wrote; carried as
    // strings so that the trail never depends on re-parsing them.
    write_optional(w, "old", a.old_value);
    write_optional(w, "new", a.new_value);
    w.end_object();
  });
}

std::string encode_audit_csv(const std::vector<AuditView>& rows) {
  std::string out = "\xEF\xBB\xBF";
  auto row = [&](std::initializer_list<std::string_view> fields) {
    bool first = true;
    for (std::string_view f : fields) {
      if (!first) out += ',';
      first = false;
      out += csv_field(f);
    }
    out += "\r\n";
  };
  row({"日時", "操作者", "操作者の氏名", "アドレス", "操作", "対象", "対象の名称", "協議体", "結果",
       "変更前", "変更後"});
  for (const auto& a : rows) {
    row({a.at, a.person.value_or(""), a.person_name.value_or(""), a.address.value_or(""), a.action,
         a.subject, a.subject_name.value_or(""), a.council.value_or(""), a.outcome,
         a.old_value.value_or(""), a.new_value.value_or("")});
  }
  return out;
}

std::string encode_me(const MeView& me) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("person");
  write_person(w, me.person);
  w.key("seats");
  w.begin_array();
  for (const auto& s : me.seats) write_seat(w, s);
  w.end_array();
  w.key("second_factor");
  w.begin_object();
  w.key("enrolled");
  w.boolean(me.person.totp_enrolled);
  w.key("required");
  w.boolean(me.second_factor_required);
  w.end_object();
  w.key("grants");
  w.begin_array();
  for (const GrantView& g : me.person.grants) {
    w.begin_object();
    w.field("role", g.role);
    w.field("scope", g.scope);
    w.end_object();
  }
  w.end_array();
  write_optional(w, "last_visit_at", me.person.last_visit_at);
  w.key("demo");
  w.boolean(me.demo);
  w.key("handover");
  if (me.handover) {
    w.begin_object();
    w.key("org");
    w.begin_object();
    w.field("id", me.handover->org_id);
    w.field("name", me.handover->org_name);
    w.end_object();
    w.key("predecessor");
    w.begin_object();
    w.field("person", me.handover->predecessor);
    w.field("name", me.handover->predecessor_name);
    w.end_object();
    w.end_object();
  } else {
    w.null();
  }
  w.end_object();
  return out;
}

std::string encode_setup(const SetupView& setup) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.field("name", setup.name);
  write_optional(w, "login", setup.login);
  w.key("org");
  setup.org ? write_org(w, *setup.org) : w.null();
  w.field("second_factor", setup.second_factor_required ? "required" : "optional");
  w.end_object();
  return out;
}

std::string encode_home(const std::vector<HomeCouncilView>& councils,
                        const std::optional<std::string>& last_visit_at) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  write_optional(w, "last_visit_at", last_visit_at);
  w.key("councils");
  w.begin_array();
  for (const auto& c : councils) {
    w.begin_object();
    w.field("id", c.seat.council);
    w.field("name", c.seat.council_name);
    w.field("kind", domain::to_string(c.seat.council_kind));
    write_optional(w, "area", c.area);
    w.field("role", domain::to_string(c.seat.role));
    w.field("participant", c.seat.participant);
    if (c.seat.starts_at) write_optional(w, "starts_at", c.seat.starts_at);
    w.key("archived");
    w.boolean(c.archived);
    w.key("live");
    if (c.live_meeting) {
      w.begin_object();
      w.field("meeting", *c.live_meeting);
      w.field("title", c.live_title.value_or(""));
      w.field("started_at", c.live_started_at.value_or(""));
      w.end_object();
    } else {
      w.null();
    }
    w.key("last_meeting");
    if (c.last_meeting) {
      w.begin_object();
      w.field("id", *c.last_meeting);
      w.field("title", c.last_title.value_or(""));
      w.field("ended_at", c.last_ended_at.value_or(""));
      w.end_object();
    } else {
      w.null();
    }
    write_optional(w, "next_meeting", c.next_meeting);
    w.key("themes");
    w.begin_array();
    for (const auto& [name, stage] : c.themes) {
      w.begin_object();
      w.field("name", name);
      w.key("stage");
      w.integer(stage);
      w.end_object();
    }
    w.end_array();
    w.key("my_org_roles");
    w.begin_object();
    w.key("open");
    w.unsigned_integer(c.open_roles);
    w.key("overdue");
    w.unsigned_integer(c.overdue_roles);
    w.end_object();
    w.key("changes_since_last_visit");
    w.unsigned_integer(c.changes_since_last_visit);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return out;
}

std::vector<std::string> decode_theme_list(std::string_view text) {
  json::value value;
  std::vector<std::string> out;
  if (parse_json(text, 2, value) != JsonFailure::none || !value.is_array()) return out;
  for (const auto& item : value.as_array())
    if (item.is_string()) out.emplace_back(item.as_string());
  return out;
}

std::string encode_theme_list(const std::vector<std::string>& themes) {
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  for (const auto& t : themes) w.string(t);
  w.end_array();
  return out;
}

std::string json_string(std::string_view text) {
  std::string out;
  JsonWriter w(out);
  w.string(text);
  return out;
}

std::string encode_fields(
    const std::vector<std::pair<std::string, std::optional<std::string>>>& fields) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  for (const auto& [key, value] : fields)
    if (value) w.field(key, *value);
  w.end_object();
  return out;
}

}  // namespace renkei::protocol
