"""The `python -m simulator` command line: flags land in SimConfig and its faults."""

from __future__ import annotations

from simulator.config import build_parser, config_from_args


def test_command_line_flags():
    args = build_parser().parse_args(["--speed", "50", "--track-seconds", "8", "--create-timeout", "2.5",
                                      "--fail-rate", "0.25", "--sensitive-words", "foo, bar", "--duplicate-callbacks"])
    config = config_from_args(args)
    assert config.speed == 50 and config.track_seconds == 8
    assert config.faults.create_timeout == 2.5 and config.faults.fail_rate == 0.25
    assert config.faults.sensitive_words == ["foo", "bar"] and config.faults.duplicate_callbacks is True


def test_create_timeout_is_documented_as_a_delay():
    text = " ".join(build_parser().format_help().split("options:")[1].split())
    described = text[text.index("--create-timeout CREATE_TIMEOUT"):text.index("--fail-rate")]
    assert "delay in seconds" in described and "probability" not in described
