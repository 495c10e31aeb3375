#include "app/migration.hpp"

#include <stdexcept>

#include "app/council_loader.hpp"
#include "protocol/record_codec.hpp"
#include "store/database.hpp"
#include "store/pg_connection.hpp"
#include "store/pg_import.hpp"

namespace renkei::app {

namespace {

bool same_row(const store::EventRow& a, const store::EventRow& b) {
  return a.council == b.council && a.seq == b.seq && a.op == b.op && a.at == b.at &&
         a.participant == b.participant && a.by_name == b.by_name && a.by_org == b.by_org &&
         a.by_role == b.by_role && a.meeting == b.meeting && a.command_id == b.command_id &&
         a.data == b.data && a.frame == b.frame;
}

}  // namespace

MigrationResult migrate_to_postgresql(const std::string& from, const std::string& to) {
  if (!store::is_postgresql_uri(to))
    throw std::invalid_argument(
        "--to は postgresql:// の URI です / --to must be a postgresql:// URI");
  if (store::is_postgresql_uri(from))
    throw std::invalid_argument("--from は SQLite のファイルです / --from must be a SQLite file");
  MigrationResult result;
  result.tables = store::import_sqlite_into_pg(from, to).tables;

  store::Database source(from);
  store::Database target(to);
  const auto councils = source.list_councils();
  if (target.list_councils().size() != councils.size())
    throw std::runtime_error("migrate: the councils differ after the copy");
  for (const auto& council : councils) {
    const auto copied = target.find_council(council.id);
    if (!copied) throw std::runtime_error("migrate: council " + council.id + " is missing");
    // The same log, row for row.
    constexpr std::size_t chunk = 10000;
    for (std::uint64_t after = 0;;) {
      const auto mine = source.read_events(council.id, after, chunk);
      const auto theirs = target.read_events(council.id, after, chunk);
      if (mine.size() != theirs.size())
        throw std::runtime_error("migrate: council " + council.id + " has a different log");
      for (std::size_t i = 0; i < mine.size(); ++i)
        if (!same_row(mine[i], theirs[i]))
          throw std::runtime_error("migrate: event " + council.id + "#" +
                                   std::to_string(mine[i].seq) + " differs");
      result.events += mine.size();
      if (mine.size() < chunk) break;
      after = mine.back().seq;
    }
    // Folded, the same record.
    const auto a = protocol::encode_record(load_council(source, council).state, {});
    const auto b = protocol::encode_record(load_council(target, *copied).state, {});
    if (a != b) throw std::runtime_error("migrate: the record of " + council.id + " differs");
    ++result.councils;
  }
  return result;
}

}  // namespace renkei::app
