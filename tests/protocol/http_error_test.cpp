// The error answers of the HTTP API (protocol/http_error.hpp).
#include "protocol/http_error.hpp"

#include <gtest/gtest.h>

namespace renkei::protocol {
namespace {

TEST(HttpError, CodeAndJapaneseFirstMessage) {
  const HttpError error = not_found();
  EXPECT_EQ(error.status, 404);
  EXPECT_EQ(encode_http_error(error),
            R"({"code":"not_found","message":"見つかりません / not found"})");
}

TEST(HttpError, TheEndpointsOfV1KeepTheirErrorKeyFirst) {
  EXPECT_EQ(
      encode_http_error(conflict("会議は終了しています", "the meeting has ended"),
                        HttpErrorShape::with_error_key),
      R"({"error":"conflict","code":"conflict","message":"会議は終了しています / the meeting has ended"})");
}

TEST(HttpError, MessagesAreEscaped) {
  const HttpError error{400, "bad_request", "\"q\" \\ 改行\n / newline"};
  EXPECT_EQ(encode_http_error(error),
            R"({"code":"bad_request","message":"\"q\" \\ 改行\n / newline"})");
}

TEST(HttpError, DomainErrorsGetTheirStatus) {
  const auto too_large =
      from_domain(domain::make_error(domain::ErrorCode::too_large, "大きすぎます", "too large"));
  EXPECT_EQ(too_large.status, 413);
  EXPECT_EQ(too_large.code, "too_large");
  EXPECT_EQ(too_large.message, "大きすぎます / too large");
  EXPECT_EQ(from_domain(domain::make_error(domain::ErrorCode::unknown_op, "a", "b")).status, 400);
  EXPECT_EQ(from_domain(domain::make_error(domain::ErrorCode::rate_limited, "a", "b")).status, 429);
  EXPECT_EQ(unauthorized().status, 401);
  EXPECT_EQ(forbidden().status, 403);
  EXPECT_EQ(origin_not_allowed().code, "forbidden");
  EXPECT_EQ(internal_error().status, 500);
}

}  // namespace
}  // namespace renkei::protocol
