"""What the Suno Voice phrase operations (`voice_validate`, `voice_regenerate`) share."""

from typing import Any


def summarize(result: Any) -> str | None:
    """The board's line for a phrase task: the phrase to record."""
    phrase = result.get("phrase") if isinstance(result, dict) else None
    return f"Phrase to record: “{phrase}”" if phrase else None
