"""A finished video task reads as one line on its card (never the raw result dict), for every
video operation of both media providers."""

from lib import ops
from lib.views.board import result_summary


def test_every_video_operation_summarizes_its_result_in_words():
    dashscope = {"actual_prompt": "neon rain, slow dolly", "usage": {"video_duration": 5,
                                                                      "video_count": 1}}
    for op in ("video_t2v", "video_i2v"):
        assert result_summary(op, dashscope) == ("5 s of video · prompt as the provider ran "
                                                 "it: neon rain, slow dolly")
    for op in ("kling_t2v", "kling_i2v"):
        assert result_summary(op, {"videos": 1, "duration": "5"}) == "5 s of video"
    video_ops = [o.name for o in ops.OPERATIONS.values()
                 if o.family in ("dashscope_video", "kling_video")]
    assert all(ops.get(o).summarize is not None for o in video_ops), video_ops
