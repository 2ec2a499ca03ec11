"""The AnyInt gateway's media settings, shared by the DashScope and Kling adapters (the
gateway serves both families behind one base URL and one key; contract-media 1.1)."""

BASE_ENV, KEY_ENV = "SONGBENCH_MEDIA_BASE_URL", "SONGBENCH_MEDIA_API_KEY"
DEFAULT_URL = "https://gateway.api.anyint.ai"
#: The gateway's media routes in words, and their variables (Settings page).
LABEL = "Media API (DashScope, Kling)"
VARIABLES = (("base_url", BASE_ENV), ("api_key", KEY_ENV))
