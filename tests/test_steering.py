"""Steering mid-lecture (issue 37): s, d and e drop what was written and not heard, at
the end of the sentence being heard, and the lecturer goes on from what was said with
the steer as one more message. What is heard, shown, stored and exported is the
lecture as it was said."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest

from profai_cli.core.prompts import STEERS, LectureRequest, Steer
from profai_cli.lecture.lecture import Lecture
from profai_cli.lecture.metrics import Metrics
from profai_cli.lecture.steering import Cut, End, Item, LectureText, Said
from profai_cli.service.chat import lecture_messages
from profai_cli.ui.status import Status
from tests.conftest import Run, run_here
from tests.fakes.device import ScriptedKeys, VirtualDevice
from tests.fakes.engines import FakeTTS, ScriptedLLM
from tests.test_player_in_process import LECTURE, SECONDS, SENTENCES, _engines

SIMPLER: list[str | BaseException] = [
    "Put simply, the rest is short.",
    " That is the whole of it, simply said.\n",
]
NEW = [str(s).strip() for s in SIMPLER]
SAID = {s: 1000 * (i + 1) for i, s in enumerate(SENTENCES + NEW)}


def _voice() -> FakeTTS:
    return FakeTTS(lambda text, attempt: np.full(int(SECONDS * 1000), SAID[text], np.int16))


def _heard(device: VirtualDevice) -> list[str]:
    by_value = {v: s for s, v in SAID.items()}
    return [by_value[v] for v in device.sentences()]


def _teach(
    home: Path, lecturer: ScriptedLLM, script: list[tuple[float, str]], *, explains: bool = True
) -> tuple[Run, VirtualDevice]:
    """A teach of LECTURE in process, its keys pressed at places in what was heard."""
    device = VirtualDevice()
    keys = ScriptedKeys(device, script)
    engines = _engines(lambda: lecturer, _voice(), device, keys, explains=explains)
    args = ["teach", "-", "--loudness", "off"]
    return run_here(args, home, stdin="notes", engines=engines, terminal=True), device


def test_s_drops_what_was_not_heard_and_the_lecture_goes_on_simpler_in_process(
    home: Path,
) -> None:
    lecturer = ScriptedLLM([LECTURE], SIMPLER)
    run, device = _teach(home, lecturer, [(1.5, "s")])  # mid second sentence
    assert run.code == 0, run.err
    assert "Asked for it more simply" in run.err
    # The second sentence whole, then the new text: nothing written before the steer and
    # not heard was said.
    assert _heard(device) == SENTENCES[:2] + NEW
    # The lecturer went on from what was said, with the steer where it was asked.
    said = LECTURE[: LECTURE.index(SENTENCES[1]) + len(SENTENCES[1])]
    assert lecturer.partials == ["", said]
    assert lecturer.requests[1].steers == (Steer(len(said), "simpler"),)
    # Stored as it was said: an export of the same notes reuses it (no request).
    transcript = home / "t.md"
    again = ScriptedLLM()
    exporting = _engines(lambda: again, _voice())
    args = ["export", str(home / "t.wav"), "-", "--transcript", str(transcript)]
    r = run_here(args, home, stdin="notes", engines=exporting)
    assert r.code == 0, r.err
    written = transcript.read_text()
    assert NEW[1] in written and SENTENCES[2] not in written
    assert again.partials == []


def test_a_steer_on_the_narrated_lecture_says_it_needs_a_model_and_changes_nothing(
    home: Path,
) -> None:
    lecturer = ScriptedLLM([LECTURE])
    run, device = _teach(home, lecturer, [(1.5, "d")], explains=False)
    assert run.code == 0, run.err
    assert "Steering (s, d, e) needs a model" in run.err
    assert _heard(device) == SENTENCES
    assert lecturer.partials == [""]


def test_the_steer_is_one_more_message_after_what_was_said() -> None:
    request = LectureRequest("notes", steers=(Steer(10, "example"), Steer(25, "deeper")))
    said = "0123456789abcdefghijklmnoABCDE"
    messages = lecture_messages(request, said)
    assert [m["role"] for m in messages[2:]] == [
        "assistant",
        "user",
        "assistant",
        "user",
        "assistant",
        "user",
    ]
    assert messages[2]["content"] == said[:10]
    assert STEERS["example"].lecture in messages[3]["content"]
    assert messages[4]["content"] == said[10:25]
    assert STEERS["deeper"].lecture in messages[5]["content"]
    assert messages[6]["content"] == said[25:]  # then "go on", as after a cut stream
    # Steered where the text ends (the usual case): the steer is the last message.
    ends = lecture_messages(LectureRequest("notes", steers=(Steer(30, "simpler"),)), said)
    assert ends[-2]["content"] == said and STEERS["simpler"].lecture in ends[-1]["content"]


def test_a_lecture_cut_at_a_chunk_goes_on_with_the_next_number_and_offset() -> None:
    async def run() -> None:
        lecture = Lecture(None, Metrics(), Status(), lookahead=2)
        lecture.add_text(LECTURE)
        lecture.end_text()
        assert [c.text for c in lecture.chunks] == SENTENCES
        cut_from: list[int] = []
        lecture.on_cut(cut_from.append)
        at = lecture.chunks[1].end
        lecture.cut(at)
        assert cut_from == [2] and lecture.text == LECTURE[:at] and not lecture.ended
        lecture.add_text(" A new third sentence is said here.")
        lecture.end_text()
        third = lecture.chunks[2]
        assert third.index == 2 and third.text == "A new third sentence is said here."
        assert lecture.text[third.start : third.end] == third.text
        assert len(lecture.chunks) == 3

    asyncio.run(run())


def test_a_steered_text_that_fails_gives_back_the_text_it_replaced() -> None:
    from profai_cli.core.errors import ServiceError

    async def run() -> list[object]:
        async def first() -> object:
            yield "One. Two. Three."

        async def failing(steers: object, said: str) -> object:
            raise ServiceError("the server went away")
            yield ""  # pragma: no cover

        source = LectureText(first(), failing, Status())  # type: ignore[arg-type]
        seen: list[object] = []
        async for item in source.items():
            seen.append(item)
            if item == End() and len(seen) == 2:
                source.steer("simpler", 4)
            elif len(seen) == 5:
                source.close()
        return seen

    seen = asyncio.run(run())
    assert seen == [Said("One. Two. Three."), End(), Cut(4), Said(" Two. Three."), End()]


def test_the_live_panel_never_prints_what_a_steer_dropped() -> None:
    from rich.console import Console

    from profai_cli.ui.live_panel import LivePanel
    from profai_cli.ui.player_line import PlayerLine

    out = io.StringIO()
    panel = LivePanel(Console(file=out, width=80, force_terminal=False))
    panel.follow()
    text = "First said sentence. Second said one.\n\nA paragraph never heard.\n\n"
    panel.append(text)
    at = text.index(" Second")
    panel.show_player(PlayerLine("playing", "First said sentence.", (0, at)))
    panel.cut(at)
    panel.append(" Then what the steer asked for.\n\n")
    panel.finish_text()
    panel.close()
    shown = out.getvalue()
    assert "First said sentence. Then what the steer asked for." in shown
    assert "Second said one" not in shown and "never heard" not in shown


def test_a_terminal_without_escape_codes_says_after_which_words_the_lecture_went_anew() -> None:
    from profai_cli.ui.panel import DumbPanel

    out = io.StringIO()
    panel = DumbPanel(out)
    text = "First said sentence. Second said one.\n\nA paragraph never heard.\n\n"
    panel.append(text)
    panel.cut(text.index(" Second"))
    panel.append(" Then what the steer asked for.\n")
    panel.close()
    shown = out.getvalue()
    note = '[Not said: the text after "...First said sentence."; the lecture goes on:]'
    assert note in shown
    assert shown.index(note) < shown.index("Then what the steer asked for.")


def test_a_steer_in_the_last_sentence_asks_nothing_more_of_the_lecturer(home: Path) -> None:
    lecturer = ScriptedLLM([LECTURE], SIMPLER)
    run, device = _teach(home, lecturer, [(3 * 1.2 + 0.5, "s")])  # mid the last sentence
    assert run.code == 0, run.err
    assert "nothing is left to steer" in run.err
    assert _heard(device) == SENTENCES
    assert lecturer.partials == [""]


def test_a_steered_lecture_stopped_with_q_resumes_as_it_was_said(home: Path) -> None:
    lecturer = ScriptedLLM([LECTURE], SIMPLER)
    # s in the second sentence; q in the first of the new ones (each 1 s, 0.2 s apart).
    run, device = _teach(home, lecturer, [(1.5, "s"), (2.9, "q")])
    assert run.code == 0, run.err
    assert _heard(device) == [*SENTENCES[:2], NEW[0]]
    again = ScriptedLLM()  # the stored lecture is complete: nothing is asked
    run, device = _teach(home, again, [])
    assert run.code == 0, run.err
    assert "Resuming at" in run.err
    assert _heard(device) == NEW  # from the sentence it stopped in, as it was said
    assert again.partials == []


def test_a_stored_lecture_resumed_is_steered_from_what_was_said(home: Path) -> None:
    """The stored lecture is whole, and the next teach resumes it with no request; a
    steer there asks the lecturer to go on from what was said, as in the run that
    wrote it (before, it only said steering needs a lecture written now)."""
    first = ScriptedLLM([LECTURE])
    run, device = _teach(home, first, [(2.9, "q")])  # in the third sentence
    assert run.code == 0, run.err
    again = ScriptedLLM(SIMPLER)
    run, device = _teach(home, again, [(0.5, "s")])  # in the third, resumed
    assert run.code == 0, run.err
    assert "Asked for it more simply" in run.err
    assert _heard(device) == [SENTENCES[2], *NEW]
    end = LECTURE.index(SENTENCES[2]) + len(SENTENCES[2])
    assert again.partials == [LECTURE[:end]]
    [request] = again.requests
    assert [(s.at, s.how) for s in request.steers] == [(end, "simpler")]


def test_a_resumed_lecture_is_shown_from_its_section_and_a_steer_there_cuts_at_its_place() -> None:
    """A resumed lecture's panel starts at the section it stopped in; the offsets the
    panel is given after (a steer's cut) are the lecture's, as in a lecture not resumed."""
    from profai_cli.lecture.steering import follow_text
    from profai_cli.ui.panel import PlainPanel

    heard = "# Rocks\n\nIgneous rock forms from magma.\n\n"
    text = heard + "## Layers\n\nSediment settles in layers. It is pressed into rock.\n\n"
    at = text.index(" It is pressed")

    def shown(*items: Item) -> tuple[str, Lecture]:
        """What the panel of a lecture resumed at ``heard`` shows of these items."""

        async def given() -> AsyncIterator[Item]:
            for item in items:
                yield item

        out, lecture = io.StringIO(), Lecture(None, Metrics(), Status())
        panel = PlainPanel(out)
        asyncio.run(follow_text(given(), panel, lecture, lambda w: None, shown_from=len(heard)))
        return out.getvalue(), lecture

    new = " Put simply, layers become rock.\n"
    panel, lecture = shown(Said(text[:30]), Said(text[30:]), Cut(at), Said(new), End())
    assert not panel.startswith("# Rocks") and "Igneous" not in panel
    assert panel.startswith("## Layers")
    assert 'Sediment settles in layers."; the lecture goes on' in panel  # cut at its place
    assert lecture.text == text[:at] + new  # all of it

    # Back in the section before ([ or ←), then steered: the new text is shown whole.
    panel, _ = shown(Said(text), Cut(text.index(" magma")), Said(" lava, put simply.\n"), End())
    assert panel.endswith(" lava, put simply.\n")


def test_a_steered_lecture_keeps_the_bookmarks_and_questions_of_the_part_left_as_it_was(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text after a steer is written anew and stored: what was marked or asked in the
    part before it stays with the lecture, what was after it goes with that text."""
    from profai_cli.core.config import Settings
    from profai_cli.lecture import store
    from profai_cli.speech import segment

    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    settings = Settings()
    key = store.lecture_key("notes", settings, "scripted")
    store.save(key, LECTURE, settings, "scripted")
    store.add_marks(key, [{"chunk": 0, "text": SENTENCES[0], "seconds": 0.0}])
    store.add_marks(key, [{"chunk": 3, "text": SENTENCES[3], "seconds": 3.6}])
    store.add_questions(key, [{"chunk": 1, "question": "Why?", "answer": "Because."}])
    store.add_questions(key, [{"chunk": 2, "question": "How?", "answer": "So."}])
    steered = LECTURE[: LECTURE.index(SENTENCES[2])] + "".join(map(str, SIMPLER))
    ends = [chunk.end for chunk in segment(steered)]
    store.save(key, steered, settings, "scripted", chunk_ends=ends)
    assert [m["chunk"] for m in store.load_marks(key)] == [0]
    assert [q["question"] for q in store.load_questions(key)] == ["Why?"]
    store.save(key, "Another lecture altogether.\n", settings, "scripted", chunk_ends=[27])
    assert store.load_marks(key) == [] and store.load_questions(key) == []
