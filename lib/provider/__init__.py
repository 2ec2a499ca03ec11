"""Talking to the providers (or the simulator): nothing else in Songbench does HTTP to them.

* `adapters` - one adapter per API family (`music`, `dashscope`, `kling`, `text`): settings,
  auth, envelope and errors, where the task id goes, poll route, rate limit, balance;
  `adapters.base` is the shared HTTP exchange (events before sending, retries that never pay
  twice), `adapters.connection` where a provider is reached and which key may go where;
* `hub.Providers` - the process's adapters per (provider, base URL, dialect): `for_op`,
  `for_task` (a task is polled where it was created), `current`;
* `client.SunoClient` - the music adapter under its historic name;
* `protocol` - what the rest of the app needs from an adapter;
* `errors` - one vocabulary for every provider, with plain-words `explain()`;
* `ratelimit` - rolling-window limiters (music: 20 creates per 10 s, shared through the log);
* `uploads` - checking and uploading source audio (the music provider's upload host);
* `credits` - the cached balance per provider ("no balance route" where there is none);
* `reachability` - whether each base URL answers;
* `redaction` - keeping keys, credential headers and the callback secret out of everything.
"""
