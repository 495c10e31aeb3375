// Agenda template files: a good template, the encoded shape, and every
// validation error naming the file and the field.
#include "protocol/agenda_codec.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace renkei::protocol {
namespace {

namespace json = boost::json;

constexpr const char* good_template = R"({
  "format": 1,
  "title": {"ja": "地域共生ケア会議", "en": "Inclusive community care council"},
  "kind": "council",
  "minutes": 20,
  "comment": "unknown fields are ignored",
  "items": [
    {"title": {"ja": "開会・目的・守秘義務の確認", "en": "Opening, purpose, confidentiality"},
     "purpose": {"ja": "会議の目的を共有する", "en": "Share the purpose"},
     "stages": [2], "minutes": 5, "actions": []},
    {"title": {"ja": "課題の投稿", "en": "Post issues"},
     "purpose": {"ja": "機関ごとに課題を出す", "en": "Each organisation posts issues"},
     "stages": [1, 2], "minutes": 15, "actions": ["post_issues", "merge_issues"]}
  ]
})";

domain::AgendaTemplate parsed_ok(std::string_view text) {
  auto result =
      parse_agenda(text, "chiiki-kyosei-care-kaigi", "agendas/chiiki-kyosei-care-kaigi.json");
  if (const auto* error = std::get_if<AgendaError>(&result)) {
    ADD_FAILURE() << error->message;
    return {};
  }
  return std::get<domain::AgendaTemplate>(result);
}

std::string error_of(const json::value& document) {
  auto result = parse_agenda(json::serialize(document), "x", "agendas/x.json");
  if (!std::holds_alternative<AgendaError>(result)) {
    ADD_FAILURE() << json::serialize(document) << " was accepted";
    return {};
  }
  return std::get<AgendaError>(result).message;
}

// The good template with one change applied.
template <typename Change>
std::string error_after(Change change) {
  json::value document = json::parse(good_template);
  change(document.as_object());
  return error_of(document);
}

TEST(AgendaCodec, ParsesGoodTemplate) {
  const domain::AgendaTemplate agenda = parsed_ok(good_template);
  EXPECT_EQ(agenda.id, "chiiki-kyosei-care-kaigi");
  EXPECT_EQ(agenda.title.ja, "地域共生ケア会議");
  EXPECT_EQ(agenda.title.en, "Inclusive community care council");
  EXPECT_EQ(agenda.kind, "council");
  EXPECT_EQ(agenda.minutes, 20);
  ASSERT_EQ(agenda.items.size(), 2u);
  EXPECT_EQ(agenda.items[1].title.ja, "課題の投稿");
  EXPECT_EQ(agenda.items[1].purpose.en, "Each organisation posts issues");
  EXPECT_EQ(agenda.items[1].stages, (std::vector<int>{1, 2}));
  EXPECT_EQ(agenda.items[1].minutes, 15);
  EXPECT_EQ(agenda.items[1].actions, (std::vector<std::string>{"post_issues", "merge_issues"}));
  EXPECT_TRUE(agenda.items[0].actions.empty());
}

TEST(AgendaCodec, MinutesDefaultToTheSumOfItems) {
  json::value document = json::parse(good_template);
  document.as_object().erase("minutes");
  EXPECT_EQ(parsed_ok(json::serialize(document)).minutes, 20);
}

TEST(AgendaCodec, EveryKindAndAction) {
  for (const char* kind : {"council", "one_on_one", "review"}) {
    json::value document = json::parse(good_template);
    document.as_object()["kind"] = kind;
    EXPECT_EQ(parsed_ok(json::serialize(document)).kind, kind);
  }
  json::value document = json::parse(good_template);
  document.at("items").at(0).as_object()["actions"] =
      json::array{"post_issues",       "merge_issues",      "rank",      "adopt", "agree_roles",
                  "define_indicators", "report_indicators", "set_stage", "review"};
  EXPECT_EQ(parsed_ok(json::serialize(document)).items[0].actions.size(), 9u);
}

TEST(AgendaCodec, EncodeShape) {
  const std::string text = encode_agenda(parsed_ok(good_template));
  const json::value encoded = json::parse(text);
  EXPECT_EQ(text.rfind(R"({"id":"chiiki-kyosei-care-kaigi","title":{"ja":"地域共生ケア会議",)", 0),
            0u)
      << text;
  EXPECT_EQ(encoded.at("kind").as_string(), "council");
  EXPECT_EQ(encoded.at("minutes").as_int64(), 20);
  const json::value& item = encoded.at("items").at(1);
  EXPECT_EQ(item, json::parse(R"({"title":{"ja":"課題の投稿","en":"Post issues"},
      "purpose":{"ja":"機関ごとに課題を出す","en":"Each organisation posts issues"},
      "stages":[1,2],"minutes":15,"actions":["post_issues","merge_issues"]})"));
  // What encode_agenda writes parses back to the same template.
  json::value again = encoded;
  again.as_object()["format"] = 1;
  EXPECT_EQ(parsed_ok(json::serialize(again)), parsed_ok(good_template));
}

TEST(AgendaCodec, ErrorNamesFileFieldAndBothLanguages) {
  const std::string message =
      error_after([](json::object& o) { o["items"].at(1).as_object()["minutes"] = 0; });
  EXPECT_EQ(message,
            "agendas/x.json: items[1].minutes: 正の整数が必要です / must be a positive integer");
}

TEST(AgendaCodec, MalformedAndNotAnObject) {
  auto malformed = parse_agenda("{\"format\":1,", "x", "agendas/x.json");
  ASSERT_TRUE(std::holds_alternative<AgendaError>(malformed));
  EXPECT_EQ(std::get<AgendaError>(malformed).message,
            "agendas/x.json: JSONとして読めません / not valid JSON");
  auto array = parse_agenda("[]", "x", "agendas/x.json");
  ASSERT_TRUE(std::holds_alternative<AgendaError>(array));
  EXPECT_EQ(std::get<AgendaError>(array).message.rfind("agendas/x.json: ", 0), 0u);
}

struct Case {
  const char* field;  // the path the message must name
  void (*change)(json::object&);
};

TEST(AgendaCodec, EachValidationErrorNamesTheField) {
  const Case cases[] = {
      {"format: ", [](json::object& o) { o.erase("format"); }},
      {"format: ", [](json::object& o) { o["format"] = 2; }},
      {"format: ", [](json::object& o) { o["format"] = "1"; }},
      {"title: ", [](json::object& o) { o.erase("title"); }},
      {"title: ", [](json::object& o) { o["title"] = "会議"; }},
      {"title.ja: ", [](json::object& o) { o["title"].as_object()["ja"] = ""; }},
      {"title.en: ", [](json::object& o) { o["title"].as_object().erase("en"); }},
      {"title.en: ", [](json::object& o) { o["title"].as_object()["en"] = 3; }},
      {"kind: ", [](json::object& o) { o["kind"] = "meeting"; }},
      {"kind: ", [](json::object& o) { o.erase("kind"); }},
      {"items: ", [](json::object& o) { o.erase("items"); }},
      {"items: ", [](json::object& o) { o["items"] = json::array(); }},
      {"items: ", [](json::object& o) { o["items"] = json::object(); }},
      {"items[0]: ", [](json::object& o) { o["items"].as_array()[0] = "opening"; }},
      {"items[1].title.ja: ",
       [](json::object& o) { o["items"].at(1).at("title").as_object()["ja"] = "  "; }},
      {"items[0].title: ", [](json::object& o) { o["items"].at(0).as_object().erase("title"); }},
      {"items[1].purpose.en: ",
       [](json::object& o) { o["items"].at(1).at("purpose").as_object()["en"] = ""; }},
      {"items[0].purpose: ", [](json::object& o) { o["items"].at(0).as_object()["purpose"] = 1; }},
      {"items[0].stages: ",
       [](json::object& o) { o["items"].at(0).as_object()["stages"] = json::array(); }},
      {"items[0].stages: ", [](json::object& o) { o["items"].at(0).as_object().erase("stages"); }},
      {"items[1].stages[1]: ",
       [](json::object& o) {
         o["items"].at(1).as_object()["stages"] = json::array{1, 5};
       }},
      {"items[0].stages[0]: ",
       [](json::object& o) { o["items"].at(0).as_object()["stages"] = json::array{0}; }},
      {"items[0].stages[0]: ",
       [](json::object& o) { o["items"].at(0).as_object()["stages"] = json::array{"2"}; }},
      {"items[0].minutes: ", [](json::object& o) { o["items"].at(0).as_object()["minutes"] = -5; }},
      {"items[0].minutes: ",
       [](json::object& o) { o["items"].at(0).as_object()["minutes"] = 2.5; }},
      {"items[0].minutes: ",
       [](json::object& o) { o["items"].at(0).as_object()["minutes"] = "5"; }},
      {"items[0].minutes: ",
       [](json::object& o) { o["items"].at(0).as_object().erase("minutes"); }},
      {"items[0].actions: ",
       [](json::object& o) { o["items"].at(0).as_object().erase("actions"); }},
      {"items[0].actions: ",
       [](json::object& o) { o["items"].at(0).as_object()["actions"] = "rank"; }},
      {"items[1].actions[1]: ",
       [](json::object& o) {
         o["items"].at(1).as_object()["actions"] = json::array{"rank", "vote"};
       }},
      {"items[1].actions[0]: ",
       [](json::object& o) { o["items"].at(1).as_object()["actions"] = json::array{7}; }},
      {"minutes: ", [](json::object& o) { o["minutes"] = 90; }},
      {"minutes: ", [](json::object& o) { o["minutes"] = 0; }},
      {"minutes: ", [](json::object& o) { o["minutes"] = "20"; }},
  };
  for (const Case& c : cases) {
    const std::string message = error_after(c.change);
    EXPECT_EQ(message.rfind(std::string("agendas/x.json: ") + c.field, 0), 0u)
        << "expected " << c.field << ", got " << message;
    EXPECT_NE(message.find(" / "), std::string::npos) << message;
  }
}

TEST(AgendaCodec, MinutesMismatchTellsTheSum) {
  const std::string message = error_after([](json::object& o) { o["minutes"] = 90; });
  EXPECT_NE(message.find("20"), std::string::npos) << message;
}

}  // namespace
}  // namespace renkei::protocol
