// Small app-layer units: tokens, the rate limiter, the command line, the
// agenda catalog.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "app/agenda_catalog.hpp"
#include "app/clock.hpp"
#include "app/command_line.hpp"
#include "app/rate_limiter.hpp"
#include "app/tokens.hpp"
#include "test_support.hpp"

namespace renkei::app {
namespace {

TEST(Tokens, AreLongRandomAndUrlSafe) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const auto token = generate_token();
    EXPECT_EQ(token.size(), 43u);  // 256 bits in base64url
    EXPECT_EQ(
        token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    EXPECT_TRUE(seen.insert(token).second);
  }
}

TEST(Tokens, HashIsHexSha256) {
  EXPECT_EQ(hash_token("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_NE(hash_token("abc"), hash_token("abd"));
}

TEST(RateLimiter, AllowsTheBurstThenTheSustainedRate) {
  RateLimiter limiter(10, 5);
  auto t = RateLimiter::clock::now();
  int allowed = 0;
  for (int i = 0; i < 20; ++i) allowed += limiter.allow(t) ? 1 : 0;
  EXPECT_EQ(allowed, 5);
  EXPECT_FALSE(limiter.allow(t));
  t += std::chrono::milliseconds(100);  // one more token at 10/s
  EXPECT_TRUE(limiter.allow(t));
  EXPECT_FALSE(limiter.allow(t));
  t += std::chrono::seconds(10);  // refills only up to the burst
  allowed = 0;
  for (int i = 0; i < 20; ++i) allowed += limiter.allow(t) ? 1 : 0;
  EXPECT_EQ(allowed, 5);
}

TEST(CommandLine, ReadsWordsValuesAndFlags) {
  const char* argv[] = {"renkei",   "council",          "create",  "--db",
                        "x.db",     "--name=第1協議体", "--demo",  "--allow-origin",
                        "http://a", "--allow-origin",   "http://b"};
  auto line = parse_command_line(11, argv, {"demo"});
  EXPECT_EQ(line.words, (std::vector<std::string>{"council", "create"}));
  EXPECT_EQ(line.value("db"), std::optional<std::string>("x.db"));
  EXPECT_EQ(line.value("name"), std::optional<std::string>("第1協議体"));
  EXPECT_TRUE(line.flag("demo"));
  EXPECT_EQ(line.values.at("allow-origin").size(), 2u);
  EXPECT_FALSE(line.value("port"));
}

TEST(CommandLine, OptionWithoutValueIsAnError) {
  const char* argv[] = {"renkei", "serve", "--port"};
  EXPECT_THROW(parse_command_line(3, argv, {}), std::invalid_argument);
}

TEST(Clock, FormatsUtcWithMilliseconds) {
  const auto tp = std::chrono::system_clock::time_point(std::chrono::milliseconds(1796083200123));
  EXPECT_EQ(format_utc(tp), "2026-12-01T00:00:00.123Z");
}

TEST(AgendaCatalog, ShippedTemplatesLoadWithoutErrors) {
  auto catalog = AgendaCatalog::load(RENKEI_SOURCE_DIR "/agendas");
  EXPECT_TRUE(catalog.errors().empty()) << catalog.errors().front();
  ASSERT_NE(catalog.find("community-care-council"), nullptr);
  EXPECT_EQ(catalog.find("community-care-council")->items.size(), 9u);
  ASSERT_NE(catalog.find("one-on-one"), nullptr);
  EXPECT_EQ(catalog.find("one-on-one")->items.size(), 6u);
  ASSERT_NE(catalog.find("review-meeting"), nullptr);
  EXPECT_EQ(catalog.find("review-meeting")->items.size(), 7u);
}

TEST(AgendaCatalog, BrokenFileIsNamedAndTheOthersStillLoad) {
  testing::TempDir dir;
  std::ofstream(dir.file("good.json")) << R"({"format":1,"title":{"ja":"会議","en":"Meeting"},
    "kind":"council","items":[{"title":{"ja":"開会","en":"Opening"},
    "purpose":{"ja":"目的","en":"Purpose"},"stages":[2],"minutes":5,"actions":[]}]})";
  std::ofstream(dir.file("broken.json")) << R"({"format":1,"title":{"ja":"会議","en":"Meeting"},
    "kind":"council","items":[{"title":{"ja":"開会","en":"Opening"},
    "purpose":{"ja":"目的","en":"Purpose"},"stages":[2],"minutes":-5,"actions":[]}]})";
  auto catalog = AgendaCatalog::load(dir.path().string());
  EXPECT_NE(catalog.find("good"), nullptr);
  EXPECT_EQ(catalog.find("broken"), nullptr);
  ASSERT_EQ(catalog.errors().size(), 1u);
  EXPECT_NE(catalog.errors()[0].find("broken.json"), std::string::npos);
  EXPECT_NE(catalog.errors()[0].find("minutes"), std::string::npos);
}

}  // namespace
}  // namespace renkei::app
