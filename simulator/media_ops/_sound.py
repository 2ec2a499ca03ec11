"""The soundtrack of a video made with sound but without an `audio_url` (wan2.5/2.6 by default,
Kling with `generate_audio`/`sound: on`): an instrumental bed from the synth, its style taken from
the prompt, exactly as long as the video."""

from __future__ import annotations

import numpy as np

from simulator import synth


def bed(prompt: str, seconds: float, seed_text: str) -> np.ndarray:
    """Stereo PCM at `synth.SR` for `seconds`, the same for the same prompt and seed text."""
    spec = synth.spec_from_request(prompt, None, prompt, seed_text, True, max(seconds, 1.0), 0)
    return synth.render(spec).mix()
