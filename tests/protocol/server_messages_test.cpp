// Server-to-client frames other than events: exact text (key order) and
// the parsed shape.
#include "protocol/server_messages.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace renkei::protocol {
namespace {

namespace json = boost::json;
using domain::ErrorCode;

TEST(ServerMessages, Welcome) {
  WelcomeInfo info;
  info.council = "c2";
  info.council_name = "北広島圏域 在宅医療・介護連携推進会議";
  info.kind = domain::CouncilKind::one_on_one;
  info.me = domain::Actor{"p3", "佐藤", "北広島町", domain::Role::facilitator};
  info.head = 41;
  const std::string text = encode_welcome(info);
  EXPECT_EQ(
      text,
      R"({"type":"welcome","council":{"id":"c2","name":"北広島圏域 在宅医療・介護連携推進会議",)"
      R"("kind":"one_on_one"},"me":{"participant":"p3","name":"佐藤","org":"北広島町",)"
      R"("role":"facilitator"},"head":41})");
  const json::value parsed = json::parse(text);
  EXPECT_EQ(parsed.at("me").at("role").as_string(), "facilitator");
  EXPECT_EQ(parsed.at("head").as_int64(), 41);
}

TEST(ServerMessages, WelcomeAndSessionCarryTheSeatsOrganisationIdWhenItHasOne) {
  WelcomeInfo info;
  info.council = "c2";
  info.council_name = "会議";
  info.me = domain::Actor{"p3", "佐藤", "北広島町", domain::Role::member, "o1"};
  info.head = 0;
  EXPECT_EQ(encode_welcome(info),
            R"({"type":"welcome","council":{"id":"c2","name":"会議","kind":"council"},)"
            R"("me":{"participant":"p3","name":"佐藤","org":"北広島町","org_id":"o1",)"
            R"("role":"member"},"head":0})");
  EXPECT_EQ(encode_session(info.me, "c2", "会議", domain::CouncilKind::council),
            R"({"participant":"p3","name":"佐藤","org":"北広島町","org_id":"o1","role":"member",)"
            R"("council":{"id":"c2","name":"会議","kind":"council"}})");
  EXPECT_EQ(encode_presence({info.me}),
            R"({"type":"presence","connected":[{"participant":"p3","name":"佐藤",)"
            R"("org":"北広島町","org_id":"o1","role":"member"}]})");
}

TEST(ServerMessages, Synced) {
  EXPECT_EQ(encode_synced(0), R"({"type":"synced","head":0})");
  EXPECT_EQ(encode_synced(18446744073709551615u),
            R"({"type":"synced","head":18446744073709551615})");
}

TEST(ServerMessages, Ack) {
  EXPECT_EQ(encode_ack("k1", 7), R"({"type":"ack","id":"k1","seq":7})");
  // Client ids are echoed safely escaped.
  const std::string text = encode_ack("a\"b\\c", 8);
  EXPECT_EQ(json::parse(text).at("id").as_string(), "a\"b\\c");
}

TEST(ServerMessages, ErrorWithAndWithoutId) {
  const auto error = domain::make_error(ErrorCode::not_found, "見つかりません", "not found");
  EXPECT_EQ(
      encode_error(error, "k9"),
      R"({"type":"error","id":"k9","code":"not_found","message":"見つかりません / not found"})");
  EXPECT_EQ(encode_error(error),
            R"({"type":"error","code":"not_found","message":"見つかりません / not found"})");
}

TEST(ServerMessages, EveryErrorCodeSpelling) {
  const std::pair<ErrorCode, const char*> codes[] = {
      {ErrorCode::bad_request, "bad_request"},   {ErrorCode::unknown_op, "unknown_op"},
      {ErrorCode::unauthorized, "unauthorized"}, {ErrorCode::forbidden, "forbidden"},
      {ErrorCode::not_found, "not_found"},       {ErrorCode::conflict, "conflict"},
      {ErrorCode::too_large, "too_large"},       {ErrorCode::rate_limited, "rate_limited"},
      {ErrorCode::internal, "internal"}};
  for (const auto& [code, spelling] : codes) {
    const json::value parsed = json::parse(encode_error(domain::Error{code, "m"}));
    EXPECT_EQ(parsed.at("code").as_string(), spelling);
    EXPECT_FALSE(parsed.as_object().contains("id"));
  }
}

}  // namespace
}  // namespace renkei::protocol
