"""No LLM at all: the notes themselves, spoken (the chunker turns markdown into speech)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from profai_cli.prompts import LectureRequest


class ReadAloud:
    name = "no LLM: reading the notes aloud"

    async def stream(self, request: LectureRequest) -> AsyncIterator[str]:
        text = request.notes
        yield text if text.endswith("\n") else text + "\n"

    async def complete(self, request: LectureRequest) -> str:
        return request.notes

    async def aclose(self) -> None:
        pass
