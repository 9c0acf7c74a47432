"""--focus said not to apply, in one line before the lecture, never dropped in silence:
every lecturer but a --free service says every part of the notes in their order (the
notes are the lecture's skeleton). A --minutes the notes cannot match has its own line
(``engines.length_note``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from profai_cli.core.prompts import LectureRequest
    from profai_cli.llm.base import LLM


def unheeded(llm: LLM, request: LectureRequest) -> list[str]:
    """The line for --focus when this lecturer will not follow it (a lecturer that plans
    from the notes knows its length: one that writes freely does not)."""
    if not request.focus or llm.planned_minutes(request) is None:
        return []
    return [
        "--focus is not applied: the lecture goes through every part of the notes in their "
        "order (--section keeps one part; with --free a service model can put the focus "
        "first)."
    ]
