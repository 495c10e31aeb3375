#include "pg_cluster.hpp"

#include <fcntl.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace renkei::testing {

namespace {

std::string output_of(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 256> buffer{};
  while (fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr)
    out += buffer.data();
  pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string bin_folder() {
  std::string bin = output_of("pg_config --bindir 2>/dev/null");
  if (!bin.empty() && std::filesystem::exists(bin + "/initdb")) return bin;
  for (const char* candidate : {"/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin"})
    if (std::filesystem::exists(std::string(candidate) + "/initdb")) return candidate;
  throw std::runtime_error(
      "PostgreSQL's initdb was not found (install postgresql-15: sh server/tools/deps.sh --test)");
}

// One SQL statement on the cluster's `postgres` database.
void admin_sql(const std::string& uri, const std::string& sql) {
  PGconn* conn = PQconnectdb(uri.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("test cluster: " + message);
  }
  PGresult* result = PQexec(conn, sql.c_str());
  const auto status = PQresultStatus(result);
  std::string message = PQresultErrorMessage(result);
  PQclear(result);
  PQfinish(conn);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw std::runtime_error("test cluster: " + sql + ": " + message);
}

}  // namespace

PgCluster& PgCluster::shared() {
  static PgCluster cluster;
  return cluster;
}

PgCluster::PgCluster() : bin_(bin_folder()) {
  std::string pattern = (std::filesystem::temp_directory_path() / "renkei-pg-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("test cluster: mkdtemp failed");
  folder_ = pattern;
  as_postgres_ = geteuid() == 0;
  if (as_postgres_) {
    const passwd* user = getpwnam("postgres");
    if (user == nullptr) throw std::runtime_error("test cluster: no user 'postgres' to run as");
    if (chown(folder_.c_str(), user->pw_uid, user->pw_gid) != 0)
      throw std::runtime_error("test cluster: chown failed");
  }
  chmod(folder_.c_str(), 0755);
  copy_template();
  start();
}

PgCluster::~PgCluster() {
  try {
    stop_immediate();
  } catch (...) {
  }
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
}

void PgCluster::copy_template() {
  // initdb takes a second (it syncs every file); the test processes of one
  // run share one initdb'd folder and each copies it (0.2 s). The first
  // process makes it, under a lock.
  const std::string base = std::filesystem::temp_directory_path().string() +
                           "/renkei-pg-template-" + std::to_string(geteuid());
  const std::string lock_path = base + ".lock";
  const int lock = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock < 0 || ::flock(lock, LOCK_EX) != 0)
    throw std::runtime_error("test cluster: cannot lock " + lock_path);
  try {
    if (!std::filesystem::exists(base + "/data/PG_VERSION")) {
      std::error_code ignored;
      std::filesystem::remove_all(base, ignored);
      std::filesystem::create_directories(base);
      if (as_postgres_) {
        const passwd* user = getpwnam("postgres");
        if (user == nullptr || chown(base.c_str(), user->pw_uid, user->pw_gid) != 0)
          throw std::runtime_error("test cluster: chown failed");
      }
      run("initdb",
          "-D '" + base + "/data' --auth=trust -U renkei --encoding=UTF8 --locale=C.UTF-8");
    }
    const std::string copy = "cp -a '" + base + "/data' '" + folder_ + "/data'";
    if (std::system(copy.c_str()) != 0)
      throw std::runtime_error("test cluster: " + copy + " failed");
  } catch (...) {
    ::close(lock);
    throw;
  }
  ::close(lock);
}

void PgCluster::run(const std::string& program, const std::string& arguments) const {
  std::string command = bin_ + "/" + program + " " + arguments;
  if (as_postgres_) command = "runuser -u postgres -- " + command;
  const std::string log = folder_ + "/" + program + ".out";
  command += " >'" + log + "' 2>&1";
  if (std::system(command.c_str()) != 0) {
    throw std::runtime_error("test cluster: " + program +
                             " failed: " + output_of("cat '" + log + "'"));
  }
}

void PgCluster::start() {
  run("pg_ctl", "-w -t 60 -D '" + folder_ + "/data' -l '" + folder_ + "/server.log' -o \"-k '" +
                    folder_ +
                    "' -c listen_addresses='' -c max_connections=300 -c fsync=on\" start");
}

void PgCluster::stop_immediate() {
  run("pg_ctl", "-w -D '" + folder_ + "/data' -m immediate stop");
}

void PgCluster::restart_immediate() {
  stop_immediate();
  start();
}

std::string PgCluster::uri(const std::string& database) const {
  // The folder holds no characters a URI query would need escaped
  // (mkdtemp: letters, digits, '/', '-').
  return "postgresql:///" + database + "?host=" + folder_ + "&user=renkei";
}

std::string PgCluster::fresh_database() {
  const std::string name = "renkei_" + std::to_string(getpid()) + "_" + std::to_string(++next_);
  admin_sql(uri("postgres"), "CREATE DATABASE " + name);
  return uri(name);
}

int PgCluster::terminate_backends(const std::string& database) {
  PGconn* conn = PQconnectdb(uri("postgres").c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    PQfinish(conn);
    throw std::runtime_error("test cluster: cannot connect");
  }
  const char* values[] = {database.c_str()};
  PGresult* result = PQexecParams(
      conn,
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 "
      "AND pid <> pg_backend_pid()",
      1, nullptr, values, nullptr, nullptr, 0);
  int count = 0;
  if (PQresultStatus(result) == PGRES_TUPLES_OK) count = std::atoi(PQgetvalue(result, 0, 0));
  PQclear(result);
  PQfinish(conn);
  return count;
}

}  // namespace renkei::testing
