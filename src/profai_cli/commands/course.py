"""A course: several notes files, or a folder of them, taught or exported in order.

teach plays them as a playlist ("Lecture 2 of 9: week2.pdf" on the panel); stopping
keeps the lecture it was in, and that lecture keeps its own place, so the next teach
of the same course goes on from there. export writes one audio file per lecture into a
folder, with its sidecars, and an .m3u playlist of them.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from profai_cli.commands.teach import teach
from profai_cli.core.config import Settings
from profai_cli.core.errors import ExitStatus, ExportError, InputError, ProfaiError
from profai_cli.lecture import store
from profai_cli.lecture.environment import Environment
from profai_cli.lecture.metrics import Metrics
from profai_cli.lecture.voice_side import TeachOptions
from profai_cli.notes.ingest import Notes, is_url

if TYPE_CHECKING:
    from profai_cli.commands.export import ExportOptions


def lecture_name(source: str) -> str:
    """week2.pdf, or the address."""
    return source if is_url(source) or source == "<stdin>" else Path(source).name


async def teach_course(
    settings: Settings,
    files: list[str],
    read: Callable[[str], Notes],
    options: TeachOptions,
    env: Environment,
) -> bool:
    """Each lecture in turn; False when the listener stopped (q) in one of them."""
    key = store.course_key(files)
    start = 0 if options.restart else min(store.load_course(key), len(files) - 1)
    if start:
        env.status.info(
            f"Resuming the course at lecture {start + 1} of {len(files)} "
            f"({lecture_name(files[start])}); --restart to start over."
        )
    failed: list[str] = []
    made: list[tuple[str, Metrics]] = []  # each lecture's own numbers, for --stats-json
    try:
        stopped = await _each_lecture(settings, files, read, options, env, start, key, failed, made)
    finally:
        if options.stats_json and made:
            _write_course_stats(options.stats_json, made)
    if stopped:
        return False
    store.save_course(key, 0)
    if failed:
        raise InputError(
            f"{len(failed)} of {len(files)} lectures could not be read ({', '.join(failed)}); "
            "the others were taught"
        )
    return True


async def _each_lecture(
    settings: Settings,
    files: list[str],
    read: Callable[[str], Notes],
    options: TeachOptions,
    env: Environment,
    start: int,
    key: str,
    failed: list[str],
    made: list[tuple[str, Metrics]],
) -> bool:
    """The lectures from ``start``, each with an Environment of its own numbers; True
    when the listener stopped one (q)."""
    for i in range(start, len(files)):
        try:
            notes = read(files[i])
        except ProfaiError as exc:
            if exc.exit_status != ExitStatus.BAD_INPUT:
                raise
            env.status.warn(f"Lecture {i + 1} of {len(files)} skipped: {exc.message}")
            failed.append(lecture_name(files[i]))
            continue
        title = f"Lecture {i + 1} of {len(files)}: {lecture_name(notes.source)}"
        env.status.info(title)
        store.save_course(key, i)
        own = env if not made else env.for_lecture()
        made.append((lecture_name(notes.source), own.metrics))
        done = await teach(
            settings,
            notes,
            dataclasses.replace(
                options, title=title, restart=False, stats_json=None, course=i + 1 < len(files)
            ),
            own,
        )
        if not done:
            return True
    return False


def _write_course_stats(path: Path, made: list[tuple[str, Metrics]]) -> None:
    """--stats-json for a course: a list, each lecture's numbers under its name."""
    import json

    from profai_cli.core.outputs import write_text

    lectures = [{"lecture": name, **metrics.as_dict()} for name, metrics in made]
    write_text(path, json.dumps(lectures, indent=2) + "\n")


async def export_course(
    settings: Settings,
    files: list[str],
    read: Callable[[str], Notes],
    folder: Path,
    options: ExportOptions,
    env: Environment,
    *,
    suffix: str,
    jobs: int,
) -> None:
    """One audio file per lecture in ``folder``, N at a time, and a playlist of them."""
    from profai_cli.commands.export import export  # teach's start-up does not pay for it

    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder} is a file; give a folder for a course's lectures")
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    names = _names([lecture_name(f) for f in files])
    plans = []
    for name in names:
        stem = Path(name).stem
        plans.append(
            dataclasses.replace(
                options,
                output=folder / f"{stem}{suffix}",
                transcript=folder / f"{stem}.md" if options.transcript else None,
                subtitles=(
                    folder / f"{stem}{options.subtitles.suffix or '.srt'}"
                    if options.subtitles
                    else None
                ),
                progress=options.progress and jobs == 1,
            )
        )
    from profai_cli.commands.export import check_outputs

    for plan in plans:  # every output problem before any lecture is made
        check_outputs(plan)
    slots = asyncio.Semaphore(max(1, jobs))
    durations: dict[int, float] = {}

    failed: dict[int, str] = {}

    async def one(i: int) -> None:
        async with slots:
            try:
                notes = read(files[i])
                env.status.info(f"Lecture {i + 1} of {len(files)}: {lecture_name(notes.source)}")
                if jobs > 1:  # side by side: their lines would interleave
                    own = env.for_lecture(quiet=True)
                else:
                    own = env if i == 0 else env.for_lecture()
                durations[i] = await export(settings, notes, plans[i], own)
            except ProfaiError as exc:
                if exc.exit_status != ExitStatus.BAD_INPUT:
                    raise
                failed[i] = exc.message
                env.status.warn(f"Lecture {i + 1} of {len(files)} not made: {exc.message}")
                return
            if jobs > 1:
                env.status.info(f"Wrote {plans[i].output}.")

    await asyncio.gather(*(one(i) for i in range(len(files))))
    made = [i for i in range(len(plans)) if i in durations]
    if not made:
        if created and not any(folder.iterdir()):
            folder.rmdir()  # nothing is left that the user did not ask for
        raise ExportError(f"none of the {len(files)} lectures could be made; nothing written")
    playlist = folder / f"{folder.resolve().name or 'course'}.m3u"
    lines = ["#EXTM3U"]
    for i in made:  # only what exists
        title = Path(names[i]).stem
        lines += [f"#EXTINF:{round(durations[i])},{title}", plans[i].output.name]
    from profai_cli.audio.files import write_text_atomically

    write_text_atomically(playlist, "\n".join(lines) + "\n")
    env.status.info(f"Wrote {len(made)} lectures and the playlist {playlist}.")
    if failed:
        raise ExportError(
            f"{len(failed)} of {len(files)} lectures could not be made "
            f"({', '.join(lecture_name(files[i]) for i in sorted(failed))}); the others are "
            f"in {folder} and its playlist"
        )


def _names(names: list[str]) -> list[str]:
    """File names for the outputs: an address becomes page1, page2...; no two alike; on
    one line, with no control character (a newline in a notes file's name would have
    added entries of its own to the playlist)."""
    from profai_cli.core.safe_text import one_line

    out: list[str] = []
    seen: set[str] = set()
    for i, name in enumerate(names):
        base = f"page{i + 1}" if "://" in name or name == "<stdin>" else one_line(name)
        base = base if base.strip(". ") else f"lecture{i + 1}"
        stem, n = Path(base).stem, 2
        candidate = stem
        while candidate.lower() in seen:
            candidate = f"{stem}-{n}"
            n += 1
        seen.add(candidate.lower())
        out.append(candidate + Path(base).suffix)
    return out


def check_course(files: list[str]) -> None:
    if "-" in files and len(files) > 1:
        raise InputError("'-' (stdin) cannot be one of several notes; pass files or a folder")


def jobs_for(settings: Settings) -> int:
    """Lectures made at once: 3 when the lecture and the voice are both services (each
    export mostly waits on the network), else 1 (the built-in model and Piper keep the
    cores busy already, and one llama.cpp model makes one answer at a time)."""
    from profai_cli.lecture.engines import plan_voice

    service = settings.llm == "openai" or (
        settings.llm == "auto" and bool(settings.api_key or settings.base_url)
    )
    return 3 if service and plan_voice(settings).engine == "openai" else 1
