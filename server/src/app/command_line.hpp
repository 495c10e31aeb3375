// The CLI's words: `renkei <command> [--option value]... [--flag]...`, read
// into a plain structure. Which options each command takes is decided by
// main.cpp; this only splits and checks the shape.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace renkei::app {

struct CommandLine {
  std::vector<std::string> words;                          // e.g. {"council", "create"}
  std::map<std::string, std::vector<std::string>> values;  // --name value (repeatable)
  std::vector<std::string> flags;                          // --demo

  std::optional<std::string> value(const std::string& name) const;
  bool flag(const std::string& name) const;
};

// `flag_names` lists the options that take no value. Throws
// std::invalid_argument for an option that lacks its value.
CommandLine parse_command_line(int argc, const char* const* argv,
                               const std::vector<std::string>& flag_names);

}  // namespace renkei::app
