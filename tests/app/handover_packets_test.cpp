#include "app/handover_packets.hpp"

#include <gtest/gtest.h>

namespace renkei::app {
namespace {

TEST(HandoverPackets, SinceIsADateInJapanOrAnInstantAsTheLogWritesIt) {
  EXPECT_EQ(normalise_since("2027-04-01"), "2027-03-31T15:00:00.000Z");
  EXPECT_EQ(normalise_since("2027-01-01"), "2026-12-31T15:00:00.000Z");
  EXPECT_EQ(normalise_since("2027-04-01T09:30:00Z"), "2027-04-01T09:30:00.000Z");
  EXPECT_EQ(normalise_since("2027-04-01T09:30:00.5Z"), "2027-04-01T09:30:00.500Z");
  EXPECT_EQ(normalise_since("2027-04-01T09:30:00.123Z"), "2027-04-01T09:30:00.123Z");
  for (const char* bad :
       {"", "yesterday", "2027-02-30", "2027-04-01T09:30:00", "2027-04-01T24:00:00Z",
        "2027-04-01T09:60:00Z", "2027-04-01T09:30:00.1234Z", "2027-04-01 09:30:00Z",
        "2027-04-01T09:30:00.Z"})
    EXPECT_FALSE(normalise_since(bad)) << bad;
}

}  // namespace
}  // namespace renkei::app
