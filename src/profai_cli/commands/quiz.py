"""`profai quiz` and `profai review`: questions from the notes, answered, graded, and
asked again later.

Each question is shown (and said, with a voice), an answer is read (typed on a terminal,
or one a line on stdin from a script), graded against the notes' sentence, and the
feedback shown and said. Every answer is written to the course's review cards at once,
so Ctrl-C keeps what was answered. ``--json`` writes one event a line instead of text.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from profai_cli.core.config import Settings
from profai_cli.core.errors import InputError
from profai_cli.lecture.assembly import Assembly
from profai_cli.lecture.cards import Card, Deck, course_key, now, rating_for
from profai_cli.lecture.environment import Environment
from profai_cli.lecture.playback import Playback
from profai_cli.llm.base import Quizzer
from profai_cli.notes.ingest import Notes
from profai_cli.teaching.quiz_rules import Grade, Quizzed, pick
from profai_cli.ui.wrap import wrapped

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class QuizOptions:
    count: int = 5
    json: bool = False
    audio: bool = True
    anki: Path | None = None  # write the questions as an Anki deck instead of asking


async def course_questions(notes: list[Notes], quizzer: Quizzer) -> list[list[Quizzed]]:
    """Every question the notes answer, by section, each with its file."""
    out: list[list[Quizzed]] = []
    for one in notes:
        for section in await quizzer.questions(one.text):
            out.append([Quizzed(q, one.source) for q in section])
    return out


def chosen(by_section: list[list[Quizzed]], count: int) -> list[Quizzed]:
    """``count`` questions across the course, sections weighted by what they hold."""
    files = {id(q.question): q.file for section in by_section for q in section}
    pools = [[q.question for q in section] for section in by_section]
    return [Quizzed(q, files[id(q)]) for q in pick(pools, count)]


def every(by_section: list[list[Quizzed]]) -> list[Quizzed]:
    return [q for section in by_section for q in section]


def no_questions(notes: list[Notes]) -> InputError:
    named = ", ".join(n.source for n in notes)
    return InputError(
        f"{named}: no questions to ask (no definitions, tables, lists or facts found); "
        "add notes with content"
    )


def _quizzer(parts: Assembly) -> Quizzer:
    """The lecturer's way of writing and grading questions (a service's model, else the
    notes' own rules)."""
    return parts.lecturer().quizzer(parts.env.status.warn)


async def quiz(
    settings: Settings, notes: list[Notes], options: QuizOptions, env: Environment
) -> int:
    """Ask, grade and schedule; the number answered right."""
    async with Assembly(env, settings) as parts:
        quizzer = _quizzer(parts)
        asked = chosen(await course_questions(notes, quizzer), options.count)
        if not asked:
            raise no_questions(notes)
        if len(asked) < options.count:
            env.status.info(f"These notes hold {len(asked)} questions, not {options.count}.")
        deck = Deck(course_key([n.source for n in notes]), warn=env.status.warn)
        cards = [(q, deck.card_for(q.question, q.file, q.id)) for q in asked]
        return await _ask_all(parts, quizzer, cards, deck, options, "quiz")


async def review(
    settings: Settings, notes: list[Notes], options: QuizOptions, env: Environment
) -> int:
    """The cards due now (most overdue first), then new questions up to the count."""
    async with Assembly(env, settings) as parts:
        quizzer = _quizzer(parts)
        deck = Deck(course_key([n.source for n in notes]), warn=env.status.warn)
        due = deck.due_now()
        room = max(0, options.count - len(due))
        fresh = []
        if room or not deck.cards:
            fresh = [
                q for q in every(await course_questions(notes, quizzer)) if q.id not in deck.cards
            ]
        if not due and not fresh:
            if not deck.cards:
                raise no_questions(notes)
            nxt = min(c.due() for c in deck.cards.values())
            env.status.info(f"Nothing due: the next card is due {nxt:%Y-%m-%d %H:%M} UTC.")
            return 0
        queue: list[tuple[Quizzed, Card]] = [
            (Quizzed(c.as_question(), c.file), c) for c in due[: options.count]
        ]
        for q in fresh[:room]:
            queue.append((q, deck.card_for(q.question, q.file, q.id)))
        return await _ask_all(parts, quizzer, queue, deck, options, "review")


async def _ask_all(
    parts: Assembly,
    quizzer: Quizzer,
    queue: list[tuple[Quizzed, Card]],
    deck: Deck,
    options: QuizOptions,
    kind: str,
) -> int:
    env, settings = parts.env, parts.settings
    out = env.stdout.file
    emit = _events(out) if options.json else None
    answers = _answers(env)
    right = answered = 0
    missed: dict[str, int] = {}
    tts, sink = await parts.open_voice(require=False) if options.audio else (None, None)

    async def say(text: str) -> None:
        if tts is None or sink is None:
            return
        lecture = parts.lecture(tts, None)
        playback = Playback.for_settings(settings, lecture, device=sink)
        playing = asyncio.ensure_future(playback.run(until_heard=True))
        lecture.add_text(text)
        lecture.end_text()
        try:
            await playing
        finally:
            await lecture.aclose()

    terminal = _terminal()
    width = env.stdout.width if env.stdout.is_terminal else 1_000_000
    for number, (quizzed, card) in enumerate(queue, 1):
        q = quizzed.question
        reply: str | None = None
        if not terminal and not emit:  # a script's answers, there before the question is put
            reply = next(answers, None)
            if reply is None:
                if not answered:  # `quiz < /dev/null`: not a question, then "0 of 0 right"
                    raise InputError(
                        "no answers on stdin: type them on a terminal, or give one a line"
                    )
                break
        source = {"file": quizzed.file, "section": q.section, "sentence": q.source}
        if emit:
            emit(
                {
                    "event": "question",
                    "id": quizzed.id,
                    "text": q.text,
                    "answer": q.answer,
                    "source": source,
                }
            )
        else:
            out.write("\n" + wrapped(f"{number}. {q.text}", width, "   ") + "\n")
            out.flush()
        if reply is None:
            # The prompt is there as the question is said: an answer typed early lands on it.
            said_at: list[float] = []  # when the question had been said: the answer's clock
            saying = asyncio.ensure_future(_marked(say(q.text), said_at))
            try:
                reply = await asyncio.to_thread(next, answers, None)
                seconds = time.monotonic() - said_at[0] if said_at else 0.0  # 0: answered early
                await saying
            finally:
                saying.cancel()
        else:
            await say(q.text)
            seconds = 0.0
        if reply is None:
            break  # no more answers: what was answered is kept
        graded = await quizzer.grade(q, reply)
        answered += 1
        rating = rating_for(graded.correct, graded.score, seconds)
        if kind == "review" and not emit and terminal:
            out.write(wrapped(f"   {graded.feedback}", width, "   ") + "\n")
            out.flush()
            await say(graded.feedback)
            rating = await asyncio.to_thread(_rated, rating, out, env.undo_on_exit)
            graded = Grade(graded.score, graded.correct, "")  # already said
        due = deck.answered(card, rating, seconds)
        if kind == "review" and not emit and terminal:
            out.write(f"   {RATINGS[rating].title()}: due again {_after(due)}.\n")
            out.flush()
        right += graded.correct
        if not graded.correct:
            missed[q.section or quizzed.file] = missed.get(q.section or quizzed.file, 0) + 1
        if emit:
            emit(
                {
                    "event": "graded",
                    "id": quizzed.id,
                    "correct": graded.correct,
                    "score": round(graded.score, 2),
                    "feedback": graded.feedback,
                    "due": due.isoformat(),
                }
            )
        elif graded.feedback:
            out.write(wrapped(f"   {graded.feedback}", width, "   ") + "\n")
            out.flush()
        if graded.feedback:
            await say(graded.feedback)
    if sink is not None:
        await sink.drain()
    if emit:
        emit(
            {
                "event": "done",
                "kind": kind,
                "asked": answered,
                "right": right,
                "revisit": sorted(missed),
            }
        )
    else:
        out.write(f"\n{right} of {answered} right.")
        if missed:
            out.write(" Revisit: " + "; ".join(sorted(missed)) + ".")
        out.write("\n")
        out.flush()
    return right


def _events(out: IO[str]) -> Callable[[dict[str, object]], None]:
    def emit(event: dict[str, object]) -> None:
        out.write(json.dumps(event, ensure_ascii=False) + "\n")
        out.flush()

    return emit


RATINGS = {1: "again", 2: "hard", 3: "good", 4: "easy"}


def _terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _rated(rating: int, out: IO[str], undo: list[Callable[[], None]]) -> int:
    """The rating the answer earned, or the one the listener gives it: keys 1-4 act at
    once (no Enter), and what was set is said on the same line."""
    from profai_cli.ui.keys import read_one_key

    keys = " · ".join(f"{n} {name}" for n, name in RATINGS.items())
    out.write(f"   {RATINGS[rating].title()} by your answer ({keys}; Enter keeps it) ")
    out.flush()
    try:
        typed = read_one_key(sys.stdin.fileno(), undo).strip()
    except (OSError, ValueError):
        typed = ""
    chosen = int(typed) if typed in ("1", "2", "3", "4") else rating
    out.write(f"-> {RATINGS[chosen]}\n")
    out.flush()
    return chosen


async def _marked(saying: Awaitable[None], said_at: list[float]) -> None:
    await saying
    said_at.append(time.monotonic())


def _after(due: datetime) -> str:
    """When a card is due again, as a person says it: "in 10 minutes", "in 3 days"."""
    seconds = max(0.0, (due - now()).total_seconds())
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds >= size:
            n = round(seconds / size)
            return f"in {n} {unit}{'' if n == 1 else 's'}"
    return "now"


def _answers(env: Environment) -> Iterator[str]:
    """Answers typed on the terminal, or one a line on stdin from a script."""
    if _terminal():
        while True:
            try:
                yield input("> ")
            except EOFError:
                return
    for line in sys.stdin:
        yield line.rstrip("\n")


async def write_anki(
    path: Path,
    notes: list[Notes],
    count: int | None,
    title: str,
    settings: Settings,
    env: Environment,
    *,
    with_audio: bool = False,
) -> int:
    """The questions as an Anki deck (.apkg): one note each, the answer and its source on
    the back; ``with_audio``, the question and the answer said on each, in the voice.
    Returns how many."""
    async with Assembly(env, settings) as parts:
        by_section = await course_questions(notes, _quizzer(parts))
        asked = chosen(by_section, count) if count else every(by_section)
        if not asked:
            raise no_questions(notes)
        return await _write_deck(path, notes, asked, title, parts if with_audio else None)


async def _write_deck(
    path: Path, notes: list[Notes], asked: list[Quizzed], title: str, voice: Assembly | None
) -> int:
    import tempfile

    import genanki

    from profai_cli.core.outputs import write_whole

    key = int(course_key([n.source for n in notes])[:8], 16)
    model = genanki.Model(
        1_607_392_319,
        "profai question",
        fields=[
            {"name": "Question"},
            {"name": "Answer"},
            {"name": "Source"},
            {"name": "QuestionAudio"},
            {"name": "AnswerAudio"},
        ],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Question}} {{QuestionAudio}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Answer}} {{AnswerAudio}}"
                "<br><br><small>{{Source}}</small>",
            }
        ],
    )
    deck = genanki.Deck(key, title)
    with tempfile.TemporaryDirectory(prefix="profai-anki-") as tmp:
        media: list[str] = []
        sounds: dict[str, tuple[str, str]] = {}
        if voice is not None:
            sounds = await _card_audio(asked, voice, Path(tmp))
            media = [str(Path(tmp) / name) for pair in sounds.values() for name in pair]
        for quizzed in asked:
            q = quizzed.question
            where = (
                f"{Path(quizzed.file).name} · {q.section}: {q.source}" if q.section else q.source
            )
            said_q, said_a = sounds.get(quizzed.id, ("", ""))
            deck.add_note(
                genanki.Note(
                    model=model,
                    fields=[
                        card_html(q.text),
                        card_html(q.answer),
                        card_html(where),
                        f"[sound:{said_q}]" if said_q else "",
                        f"[sound:{said_a}]" if said_a else "",
                    ],
                    guid=quizzed.id,
                )
            )
        write_whole(path, genanki.Package(deck, media_files=media).write_to_file)
    return len(asked)


async def _card_audio(
    asked: list[Quizzed], parts: Assembly, folder: Path
) -> dict[str, tuple[str, str]]:
    """Each question and its answer said in the voice, as MP3 (Opus without ffmpeg)
    files named by the card: a deck of three cards in WAV was 600 KB."""
    import numpy as np

    from profai_cli.core.errors import ExportError

    out: dict[str, tuple[str, str]] = {}
    plan = parts.plan_voice()
    if plan.engine is None:
        why = plan.message.replace("No voice", "cannot say the cards without a voice")
        raise ExportError(why)
    tts = await parts.start_voice(plan, device=False, throughput=True).engine
    words = parts.lecture(tts, None).words
    parts.env.status.info(f"Saying {len(asked)} cards with {tts.name}...")
    for quizzed in asked:
        names = []
        for part, text in (("q", quizzed.question.text), ("a", quizzed.question.answer)):
            frames = [f async for f in tts.stream(words(text), parts.settings.speed)]
            audio = np.concatenate(frames) if frames else np.zeros(0, dtype=np.int16)
            made = await asyncio.to_thread(
                _card_sound, audio, tts.sample_rate, folder / f"profai-{quizzed.id}-{part}"
            )
            names.append(made.name)
        out[quizzed.id] = (names[0], names[1])
    return out


def _card_sound(audio: np.ndarray, rate: int, stem: Path) -> Path:
    """One card's sound: MP3 by ffmpeg's LAME, else Ogg Opus (libsndfile), both of
    which Anki plays on every platform."""
    import shutil
    import subprocess

    if shutil.which("ffmpeg") is not None:
        path = stem.with_suffix(".mp3")
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-f", "s16le", "-ar", str(rate), "-ac", "1"]
            + ["-i", "pipe:0", "-c:a", "libmp3lame", "-q:a", "6", str(path)],
            input=audio.astype("<i2").tobytes(),
            check=True,
        )
        return path
    import soundfile as sf
    import soxr

    path = stem.with_suffix(".opus")
    opus = soxr.resample(audio.astype("float32") / 32768, rate, 24_000)
    sf.write(str(path), opus, 24_000, format="OGG", subtype="OPUS")
    return path


def card_html(text: str) -> str:
    """A field as Anki shows it: HTML-escaped, its maths in \\( \\) and \\[ \\], which
    Anki renders ("$P(D)$" was shown as it is written)."""
    import html

    from profai_cli.speech.spoken import INLINE_MATH

    out, at = [], 0
    for m in INLINE_MATH.finditer(text):
        out.append(html.escape(text[at : m.start()], quote=False))
        display, dollars, paren, bracket = m.groups()
        inner = html.escape(display or dollars or paren or bracket, quote=False)
        out.append(f"\\[{inner}\\]" if display or bracket else f"\\({inner}\\)")
        at = m.end()
    out.append(html.escape(text[at:], quote=False))
    return "".join(out)


def review_stats(notes: list[Notes], env: Environment) -> None:
    """Due today, learned and retention per section, as a table with bars."""
    from rich.table import Table

    deck = Deck(course_key([n.source for n in notes]), warn=env.status.warn)
    if not deck.cards:
        env.stdout.print("No cards yet: `profai quiz` or `profai review` these notes first.")
        return
    moment = now()
    table = Table(title="Review", title_justify="left")
    for column in ("section", "cards", "due now", "learned", "retention", ""):
        table.add_column(column)
    sections: dict[str, list[Card]] = {}
    for card in deck.cards.values():
        sections.setdefault(card.section or Path(card.file).name, []).append(card)
    for name, cards in sections.items():
        due = sum(c.due() <= moment for c in cards)
        learned = sum(c.reviews > 0 and c.due() > moment for c in cards)
        reviewed = sum(c.reviews for c in cards)
        kept = 1 - sum(c.lapses for c in cards) / reviewed if reviewed else 0.0
        bar = "█" * round(kept * 10) + "░" * (10 - round(kept * 10))
        table.add_row(name, str(len(cards)), str(due), str(learned), f"{kept:.0%}", bar)
    env.stdout.print(table)
