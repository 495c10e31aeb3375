// Agenda templates: the ordered items of a meeting, loaded from agendas/ by
// the app layer and copied into the meeting.started event, so that the log
// stays self-contained when a template file changes later.
#pragma once

#include <string>
#include <vector>

namespace renkei::domain {

// A text in Japanese with an English rendering.
struct LocalText {
  std::string ja;
  std::string en;

  friend bool operator==(const LocalText&, const LocalText&) = default;
};

struct AgendaItem {
  LocalText title;
  LocalText purpose;
  std::vector<int> stages;           // stages 1-4 this item advances
  int minutes = 0;                   // timebox
  std::vector<std::string> actions;  // e.g. "post_issues", "rank", "adopt",
                                     // "agree_roles", "report_indicators"

  friend bool operator==(const AgendaItem&, const AgendaItem&) = default;
};

struct AgendaTemplate {
  std::string id;  // file stem, e.g. "chiiki-kyosei-care-kaigi"
  LocalText title;
  std::string kind;  // "council" or "one_on_one" or "review"
  int minutes = 0;
  std::vector<AgendaItem> items;

  friend bool operator==(const AgendaTemplate&, const AgendaTemplate&) = default;
};

}  // namespace renkei::domain
