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
