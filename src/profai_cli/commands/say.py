"""`profai say "text"`: a line said as the lecture would say it, to check a pronunciation.

The text goes through the same layers as a lecture (markdown and maths to words, then
numbers, units, symbols and the pronunciation list) and the same Lecture and Playback to
the sound device. ``--show`` prints what the voice would be given, a chunk a line, and
speaks nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys

from profai_cli.core.config import Settings
from profai_cli.lecture.environment import Environment
from profai_cli.notes.ingest import Notes


async def say(
    settings: Settings, text: str, env: Environment, *, show: bool, notes: Notes | None
) -> None:
    """Speak ``text`` (or, with ``show``, print the words the voice would get)."""
    from profai_cli.lecture.engines import voice_words
    from profai_cli.speech import segment

    if show:
        from profai_cli.core.config import pronunciations
        from profai_cli.speech.pronounce import for_notes
        from profai_cli.speech.voice import VoiceText

        listed = for_notes(pronunciations(), notes.source if notes is not None else None)
        words = VoiceText(listed, context=lambda: notes.text if notes else text)
        for chunk in segment(text, language=settings.language):
            sys.stdout.write(words(chunk.text) + "\n")
        sys.stdout.flush()
        return
    from profai_cli.commands.ask import open_voice
    from profai_cli.lecture.engines import build_standin
    from profai_cli.lecture.lecture import Lecture
    from profai_cli.lecture.playback import Playback

    tts, sink = await open_voice(settings, True, env)
    assert tts is not None and sink is not None
    lecture = Lecture(
        tts,
        env.metrics,
        env.status,
        lookahead=settings.lookahead,
        standin=build_standin(settings, tts),
        language=settings.language,
        words=voice_words(settings, notes or Notes(text, "<say>"), tts),
    )
    playback = Playback.for_settings(settings, lecture, sink)
    playing = asyncio.ensure_future(playback.run(until_heard=True))
    try:
        lecture.add_text(text)
        lecture.end_text()
        await playing
        await sink.drain()
        if playback.failed is not None:
            raise playback.failed
    finally:
        playing.cancel()
        await asyncio.gather(playing, return_exceptions=True)
        await lecture.aclose()
        sink.close()
        with contextlib.suppress(Exception):
            await tts.aclose()
