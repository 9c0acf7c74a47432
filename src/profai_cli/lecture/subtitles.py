"""Subtitles (SRT, WebVTT) and the chapter list, from each chunk's place in the audio."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from profai_cli.audio.tags import stamp
from profai_cli.speech import Chunk, ChunkKind
from profai_cli.speech.spoken import written


@dataclass(frozen=True)
class Cue:
    start: float  # seconds, exact to the samples written
    end: float
    text: str
    heading: bool
    words: tuple[tuple[str, float], ...] = ()  # each word and when it begins
    speaker: str = ""  # a dialogue's: a WebVTT voice span, "Host: " before an SRT cue


def cue(
    chunk: Chunk,
    start: int,
    end: int,
    rate: int,
    lecture: str = "",
    said: list[float] | None = None,
) -> Cue:
    """The chunk's cue: its text as written in the lecture (formulas and symbols kept), or
    as said where the written form is not text (a table row). ``said``: when each word
    the voice was given began, if it said."""
    from profai_cli.speech.timing import word_times

    span = lecture[chunk.start : chunk.end] if lecture else ""
    shown = written(span) if span and not span.lstrip().startswith(("|", "```", "~~~")) else ""
    text = shown or chunk.text
    begin, finish = start / rate, end / rate
    words = tuple((text[a:b], begin + at) for a, b, at in word_times(text, finish - begin, said))
    return Cue(begin, finish, text, chunk.kind is ChunkKind.HEADING, words, chunk.speaker)


def render(cues: list[Cue], path: Path, *, words: bool = False) -> str:
    """SRT or WebVTT by the file's extension. With ``words``, WebVTT marks each word's
    start inside its sentence's cue (players highlight it), and SRT has a cue a word."""
    vtt = path.suffix.lower() == ".vtt"
    sep = "." if vtt else ","
    lines = ["WEBVTT", ""] if vtt else []
    n = 0
    for c in cues:
        if words and not vtt and c.words:
            ends = [at for _, at in c.words[1:]] + [c.end]
            for (word, at), until in zip(c.words, ends, strict=True):
                n += 1
                lines += [str(n), f"{stamp(at, sep)} --> {stamp(until, sep)}", word, ""]
            continue
        n += 1
        if not vtt:
            lines.append(str(n))
        lines.append(f"{stamp(c.start, sep)} --> {stamp(c.end, sep)}")
        if words and c.words:
            said = " ".join(f"<{stamp(at, '.')}>{word}" for word, at in c.words)
        else:
            said = c.text
        if c.speaker:
            said = f"<v {c.speaker}>{said}" if vtt else f"{c.speaker}: {said}"
        lines += [said, ""]
    return "\n".join(lines)


def chapters(cues: list[Cue], total: float) -> list[tuple[float, float, str]]:
    """(start, end, title) for each heading; the first starts at 0 if speech precedes it."""
    heads = [(c.start, c.text.rstrip(".")) for c in cues if c.heading]
    if not heads:
        return []
    if heads[0][0] > 0.5:
        heads.insert(0, (0.0, "Introduction"))
    else:
        heads[0] = (0.0, heads[0][1])
    ends = [h[0] for h in heads[1:]] + [total]
    return [(start, end, title) for (start, title), end in zip(heads, ends, strict=True)]


def chapter_list(chaps: list[tuple[float, float, str]]) -> str:
    """The chapters as a comment at the top of the transcript (never spoken)."""
    if not chaps:
        return ""
    rows = "\n".join(f"  {stamp(start, '.')[:8]}  {title}" for start, _, title in chaps)
    return f"<!--\nChapters:\n{rows}\n-->\n\n"


def held_back_list(held: list[dict[str, str]]) -> str:
    """What the model wrote that the check did not let through, as a comment at the end
    of the transcript (never spoken): for a teacher to see what it tried to say."""
    if not held:
        return ""
    rows = "\n".join(
        f"- {h['sentence']}\n  held to: {h.get('notes', '')}\n  because: {h.get('reason', '')}"
        for h in held
    )
    return (
        f"\n<!--\nHeld back by the check ({len(held)}): the model's sentence, the notes "
        f"sentence it was held to, and why.\n{rows}\n-->\n"
    )


def bookmark_list(marks: list[dict[str, object]]) -> str:
    """The bookmarks made while it was taught (b): where each is and its sentence, as a
    comment beside the chapters (never spoken, even by --from-transcript)."""
    if not marks:
        return ""
    at = sorted((_seconds(m.get("seconds")), str(m.get("text", ""))) for m in marks)
    rows = "\n".join(f"  {stamp(seconds, '.')[:8]}  {text}" for seconds, text in at)
    return f"<!--\nBookmarks:\n{rows}\n-->\n\n"


def _seconds(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0
