// The directory of people and organisations (server/docs/PEOPLE.md): what
// the CLI, the console and sign-in read and change, behind one narrow
// interface so that a second engine can implement it. SqliteDirectory
// (store/sqlite_directory.hpp) is the SQLite one.
//
// Synchronous: a Directory works on one connection and belongs to the
// thread that owns it (the CLI, a read worker, a test). Every change runs
// in one transaction together with its audit row (action, subject, old and
// new values: never a password, hash, code, secret or token), so a change
// and its trail are written or not at all. Changes throw
// std::invalid_argument for bad input (unknown id, unknown kind, a name or
// login already taken), with a "日本語 / English" message, and change
// nothing; StoreError for a failure of the store.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "store/directory_rows.hpp"
#include "store/rows.hpp"

namespace renkei::store {

class Directory {
 public:
  virtual ~Directory() = default;

  // Organisations. find_by_name matches the exact name among organisations
  // not merged, and an id of a merged one answers as the survivor (its
  // merged_into, followed to the end).
  virtual OrganisationRow add_organisation(const NewOrganisation& org, const Change& change) = 0;
  virtual std::optional<OrganisationRow> find_organisation(const std::string& id) = 0;
  virtual std::optional<OrganisationRow> find_organisation_by_name(const std::string& name) = 0;
  // The survivor of `id` (itself when not merged); none for an unknown id.
  virtual std::optional<OrganisationRow> resolve_organisation(const std::string& id) = 0;
  // Every organisation, merged and deactivated ones too, by id.
  virtual std::vector<OrganisationRow> list_organisations() = 0;
  virtual OrganisationRow update_organisation(const std::string& id,
                                              const OrganisationUpdate& update,
                                              const Change& change) = 0;
  // Merges `from` into `into`: `from` answers as `into` from then on; its
  // people and seats move to `into`. Both must exist and not be merged.
  virtual void merge_organisation(const std::string& from, const std::string& into,
                                  const Change& change) = 0;
  virtual void deactivate_organisation(const std::string& id, const Change& change) = 0;

  // People.
  virtual PersonRow add_person(const NewPerson& person, const Change& change) = 0;
  virtual std::optional<PersonRow> find_person(const std::string& id) = 0;
  virtual std::optional<PersonRow> find_person_by_login(const std::string& login) = 0;
  virtual std::vector<PersonRow> list_people() = 0;
  // Name, login and organisation (a move: the person's open seats follow).
  virtual PersonRow update_person(const std::string& id, const PersonUpdate& update,
                                  const Change& change) = 0;
  // Sets status deactivated, revokes unused set-up links, ends the person's
  // sessions and the browser sessions of their seats. Their seats answer as
  // revoked from then on (ParticipantRow::revoked_at), and their open seats
  // become vacancies (vacated_at, schema v10). False when the
  // person was already deactivated; throws for an unknown one.
  virtual bool deactivate_person(const std::string& id, const Change& change) = 0;

  // Sign-in secrets (PersonSecrets). The audit row says what changed,
  // never the value.
  virtual std::optional<PersonSecrets> find_secrets(const std::string& person) = 0;
  virtual void set_password_hash(const std::string& person, const std::string& hash,
                                 const Change& change) = 0;
  // Stores a sealed secret awaiting confirmation.
  virtual void set_totp_pending(const std::string& person, const std::string& sealed,
                                const Change& change) = 0;
  // Makes the pending secret the confirmed one; false when none is pending.
  virtual bool confirm_totp(const std::string& person, std::int64_t step, const Change& change) = 0;
  // Removes the enrolled and pending TOTP secrets and the recovery codes
  // (a reset through a new set-up link: the phone may be lost too); false
  // when there was none. totp_last_step is kept, so old codes stay spent.
  virtual bool clear_second_factor(const std::string& person, const Change& change) = 0;
  // Records an accepted time step; false (nothing written) unless `step` is
  // greater than the last one, so each code works once.
  virtual bool set_totp_last_step(const std::string& person, std::int64_t step) = 0;
  // Replaces every recovery code of the person by `code_hashes`.
  virtual void replace_recovery_codes(const std::string& person,
                                      const std::vector<std::string>& code_hashes,
                                      const Change& change) = 0;
  // Marks an unused code used; false when it is unknown or used.
  virtual bool use_recovery_code(const std::string& person, const std::string& code_hash,
                                 const std::string& now) = 0;
  virtual std::size_t unused_recovery_codes(const std::string& person) = 0;
  virtual void record_visit(const std::string& person, const std::string& now) = 0;

  // Grants.
  virtual void add_grant(const GrantRow& grant, const Change& change) = 0;
  // False when there was no such grant.
  virtual bool remove_grant(const GrantRow& grant, const Change& change) = 0;
  virtual std::vector<GrantRow> grants_of(const std::string& person) = 0;

  // Set-up links. `token_hash` is the hex SHA-256 of the link's token.
  // create revokes the person's earlier unused links first.
  virtual SetupLinkRow create_setup_link(const std::string& token_hash, const std::string& person,
                                         const std::string& expires_at, const Change& change) = 0;
  virtual std::optional<SetupLinkRow> find_setup_link(const std::string& token_hash) = 0;
  // Marks the link used if it is unused at `now`; false otherwise.
  virtual bool mark_setup_link_used(const std::string& token_hash, const std::string& now) = 0;
  // Revokes the person's unused links; returns how many.
  virtual int revoke_unused_setup_links(const std::string& person, const std::string& now) = 0;
  // Every link, newest first, with its person.
  virtual std::vector<SetupLinkListing> list_setup_links() = 0;

  // Seats: participant rows with a person. add_seat's row has no usable
  // invite token (the hash of a random value nobody receives) and the
  // person's organisation; the council must exist and the person be active.
  virtual ParticipantRow add_seat(const std::string& council, const std::string& person,
                                  domain::Role role, const Change& change) = 0;
  virtual ParticipantRow set_seat_role(const std::string& participant, domain::Role role,
                                       const Change& change) = 0;
  // Revokes the seat and ends its browser sessions; false when it was
  // already removed.
  virtual bool remove_seat(const std::string& participant, const Change& change) = 0;
  // A v1 invitation (`council create`, `invite`): a seat whose invite token
  // hashes to `token_hash`, for a person without login of that name and
  // organisation (reused when one exists, else made), in the organisation
  // of that exact name (found, following merges, else made with kind
  // other). Writes the audit rows of everything it makes.
  virtual ParticipantRow invite_participant(const std::string& council, const std::string& name,
                                            const std::string& org_name, domain::Role role,
                                            const std::string& token_hash,
                                            const std::optional<std::string>& expires_at,
                                            const Change& change) = 0;
  // Open and removed seats, by id.
  virtual std::vector<ParticipantRow> seats_of_council(const std::string& council) = 0;
  virtual std::vector<ParticipantRow> seats_of_person(const std::string& person) = 0;

  // Handover and 空席 (schema v10, CONTINUITY.md section 1).
  //
  // Hands over every open seat of `person` (not revoked, their organisation's
  // seats) in one transaction: with a successor, each gets a seat in the same
  // council, role and organisation that `succeeds` it and starts at
  // `effective_at`; without one, each is vacated (vacated_at). The old seat
  // is revoked at `effective_at` (its browser sessions end now when that is
  // not later than change.at; else the sessions watcher ends them when it is
  // due). Audit rows seat.handover / seat.vacated (old and new values).
  // Throws std::invalid_argument for an unknown or deactivated person or
  // successor, a successor of another organisation, the person themself, a
  // person without an open seat, or a successor already seated in one of
  // the councils.
  virtual HandoverResult hand_over_seats(const std::string& person,
                                         const std::optional<std::string>& successor,
                                         const std::string& effective_at, const Change& change) = 0;
  // A request by the person leaving (state pending; handover.requested).
  // Throws for an unknown person or successor.
  virtual HandoverRequestRow request_handover(const std::string& person,
                                              const std::optional<std::string>& successor,
                                              const std::string& effective_on,
                                              const std::optional<std::string>& note,
                                              const Change& change) = 0;
  virtual std::optional<HandoverRequestRow> find_handover_request(const std::string& id) = 0;
  // Every request, newest first.
  virtual std::vector<HandoverRequestRow> list_handover_requests() = 0;
  // Marks a pending request confirmed (handover.confirmed) and performs it
  // as hand_over_seats at `effective_at`, in one transaction. Throws when
  // it is unknown or no longer pending, or when the handover is refused.
  virtual HandoverResult confirm_handover_request(const std::string& id,
                                                  const std::string& effective_at,
                                                  const Change& change) = 0;
  // Marks a pending request rejected (handover.rejected); false when it was
  // not pending; throws for an unknown one.
  virtual bool reject_handover_request(const std::string& id, const Change& change) = 0;
  // Vacancies (空席): seats with vacated_at that no seat succeeds, by id.
  // The row's person and name are the last holder's.
  virtual std::vector<ParticipantRow> list_vacancies() = 0;
  // Fills a vacancy with `person` (active, of the seat's organisation, not
  // seated in the council): a seat that succeeds it with the same role,
  // starting at once (or when the vacancy begins, if that is later).
  // Audit seat.filled. Throws otherwise.
  virtual ParticipantRow fill_vacancy(const std::string& participant, const std::string& person,
                                      const Change& change) = 0;
  // Ends a vacancy without a successor (the organisation leaves the
  // council): vacated_at is cleared, the seat stays revoked. Audit
  // vacancy.dismissed. Throws when it is not a vacancy.
  virtual void dismiss_vacancy(const std::string& participant, const Change& change) = 0;
  // The council's seat lines: each first seat (succeeding none) followed by
  // its successors, holders oldest first; lines by their first seat's id.
  // Seats with a person only.
  virtual std::vector<std::vector<ParticipantRow>> seat_lines(const std::string& council) = 0;
  // Records that `person` opened the handover packet: handover_seen_at on
  // their successor seats that have none. Returns how many.
  virtual int mark_handover_seen(const std::string& person, const std::string& now) = 0;
  // The person's successor seats (not revoked) whose packet is unseen, with
  // the organisation and the predecessor; by seat id.
  virtual std::vector<UnseenHandover> unseen_handovers(const std::string& person) = 0;
  // The same, seen or not: every current seat of the person that continues
  // a predecessor's (the handover packet's default start).
  virtual std::vector<UnseenHandover> received_handovers(const std::string& person) = 0;

  // Person sessions (sign-in). `id_hash` is the hex SHA-256 of the cookie.
  virtual void create_person_session(const std::string& id_hash, const std::string& person,
                                     const std::string& now, const std::string& expires_at,
                                     const std::optional<std::string>& address) = 0;
  virtual std::optional<PersonSessionRow> find_person_session(const std::string& id_hash) = 0;
  virtual void touch_person_session(const std::string& id_hash, const std::string& now) = 0;
  virtual void end_person_session(const std::string& id_hash, const std::string& now) = 0;
  virtual int end_person_sessions(const std::string& person, const std::string& now) = 0;

  // Councils with their v9 metadata.
  virtual CouncilRow create_council(const NewCouncil& council, const Change& change) = 0;
  // Name, themes, next meeting, default agenda; throws for an unknown council.
  virtual CouncilRow update_council(const std::string& council, const CouncilUpdate& update,
                                    const Change& change) = 0;
  // False when it was already archived; throws for an unknown council.
  virtual bool archive_council(const std::string& council, const Change& change) = 0;
  virtual std::vector<CouncilRow> list_councils() = 0;

  // The directory's trail. append writes one row in its own transaction
  // (sign-ins and other events that change nothing here).
  virtual void append_directory_audit(const DirectoryAuditRow& row) = 0;
  // Oldest first, at most `limit` rows.
  virtual std::vector<DirectoryAuditRow> read_directory_audit(std::size_t limit) = 0;
};

}  // namespace renkei::store
