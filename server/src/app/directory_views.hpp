// Store rows of the directory turned into the protocol's views
// (protocol/directory_codec.hpp). Read worker or writer thread: each takes
// the directory of the connection it runs on.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/person_sessions.hpp"
#include "protocol/directory_codec.hpp"
#include "store/directory.hpp"

namespace renkei::app {

protocol::OrganisationView organisation_view(const store::OrganisationRow& org);
protocol::PersonView person_view(store::Directory& directory, const store::PersonRow& person);
protocol::CouncilView council_view(const store::CouncilRow& council);
// A seat (participant row) with its council, person and organisation.
// Given `now`, a revocation dated later is not a removal yet (ends_at) and
// a seat starting later says so (starts_at).
protocol::SeatView seat_view(store::Directory& directory, const store::ParticipantRow& seat,
                             const std::vector<store::CouncilRow>& councils,
                             const std::optional<std::string>& now = std::nullopt);
protocol::MeView me_view(store::Directory& directory, const SignedIn& who, bool demo);

}  // namespace renkei::app
