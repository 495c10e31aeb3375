// Writes lines of the audit trail (store schema v3): who did what, and how
// it ended. Never message text or tokens; a council or participant id only
// when it names one that exists (the callers check).
//
// Threading: any thread; the row is queued for the writer's next group
// commit (EventWriter::submit_audit), which never fails a command.
// Holds references to the writer and the clock, which outlive it.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "app/clock.hpp"
#include "store/event_writer.hpp"

namespace renkei::app {

class AuditTrail {
 public:
  AuditTrail(store::EventWriter& writer, const Clock& clock) : writer_(writer), clock_(clock) {}

  void record(std::optional<std::string> council, std::optional<std::string> participant,
              std::string action, std::optional<std::string> op, std::string outcome) const {
    store::AuditRow row;
    row.at = clock_.now();
    row.council = std::move(council);
    row.participant = std::move(participant);
    row.action = std::move(action);
    row.op = std::move(op);
    row.outcome = std::move(outcome);
    writer_.submit_audit(std::move(row));
  }

 private:
  store::EventWriter& writer_;
  const Clock& clock_;
};

}  // namespace renkei::app
