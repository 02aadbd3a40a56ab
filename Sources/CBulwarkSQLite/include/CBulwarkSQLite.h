#ifndef CBULWARK_SQLITE_H
#define CBULWARK_SQLITE_H

/*
 * The few SQLite C functions Bulwark's read connections call directly (see SQLiteSnapshotReader).
 *
 * They are the SQLite library that sqlite-nio builds into the binary, under its `sqlite_nio_`
 * prefix. Using that same copy (not the system's libsqlite3) matters: two SQLite libraries in
 * one process do not share POSIX lock state, and closing a file in one can drop the other's locks.
 */

#include <stdint.h>

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;

#define BULWARK_SQLITE_OK 0
#define BULWARK_SQLITE_ROW 100
#define BULWARK_SQLITE_DONE 101
#define BULWARK_SQLITE_INTEGER 1
#define BULWARK_SQLITE_FLOAT 2
#define BULWARK_SQLITE_TEXT 3
#define BULWARK_SQLITE_BLOB 4
#define BULWARK_SQLITE_NULL 5
#define BULWARK_SQLITE_OPEN_READWRITE 0x00000002
#define BULWARK_SQLITE_OPEN_NOMUTEX 0x00008000
#define BULWARK_SQLITE_PREPARE_PERSISTENT 0x01

int sqlite_nio_sqlite3_open_v2(const char *filename, sqlite3 **db, int flags, const char *vfs);
int sqlite_nio_sqlite3_close_v2(sqlite3 *db);
int sqlite_nio_sqlite3_busy_timeout(sqlite3 *db, int milliseconds);
const char *sqlite_nio_sqlite3_errmsg(sqlite3 *db);
int sqlite_nio_sqlite3_exec(sqlite3 *db, const char *sql, int (*callback)(void *, int, char **, char **), void *argument, char **error);

int sqlite_nio_sqlite3_prepare_v3(sqlite3 *db, const char *sql, int bytes, unsigned int flags, sqlite3_stmt **statement, const char **tail);
int sqlite_nio_sqlite3_step(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_reset(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_clear_bindings(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_finalize(sqlite3_stmt *statement);

int sqlite_nio_sqlite3_bind_int64(sqlite3_stmt *statement, int index, int64_t value);
int sqlite_nio_sqlite3_bind_double(sqlite3_stmt *statement, int index, double value);
int sqlite_nio_sqlite3_bind_null(sqlite3_stmt *statement, int index);

int sqlite_nio_sqlite3_column_count(sqlite3_stmt *statement);
const char *sqlite_nio_sqlite3_column_name(sqlite3_stmt *statement, int column);
int sqlite_nio_sqlite3_column_type(sqlite3_stmt *statement, int column);
int64_t sqlite_nio_sqlite3_column_int64(sqlite3_stmt *statement, int column);
double sqlite_nio_sqlite3_column_double(sqlite3_stmt *statement, int column);
const unsigned char *sqlite_nio_sqlite3_column_text(sqlite3_stmt *statement, int column);
const void *sqlite_nio_sqlite3_column_blob(sqlite3_stmt *statement, int column);
int sqlite_nio_sqlite3_column_bytes(sqlite3_stmt *statement, int column);

/// Binds text or a blob that SQLite copies before returning (SQLITE_TRANSIENT), so the caller's buffer may go.
int bulwark_sqlite_bind_text(sqlite3_stmt *statement, int index, const char *text, int bytes);
int bulwark_sqlite_bind_blob(sqlite3_stmt *statement, int index, const void *bytes, int count);

#endif
