// Fuzz target: reading client messages (protocol/client_message.hpp).
//
// Each input is used three ways:
//   1. parse_client_message(input), as the WebSocket session does for every
//      text frame. Invalid UTF-8 is fed too: the JSON parser must refuse it.
//   2. decode_command(op, rest): the first byte picks one of the 18 ops (or
//      an unknown one), the rest is the args JSON.
//   3. A consistency check of 1 and 2: when decode_command accepts args, the
//      same args inside {"type":"cmd",...} must decode to the same command.
// Properties checked beyond "no crash, no UB": an accepted cmd has an id of
// 1-64 code points, an accepted hello a non-empty council.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "domain/command.hpp"
#include "fuzz_check.hpp"
#include "protocol/client_message.hpp"

namespace {

using renkei::domain::Command;
using renkei::domain::Error;
using namespace renkei::protocol;

// The op names, taken from the Command alternatives so that a new op is
// fuzzed without editing this file; the last entry is an unknown op.
template <std::size_t... I>
std::array<std::string, sizeof...(I) + 1> op_table(std::index_sequence<I...>) {
  return {std::string(renkei::domain::op_name(Command(std::in_place_index<I>)))..., "no.such_op"};
}
const auto ops = op_table(std::make_index_sequence<std::variant_size_v<Command>>());

std::size_t code_points(std::string_view utf8) {
  std::size_t n = 0;
  for (const char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

void check_message(const ClientMessage& message) {
  if (const auto* cmd = std::get_if<CmdMessage>(&message)) {
    const std::size_t n = code_points(cmd->id);
    FUZZ_CHECK(n >= 1 && n <= 64, "accepted cmd id outside 1-64 code points");
    if (const auto* command = std::get_if<Command>(&cmd->command))
      FUZZ_CHECK(renkei::domain::op_name(*command) == cmd->op, "command does not match its op");
  } else if (const auto* hello = std::get_if<HelloMessage>(&message)) {
    FUZZ_CHECK(!hello->council.empty(), "accepted hello without council");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_message(parse_client_message(input));

  if (size == 0) return 0;
  const std::string& op = ops[data[0] % ops.size()];
  const std::string_view args = input.substr(1);
  const auto decoded = decode_command(op, args);
  const auto* command = std::get_if<Command>(&decoded);
  if (!command) return 0;
  FUZZ_CHECK(renkei::domain::op_name(*command) == op, "decode_command returned another op");

  // The args were one complete JSON object (depth <= 64), so wrapping them
  // adds exactly one level and cannot change their meaning.
  std::string wrapped = R"({"type":"cmd","id":"fuzz-1","op":")" + op + R"(","args":)";
  wrapped.append(args).append("}");
  const ClientMessage message = parse_client_message(wrapped, DecodeLimits{65});
  const auto* cmd = std::get_if<CmdMessage>(&message);
  FUZZ_CHECK(cmd != nullptr, "args accepted alone, message refused");
  const auto* inner = std::get_if<Command>(&cmd->command);
  FUZZ_CHECK(inner != nullptr, "args accepted alone, refused inside cmd");
  FUZZ_CHECK(inner->index() == command->index(), "args decode to another command inside cmd");
  return 0;
}
