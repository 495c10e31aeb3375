#include "domain/proxy.hpp"

#include <array>

namespace renkei::domain {

bool proxiable(std::string_view op) {
  static constexpr std::array<std::string_view, 5> ops{
      "issue.post", "proposal.stance", "ranking.ballot", "role.consent", "indicator.report"};
  for (std::string_view candidate : ops)
    if (candidate == op) return true;
  return false;
}

std::variant<Actor, Error> proxy_actor(const Actor& sender, std::string_view council,
                                       std::string_view op, const std::optional<Seat>& seat) {
  if (!proxiable(op))
    return make_error(ErrorCode::bad_request, "この操作は代理入力できません",
                      "this operation cannot be entered on behalf of someone");
  if (sender.role != Role::facilitator)
    return make_error(ErrorCode::forbidden, "代理入力はファシリテーターのみ行えます",
                      "only a facilitator may enter input on behalf of someone");
  if (!seat || seat->council != council || !seat->active)
    return make_error(ErrorCode::not_found, "代理入力の相手がこの協議体の参加者にいません",
                      "on_behalf_of names no active participant of this council");
  if (seat->actor.participant == sender.participant)
    return make_error(ErrorCode::bad_request, "自分自身の代理入力はできません",
                      "on_behalf_of must name someone else");
  if (seat->actor.role == Role::observer)
    return make_error(ErrorCode::forbidden, "オブザーバーの代理入力はできません",
                      "observers cannot be entered for");
  return seat->actor;
}

}  // namespace renkei::domain
