"""`profai say "text"`: a line said as the lecture would say it, to check a pronunciation.

The text goes through the same layers as a lecture (markdown and maths to words, then
numbers, units, symbols and the pronunciation list) and the same Lecture and Playback to
the sound device. ``--show`` prints what the voice would be given, a chunk a line, and
speaks nothing.
"""

from __future__ import annotations

import asyncio

from profai_cli.core.config import Settings
from profai_cli.lecture.environment import Environment
from profai_cli.notes.ingest import Notes


async def say(
    settings: Settings, text: str, env: Environment, *, show: bool, notes: Notes | None
) -> None:
    """Speak ``text`` (or, with ``show``, print the words the voice would get)."""
    from profai_cli.core.safe_text import strip_controls
    from profai_cli.lecture.engines import voice_words
    from profai_cli.speech import segment

    text = strip_controls(text)  # a line to say is text from anywhere: the one rule
    if show:
        words = voice_words(settings, notes or Notes(text, "<say>"), None)
        for chunk in segment(text, language=settings.language):
            env.stdout.file.write(words(chunk.text) + "\n")
        env.stdout.file.flush()
        return
    from profai_cli.lecture.assembly import Assembly
    from profai_cli.lecture.playback import Playback

    async with Assembly(env, settings) as parts:
        tts, sink = await parts.open_voice(require=True)
        assert tts is not None and sink is not None
        lecture = parts.lecture(tts, notes or Notes(text, "<say>"))
        playback = Playback.for_settings(settings, lecture, device=sink)
        playback.says_failure = False  # the failure ends say: its one line is the error
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
