"""vocal_removal — `POST /api/v1/vocal-removal/generate` | `/suno/vocal-removal` (contract 5.15),
stems family, `type=separate_vocal` (the default).

Rules and start are shared with split_stem (`_stems`): source track complete and in `taskId`.
Both routes also take `type=split_stem`, which selects the split_stem operation (see its
`selector`). Render: two stems, vocals (lead + backing) and instrumental (everything else).
"""

from simulator.ops import _stems

OP = _stems.operation("vocal_removal", "separate_vocal", anyint="/suno/vocal-removal", cost=10, selected=False)
