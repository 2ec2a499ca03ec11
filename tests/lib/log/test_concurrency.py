"""One log shared by the UI threads, the tracker and the callback route."""

import threading

from tests.lib.log.support import new_task


def test_concurrent_writers_do_not_lock(log):
    """The UI, the tracker and the callback route write from different threads at once."""
    task_id = new_task(log)
    log.mark_submitted(task_id, "p", next_poll_at=0, now=1.0)
    errors = []

    def writer(n):
        try:
            for i in range(25):
                new_task(log, prompt=f"w{n}-{i}")
                log.log_event(task_id, "poll", body={"n": n, "i": i})
                log.record_poll_error(task_id, next_poll_at=1.0, now=1.0)
                log.mark_due(task_id, now=2.0)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(log.events_for(task_id)) == 150
    assert log.get_task(task_id)["poll_count"] == 150
    assert log.count_tasks() == 151


def test_a_locked_file_is_waited_for_not_reported(tmp_path, monkeypatch):
    """Another process holds the write lock longer than the busy timeout: the write waits and
    retries its whole transaction instead of raising "database is locked"."""
    import sqlite3
    import time

    from lib.log.sqlite import SqliteLog, connection

    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", 0.05)
    log = SqliteLog(tmp_path / "locked.db")
    holder = sqlite3.connect(tmp_path / "locked.db", timeout=0.05, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another process is writing

    def release():
        time.sleep(0.6)
        holder.commit()

    threading.Thread(target=release).start()
    started = time.monotonic()
    task_id = new_task(log)  # would have raised "database is locked" after 0.05 s
    assert log.get_task(task_id)["state"] == "pending"
    assert time.monotonic() - started >= 0.5
    stats = log.write_stats
    assert stats.retries >= 1 and stats.worst_s >= 0.5
    holder.close()
