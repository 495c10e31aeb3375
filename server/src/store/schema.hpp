// The database schema as an ordered list of migration steps, and the code
// that brings a connection's database up to `schema_version`. Private to the
// store; server/docs/STORAGE.md describes the same format in prose.
#pragma once

#include <sqlite3.h>

#include <span>

#include "store/statement.hpp"

namespace renkei::store {

// One step: the SQL that turns a database at version `to_version - 1` into
// one at `to_version`. Steps are never edited once released; a format change
// appends a step and bumps schema_version.
struct Migration {
  int to_version;
  SqlText sql;
  SqlText set_version;  // "PRAGMA user_version = <to_version>" (no parameters allowed there)
};

// All steps, in order; the last one's to_version is schema_version.
std::span<const Migration> migrations();

// Reads PRAGMA user_version; refuses (StoreError) a database newer than this
// build; applies the missing steps, each with its user_version update in one
// IMMEDIATE transaction, re-checking the version inside the transaction so
// that two processes opening a new file at once migrate it only once.
// Called by Database's constructor, on the thread opening the connection.
void migrate(sqlite3* db);

// PRAGMA user_version of the connection's main database.
int read_user_version(sqlite3* db);

}  // namespace renkei::store
