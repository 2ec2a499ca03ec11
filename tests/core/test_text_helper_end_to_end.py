"""The text helper against the simulator's OpenAI-compatible routes (not a fake of our own):
the models come from ``GET /openai/v1/models``, a song is drafted as streamed JSON, logged as a
``text`` task, and its fields make a custom-mode generate body the contract accepts; the music
simulator then takes that body."""

from __future__ import annotations

from lib import ops
from lib.contract.validation import validate
from lib.log.sqlite import SqliteLog
from lib.provider.adapters.text import TextAdapter
from lib.provider.hub import Providers
from lib.settings import load_settings
from lib.text import ModelList, TextCalls, draft, song_body


def test_a_drafted_song_is_a_valid_generate_body(tmp_path, simulator):
    settings = load_settings(env={
        "SONGBENCH_API_KEY": "k", "SONGBENCH_API_BASE_URL": simulator.base_url,
        "SONGBENCH_TEXT_API_KEY": "text-k",
        "SONGBENCH_TEXT_BASE_URL": simulator.base_url + "/openai/v1"}, secrets={})
    log = SqliteLog(tmp_path / "log.db")
    providers = Providers(settings, on_event=log.log_client_event)
    try:
        adapter = providers.current("text")
        assert isinstance(adapter, TextAdapter)
        models = ModelList(adapter)
        assert models.get() and models.default() in models.get(refresh=True)
        pieces: list[str] = []
        result = draft("song", "a sea shanty about debugging", TextCalls(log, adapter),
                       models.default(), music_model="V4", on_delta=pieces.append)
        assert len(pieces) > 3 and "".join(pieces) == result.text
        assert result.ok, result.problems
        assert "[Verse" in result.fields["lyrics"] and "[Chorus" in result.fields["lyrics"]
        body = {**song_body(result.fields, "V4"), "callBackUrl": "https://callback.invalid/x"}
        assert validate(ops.get("generate"), body) == []
        row = log.get_task(result.call.task_id)
        assert row["state"] == "succeeded" and row["family"] == "text"
        assert row["provider"] == "text" and row["prompt"] == "a sea shanty about debugging"
        assert result.call.first_token_s is not None and result.call.usage
        music = providers.current("music").submit("generate", body)
        assert music.task_id
    finally:
        providers.close()
