"""WAV family: poll ``successFlag`` strings (contract §5.13), ``response.audioWavUrl``;
callback ``audioWavUrl`` (null on failure, §6.3). Asset: ``wav`` of the source track."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.family import Asset, Family, Parsed, response, text, url


def single_file(record: Mapping[str, Any], kind: str, key: str) -> Parsed:
    """A family whose result is one file of the source track (WAV, MP4)."""
    link = url(response(record).get(key))
    source = text(record.get("audioId") or record.get("musicId"))
    return Parsed(assets=[Asset(kind, link, source)] if link else [], complete=link is not None)


class Wav(Family):
    name = "wav"
    poll = {"sunoapi": "/api/v1/wav/record-info", "anyint": "/suno/query/wav"}
    failure_words = {"GENERATE_WAV_FAILED": "The WAV conversion failed.",
                     "CREATE_TASK_FAILED": "The provider could not start the task.",
                     "CALLBACK_EXCEPTION": "The provider failed while delivering the result."}
    asset_labels = {"wav": "WAV"}
    callback_keys = ("audioWavUrl",)
    callback_priority = 10

    def parse_record(self, record: Mapping[str, Any]) -> Parsed:
        return single_file(record, "wav", "audioWavUrl")


FAMILY = Wav()
