"""Following tasks to the end, in the background of the app.

* `tracker.Tracker` - submits (the log row first), polls on a back-off, takes callbacks as hints;
* `callbacks.parse_callback` - every family's callback shape, read by the families;
* `assets.AssetArchiver` - local copies of result files (provider URLs expire).
"""
