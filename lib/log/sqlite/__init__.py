"""The SQLite backend of the task log: the only place with SQL and SQLite specifics.

* `backend.SqliteLog` - implements `lib.log.TaskLog` (plus benchmark/test hooks);
* `connection` - the one place that opens connections, and the one write path;
* `lifecycle` / `reads` - the task lifecycle writes, and the listings and view reads;
* `experiments` - experiments and their queue; `qa` - QA scorecards and settings;
* `filters` - ``WHERE`` builders (FTS5 text search); `plans` - ``INDEXED BY`` plan choice;
* `migrations` - the schema, append-only `sqlite_utils.migrations.Migrations`.
"""

from lib.log.sqlite.backend import SqliteLog

__all__ = ["SqliteLog"]
