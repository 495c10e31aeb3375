#include "app/agenda_catalog.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "protocol/agenda_codec.hpp"

namespace renkei::app {

AgendaCatalog AgendaCatalog::load(const std::string& dir) {
  namespace fs = std::filesystem;
  AgendaCatalog catalog;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    catalog.errors_.push_back(dir +
                              ": 議題テンプレートのフォルダがありません / agenda folder not found");
    return catalog;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) {
      catalog.errors_.push_back(path.string() + ": 読み込めません / cannot be read");
      continue;
    }
    auto parsed = protocol::parse_agenda(text.str(), path.stem().string(), path.string());
    if (auto* agenda = std::get_if<domain::AgendaTemplate>(&parsed)) {
      catalog.add(std::move(*agenda));
    } else {
      catalog.errors_.push_back(std::get<protocol::AgendaError>(parsed).message);
    }
  }
  return catalog;
}

const domain::AgendaTemplate* AgendaCatalog::find(const std::string& id) const {
  auto it = templates_.find(id);
  return it == templates_.end() ? nullptr : &it->second;
}

void AgendaCatalog::add(domain::AgendaTemplate agenda) {
  std::string id = agenda.id;
  templates_.insert_or_assign(std::move(id), std::move(agenda));
}

}  // namespace renkei::app
