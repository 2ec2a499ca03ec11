"""Prompt experiments: grids of request variants, queued at the provider's limit, compared.

* `grid` - variants from typed axes or a CSV sheet, checked by the contract's rules, and the
  plan (cells, calls, credits, time) shown before anything is sent;
* `queue` - `QueueRunner`: the senders that drain the queue under the shared create limit;
* `results` - the results grid, progress per variant, summaries, exports;
* `service` - what the page and the command line do: create, pause, resume, cancel, re-run a
  variant, clone, wait.

The experiments, their cells (the queue) and the tasks' experiment columns live in the task
log (`lib.log`, migration m006).
"""
