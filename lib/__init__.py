"""Songbench's library: everything the app does, importable and testable without Streamlit.

Subpackages, from the contract outwards (each one's ``__init__`` says what it offers):

* `lib.contract` - the vocabulary: fields and rules, operations, families, states;
* `lib.ops` - one module per operation (the registry pages and the tracker iterate);
* `lib.families` - one module per task family (poll routes, statuses, parsers, callbacks);
* `lib.provider` - the HTTP client, errors, rate limit, uploads, credits, redaction;
* `lib.log` - the task log (one protocol, a SQLite backend);
* `lib.tracking` - the tracker, callbacks as hints, the asset archive, audio and MIDI files;
* `lib.views` - view models for the pages (board, library, forms, sidebar, settings);
* `lib.app` - settings, the process runtime, HTTP routes, the embedded simulator.
"""
