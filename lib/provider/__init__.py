"""Talking to the provider (or the simulator): nothing else in Songbench does HTTP to it.

* `client.SunoClient` - creates, polls, credits and uploads, with retries that never pay twice;
* `protocol.ProviderClient` - what the rest of the app needs from a client;
* `errors` - typed errors with plain-words `explain()`;
* `ratelimit.RateLimiter` - 20 creates per rolling 10 s;
* `uploads` - checking and uploading source audio;
* `credits` - the cached credit balance;
* `redaction` - keeping the key, credential headers and the callback secret out of everything.
"""
