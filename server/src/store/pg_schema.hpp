// The PostgreSQL engine's schema and its migration history, kept apart
// from SQLite's (schema.hpp): one history per engine (STORAGE.md
// "PostgreSQL (version 1)"). Version 1 holds everything SQLite's version
// 10 holds, plus search_text, the searchable texts with a pg_trgm index.
#pragma once

namespace renkei::store {

class PgConnection;

// The schema version this build writes on PostgreSQL.
inline constexpr int pg_schema_version = 1;

// Creates or migrates the schema, in one transaction per version, under an
// advisory lock so that instances starting together migrate once. Refuses
// (StoreError, SQLITE_CANTOPEN) a database written by a newer build,
// changing nothing. Throws StoreError. Call it outside a transaction.
void migrate_pg(PgConnection& connection);

// The version the database is at (0 when it has no Renkei schema).
int pg_user_version(PgConnection& connection);

}  // namespace renkei::store
