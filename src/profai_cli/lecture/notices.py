"""Options a lecturer cannot honour, said in one line each before the lecture, never
dropped in silence: the built-in lecturer and the narrated notes say every part of the
notes in their order, so ``--focus`` changes nothing and ``--minutes`` does not cut."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from profai_cli.core.prompts import LectureRequest
    from profai_cli.llm.base import LLM

LONGER = 1.4  # planned over asked: said when the notes make this much more lecture


def unheeded(llm: LLM, request: LectureRequest) -> list[str]:
    """One line for each option this lecturer will not follow (none for a service)."""
    if llm.kind == "service":
        return []
    who = "the built-in lecturer" if llm.kind == "built-in" else "narrating the notes"
    lines = []
    if request.focus:
        lines.append(
            f"--focus is not applied: {who} goes through every part of the notes in their "
            "order (a service model can put the focus first; --section keeps one part)."
        )
    planned = llm.planned_minutes(request)
    if planned is not None and planned > LONGER * request.minutes:
        lines.append(
            f"These notes make about {round(planned):,} minutes of lecture, not "
            f"{request.minutes:g}: {who} says all of them (--section keeps one part; a service "
            "model writes to --minutes)."
        )
    return lines
