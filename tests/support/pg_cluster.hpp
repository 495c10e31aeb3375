// A private PostgreSQL cluster for tests and benchmarks (POSTGRES.md,
// "Tests"): a fresh temporary folder holding a copy of one initdb'd folder
// (made once per machine and user, under a lock), a server on a Unix
// socket in that folder only (no TCP port), trust authentication for the
// role `renkei`, removed when the process ends. As root the server runs as
// the unprivileged user `postgres` (PostgreSQL refuses root). Needs
// PostgreSQL 15's binaries (Debian postgresql-15; `pg_config --bindir`).
#pragma once

#include <string>

namespace renkei::testing {

class PgCluster {
 public:
  // The cluster of this process, started at the first call. Throws
  // std::runtime_error (with initdb's or pg_ctl's output) when it cannot.
  static PgCluster& shared();

  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  // A new empty database (renkei_<pid>_<n>); returns its URI.
  std::string fresh_database();
  // postgresql:///<database>?host=<socket folder>&user=renkei
  std::string uri(const std::string& database) const;
  const std::string& folder() const { return folder_; }

  // pg_ctl stop -m immediate (no shutdown checkpoint: what a crash leaves),
  // start, and both.
  void stop_immediate();
  void start();
  void restart_immediate();
  // Terminates every other backend connected to `database`; returns how many.
  int terminate_backends(const std::string& database);

 private:
  PgCluster();
  ~PgCluster();
  // Copies the run's initdb'd folder (made once, under a lock) as this
  // cluster's data folder.
  void copy_template();
  // Runs a PostgreSQL program (as `postgres` when root); throws on failure.
  void run(const std::string& program, const std::string& arguments) const;

  std::string bin_;
  std::string folder_;
  bool as_postgres_ = false;
  int next_ = 0;
};

}  // namespace renkei::testing
