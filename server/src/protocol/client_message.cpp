// Reading client messages. The rules every argument follows (documented for
// clients in server/docs/PROTOCOL.md):
//   - required strings must be JSON strings; they are trimmed of leading and
//     trailing whitespace (ASCII and U+3000) and must not be empty after;
//   - optional strings may be absent or null; one that is empty after
//     trimming counts as absent;
//   - lengths are counted in Unicode code points; free texts (issue and
//     proposal text, reason, note, detail) may contain \n \r \t, every other
//     string no control character at all;
//   - integers may be written 2 or 2.0; numbers must be finite;
//   - unknown extra args are ignored; the first problem found is reported,
//     naming the field ("args.text: 文字列が必要です / args.text: a string is required").
#include "protocol/client_message.hpp"

#include <array>
#include <boost/json/value.hpp>
#include <climits>

#include "protocol/field_reader.hpp"
#include "protocol/json_parse.hpp"
#include "protocol/text_rules.hpp"

namespace renkei::protocol {
namespace {

namespace json = boost::json;
using domain::Command;
using domain::Error;
using domain::ErrorCode;
using domain::make_error;
using Decoded = std::variant<Command, Error>;

// Length limits (code points) of the contract's strings.
constexpr TextRule id_rule{100, false};         // any id reference, agenda id
constexpr TextRule title_rule{200, false};      // meeting and role titles
constexpr TextRule theme_rule{100, false};      // theme labels
constexpr TextRule org_rule{100, false};        // owner_org
constexpr TextRule long_text_rule{2000, true};  // issue/proposal text, reason, note, detail
constexpr TextRule indicator_name_rule{200, false};
constexpr TextRule unit_rule{50, false};
constexpr TextRule council_rule{100, false};  // hello.council
constexpr std::size_t max_list_items = 100;   // candidates, order, dots keys
constexpr std::size_t max_command_id = 64;    // cmd.id
constexpr std::int64_t max_dots = 100;        // dots per participant, and per issue

Error field_error(const FieldError& e) {
  if (e.path.empty()) return make_error(ErrorCode::bad_request, e.ja, e.en);
  return make_error(ErrorCode::bad_request, e.path + ": " + e.ja, e.path + ": " + e.en);
}

Error json_failure_error(JsonFailure failure, std::size_t max_depth) {
  switch (failure) {
    case JsonFailure::too_deep:
      return make_error(ErrorCode::bad_request,
                        "入れ子が深すぎます(最大" + std::to_string(max_depth) + "段)",
                        "nested deeper than " + std::to_string(max_depth) + " levels");
    case JsonFailure::non_finite:
      return make_error(ErrorCode::bad_request, "有限でない数値は使えません",
                        "non-finite numbers are not allowed");
    case JsonFailure::malformed:
    case JsonFailure::none: break;
  }
  return make_error(ErrorCode::bad_request, "JSONとして読めません", "malformed JSON");
}

// --- one decoder per op: reads args through `r`, which keeps the first error

Command meeting_start(FieldReader& r) {
  domain::MeetingStart c;
  c.title = r.text("title", title_rule);
  c.agenda = r.optional_text("agenda", id_rule);
  // Extension: 公開 (open, the default) or 非公開 (closed).
  if (const json::value* session = r.find("session"); session && !session->is_null())
    c.session = r.choice("session", domain::session_type_from_string, "open, closed");
  return c;  // items stay empty: the app resolves the template
}

Command meeting_advance(FieldReader& r) {
  domain::MeetingAdvance c;
  c.item = r.integer("item", 0);
  return c;
}

Command meeting_end(FieldReader&) { return domain::MeetingEnd{}; }

Command issue_post(FieldReader& r) {
  domain::IssuePost c;
  c.text = r.text("text", long_text_rule);
  c.theme = r.optional_text("theme", theme_rule);
  return c;
}

Command issue_merge(FieldReader& r) {
  domain::IssueMerge c;
  c.from = r.text("from", id_rule);
  c.into = r.text("into", id_rule);
  return c;
}

Command ranking_open(FieldReader& r) {
  domain::RankingOpen c;
  c.candidates = r.text_list("candidates", id_rule, 1, max_list_items);
  c.method = r.choice("method", domain::ranking_method_from_string, "schulze, borda, dots");
  c.dots = r.optional_integer("dots", 1, max_dots).value_or(3);
  return c;
}

// A dots ballot: {issue id: dots}, keys checked like ids, 0-100 dots each
// (no participant has more than 100, so larger values can never be valid;
// the bound also keeps the domain's sums far from overflow).
std::map<std::string, std::int64_t> read_dots(FieldReader& r, const json::value& value) {
  std::map<std::string, std::int64_t> dots;
  const std::string at = r.path("dots");
  const json::object* object = value.if_object();
  if (!object) {
    r.fail(at, "オブジェクトが必要です", "an object is required");
    return dots;
  }
  if (object->size() > max_list_items) {
    const std::string n = std::to_string(max_list_items);
    r.fail(at, n + "個以内にしてください", "at most " + n + " items");
    return dots;
  }
  for (const auto& entry : *object) {
    const std::string issue =
        r.check_text(std::string_view(entry.key().data(), entry.key().size()), at, id_rule);
    const std::int64_t n = r.integer_value(entry.value(), at + "." + issue, 0, max_dots);
    if (!r.ok()) break;
    if (!dots.emplace(issue, n).second) {
      r.fail(at + "." + issue, "重複しています", "duplicate entry");
      break;
    }
  }
  return dots;
}

Command ranking_ballot(FieldReader& r) {
  domain::RankingBallot c;
  c.ranking = r.text("ranking", id_rule);
  const json::value* order = r.find("order");
  const json::value* dots = r.find("dots");
  if (order && order->is_null()) order = nullptr;
  if (dots && dots->is_null()) dots = nullptr;
  if ((order == nullptr) == (dots == nullptr)) {
    r.fail(r.path("order"), "orderとdotsのどちらか一方だけが必要です",
           "exactly one of order and dots is required");
    return c;
  }
  if (order)
    c.order = r.text_list("order", id_rule, 0, max_list_items);
  else
    c.dots = read_dots(r, *dots);
  return c;
}

Command ranking_close(FieldReader& r) {
  domain::RankingClose c;
  c.ranking = r.text("ranking", id_rule);
  return c;
}

Command ranking_adopt(FieldReader& r) {  // extension
  domain::RankingAdopt c;
  c.ranking = r.text("ranking", id_rule);
  return c;
}

Command proposal_open(FieldReader& r) {
  domain::ProposalOpen c;
  c.kind = r.choice("kind", domain::proposal_kind_from_string, "vision, direction");
  c.text = r.text("text", long_text_rule);
  c.revises = r.optional_text("revises", id_rule);  // extension: the proposal it revises
  return c;
}

Command proposal_stance(FieldReader& r) {
  domain::ProposalStance c;
  c.proposal = r.text("proposal", id_rule);
  c.stance = r.choice("stance", domain::stance_from_string, "agree, abstain, disagree, block");
  c.reason = r.optional_text("reason", long_text_rule);
  return c;
}

Command proposal_close(FieldReader& r) {
  domain::ProposalClose c;
  c.proposal = r.text("proposal", id_rule);
  return c;
}

Command role_propose(FieldReader& r) {
  domain::RolePropose c;
  c.title = r.text("title", title_rule);
  c.owner_org = r.text("owner_org", org_rule);
  c.due = r.optional_text("due", id_rule);
  if (r.ok() && c.due && !is_calendar_date(*c.due))
    r.fail(r.path("due"), "YYYY-MM-DD形式の実在する日付が必要です",
           "a real date in the form YYYY-MM-DD is required");
  c.detail = r.optional_text("detail", long_text_rule);
  c.theme = r.optional_text("theme", theme_rule);
  c.issue = r.optional_text("issue", id_rule);  // extension: the issue this role answers
  return c;
}

Command role_consent(FieldReader& r) {
  domain::RoleConsent c;
  c.role = r.text("role", id_rule);
  c.consent = r.boolean("consent");
  c.note = r.optional_text("note", long_text_rule);
  return c;
}

Command role_status(FieldReader& r) {
  domain::RoleStatusUpdate c;
  c.role = r.text("role", id_rule);
  c.status = r.choice("status", domain::role_status_from_string,
                      "not_started, in_progress, done, revised");
  c.note = r.optional_text("note", long_text_rule);
  return c;
}

Command indicator_define(FieldReader& r) {
  domain::IndicatorDefine c;
  c.name = r.text("name", indicator_name_rule);
  c.kind = r.choice("kind", domain::indicator_kind_from_string, "structure, process, outcome");
  c.unit = r.text("unit", unit_rule);
  c.target = r.optional_number("target");
  c.baseline = r.optional_number("baseline");
  return c;
}

Command indicator_report(FieldReader& r) {
  domain::IndicatorReport c;
  c.indicator = r.text("indicator", id_rule);
  c.value = r.number("value");
  c.period = r.text("period", id_rule);
  if (r.ok() && !is_calendar_month(c.period) && !is_calendar_date(c.period))
    r.fail(r.path("period"), "YYYY-MMかYYYY-MM-DD形式の実在する年月・日付が必要です",
           "a real month YYYY-MM or date YYYY-MM-DD is required");
  return c;
}

Command theme_set_stage(FieldReader& r) {
  domain::ThemeSetStage c;
  c.theme = r.text("theme", theme_rule);
  // Any integer passes here (the domain checks 1-4); one outside int's range
  // cannot be a stage, so it is refused now rather than narrowed.
  const std::int64_t stage = r.integer("stage");
  if (r.ok() && (stage < INT_MIN || stage > INT_MAX))
    r.fail(r.path("stage"), "1から4までの整数が必要です", "must be an integer from 1 to 4");
  c.stage = static_cast<int>(r.ok() ? stage : 0);
  c.reason = r.text("reason", long_text_rule);
  return c;
}

// v1.1 (伏せ字). `participant` with a proposal: that stance's reason; with a
// role (extension): that participant's consent and status notes.
Command text_redact(FieldReader& r) {
  domain::TextRedact c;
  c.target = r.text("target", id_rule);
  c.participant = r.optional_text("participant", id_rule);
  c.reason = r.text("reason", long_text_rule);
  return c;
}

// Extension (CONTINUITY.md section 5), one-on-ones only.
Command promotion_propose(FieldReader& r) {
  domain::PromotionPropose c;
  c.items = r.text_list("items", id_rule, 1, 50);
  c.target = r.text("target", id_rule);
  c.note = r.optional_text("note", long_text_rule);
  return c;
}

Command promotion_consent(FieldReader& r) {
  domain::PromotionConsent c;
  c.promotion = r.text("promotion", id_rule);
  c.consent = r.boolean("consent");
  return c;
}

struct OpDecoder {
  std::string_view op;
  Command (*decode)(FieldReader&);
};

constexpr std::array<OpDecoder, 21> op_decoders{{
    {"meeting.start", meeting_start},
    {"meeting.advance", meeting_advance},
    {"meeting.end", meeting_end},
    {"issue.post", issue_post},
    {"issue.merge", issue_merge},
    {"ranking.open", ranking_open},
    {"ranking.ballot", ranking_ballot},
    {"ranking.close", ranking_close},
    {"proposal.open", proposal_open},
    {"proposal.stance", proposal_stance},
    {"proposal.close", proposal_close},
    {"role.propose", role_propose},
    {"role.consent", role_consent},
    {"role.status", role_status},
    {"indicator.define", indicator_define},
    {"indicator.report", indicator_report},
    {"theme.set_stage", theme_set_stage},
    {"text.redact", text_redact},
    {"ranking.adopt", ranking_adopt},
    {"promotion.propose", promotion_propose},
    {"promotion.consent", promotion_consent},
}};

const OpDecoder* find_decoder(std::string_view op) {
  for (const OpDecoder& d : op_decoders)
    if (d.op == op) return &d;
  return nullptr;
}

Error unknown_op_error() {
  // The op itself is not echoed: it is arbitrary client text.
  return make_error(ErrorCode::unknown_op, "op: 未知の操作です", "op: unknown op");
}

Decoded decode_args(const OpDecoder& decoder, const json::object& args) {
  FieldReader reader(args, "args");
  Command command = decoder.decode(reader);
  if (!reader.ok()) return field_error(*reader.error());
  return command;
}

ClientMessage read_hello(const json::object& message) {
  FieldReader r(message, "");
  HelloMessage hello;
  hello.council = r.text("council", council_rule);
  if (const json::value* token = r.find("token"); token && !token->is_null()) {
    // Kept exactly as sent: it is compared, never shown.
    if (const json::string* s = token->if_string())
      hello.token = std::string(s->data(), s->size());
    else
      r.fail("token", "文字列が必要です", "a string is required");
  }
  if (const json::value* since = r.find("since"); since && !since->is_null()) {
    // Strict: a seq is an integer, so 2.0 is refused here.
    if (const auto* i = since->if_int64(); i && *i >= 0)
      hello.since = static_cast<std::uint64_t>(*i);
    else if (const auto* u = since->if_uint64())
      hello.since = *u;
    else
      r.fail("since", "0以上の整数が必要です", "must be an integer >= 0");
  }
  if (!r.ok()) return field_error(*r.error());
  return hello;
}

ClientMessage read_cmd(const json::object& message) {
  // Without a usable id the error cannot be matched to a command, so the
  // whole message is refused.
  const json::value* id_value = message.if_contains("id");
  const json::string* id = id_value ? id_value->if_string() : nullptr;
  if (!id) {
    return make_error(ErrorCode::bad_request, "id: 文字列が必要です", "id: a string is required");
  }
  const std::string_view id_text(id->data(), id->size());
  const std::size_t id_length = count_code_points(id_text);
  if (id_length == 0 || id_length > max_command_id || has_control_character(id_text, false)) {
    return make_error(ErrorCode::bad_request, "id: 制御文字を含まない1から64文字の文字列が必要です",
                      "id: 1 to 64 characters without control characters are required");
  }

  CmdMessage cmd;
  cmd.id = std::string(id_text);
  const json::value* op_value = message.if_contains("op");
  const json::string* op = op_value ? op_value->if_string() : nullptr;
  if (!op) {
    cmd.command =
        make_error(ErrorCode::bad_request, "op: 文字列が必要です", "op: a string is required");
    return cmd;
  }
  cmd.op = std::string(op->data(), op->size());
  const OpDecoder* decoder = find_decoder(cmd.op);
  if (!decoder) {
    cmd.command = unknown_op_error();
    return cmd;
  }
  const json::value* args = message.if_contains("args");
  if (!args) {
    cmd.command = decode_args(*decoder, json::object());
  } else if (const json::object* object = args->if_object()) {
    cmd.command = decode_args(*decoder, *object);
  } else {
    cmd.command = make_error(ErrorCode::bad_request, "args: オブジェクトが必要です",
                             "args: an object is required");
  }
  // Proxy input: a participant id, checked against the seats by the room.
  if (const json::value* on_behalf_of = message.if_contains("on_behalf_of");
      on_behalf_of && !on_behalf_of->is_null()) {
    const json::string* text = on_behalf_of->if_string();
    const std::string_view view = text ? std::string_view(text->data(), text->size()) : "";
    const std::size_t length = count_code_points(view);
    if (text == nullptr || length == 0 || length > id_rule.max_code_points ||
        has_control_character(view, false)) {
      if (!std::holds_alternative<domain::Error>(cmd.command))
        cmd.command = make_error(ErrorCode::bad_request, "on_behalf_of: 参加者IDの文字列が必要です",
                                 "on_behalf_of: a participant id string is required");
    } else {
      cmd.on_behalf_of = std::string(view);
    }
  }
  return cmd;
}

}  // namespace

ClientMessage parse_client_message(std::string_view text, const DecodeLimits& limits) {
  json::value document;
  if (const JsonFailure failure = parse_json(text, limits.max_depth, document);
      failure != JsonFailure::none)
    return json_failure_error(failure, limits.max_depth);
  const json::object* message = document.if_object();
  if (!message)
    return make_error(ErrorCode::bad_request, "JSONオブジェクトが必要です",
                      "a JSON object is required");

  const json::value* type = message->if_contains("type");
  if (!type) return make_error(ErrorCode::bad_request, "type: 必須です", "type: is required");
  const json::string* type_name = type->if_string();
  if (type_name && *type_name == "hello") return read_hello(*message);
  if (type_name && *type_name == "cmd") return read_cmd(*message);
  if (type_name && *type_name == "ping") return PingMessage{};
  return make_error(ErrorCode::bad_request, "type: hello・cmd・ping のいずれかが必要です",
                    "type: must be hello, cmd or ping");
}

std::variant<Command, Error> decode_command(std::string_view op, std::string_view args_json) {
  const OpDecoder* decoder = find_decoder(op);
  if (!decoder) return unknown_op_error();
  const DecodeLimits limits;
  json::value document;
  if (const JsonFailure failure = parse_json(args_json, limits.max_depth, document);
      failure != JsonFailure::none)
    return json_failure_error(failure, limits.max_depth);
  const json::object* args = document.if_object();
  if (!args)
    return make_error(ErrorCode::bad_request, "args: オブジェクトが必要です",
                      "args: an object is required");
  return decode_args(*decoder, *args);
}

}  // namespace renkei::protocol
