#include "app/command_line.hpp"

#include <algorithm>
#include <stdexcept>

namespace renkei::app {

std::optional<std::string> CommandLine::value(const std::string& name) const {
  auto it = values.find(name);
  if (it == values.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

bool CommandLine::flag(const std::string& name) const {
  return std::find(flags.begin(), flags.end(), name) != flags.end();
}

CommandLine parse_command_line(int argc, const char* const* argv,
                               const std::vector<std::string>& flag_names) {
  CommandLine line;
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word.rfind("--", 0) != 0) {
      line.words.push_back(std::move(word));
      continue;
    }
    std::string name = word.substr(2);
    if (auto eq = name.find('='); eq != std::string::npos) {
      line.values[name.substr(0, eq)].push_back(name.substr(eq + 1));
      continue;
    }
    if (std::find(flag_names.begin(), flag_names.end(), name) != flag_names.end()) {
      line.flags.push_back(std::move(name));
      continue;
    }
    if (i + 1 >= argc)
      throw std::invalid_argument("--" + name + " には値が必要です / needs a value");
    line.values[name].push_back(argv[++i]);
  }
  return line;
}

}  // namespace renkei::app
