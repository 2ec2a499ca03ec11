"""The newer families (contract-newer.md §4-6) against their documented examples: MIDI notes,
audio recovery (status in the envelope code), the Suno Voice phrase and voice records, and
their callbacks; plus the client reading recovery's 201 as an answer."""

import copy

import httpx
import pytest
from tenacity import wait_none

from lib.settings import Settings
from lib.contract.states import State
from lib.families import parse_poll
from lib.families.midi import notes_of
from lib.provider.client import SunoClient
from lib.provider.errors import ProviderError
from lib.tracking.callbacks import parse_callback
from lib.media.midi import read_notes, to_midi_bytes
from tests.lib import contract_examples as ex


def data(envelope):
    return copy.deepcopy(envelope["data"])


# ---- MIDI ----------------------------------------------------------------------------------------
def test_midi_example_verbatim():
    poll = parse_poll("midi", data(ex.MIDI_RECORD_INFO))
    assert (poll.raw_status, poll.state, poll.stage) == (1, State.SUCCEEDED, "complete")
    assert poll.result == {"state": "complete", "instruments": [{"name": "Drums", "notes": [
        {"pitch": 73, "start": 0.0364, "end": 0.1822, "velocity": 1.0}]}]}
    assert poll.assets == [] and poll.tracks == []


@pytest.mark.parametrize(("example", "state"), [
    (ex.MIDI_RECORD_INFO_PENDING, State.PENDING), (ex.MIDI_RECORD_INFO_FAILED, State.FAILED)])
def test_midi_flags_are_not_cover_arts(example, state):
    poll = parse_poll("midi", data(example))
    assert poll.state is state
    assert parse_poll("midi", {"successFlag": 2}).state is State.FAILED  # create failed
    assert parse_poll("cover", {"successFlag": 2}).state is State.PROCESSING  # generating


def test_midi_notes_parse_leniently():
    notes = notes_of({"instruments": [{"name": "Bass", "notes": [
        {"pitch": "40", "start": "1.5", "end": "2", "velocity": "0.5"},
        {"pitch": 200, "start": 0, "end": 1}, {"pitch": 41}, "junk"]}, "junk"]})
    assert notes["instruments"] == [{"name": "Bass", "notes": [
        {"pitch": 40, "start": 1.5, "end": 2.0, "velocity": 0.5}]}]
    assert notes_of(None) is None


def test_midi_file_reads_back_with_a_midi_library():
    midi_data = notes_of({"instruments": [
        {"name": "Drums", "notes": [{"pitch": 36, "start": 0, "end": 0.25, "velocity": 1},
                                    {"pitch": 38, "start": 0.5, "end": 0.75, "velocity": 0.5}]},
        {"name": "Bass", "notes": [{"pitch": 40, "start": 0.25, "end": 1.0, "velocity": 0.8}]}]})
    back = read_notes(to_midi_bytes(midi_data))
    assert [n[0] for n in back["Drums"]] == [36, 38] and back["Bass"][0][0] == 40
    assert back["Bass"][0][1] == pytest.approx(0.25) and back["Bass"][0][2] == pytest.approx(1.0)


@pytest.mark.parametrize("example", [ex.CALLBACK_MIDI, ex.CALLBACK_MIDI_KIE])
def test_midi_callbacks_top_level_or_inside(example):
    info = parse_callback(copy.deepcopy(example))
    assert (info.task_id, info.family_guess, info.callback_type) == ("5c79****be8e", "midi",
                                                                     "complete")


# ---- recovery ------------------------------------------------------------------------------------
def test_recovery_status_is_the_envelope_code():
    running = parse_poll("recovery", copy.deepcopy(ex.RECOVERY_RUNNING))
    assert (running.state, running.result) == (State.PROCESSING, None)
    done = parse_poll("recovery", copy.deepcopy(ex.RECOVERY_DONE))
    assert done.state is State.SUCCEEDED
    assert done.recovered == {"8551****662c": "https://cdn.example/8551.m4a"}
    assert [(a.kind, a.track_id) for a in done.assets] == [("mp3", "8551****662c")]
    assert [r["status"] for r in done.result["tracks"]] == ["success", "failed"]
    assert done.result["tracks"][1]["reason"] == "the track itself is in error at the provider"
    failed = parse_poll("recovery", copy.deepcopy(ex.RECOVERY_ALL_FAILED))
    assert (failed.state, failed.error_code) == (State.FAILED, 500)


def test_recovery_callback_is_flat():
    info = parse_callback(copy.deepcopy(ex.CALLBACK_RECOVERY))
    assert (info.task_id, info.family_guess, info.callback_type) == ("rec****0001", "recovery",
                                                                     "complete")
    bad = parse_callback(copy.deepcopy(ex.RECOVERY_ALL_FAILED))
    assert (bad.family_guess, bad.callback_type) == ("recovery", "error")


def _client(answers):
    def handler(request):
        assert request.url.params.get("task_id") == "rec****0001"  # snake_case query
        return httpx.Response(200, json=answers.pop(0))
    settings = Settings(base_url="https://api.sunoapi.org", api_key="k")
    return SunoClient(settings, transport=httpx.MockTransport(handler), wait=wait_none(),
                      sleep=lambda s: None)


def test_client_reads_recovery_201_and_500_with_data_as_answers():
    client = _client([ex.RECOVERY_RUNNING, ex.RECOVERY_ALL_FAILED])
    assert client.query("recovery", "rec****0001")["code"] == 201
    assert client.query("recovery", "rec****0001")["code"] == 500


def test_client_retries_recovery_500_without_data():
    client = _client([{"code": 500, "msg": "server error"}] * 3)
    with pytest.raises(ProviderError):
        client.query("recovery", "rec****0001")


def test_recovery_create_answer_uses_task_id():
    def handler(request):
        return httpx.Response(200, json=ex.RECOVERY_CREATE_OK)
    client = SunoClient(Settings(base_url="https://api.sunoapi.org", api_key="k"),
                        transport=httpx.MockTransport(handler))
    assert client.submit("recovery", {"sunoTaskId": "t", "callBackUrl": "https://cb"}
                         ).task_id == "rec****0001"


# ---- Suno Voice -----------------------------------------------------------------------------------
def test_voice_phrase_and_voice_records():
    ready = parse_poll("voice_phrase", data(ex.VOICE_PHRASE_READY))
    assert (ready.state, ready.result) == (State.SUCCEEDED,
                                           {"phrase": "The quick brown fox sings at dawn"})
    working = parse_poll("voice_phrase", data(ex.VOICE_PHRASE_WORKING))
    assert working.state is State.PROCESSING and working.result is None
    voice = parse_poll("voice", data(ex.VOICE_RECORD_READY))
    assert (voice.state, voice.result) == (State.SUCCEEDED, {"voiceId": "voice-7f3a"})
    failed = parse_poll("voice", data(ex.VOICE_RECORD_FAILED))
    assert (failed.state, failed.error_code) == (State.FAILED, 500)
    assert "did not match" in failed.error_message


@pytest.mark.parametrize(("example", "family", "kind"), [
    (ex.CALLBACK_VOICE_PHRASE, "voice_phrase", "complete"),
    (ex.CALLBACK_VOICE_PHRASE_FAILED, "voice_phrase", "error"),
    (ex.CALLBACK_VOICE, "voice", "complete"), (ex.CALLBACK_VOICE_FAILED, "voice", "error")])
def test_voice_callbacks(example, family, kind):
    info = parse_callback(copy.deepcopy(example))
    assert (info.family_guess, info.callback_type) == (family, kind)


def test_voice_check_is_synchronous():
    poll = parse_poll("sync", data(ex.VOICE_CHECK_OK))
    assert poll.state is State.SUCCEEDED and poll.result == {"isAvailable": True}


def test_an_unknown_recovery_id_is_a_missing_task_not_a_server_error():
    from lib.provider.errors import NotFound

    gone = {"code": 500, "msg": "The music link recovery task does not exist.", "data": None}
    client = _client([gone])
    with pytest.raises(NotFound) as info:
        client.query("recovery", "rec****0001")
    assert info.value.http_status == 200  # counted as a miss by the tracker, not retried
