#include "app/directory_views.hpp"

#include <algorithm>

namespace renkei::app {

protocol::OrganisationView organisation_view(const store::OrganisationRow& org) {
  return protocol::OrganisationView{org.id,
                                    org.name,
                                    org.kind,
                                    org.area,
                                    org.prefecture,
                                    org.merged_into,
                                    !org.deactivated_at.has_value()};
}

protocol::PersonView person_view(store::Directory& directory, const store::PersonRow& person) {
  protocol::PersonView view;
  view.id = person.id;
  view.name = person.name;
  if (person.org) {
    if (auto org = directory.find_organisation(*person.org)) view.org = organisation_view(*org);
  }
  view.login = person.login;
  view.active = person.active;
  view.has_password = person.has_password;
  view.totp_enrolled = person.totp_enrolled;
  for (const auto& grant : directory.grants_of(person.id))
    view.grants.push_back({std::string(store::to_string(grant.role)), grant.scope});
  view.last_visit_at = person.last_visit_at;
  return view;
}

protocol::CouncilView council_view(const store::CouncilRow& council) {
  protocol::CouncilView view;
  view.id = council.id;
  view.name = council.name;
  view.kind = council.kind;
  view.area = council.area;
  view.prefecture = council.prefecture;
  view.themes = protocol::decode_theme_list(council.themes);
  view.default_agenda = council.default_agenda;
  view.archived_at = council.archived_at;
  view.next_meeting = council.next_meeting;
  view.created_at = council.created_at;
  return view;
}

protocol::SeatView seat_view(store::Directory& directory, const store::ParticipantRow& seat,
                             const std::vector<store::CouncilRow>& councils,
                             const std::optional<std::string>& now) {
  protocol::SeatView view;
  view.participant = seat.id;
  view.council = seat.council;
  for (const auto& council : councils) {
    if (council.id == seat.council) {
      view.council_name = council.name;
      view.council_kind = council.kind;
    }
  }
  view.person = seat.person.value_or("");
  view.name = seat.name;
  view.org_name = seat.org;
  if (seat.org_id) {
    if (auto org = directory.resolve_organisation(*seat.org_id)) view.org = organisation_view(*org);
  }
  view.role = seat.role;
  view.removed = seat.revoked_at.has_value();
  if (now) {
    view.removed = seat.revoked_at && *seat.revoked_at <= *now;
    if (seat.active_from && *seat.active_from > *now) view.starts_at = seat.active_from;
    if (seat.revoked_at && *seat.revoked_at > *now) view.ends_at = seat.revoked_at;
  }
  return view;
}

protocol::MeView me_view(store::Directory& directory, const SignedIn& who, bool demo) {
  protocol::MeView me;
  me.person = person_view(directory, who.person);
  const auto councils = directory.list_councils();
  for (const auto& seat : who.seats) me.seats.push_back(seat_view(directory, seat, councils));
  // The first successor seat in force whose handover packet is unopened
  // (a seat that starts on a later 4月1日 waits for that day: ホーム shows
  // it as upcoming until then).
  const auto unseen = directory.unseen_handovers(who.person.id);
  const auto in_force = std::find_if(unseen.begin(), unseen.end(), [&](const auto& u) {
    return std::any_of(who.seats.begin(), who.seats.end(),
                       [&](const store::ParticipantRow& seat) { return seat.id == u.participant; });
  });
  if (in_force != unseen.end()) {
    const auto& u = *in_force;
    std::string org_id = u.org, org_name = u.org_name;
    if (!org_id.empty()) {
      if (auto org = directory.resolve_organisation(org_id)) {
        org_id = org->id;
        org_name = org->name;
      }
    }
    me.handover = protocol::HandoverNoticeView{org_id, org_name, u.predecessor, u.predecessor_name};
  }
  me.second_factor_required = who.second_factor_required;
  me.demo = demo;
  return me;
}

}  // namespace renkei::app
