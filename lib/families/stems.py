"""Stems family (vocal removal and split stems): poll ``successFlag`` strings (contract §5.15),
one ``*Url`` per stem in ``response`` (null when not produced); callback
``vocal_removal_info`` (§6.4). Assets ``stem:<name>`` (``stem:backing_vocals``...).

``response.originData[]`` (newer docs) names each stem's own id, which MIDI generation takes as
its optional ``audioId``; it becomes the task result ``{"stems": [{"id", "name"}]}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from lib.contract.family import Asset, FileFamily, Parsed, response, routes, text, url


def stem_name(key: str) -> str:
    """``backingVocalsUrl`` -> ``backing_vocals``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", key[: -len("Url")]).lower()


def _origin_data(items: Any) -> list[dict[str, str]]:
    out = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("id"):
            name = item.get("stem_type_group_name") or item.get("stemTypeGroupName") or ""
            out.append({"id": str(item["id"]), "name": str(name)})
    return out


def parse_stems(record: Mapping[str, Any]) -> Parsed:
    source = text(record.get("audioId") or record.get("musicId"))
    resp = response(record)
    assets = [Asset(f"stem:{stem_name(key)}", link, source) for key, value in resp.items()
              if key.endswith("Url") and (link := url(value))]
    stems = _origin_data(resp.get("originData"))
    return Parsed(assets=assets, result={"stems": stems} if stems else None,
                  complete=any(a.kind != "stem:origin" for a in assets))


FAMILY = FileFamily(
    "stems", routes("/api/v1/vocal-removal/record-info", "/suno/query/vocal-removal"),
    {"GENERATE_AUDIO_FAILED": "The stems could not be separated."}, {"stem:": ""},
    "vocal_removal_info", parse_stems)
