// The Directory on a SQLite Database's connection (schema v9). Lives on the
// thread that owns the Database and must not outlive it. Statements are
// prepared per call: directory work is rare next to the event log's.
// Implemented in sqlite_directory.cpp (organisations, people, secrets,
// grants), sqlite_directory_access.cpp (set-up links, seats, sessions,
// councils, the trail) and sqlite_directory_handover.cpp (handover and
// 空席, schema v10).
#pragma once

#include <functional>

#include "store/database.hpp"
#include "store/directory.hpp"

namespace renkei::store {

class SqliteDirectory final : public Directory {
 public:
  explicit SqliteDirectory(Database& db);

  OrganisationRow add_organisation(const NewOrganisation& org, const Change& change) override;
  std::optional<OrganisationRow> find_organisation(const std::string& id) override;
  std::optional<OrganisationRow> find_organisation_by_name(const std::string& name) override;
  std::optional<OrganisationRow> resolve_organisation(const std::string& id) override;
  std::vector<OrganisationRow> list_organisations() override;
  OrganisationRow update_organisation(const std::string& id, const OrganisationUpdate& update,
                                      const Change& change) override;
  void merge_organisation(const std::string& from, const std::string& into,
                          const Change& change) override;
  void deactivate_organisation(const std::string& id, const Change& change) override;

  PersonRow add_person(const NewPerson& person, const Change& change) override;
  std::optional<PersonRow> find_person(const std::string& id) override;
  std::optional<PersonRow> find_person_by_login(const std::string& login) override;
  std::vector<PersonRow> list_people() override;
  PersonRow update_person(const std::string& id, const PersonUpdate& update,
                          const Change& change) override;
  bool deactivate_person(const std::string& id, const Change& change) override;

  std::optional<PersonSecrets> find_secrets(const std::string& person) override;
  void set_password_hash(const std::string& person, const std::string& hash,
                         const Change& change) override;
  void set_totp_pending(const std::string& person, const std::string& sealed,
                        const Change& change) override;
  bool confirm_totp(const std::string& person, std::int64_t step, const Change& change) override;
  bool clear_second_factor(const std::string& person, const Change& change) override;
  bool set_totp_last_step(const std::string& person, std::int64_t step) override;
  void replace_recovery_codes(const std::string& person,
                              const std::vector<std::string>& code_hashes,
                              const Change& change) override;
  bool use_recovery_code(const std::string& person, const std::string& code_hash,
                         const std::string& now) override;
  std::size_t unused_recovery_codes(const std::string& person) override;
  void record_visit(const std::string& person, const std::string& now) override;

  void add_grant(const GrantRow& grant, const Change& change) override;
  bool remove_grant(const GrantRow& grant, const Change& change) override;
  std::vector<GrantRow> grants_of(const std::string& person) override;

  SetupLinkRow create_setup_link(const std::string& token_hash, const std::string& person,
                                 const std::string& expires_at, const Change& change) override;
  std::optional<SetupLinkRow> find_setup_link(const std::string& token_hash) override;
  bool mark_setup_link_used(const std::string& token_hash, const std::string& now) override;
  int revoke_unused_setup_links(const std::string& person, const std::string& now) override;
  std::vector<SetupLinkListing> list_setup_links() override;

  ParticipantRow add_seat(const std::string& council, const std::string& person, domain::Role role,
                          const Change& change) override;
  ParticipantRow set_seat_role(const std::string& participant, domain::Role role,
                               const Change& change) override;
  bool remove_seat(const std::string& participant, const Change& change) override;
  ParticipantRow invite_participant(const std::string& council, const std::string& name,
                                    const std::string& org_name, domain::Role role,
                                    const std::string& token_hash,
                                    const std::optional<std::string>& expires_at,
                                    const Change& change) override;
  std::vector<ParticipantRow> seats_of_council(const std::string& council) override;
  std::vector<ParticipantRow> seats_of_person(const std::string& person) override;
  // Every seat of every council, open and removed (a seat of a deactivated
  // person reads as revoked): the application's seat cache for proxy input
  // (app/seat_cache.hpp).
  std::vector<ParticipantRow> all_seats();

  HandoverResult hand_over_seats(const std::string& person,
                                 const std::optional<std::string>& successor,
                                 const std::string& effective_at, const Change& change) override;
  HandoverRequestRow request_handover(const std::string& person,
                                      const std::optional<std::string>& successor,
                                      const std::string& effective_on,
                                      const std::optional<std::string>& note,
                                      const Change& change) override;
  std::optional<HandoverRequestRow> find_handover_request(const std::string& id) override;
  std::vector<HandoverRequestRow> list_handover_requests() override;
  HandoverResult confirm_handover_request(const std::string& id, const std::string& effective_at,
                                          const Change& change) override;
  bool reject_handover_request(const std::string& id, const Change& change) override;
  std::vector<ParticipantRow> list_vacancies() override;
  ParticipantRow fill_vacancy(const std::string& participant, const std::string& person,
                              const Change& change) override;
  void dismiss_vacancy(const std::string& participant, const Change& change) override;
  std::vector<std::vector<ParticipantRow>> seat_lines(const std::string& council) override;
  int mark_handover_seen(const std::string& person, const std::string& now) override;
  std::vector<UnseenHandover> unseen_handovers(const std::string& person) override;
  std::vector<UnseenHandover> received_handovers(const std::string& person) override;

  void create_person_session(const std::string& id_hash, const std::string& person,
                             const std::string& now, const std::string& expires_at,
                             const std::optional<std::string>& address) override;
  std::optional<PersonSessionRow> find_person_session(const std::string& id_hash) override;
  void touch_person_session(const std::string& id_hash, const std::string& now) override;
  void end_person_session(const std::string& id_hash, const std::string& now) override;
  int end_person_sessions(const std::string& person, const std::string& now) override;

  CouncilRow create_council(const NewCouncil& council, const Change& change) override;
  CouncilRow update_council(const std::string& council, const CouncilUpdate& update,
                            const Change& change) override;
  bool archive_council(const std::string& council, const Change& change) override;
  std::vector<CouncilRow> list_councils() override;

  void append_directory_audit(const DirectoryAuditRow& row) override;
  std::vector<DirectoryAuditRow> read_directory_audit(std::size_t limit) override;

 private:
  // unseen_handovers and received_handovers.
  std::vector<UnseenHandover> handovers_received(const std::string& person, bool unseen_only);
  // Runs `body` in one BEGIN IMMEDIATE transaction (rolled back if it
  // throws).
  void in_transaction(const std::function<void()>& body);
  // Inside a transaction: the audit row of a change.
  void audit(const Change& change, std::string_view action, const std::string& subject,
             const std::optional<std::string>& council, const std::optional<std::string>& old_value,
             const std::optional<std::string>& new_value,
             const std::optional<std::string>& participant = std::nullopt);
  // Ids that must name an existing row; throw std::invalid_argument.
  std::int64_t person_rowid(const std::string& id);
  std::int64_t organisation_rowid(const std::string& id);
  // The rows the bodies of changes work on (no transaction of their own).
  OrganisationRow insert_organisation(const NewOrganisation& org, const Change& change);
  PersonRow insert_person(const NewPerson& person, const Change& change);
  std::optional<OrganisationRow> organisation_by_name(const std::string& name);
  std::optional<ParticipantRow> seat(const std::string& participant);
  // Moves the open seats of a person, or of an organisation's people, to
  // organisation `org` (id and name).
  void move_open_seats_of_person(std::int64_t person, const OrganisationRow& org);
  void move_open_seats_of_org(std::int64_t from, const OrganisationRow& into);
  // A successor seat of `from` for `person` starting at `active_from`
  // (none: at once); no transaction of its own.
  ParticipantRow insert_successor_seat(const ParticipantRow& from, const PersonRow& person,
                                       const std::optional<std::string>& active_from,
                                       const std::string& now);
  HandoverResult hand_over(const std::string& person, const std::optional<std::string>& successor,
                           const std::string& effective_at, const Change& change);

  Database& db_;
  SqlHandle handle_;
};

}  // namespace renkei::store
