"""Latency and throughput numbers for one lecture, all on one monotonic clock."""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path


def process_start() -> float:
    """time.monotonic() when this process started (not when profai was imported).

    Linux gives the start in clock ticks since boot; CLOCK_BOOTTIME is the same base.
    """
    try:
        with open("/proc/self/stat", "rb") as fh:
            stat = fh.read().rsplit(b")", 1)[1].split()
        started = int(stat[19]) / os.sysconf("SC_CLK_TCK")
        age = time.clock_gettime(time.CLOCK_BOOTTIME) - started
        if 0 <= age < 60:
            return time.monotonic() - age
    except (OSError, ValueError, IndexError, AttributeError):
        pass
    return _IMPORTED


_IMPORTED = time.monotonic()


@dataclass
class Metrics:
    """Times are seconds since t0, None when the moment never came. t0 is the process's
    start for a lecture taught on its own (start-up counts), the lecture's own start for
    the later lectures of a course."""

    t0: float = field(default_factory=process_start)
    first_token: float | None = None
    first_chunk: float | None = None
    first_tts_bytes: float | None = None
    first_audible: float | None = None
    finished: float | None = None
    words: int = 0
    chunks: int = 0
    audio_seconds: float = 0.0
    tts_seconds: float = 0.0  # summed wall time of synthesis requests
    underruns: int = 0  # silences mid-lecture: the voice ran dry (one per silence)
    silences: list[float] = field(default_factory=list)  # how long each of them lasted
    heard_seconds: float | None = None  # how far into the lecture the listener got
    heard_sentences: int | None = None  # ... in sentences
    device_underflows: int = 0  # the card ran dry: our callback was late (CPU starved)
    output_latency: float | None = None
    llm: str = ""
    tts: str = ""
    resumes: int = 0  # times a cut lecture stream was continued
    stand_ins: int = 0  # sentences the offline voice said for the failed main voice
    timed_by_voice: int = 0  # sentences whose word times are the voice's own, not estimated
    # The built-in lecturer's sentences by kind: from the notes, signposts, questions,
    # the model's shortenings kept and dropped by the claim check.
    sentence_kinds: dict[str, int] | None = None
    trimmed: bool = False  # the service wrote past the bound on a lecture's length
    marks: list[tuple[str, float]] = field(default_factory=list)  # (moment, monotonic time)

    def moment(self, name: str) -> None:
        """A named moment of this lecture (the start-up's come from core.timeline)."""
        self.marks.append((name, time.monotonic()))

    def mark(self, name: str, at: float | None = None) -> None:
        """Record the first time a moment happens; later calls keep the first."""
        if getattr(self, name) is None:
            setattr(self, name, (time.monotonic() if at is None else at) - self.t0)

    @property
    def wall_seconds(self) -> float:
        return self.finished if self.finished is not None else time.monotonic() - self.t0

    @property
    def tts_real_time_factor(self) -> float | None:
        return self.tts_seconds / self.audio_seconds if self.audio_seconds else None

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["process_start_monotonic"] = data.pop("t0")
        data["wall_seconds"] = self.wall_seconds
        data["tts_real_time_factor"] = self.tts_real_time_factor
        data["time_to_first_audio"] = self.first_audible
        data.pop("marks", None)
        data["timeline"] = {name: at - self.t0 for name, at in self.marks}
        return data

    def write_json(self, path: Path) -> None:
        from profai_cli.core.outputs import write_text

        write_text(path, json.dumps(self.as_dict(), indent=2) + "\n")

    def rows(self) -> list[tuple[str, str]]:
        """The --stats table, in a listener's words (the README explains each row)."""

        def sec(v: float | None) -> str:  # one unit for every row: seconds
            return "-" if v is None else f"{v:.2f} s" if v < 10 else f"{v:.1f} s"

        waits = self.silences
        waited = (
            f"{len(waits)}: {sum(waits):.1f} s in all, the longest {max(waits):.1f} s"
            if waits
            else "none"
        )
        rtf = self.tts_real_time_factor
        heard = [] if self.heard_seconds is None else [("audio heard", sec(self.heard_seconds))]
        if self.heard_sentences is not None:
            heard.append(("sentences heard", str(self.heard_sentences)))
        return (
            [
                ("first words from the lecturer", sec(self.first_token)),
                ("first sentence ready to speak", sec(self.first_chunk)),
                ("first audio from the voice", sec(self.first_tts_bytes)),
                ("first sound from the speaker", sec(self.first_audible)),
                ("sound card's own delay", sec(self.output_latency)),
                ("silences waiting for the voice", waited),
                ("sound card ran dry (profai late)", str(self.device_underflows)),
                ("sentences made by the voice", str(self.chunks)),
                ("audio made", sec(self.audio_seconds)),
            ]
            + heard
            + [
                ("time taken", sec(self.wall_seconds)),
                ("voice's time per second of audio", "-" if rtf is None else f"{rtf:.3f}"),
            ]
            + [(f"sentences: {kind}", str(n)) for kind, n in (self.sentence_kinds or {}).items()]
        )
