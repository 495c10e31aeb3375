// Fuzz target: the stored event format (protocol/event_codec.hpp).
//
// The first byte picks one of the 18 event ops (or an unknown one); the rest
// is the data JSON given to decode_event_data, as replay does for every row
// of the log. When it decodes, the data must survive the round trip the log
// relies on: e1 = encode(decoded) must decode again, under the same op, and
// encode to exactly e1. Anything else aborts.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "domain/event.hpp"
#include "fuzz_check.hpp"
#include "protocol/event_codec.hpp"

namespace {

using renkei::domain::EventData;
using namespace renkei::protocol;

// The op names, taken from the EventData alternatives; the last entry is an
// unknown op.
template <std::size_t... I>
std::array<std::string, sizeof...(I) + 1> op_table(std::index_sequence<I...>) {
  return {std::string(renkei::domain::op_name(EventData(std::in_place_index<I>)))...,
          "no.such_event"};
}
const auto ops = op_table(std::make_index_sequence<std::variant_size_v<EventData>>());

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string& op = ops[data[0] % ops.size()];
  const std::string_view json(reinterpret_cast<const char*>(data) + 1, size - 1);

  const auto decoded = decode_event_data(op, json);
  const auto* event = std::get_if<EventData>(&decoded);
  if (!event) return 0;
  FUZZ_CHECK(renkei::domain::op_name(*event) == op, "decoded data of another op");

  const std::string first = encode_event_data(*event);
  const auto again = decode_event_data(op, first);
  const auto* event_again = std::get_if<EventData>(&again);
  FUZZ_CHECK(event_again != nullptr, "encode_event_data wrote data that does not decode");
  const std::string second = encode_event_data(*event_again);
  if (second != first) {
    std::fprintf(stderr, "op: %s\nfirst:  %s\nsecond: %s\n", op.c_str(), first.c_str(),
                 second.c_str());
  }
  FUZZ_CHECK(second == first, "encode(decode(encode(x))) != encode(x)");
  return 0;
}
