#include "app/command_gate.hpp"

#include <memory>
#include <variant>

#include "protocol/server_messages.hpp"

namespace renkei::app {

const domain::Error& CommandGate::refusal(Verdict verdict, bool heartbeat) {
  static const domain::Error too_many_messages = domain::make_error(
      domain::ErrorCode::rate_limited, "送信が速すぎます。少し待ってから再送してください",
      "too many messages; retry shortly");
  static const domain::Error too_many_commands = domain::make_error(
      domain::ErrorCode::rate_limited, "送信が速すぎます。少し待ってから再送してください",
      "too many commands; retry shortly");
  static const domain::Error observer =
      domain::make_error(domain::ErrorCode::forbidden, "オブザーバーは操作できません",
                         "observers cannot send commands");
  if (verdict == Verdict::forbidden) return observer;
  return heartbeat ? too_many_messages : too_many_commands;
}

const Frame& CommandGate::pong_frame() {
  static const Frame pong = std::make_shared<const std::string>(protocol::encode_pong());
  return pong;
}

std::optional<std::string> CommandGate::audited_op(const protocol::CmdMessage& command) {
  const auto* error = std::get_if<domain::Error>(&command.command);
  const bool known =
      !command.op.empty() && !(error != nullptr && error->code == domain::ErrorCode::unknown_op);
  return known ? std::optional<std::string>(command.op) : std::nullopt;
}

}  // namespace renkei::app
