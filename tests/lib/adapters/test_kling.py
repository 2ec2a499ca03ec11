"""The Kling adapter's own rules (contract-media 1.5): its envelope (code 0 is success), the
create route's GET with the id in the path, and its codes on the shared vocabulary."""

from __future__ import annotations

import httpx
import pytest

from lib.contract.family import Family
from lib.contract.fields import Field
from lib.contract.operation import Operation, Ui
from lib.provider import errors
from lib.provider.adapters.kling import KlingAdapter
from lib.settings import load_settings
from tests.lib import contract_examples as ex

SETTINGS = load_settings(env={"SONGBENCH_MEDIA_BASE_URL": "https://gw.test",
                              "SONGBENCH_MEDIA_API_KEY": "k"}, secrets={})
T2V = Operation("kling_t2v", "Kling text to video", "kling_task",
                {"anyint": "/transtreams/kling/v1/videos/text2video"},
                (Field("prompt", "text", "Prompt", "What it shows.", required=True),),
                Ui("media", "Kling", "Make video"), provider="kling")


class KlingTask(Family):
    name = "kling_task"
    provider = "kling"
    poll = {"anyint": "{create}/{task_id}"}


def test_the_id_goes_in_the_create_routes_own_get():
    with KlingAdapter(SETTINGS) as client:
        url, params = client.poll_request(KlingTask(), "kt 1", T2V)
    assert url == "https://gw.test/transtreams/kling/v1/videos/text2video/kt%201"
    assert params is None


def test_the_envelope_and_the_task_id():
    with KlingAdapter(SETTINGS) as client:
        answer = client.read(httpx.Response(200, json=ex.KLING_CREATE), "kling_t2v")
        assert client.task_id_of(answer) == "kt-1"
        assert client.record_of(KlingTask(), client.read(
            httpx.Response(200, json=ex.KLING_DONE), "query"))["task_status"] == "succeed"


@pytest.mark.parametrize("status,body,kind", [
    (200, {"code": 1302, "message": "API request too fast"}, errors.RateLimited),
    (429, {"code": 1303, "message": "concurrency exceeded"}, errors.RateLimited),
    (400, {"code": 1102, "message": "resource pack depleted"}, errors.InsufficientCredits),
    (401, {"code": 1002, "message": "authorization invalid"}, errors.AuthError),
    (400, {"code": 1301, "message": "content security policy"}, errors.ContentRejected),
    (429, {"error": {"message": "slow down", "type": "rate_limit_error"}}, errors.RateLimited),
])
def test_its_codes_map_onto_the_shared_vocabulary(status, body, kind):
    with KlingAdapter(SETTINGS) as client, pytest.raises(kind) as raised:
        client.read(httpx.Response(status, json=body), "kling_t2v")
    assert raised.value.provider == "kling"


def test_a_server_error_on_create_proves_nothing():
    with KlingAdapter(SETTINGS) as client, pytest.raises(Exception) as raised:
        client.ambiguous(httpx.Response(200, json={"code": 5000, "message": "internal"}))
    assert type(raised.value).__name__ == "_SentButLost"
