// The agenda templates the server offers: every valid *.json file of the
// agenda folder, read once at start. Immutable afterwards, so any thread may
// read it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "domain/agenda.hpp"

namespace renkei::app {

class AgendaCatalog {
 public:
  AgendaCatalog() = default;

  // Loads every *.json in `dir` (sorted by name). A broken file is skipped and
  // its error (naming the file and field) is kept in errors(); valid files
  // still load. A missing folder gives an empty catalog and one error.
  static AgendaCatalog load(const std::string& dir);

  const domain::AgendaTemplate* find(const std::string& id) const;
  const std::map<std::string, domain::AgendaTemplate>& all() const { return templates_; }
  const std::vector<std::string>& errors() const { return errors_; }

  void add(domain::AgendaTemplate agenda);

 private:
  std::map<std::string, domain::AgendaTemplate> templates_;
  std::vector<std::string> errors_;
};

}  // namespace renkei::app
