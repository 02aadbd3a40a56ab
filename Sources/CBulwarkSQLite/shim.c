#include "CBulwarkSQLite.h"

int sqlite_nio_sqlite3_bind_text(sqlite3_stmt *statement, int index, const char *text, int bytes, void (*destructor)(void *));
int sqlite_nio_sqlite3_bind_blob(sqlite3_stmt *statement, int index, const void *bytes, int count, void (*destructor)(void *));

#define BULWARK_SQLITE_TRANSIENT ((void (*)(void *))-1)

int bulwark_sqlite_bind_text(sqlite3_stmt *statement, int index, const char *text, int bytes) {
    return sqlite_nio_sqlite3_bind_text(statement, index, text, bytes, BULWARK_SQLITE_TRANSIENT);
}

int bulwark_sqlite_bind_blob(sqlite3_stmt *statement, int index, const void *bytes, int count) {
    return sqlite_nio_sqlite3_bind_blob(statement, index, bytes, count, BULWARK_SQLITE_TRANSIENT);
}
