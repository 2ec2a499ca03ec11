"""Which API families a configured provider offers (issue 16, part 3; `lib.provider.hub
.Providers.offers`): the AnyInt gateway all three, a sunoapi-dialect provider music only unless
media or text have settings of their own, the embedded simulator (no keys) all. Where a family
is not offered, nothing is sent (the adapter refuses, the tracker records the refusal, the
text helper asks nothing), and the reason names the provider and the settings to set."""

from __future__ import annotations

import httpx
import httpx2
import pytest
from tenacity import wait_none

from lib import ops
from lib.log.sqlite import SqliteLog
from lib.provider.errors import NotConfigured, NotOffered
from lib.provider.hub import Providers
from lib.settings import load_settings
from lib.tracking.tracker import Tracker

SUNOAPI = {"SONGBENCH_API_KEY": "music-key", "SONGBENCH_API_BASE_URL": "https://api.sunoapi.org"}
ANYINT = {"SONGBENCH_API_KEY": "gw-key", "SONGBENCH_API_BASE_URL": "https://gateway.api.anyint.ai"}
FAMILIES = ("music", "media", "text")


def providers(env: dict[str, str], transport=None) -> Providers:
    def refuse(request):  # anything sent fails the test
        raise AssertionError(f"sent {request.method} {request.url}")

    mock = transport or httpx.MockTransport(refuse)
    return Providers(load_settings(env=env, secrets={}), transport=mock, wait=wait_none(),
                     sleep=lambda s: None, options={"text": {"transport": httpx2.MockTransport(
                         refuse)}})


@pytest.mark.parametrize("env,offered", [
    ({}, FAMILIES),  # the embedded simulator offers everything
    (ANYINT, FAMILIES),  # the gateway has all three
    (SUNOAPI, ("music",)),
    ({**SUNOAPI, "SONGBENCH_API_BASE_URL": "https://api.kie.ai"}, ("music",)),  # same dialect
    ({**SUNOAPI, "SONGBENCH_MEDIA_BASE_URL": "https://media.example"}, ("music", "media")),
    ({**SUNOAPI, "SONGBENCH_MEDIA_API_KEY": "m"}, ("music", "media")),  # the gateway default
    ({**SUNOAPI, "SONGBENCH_TEXT_BASE_URL": "http://localhost:11434/v1"}, ("music", "text")),
])
def test_which_families_a_configured_provider_offers(env, offered):
    hub = providers(env)
    assert tuple(f for f in FAMILIES if hub.offers(f)) == offered
    for family in set(FAMILIES) - set(offered):
        reason = hub.not_offered(family)
        assert reason.startswith("The configured provider (api.") and "offers music only" in reason
        var = "SONGBENCH_MEDIA_BASE_URL" if family == "media" else "SONGBENCH_TEXT_BASE_URL"
        assert var in reason and "nothing is sent" in reason, reason
    with pytest.raises(ValueError, match="unknown API family"):
        hub.offers("video")


def test_nothing_is_sent_where_media_is_not_offered(tmp_path):
    """The adapter refuses before any request (the transport would fail the test), and the
    tracker records the refusal in words on the task row."""
    hub = providers(SUNOAPI)
    body = ops.build_body("video_t2v", {"model": "wan2.6-t2v", "prompt": "waves"}, None)
    with pytest.raises(NotConfigured, match="offers music only") as caught:
        hub.for_op("video_t2v").submit("video_t2v", body)
    assert isinstance(caught.value, NotOffered)  # callers that catch NotOffered catch it
    assert hub.refusal("kling_t2v") is not None and hub.refusal("generate") is None
    log = SqliteLog(tmp_path / "log.db")
    tracker = Tracker(log, hub, callback_base=None)
    task_id = tracker.submit("video_t2v", body)
    row = log.get_task(task_id)
    assert row["state"] == "failed" and "offers music only" in row["error_message"]


def test_the_text_helper_asks_nothing_where_text_is_not_offered():
    text = providers(SUNOAPI).current("text")
    with pytest.raises(NotConfigured, match="text \\(OpenAI-compatible chat\\)"):
        text.models()
    with pytest.raises(NotConfigured):
        text.chat("any-model", [{"role": "user", "content": "hi"}])


def test_the_launch_checks_of_a_family_not_offered_are_not_run(tmp_path):
    """With a sunoapi provider the media and text checks say why they were not run (nothing
    is sent); they never fail for a family the provider does not have."""
    from types import SimpleNamespace

    from lib import checklist

    log = SqliteLog(tmp_path / "log.db")
    hub = providers(SUNOAPI)
    rt = SimpleNamespace(log=log, simulator=None, settings=hub.settings,
                         tracker=SimpleNamespace(providers=hub))
    seen = {}
    checklist.run(rt, ["image", "video_creation", "text"],
                  on_result=lambda check, outcome: seen.update({check.key: outcome}))
    assert {k: o.status for k, o in seen.items()} == {
        "image": checklist.NOT_RUN, "video_creation": checklist.NOT_RUN,
        "text": checklist.NOT_RUN}
    assert "no media (DashScope, Kling) routes" in seen["image"].detail
    assert "no text (OpenAI-compatible chat) routes" in seen["text"].detail
    assert log.count_tasks() == 0
    assert {c.needs for c in checklist.CHECKS} == {"music", "media", "text"}
