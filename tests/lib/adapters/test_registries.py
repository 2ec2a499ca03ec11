"""Operations and families name their provider; the registries can be asked per provider and
say where they disagree; one error vocabulary, each provider's own meaning of 429; a provider
without a balance route says so."""

from __future__ import annotations

import pytest

from lib import families, ops
from lib.contract.fields import Field
from lib.contract.operation import Operation, Ui
from lib.provider import adapters, errors
from lib.provider.adapters.dashscope import DashScopeAdapter
from lib.provider.adapters.music import MusicAdapter
from lib.provider.adapters.text import TextAdapter
from lib.provider.credits import NO_ROUTE, CreditCache
from lib.settings import Settings
from lib.views import balance, sidebar

PROMPT = (Field("prompt", "text", "Prompt", "Words.", required=True),)


def test_every_provider_has_an_adapter_and_the_registries_agree():
    assert sorted(adapters.ADAPTERS) == ["dashscope", "kling", "music", "text"]
    assert adapters.problems() == []
    assert "generate" in ops.of_provider("music") and "video_t2v" in ops.of_provider("dashscope")
    assert set(families.of_provider("dashscope")) == {"dashscope_video", "dashscope_sync_image",
                                                      "dashscope_image"}
    assert set(families.of_provider("kling")) == {"kling_video", "kling_image"}
    assert "music" in families.of_provider("music")


def test_no_hand_kept_list_of_pages_or_families():
    assert ops.pages() == tuple(sorted({o.ui.page for o in ops.OPERATIONS.values()}))
    assert "media" in ops.pages()  # named by the DashScope operation, nowhere else
    assert families.names() == tuple(families.FAMILIES)
    import lib.contract.operation as operation
    import lib.contract.states as states
    assert not hasattr(operation, "PAGES") and not hasattr(states, "FamilyName")


def test_a_music_operation_needs_both_dialects_and_a_sunoapi_route_the_others_do_not():
    with pytest.raises(ValueError, match="sunoapi route"):
        Operation("x", "X", "music", {"sunoapi": None, "anyint": "/suno/x"}, PROMPT,
                  Ui("generate", "X", "Go"))
    with pytest.raises(ValueError, match="every dialect"):
        Operation("x", "X", "music", {"anyint": "/suno/x"}, PROMPT, Ui("generate", "X", "Go"))
    op = Operation("x", "X", "dashscope_video", {"anyint": "/dashscope/v1/x"}, PROMPT,
                   Ui("media", "X", "Go"), provider="dashscope")
    assert op.path("anyint") == "/dashscope/v1/x"
    with pytest.raises(ValueError, match="unknown dialect"):
        op.path("sunoapi")


def test_problems_name_an_unknown_provider_and_a_family_of_another(monkeypatch):
    bad = Operation("y", "Y", "music", {"anyint": "/dashscope/v1/y"}, PROMPT,
                    Ui("media", "Y", "Go"), provider="dashscope")
    typo = Operation("z", "Z", "music", {"anyint": "/z"}, PROMPT, Ui("media", "Z", "Go"),
                     provider="dashscop")
    monkeypatch.setitem(ops.OPERATIONS, "y", bad)
    monkeypatch.setitem(ops.OPERATIONS, "z", typo)
    found = adapters.problems()
    assert "operation y (dashscope) is of family music (music)" in found
    assert "operation z: no adapter for provider 'dashscop'" in found


def test_each_provider_says_what_429_means_in_the_same_words():
    music = MusicAdapter.error(429, "no credits")
    dashscope = DashScopeAdapter.error("Throttling", "slow", 429)
    text = TextAdapter.error("rate_limit_exceeded", "slow", 429)
    assert isinstance(music, errors.InsufficientCredits)
    assert isinstance(dashscope, errors.RateLimited) and isinstance(text, errors.RateLimited)
    assert music.explain().startswith("Out of credits")
    assert dashscope.explain().startswith("Too many requests") and \
        text.explain().startswith("Too many requests")
    assert errors.error_for(430).explain().startswith("Too many requests: the provider allows "
                                                      "20 create calls per 10 seconds")
    assert "SONGBENCH_MEDIA_API_KEY" in DashScopeAdapter.error("InvalidApiKey", "", 401).explain()
    assert "SONGBENCH_API_KEY" in errors.error_for(401).explain()
    assert [e.provider for e in (music, dashscope, text)] == ["music", "dashscope", "text"]


def test_a_provider_without_a_balance_route_says_so():
    cache = CreditCache()
    settings = Settings(base_url="http://127.0.0.1:9")
    reading = cache.get(settings, provider="dashscope")
    assert reading is NO_ROUTE and not reading.has_route
    assert balance.value_text(reading) == "no balance route"
    assert sidebar.credits_text(reading)[0] == "no balance route"
    assert balance.value_text(None) == "unavailable"
    assert MusicAdapter.balance_source and DashScopeAdapter.balance_source is None


def test_the_settings_page_lists_each_providers_own_variables(tmp_path):
    from lib.settings import load_settings
    from lib.views import settings as settings_view

    env = {"SONGBENCH_API_KEY": "music-key", "SONGBENCH_TEXT_BASE_URL": "http://llm.test/v1",
           "SONGBENCH_TEXT_API_KEY": "text-SECRET"}
    rt = type("Rt", (), {"settings": load_settings(env=env, secrets={}).with_simulator(
        "http://127.0.0.1:7"), "simulator": None, "callback_url": "x"})()
    rows = {r["Variable"]: r for r in settings_view.settings_rows(rt, env=env, secrets={})}
    assert rows["SONGBENCH_TEXT_BASE_URL"]["Value"] == "http://llm.test/v1"
    assert rows["SONGBENCH_TEXT_BASE_URL"]["Source"] == "environment"
    assert rows["SONGBENCH_TEXT_API_KEY"]["Value"] == "set (hidden)"
    assert rows["SONGBENCH_MEDIA_BASE_URL"]["Value"] == "http://127.0.0.1:7"
    assert rows["SONGBENCH_MEDIA_BASE_URL"]["Source"] == "embedded simulator"
    assert rows["SONGBENCH_MEDIA_API_KEY"]["Value"] == "not set"
    assert [r["Variable"] for r in rows.values()].count("SONGBENCH_MEDIA_API_KEY") == 1
    assert "SECRET" not in repr(rows)
