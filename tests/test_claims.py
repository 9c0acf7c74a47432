"""The claim check: a sentence is said only when ONE sentence of the notes holds it.

The false sentences are the ones a 135M model said in the teacher's voice on notes of
subjects outside the examples; the true ones are restatements a student would accept.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from profai_cli.teaching.claims import NotesSupport

NOTES = Path(__file__).parent / "notes"
EXAMPLES = Path(__file__).parents[1] / "examples"

CASES = {
    NOTES / "plate-tectonics.md": [
        ("The Andes are a classic example of divergent boundaries.", False),
        ("This means Alfred Wegener rejected the idea of continental drift in 1960s.", False),
        ("Alfred Wegener rejected the idea of continental drift.", False),
        ("The San Andreas Fault is a natural phenomenon where plates move apart.", False),
        ("The topic of Evidence is: Convergent.", False),
        ("The lithosphere is 100 km thick.", False),  # the notes say "about"
        ("Rocks on the seafloor are oldest near the ridges.", False),
        ("The lithosphere is not broken into plates.", False),
        ("At a divergent boundary, the denser plate sinks under the other one.", False),
        ("Plates move apart at a transform boundary.", False),
        ("Old crust forms at divergent boundaries.", False),
        ("New crust is recycled at subduction zones.", False),
        ("Seafloor spreading was discovered in 1912.", False),
        ("The asthenosphere is the rigid outer layer of the Earth.", False),
        ("The Andes are an example of a convergent boundary.", True),
        ("At a convergent boundary the denser plate sinks under the other one.", True),
        ("The lithosphere is about 100 km thick.", True),
        ("Wegener proposed continental drift in 1912.", True),
        ("Subduction causes deep trenches and volcanoes.", True),
        ("The asthenosphere is a hotter and softer layer of the mantle.", True),
        ("Heat from the core drives convection currents in the mantle.", True),
    ],
    EXAMPLES / "photosynthesis.md": [
        ("Calvin cycle uses CO2 as a starting point to build glucose and NADPH.", False),
        ("The light intensity is not just increasing.", False),
        ("Chlorophyll absorbs green light.", False),
        ("Enzymes work best when it is hot.", False),
        ("RuBisCO grabs O2 instead, which wastes energy.", False),  # "sometimes" dropped
        ("CAM plants open their stomata during the day.", False),
        ("C4 plants open their stomata at night.", False),
        ("Photosynthesis happens in the mitochondria.", False),
        ("RuBisCO fixes CO2 onto RuBP.", True),
        ("CAM plants open their stomata at night to save water.", True),
        ("Respiration is roughly the reverse reaction.", True),
    ],
    NOTES / "substitution-reactions.md": [
        ("The rate of SN1 reaction is 2.", False),
        ("Fluoride is a good leaving group because it is a weak base.", False),
        ("Polar protic solvents favour SN2.", False),
        ("Tertiary substrates react by SN2.", False),
        ("Fluoride is a poor leaving group because it is a strong base.", True),
        ("Polar aprotic solvents such as acetone and DMSO favour SN2.", True),
    ],
    NOTES / "french-revolution.md": [
        ("Louis XVI called the Estates-General in May 1788.", False),
        ("The Committee of Public Safety ended the Terror.", False),
        ("Robespierre was executed in July 1794.", True),
        ("The first two estates paid almost no direct tax.", True),
    ],
}


@pytest.mark.parametrize(
    ("notes", "sentence", "supported"),
    [(notes, s, ok) for notes, cases in CASES.items() for s, ok in cases],
    ids=lambda v: v.stem if isinstance(v, Path) else (v[:40] if isinstance(v, str) else ""),
)
def test_a_sentence_is_supported_only_by_one_sentence_of_the_notes(
    notes: Path, sentence: str, supported: bool
) -> None:
    verdict = NotesSupport(notes.read_text()).check(sentence)
    assert bool(verdict) is supported, verdict.reason


def test_every_sentence_of_the_notes_supports_itself() -> None:
    for notes in [*NOTES.glob("*.md"), *EXAMPLES.glob("*.md")]:
        support = NotesSupport(notes.read_text())
        for unit in support.units:
            if len(unit.feats.stems) >= 2:
                assert support.check(unit.text), (notes.name, unit.text)


def test_a_refusal_says_why() -> None:
    support = NotesSupport((NOTES / "plate-tectonics.md").read_text())
    assert "1960" in support.check("Wegener rejected drift in the 1960s.").reason
    assert "opposite" in support.check("The lithosphere is not broken into plates.").reason
