"""split_stem — `POST /api/v1/vocal-removal/generate` with `type=split_stem` | `/suno/split-stem`
(contract 5.15), stems family.

On sunoapi the route is vocal_removal's; the body's `type=split_stem` selects this operation.
AnyInt gives it its own route, where `type=split_stem` is forced into the body. Rules and start
are shared with vocal_removal (`_stems`). Render: one stem per layer the source song really has
(up to 12: vocals, backing_vocals, drums, bass, guitar, keyboard, strings, brass, woodwinds,
percussion, synth, fx).
"""

from simulator.ops import _stems

OP = _stems.operation("split_stem", "split_stem", anyint="/suno/split-stem", cost=50, selected=True)
