"""lib.views.takes: the takes of a task told apart in words."""

from lib.log.sqlite import SqliteLog
from lib.views import takes
from lib.views.board import TaskView, TrackView


def track(tid, *, title="Golden Echo", tags="indie rock, warm", duration=120.0, lyrics=None):
    return TrackView(tid, "t", 0, title, tags, duration, lyrics, None, None, None, None)


def task(*tracks):
    return TaskView("t", "generate", "Generate music", None, None, "succeeded", "Succeeded",
                    "complete", "Complete", None, None, 0.0, None, "1 s", None, list(tracks))


def test_length_tags_title_and_lyrics_differences():
    one = track("a", lyrics="[Verse]\nRain on the road\nmore")
    two = track("b", tags="indie rock, female vocals, Warm, lo-fi, tape, choir", duration=132.4,
                title="Golden Echo II", lyrics="[Verse]\nRain on the road\nless")
    notes = takes.take_notes(task(one, two))
    assert notes["a"].label == "Take 1 of 2" and notes["b"].label == "Take 2 of 2"
    assert notes["b"].differences == (
        "vs Take 1: 0:12 longer, adds “female vocals”, “lo-fi”, “tape” and 1 more, "
        "lyrics differ further on")
    assert notes["a"].differences.startswith("vs Take 2: 0:12 shorter, without “female vocals”")


def test_alike_takes_say_so_and_a_single_track_has_no_note():
    notes = takes.take_notes(task(track("a"), track("b", duration=120.4)))
    assert notes["b"].differences == "same length and style as Take 1"
    assert takes.take_notes(task(track("a"))) == {}
    lyric = takes.differences(track("a", lyrics="Hello world\nx"), track("b", lyrics="Bye\nx"))
    assert lyric == ["other lyrics (“Hello world”)"]


def test_key_and_tempo_from_the_scorecards(tmp_path):
    log = SqliteLog(tmp_path / "log.db")
    for tid, key, bpm in (("a", "C major", 120.0), ("b", "A minor", 128.4)):
        log.save_scorecard(tid, {"measures": {"key": key, "tempo_bpm": bpm}}, worst="ok",
                           flags={}, summary="", thresholds_version="1", computed_at=1.0)
    facts = takes.facts(log, ["a", "b", "c"])
    assert facts == {"a": takes.Facts("C major", 120.0), "b": takes.Facts("A minor", 128.4)}
    notes = takes.take_notes(task(track("a"), track("b", duration=121.0)), facts)
    assert notes["b"].differences == "vs Take 1: 0:01 longer, A minor vs C major, 128 vs 120 BPM"
    assert notes["a"].differences == "vs Take 2: 0:01 shorter, C major vs A minor, 120 vs 128 BPM"


def test_key_and_tempo_tags_are_compared_as_such_and_win_over_measures():
    one = track("a", tags="drums, bass, guitar, C# major, 88 bpm")
    two = track("b", tags="drums, bass, synth, F# major, 110 BPM")
    measured = {"a": takes.Facts("D minor", 90.0), "b": takes.Facts("E minor", 91.0)}
    assert takes.differences(two, one, measured) == [
        "adds “synth”", "without “guitar”", "F# major vs C# major", "110 vs 88 BPM"]
    assert takes.tag_facts(["pop", "Bb minor", "120bpm"]) == (["pop"],
                                                               takes.Facts("Bb minor", 120.0))
