"""Music video (contract §5.16): an MP4 with the cover art and the audio of one track."""

from lib.contract.fields import AUDIO_ID, CALLBACK, TASK_ID, Field
from lib.contract.operation import Operation, Ui
from lib.ops._common import TRACK, paths

OPERATION = Operation(
    "mp4", "Music video", "mp4", paths("/api/v1/mp4/generate", "/suno/mp4-generate"),
    (TASK_ID, AUDIO_ID,
     Field("author", "str", "Author", "Shown in the video.", max_len=50),
     Field("domainName", "str", "Watermark", "Domain shown as a watermark.", max_len=50),
     CALLBACK),
    Ui("transform", "Music video", "Make video", order=120, sources=(TRACK,), from_track=True),
    credits_estimate=4, description="An MP4 with the cover art and audio.")
