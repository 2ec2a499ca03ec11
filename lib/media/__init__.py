"""Media files, with no app state: imported by every layer that reads or writes them.

* `audio` - decoding and measuring audio with pydub and the pip-installed ffmpeg;
* `midi` - MIDI notes as a standard MIDI file.
"""
