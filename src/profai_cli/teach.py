"""`profai teach`: the lecture on the panel, and in the voice when there is one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from profai_cli.backends import select_llm
from profai_cli.config import Settings
from profai_cli.ingest import Notes
from profai_cli.metrics import Metrics
from profai_cli.pipeline import lecture_text, show_lecture
from profai_cli.prompts import LectureRequest
from profai_cli.ui import LecturePanel, Status


@dataclass
class TeachOptions:
    audio: bool = True
    require_audio: bool = False
    stats: bool = False
    stats_json: Path | None = None


def lecture_request(settings: Settings, notes: Notes) -> LectureRequest:
    return LectureRequest(
        notes=notes.text,
        level=settings.level,
        minutes=settings.minutes,
        language=settings.language,
        focus=settings.focus,
    )


async def teach(
    settings: Settings,
    notes: Notes,
    options: TeachOptions,
    *,
    panel: LecturePanel,
    status: Status,
    metrics: Metrics,
) -> None:
    llm, why = select_llm(settings)
    metrics.llm = llm.name
    status.info(why)
    status.info("Preparing lecture...")
    request = lecture_request(settings, notes)
    status.info(
        "Generating lecture in real time..."
        if settings.stream
        else "Generating the whole lecture first (--no-stream)..."
    )
    deltas = lecture_text(llm, request, stream=settings.stream, status=status, metrics=metrics)
    result = await show_lecture(deltas, panel)
    metrics.words = result.words
    metrics.mark("finished")
    first = "-" if metrics.first_token is None else f"{metrics.first_token:.1f} s"
    status.info(
        f"Lecture done: {result.words:,} words in {metrics.wall_seconds:.1f} s "
        f"(first token after {first})."
    )
