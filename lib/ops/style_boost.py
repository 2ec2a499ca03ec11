"""Boost style (contract §5.14): expand a short style into a detailed one (synchronous)."""

from typing import Any

from lib.contract.fields import Field
from lib.contract.operation import DraftSpec, FollowUp, Operation, Ui
from lib.ops._common import paths


def summarize(result: Any) -> str | None:
    style = result.get("result") if isinstance(result, dict) else None
    return f"Style: {style}" if style else None


def _style(result: Any) -> str | None:
    return result.get("result") if isinstance(result, dict) else None


def _use(result: Any) -> dict[str, Any] | None:
    style = result.get("result") if isinstance(result, dict) else None
    return {"style": style, "customMode": True} if style else None


OPERATION = Operation(
    "style_boost", "Boost style", "sync", paths("/api/v1/style/generate", "/suno/style-generate"),
    (Field("content", "str", "Style", "A short style, e.g. 'Pop, Mysterious'.", required=True),),
    Ui("generate", "Style boost", "Boost style", order=30,
       draft=DraftSpec("song", {"style": "content"}),
       follow_ups=(FollowUp("Use this style for a custom song", "generate", _use),),
       result_line=_style),
    sync=True, credits_estimate=1, description="Expand a short style into a detailed one.",
    summarize=summarize)
