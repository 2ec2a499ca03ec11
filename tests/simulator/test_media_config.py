"""The text and media settings and faults on the command line (`python -m simulator`)."""

from __future__ import annotations

from simulator.config import build_parser, config_from_args


def test_text_and_media_flags():
    config = config_from_args(build_parser().parse_args([
        "--text-first-token-ms", "120", "--text-chunk-ms", "3", "--media-retention-hours", "2",
        "--kling-retention-days", "7", "--rate-429-text", "0.5", "--rate-503-text", "0.25",
        "--rate-429-media", "0.1", "--rate-503-media", "0.2", "--gateway-errors"]))
    assert (config.text_first_token_ms, config.text_chunk_ms) == (120, 3)
    assert (config.media_retention_hours, config.kling_retention_days) == (2, 7)
    f = config.faults
    assert (f.rate_429_text, f.rate_503_text, f.rate_429_media, f.rate_503_media) == (0.5, 0.25, 0.1, 0.2)
    assert f.gateway_errors is True


def test_defaults():
    config = config_from_args(build_parser().parse_args([]))
    assert (config.text_first_token_ms, config.text_chunk_ms, config.media_retention_hours,
            config.kling_retention_days) == (300, 15, 24, 30)
    assert config.faults.gateway_errors is False and config.faults.rate_429_media == 0
