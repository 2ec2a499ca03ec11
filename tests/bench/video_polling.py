"""Video polling bench: our polls per finished video task beside the official DashScope SDK's
for the same task duration (issue 16's figure; target: ours <= the SDK's at every duration,
and zero polls after a terminal state).

It starts a simulator in this process and runs DashScope text to video (``video_t2v``), image
to video (``video_i2v``, from a Qwen-Image picture made first: a sync call, no poll) and Kling
text to video (``kling_t2v``) through the real path: the adapters, the task rows (SQLite in a
temp folder) and a `Tracker` with the runtime's own schedule (its defaults, one
``run_once`` per `lib.app.runtime.LOOP_INTERVAL_S`). Time is virtual so a five-minute task
takes a few seconds: the tracker's clock is the simulator's clock, which the loop advances by
the loop interval per tick (`SimClock.advance`, then `Engine.tick`), and stands still
otherwise (a render's real seconds are not task time). The task duration is set
through the simulator's ``speed`` (DashScope video is done 120 s / speed after creation, Kling
150 s / speed); the duration printed is the job's own (created -> completed, simulator clock).

Our polls are the GETs we sent for the task (request events of the log; the task row's
``poll_count`` is printed beside them). After its terminal state every task is watched for a
further `AFTER_S` seconds of the loop: any GET then is a poll after a terminal state (target 0).

The SDK's cadence is its wait loop, dashscope 2.0.2 (installed in the venv):
``dashscope/client/base_api.py`` lines 826-908, ``BaseAsyncApi.wait`` (which
``BaseAsyncApi.call`` runs after its create, line 663, and ``VideoSynthesis.wait`` calls,
``dashscope/aigc/video_synthesis.py`` line 555): ``wait_seconds = 1``, ``max_wait_seconds = 5``,
``increment_steps = 3`` (lines 851-853); each step fetches the task at once (the first fetch
right after the create), the wait doubling on every third step up to 5 s (line 864: ``if
wait_seconds < max_wait_seconds and step % increment_steps == 0``), then
``time.sleep(wait_seconds)`` (line 898) until a status in {SUCCEEDED, FAILED, CANCELED,
UNKNOWN}: fetches at 0, 1, 2, 4, 6, 8, 12, 16, 20, 25, 30 ... s (`tests.bench.dashscope_sdk`).
The bench also runs that very loop (``VideoSynthesis.wait``) against the
simulator for the DashScope durations, its sleeps advancing the simulator clock, and prints
the SDK's measured fetches beside the computed ones.

    python -m tests.bench.video_polling [DURATION_S ...]   (default 10 30 60 120 300)

Exit code 0 when every target is met, 1 when one is not.
"""

from __future__ import annotations

import sys
import tempfile
import time
import types
from dataclasses import dataclass
from pathlib import Path

import httpx

from lib.app.runtime import LOOP_INTERVAL_S
from lib.log.sqlite import SqliteLog
from lib.provider.hub import Providers
from lib.settings import load_settings
from lib.tracking.tracker import Tracker
from tests.bench.dashscope_sdk import fetch_times as sdk_fetch_times
from simulator import clock as sim_clock
from simulator.config import SimConfig
from simulator.server import RunningSimulator, run_in_thread

DURATIONS = (10.0, 30.0, 60.0, 120.0, 300.0)
#: the simulator's real-service time to done per family (simulator/media_families/*.py)
SIM_DONE_S = {"dashscope_video": 120.0, "kling_video": 150.0}
AFTER_S = 120.0
TERMINAL = ("succeeded", "failed")

@dataclass
class Run:
    op: str
    task_id: str
    provider_task_id: str = ""
    duration_s: float = 0.0
    polls: int = 0
    poll_count: int = 0
    after: int = 0
    lag_s: float = 0.0
    state: str = ""


def _gets(log: SqliteLog, task_id: str) -> int:
    return sum(1 for e in log.events_for(task_id) if e["kind"] == "request"
               and (e["method"] or "").upper() == "GET")


class Bench:
    def __init__(self, tmp: Path) -> None:
        self.sim: RunningSimulator = run_in_thread(SimConfig(credits=10**6, workers=2))
        self.engine = self.sim.sim.engine
        # the simulator clock stands still but for `advance`: a render's real seconds, or the
        # bench's own, are not task time
        self._frozen = sim_clock.time
        sim_clock.time = types.SimpleNamespace(time=lambda now=time.time(): now)
        settings = load_settings(env={"SONGBENCH_MEDIA_API_KEY": "bench",
                                      "SONGBENCH_MEDIA_BASE_URL": self.sim.base_url,
                                      "SONGBENCH_API_KEY": "bench",
                                      "SONGBENCH_API_BASE_URL": self.sim.base_url}, secrets={})
        self.log = SqliteLog(tmp / "log.db")
        self.providers = Providers(settings, on_event=self.log.log_client_event)
        # the runtime's tracker (its default schedule), on the simulator's clock
        self.tracker = Tracker(self.log, self.providers, clock=self.engine.clock.now)
        self.image_url = ""

    def speed(self, family: str, duration_s: float) -> None:
        speed = SIM_DONE_S[family] / duration_s
        httpx.post(f"{self.sim.base_url}/_sim/config", json={"speed": speed},
                   timeout=10).raise_for_status()

    def advance(self, seconds: float) -> None:
        self.engine.clock.advance(seconds)
        self.engine.tick()

    def wait_rendered(self, provider_ids: list[str], timeout: float = 120.0) -> None:
        """Real time until the simulator has rendered each job's media (a stage advances only
        once its media exists, so a slow render would stretch the virtual duration)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            jobs = [self.engine.jobs[p] for p in provider_ids]
            if all(j.ready >= len(j.stages) or j.error is not None for j in jobs):
                return
            time.sleep(0.05)
        raise RuntimeError("the simulator did not render the videos in time")

    def submit(self, op: str, n: int) -> Run:
        bodies = {
            "video_t2v": {"model": "wan2.6-t2v", "prompt": f"bench vinyl record {n}",
                          "size": "1280*720", "duration": 2},
            "video_i2v": {"model": "wan2.6-i2v-flash", "img_url": self.image_url,
                          "prompt": f"bench poster comes alive {n}", "resolution": "720P",
                          "duration": 2},
            "kling_t2v": {"model_name": "kling-v3", "prompt": f"bench drummer {n}",
                          "mode": "std", "duration": 3, "aspect_ratio": "16:9"},
        }
        task_id = self.tracker.submit(op, bodies[op])
        row = self.log.get_task(task_id)
        if not row or not row["provider_task_id"]:
            raise RuntimeError(f"{op} was not accepted: {row and row['error_message']}")
        return Run(op, task_id, row["provider_task_id"])

    def make_image(self) -> None:
        task = self.tracker.submit("qwen_image", {"model": "qwen-image-plus",
                                                  "prompt": "a bench poster",
                                                  "size": "1328*1328"})
        row = self.log.get_task(task)
        assert row and row["state"] == "succeeded", row
        self.image_url = self.log.assets_for(task)[0]["url"]
        self.qwen_gets = _gets(self.log, task)

    def one_duration(self, duration_s: float, n: int) -> list[Run]:
        self.speed("dashscope_video", duration_s)
        runs = [self.submit("video_t2v", n), self.submit("video_i2v", n)]
        self.speed("kling_video", duration_s)
        runs.append(self.submit("kling_t2v", n))
        self.wait_rendered([r.provider_task_id for r in runs])
        done_at: dict[str, float] = {}
        gets_at: dict[str, int] = {}
        limit = duration_s * 3 + 120
        waited = 0.0
        while waited < limit:
            self.advance(LOOP_INTERVAL_S)
            waited += LOOP_INTERVAL_S
            self.tracker.run_once()
            for r in runs:
                row = self.log.get_task(r.task_id)
                if r.task_id not in done_at and row and row["state"] in TERMINAL:
                    done_at[r.task_id] = self.engine.clock.now()
                    gets_at[r.task_id] = _gets(self.log, r.task_id)
            if len(done_at) == len(runs) and all(
                    self.engine.clock.now() - t >= AFTER_S for t in done_at.values()):
                break
        for r in runs:
            row = self.log.get_task(r.task_id)
            job = self.engine.jobs[r.provider_task_id]
            r.state = row["state"] if row else "?"
            r.duration_s = (job.completed or 0.0) - job.created
            r.poll_count = row["poll_count"] if row else 0
            r.polls = gets_at.get(r.task_id, _gets(self.log, r.task_id))
            r.after = _gets(self.log, r.task_id) - r.polls
            r.lag_s = done_at.get(r.task_id, float("nan")) - (job.completed or 0.0)
        return runs

    def sdk_measured(self, duration_s: float) -> tuple[int, float]:
        """The SDK's own ``VideoSynthesis.wait`` on a DashScope task of ``duration_s``, its
        sleeps advancing the simulator clock: (fetches, its delay after the job's end)."""
        import dashscope
        from dashscope.aigc.video_synthesis import VideoSynthesis
        from dashscope.client import base_api

        self.speed("dashscope_video", duration_s)
        created = httpx.post(
            f"{self.sim.base_url}/dashscope/v1/services/aigc/video-generation/video-synthesis",
            headers={"Authorization": "Bearer bench", "X-DashScope-Async": "enable"},
            json={"model": "wan2.6-t2v", "input": {"prompt": "bench sdk"},
                  "parameters": {"size": "1280*720", "duration": 2}}, timeout=30).json()
        task_id = created["output"]["task_id"]
        self.wait_rendered([task_id])
        fetches = [0]
        real_get = VideoSynthesis._get.__func__

        def counting_get(cls, *args, **kwargs):
            fetches[0] += 1
            return real_get(cls, *args, **kwargs)

        fake_time = types.SimpleNamespace(time=self.engine.clock.now, sleep=self.advance)
        saved = (base_api.time, dashscope.base_http_api_url)
        base_api.time = fake_time
        dashscope.base_http_api_url = f"{self.sim.base_url}/dashscope/v1"
        VideoSynthesis._get = classmethod(counting_get)
        try:
            answer = VideoSynthesis.wait(task_id, api_key="bench")
        finally:
            base_api.time, dashscope.base_http_api_url = saved
            del VideoSynthesis._get  # back to the inherited classmethod
        job = self.engine.jobs[task_id]
        assert answer.output.task_status == "SUCCEEDED", answer
        return fetches[0], self.engine.clock.now() - (job.completed or 0.0)

    def close(self) -> None:
        sim_clock.time = self._frozen
        self.sim.stop()


def main(argv: list[str] | None = None, out=print) -> int:
    args = [a for a in (sys.argv[1:] if argv is None else argv) if not a.startswith("--")]
    durations = [float(a) for a in args] or list(DURATIONS)
    ok = True
    with tempfile.TemporaryDirectory(prefix="songbench-video-polling-") as tmp:
        bench = Bench(Path(tmp))
        try:
            bench.make_image()
            rows = []
            for n, duration in enumerate(durations):
                runs = bench.one_duration(duration, n)
                sdk_run = bench.sdk_measured(duration)
                rows.append((duration, runs, sdk_run))
        finally:
            bench.close()
    out("\n== video polling: our polls per finished video task vs the dashscope SDK's wait "
        "(virtual time; tracker defaults, a tick every "
        f"{LOOP_INTERVAL_S:g} s)")
    out(f"   qwen_image (sync, the i2v picture): {bench.qwen_gets} GETs (target 0)")
    ok &= bench.qwen_gets == 0
    out("   target  op          task s  state      our polls (row)  SDK polls (computed/"
        "measured)  our lag s  SDK lag s  after terminal  ours<=SDK")
    for duration, runs, (sdk_fetches, _sdk_lag) in rows:
        for r in runs:
            computed = sdk_fetch_times(r.duration_s)
            measured = f"{sdk_fetches}" if r.op.startswith("video_") else "-"
            sdk_lag_s = computed[-1] - r.duration_s
            meets = r.polls <= len(computed) and r.after == 0 and r.state == "succeeded"
            ok &= meets
            out(f"   {duration:5.0f}s  {r.op:10s} {r.duration_s:7.1f}  {r.state:9s}  "
                f"{r.polls:9d} ({r.poll_count:3d})  {len(computed):14d} / {measured:>8s}  "
                f"{r.lag_s:9.1f}  {sdk_lag_s:9.1f}  {r.after:14d}  "
                f"{'yes' if meets else 'NO'}")
    after = sum(r.after for _, runs, _ in rows for r in runs)
    out(f"   polls after a terminal state: {after} (target 0), each task watched "
        f"{AFTER_S:.0f} s after it ended")
    out(f"   video polling: {'all targets met' if ok else 'targets missed'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
