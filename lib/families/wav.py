"""WAV family: poll ``successFlag`` strings (contract §5.13), ``response.audioWavUrl``;
callback ``audioWavUrl`` (null on failure, §6.3). Asset: ``wav`` of the source track."""

from __future__ import annotations

from lib.contract.family import FileFamily, routes, single_file

FAMILY = FileFamily(
    "wav", routes("/api/v1/wav/record-info", "/suno/query/wav"),
    {"GENERATE_WAV_FAILED": "The WAV conversion failed."}, {"wav": "WAV"}, "audioWavUrl",
    lambda record: single_file(record, "wav", "audioWavUrl"))
