#include "app/backup.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "store/database.hpp"
#include "store/pg_connection.hpp"

extern char** environ;

namespace renkei::app {

namespace {

// Runs `args` (no shell) with stdout to /dev/null and stderr inherited;
// returns its exit status (-1 when it could not start or was killed).
int run_program(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int started = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (started != 0) return -1;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

std::string postgresql_program(const std::string& name) {
  const std::string versioned = "/usr/lib/postgresql/15/bin/" + name;
  std::error_code ignored;
  return std::filesystem::exists(versioned, ignored) ? versioned : name;
}

void backup_database(const std::string& db, const std::string& out) {
  std::error_code ec;
  if (std::filesystem::exists(out, ec))
    throw std::runtime_error("出力ファイルが既にあります / the output file already exists");
  if (!store::is_postgresql_uri(db)) {
    store::Database source(db);
    source.backup_to(out);
    store::Database copy(out);
    if (!copy.integrity_ok()) throw std::runtime_error("backup: integrity_check failed");
    return;
  }
  {
    store::Database source(db);  // the database is Renkei's and reachable (migrated)
  }
  const int dumped = run_program(
      {postgresql_program("pg_dump"), "--format=custom", "--file=" + out, "--dbname=" + db});
  if (dumped != 0) {
    std::filesystem::remove(out, ec);
    throw std::runtime_error("pg_dump が失敗しました / pg_dump failed (exit " +
                             std::to_string(dumped) + ")");
  }
  const int listed = run_program({postgresql_program("pg_restore"), "--list", out});
  if (listed != 0) {
    std::filesystem::remove(out, ec);
    throw std::runtime_error("作成したバックアップを読めません / the archive does not read back");
  }
}

}  // namespace renkei::app
