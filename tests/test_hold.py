"""The check that holds a model's sentence to the note it explains: true paraphrases are
kept, what small models get wrong is not (tests/paraphrase_corpus.py)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from profai_cli.llm.compose import judge, note_units
from profai_cli.notes.outline import Outline, parse_outline
from profai_cli.teaching.claims import NotesSupport
from profai_cli.teaching.hold import Holder
from profai_cli.teaching.narration import plain
from tests.paraphrase_corpus import FALSE, TRUE

ROOT = Path(__file__).resolve().parents[1]
PLACES = (ROOT / "tests" / "notes" / "subjects", ROOT / "tests" / "notes", ROOT / "examples")


@cache
def _notes(name: str) -> tuple[Outline, NotesSupport, Holder]:
    path = next(p / f"{name}.md" for p in PLACES if (p / f"{name}.md").exists())
    text = path.read_text(encoding="utf-8")
    support = NotesSupport(text)
    return parse_outline(text), support, Holder(support)


def kept(name: str, note: str, sentence: str) -> bool:
    """Whether the lecture would say ``sentence`` as an explanation of the note."""
    outline, support, holder = _notes(name)
    section, point = next(
        (s, p)
        for s in outline.sections
        for p in s.points
        if note in " ".join([p.text, *p.children, *p.cells])
    )
    own, others = note_units(support, section, point)
    verdict, _ = judge(holder, own, others, plain(outline.title or ""), sentence)
    return verdict.unit is not None


@pytest.mark.parametrize(("name", "note", "sentence", "kind"), FALSE, ids=lambda x: str(x)[:40])
def test_what_small_models_get_wrong_is_never_kept(
    name: str, note: str, sentence: str, kind: str
) -> None:
    assert not kept(name, note, sentence), kind


def test_most_true_paraphrases_are_kept() -> None:
    """A check that keeps none teaches nothing: at least four in five of the corpus's
    true paraphrases are kept (the README gives the figure)."""
    lost = [s for name, note, s, _ in TRUE if not kept(name, note, s)]
    assert len(lost) <= len(TRUE) // 5, lost
