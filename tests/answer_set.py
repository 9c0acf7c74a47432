"""Questions a listener asks about notes the answerer was not written for, with what a
right answer must hold: the set that measures offline answers (issue 39).

Each row: notes file (in tests/notes/answers), the question, how deep its answer lies
("heading": a section headed for it; "sentence": one sentence of a paragraph or list;
"table": a table row with its header; "absent": the notes do not cover it), and the
words a right answer holds (all of them, any case; a|b: either). An "absent" question is right only
when it is refused.
"""

from __future__ import annotations

from pathlib import Path

NOTES = Path(__file__).parent / "notes" / "answers"

QUESTIONS: list[tuple[str, str, str, tuple[str, ...]]] = [
    # Light and lenses
    ("optics.md", "How fast does light travel in a vacuum?", "sentence", ("300,000",)),
    ("optics.md", "What is refraction?", "heading", ("bending of light",)),
    ("optics.md", "What is the refractive index of water?", "sentence", ("1.33",)),
    ("optics.md", "What is the refractive index of crown glass?", "sentence", ("1.52",)),
    ("optics.md", "What is the power of a lens measured in?", "sentence", ("dioptres",)),
    ("optics.md", "What is the unit of lens power?", "sentence", ("dioptres",)),
    ("optics.md", "What is measured in dioptres?", "sentence", ("power of a lens",)),
    ("optics.md", "Who stated Snell's law?", "sentence", ("Snellius",)),
    ("optics.md", "When was Snell's law stated?", "sentence", ("1621",)),
    ("optics.md", "What does the iris do?", "table", ("controls how much light",)),
    ("optics.md", "What is the job of the retina?", "table", ("nerve signals",)),
    ("optics.md", "Which part of the eye does most of the focusing?", "table", ("Cornea",)),
    ("optics.md", "What is a diverging lens?", "sentence", ("thinner in the middle",)),
    ("optics.md", "What is the focal length?", "sentence", ("distance from the lens",)),
    ("optics.md", "Where do images form with a converging lens?", "heading", ("far side",)),
    ("optics.md", "What wavelength is red light?", "sentence", ("700",)),
    ("optics.md", "What lenses do short-sighted people need?", "sentence", ("diverging",)),
    ("optics.md", "What is light?", "heading", ("electromagnetic wave",)),
    ("optics.md", "What is the speed of sound in air?", "absent", ()),
    ("optics.md", "Who invented the telescope?", "absent", ()),
    ("optics.md", "What is total internal reflection?", "absent", ()),
    ("optics.md", "How does a laser work?", "absent", ()),
    # The Roman Republic
    ("roman-republic.md", "When was the Republic founded?", "sentence", ("509 BC",)),
    ("roman-republic.md", "Who was the last king of Rome?", "sentence", ("Tarquin",)),
    ("roman-republic.md", "How did the Republic begin?", "heading", ("509 BC",)),
    ("roman-republic.md", "How many consuls were elected each year?", "sentence", ("two|2",)),
    ("roman-republic.md", "How many praetors were there each year?", "table", ("8",)),
    ("roman-republic.md", "What did the quaestors do?", "table", ("public money",)),
    ("roman-republic.md", "How many quaestors were elected each year?", "table", ("20",)),
    ("roman-republic.md", "What was the main duty of the censor?", "table", ("census",)),
    ("roman-republic.md", "What could the tribunes do?", "sentence", ("veto",)),
    ("roman-republic.md", "How long could a dictator hold power?", "sentence", ("six months",)),
    ("roman-republic.md", "What was the Senate?", "sentence", ("council of former",)),
    ("roman-republic.md", "Who destroyed Carthage?", "sentence", ("Scipio",)),
    ("roman-republic.md", "When was Carthage destroyed?", "sentence", ("146 BC",)),
    ("roman-republic.md", "When did Caesar cross the Rubicon?", "sentence", ("49 BC",)),
    ("roman-republic.md", "Where was Caesar murdered?", "sentence", ("Senate",)),
    ("roman-republic.md", "Who defeated Mark Antony at Actium?", "sentence", ("Octavian",)),
    ("roman-republic.md", "Who was the first emperor?", "sentence", ("Augustus",)),
    ("roman-republic.md", "Who held power in the Republic?", "heading", ("consuls",)),
    ("roman-republic.md", "Who was Cicero?", "absent", ()),
    ("roman-republic.md", "When did the Western Roman Empire fall?", "absent", ()),
    ("roman-republic.md", "What did Roman soldiers eat?", "absent", ()),
    ("roman-republic.md", "How many legions did Rome have?", "absent", ()),
    # The heart
    ("heart.md", "How many chambers does the heart have?", "sentence", ("four",)),
    ("heart.md", "Where is the heart?", "sentence", ("between the lungs",)),
    ("heart.md", "What is the heart's wall made of?", "sentence", ("cardiac muscle",)),
    ("heart.md", "How fast does the heart beat at rest?", "sentence", ("70",)),
    ("heart.md", "What is systole?", "sentence", ("contract",)),
    ("heart.md", "What happens in diastole?", "sentence", ("relax",)),
    ("heart.md", "What is heart rate measured in?", "sentence", ("beats per minute",)),
    ("heart.md", "What is the unit of blood pressure?", "sentence", ("mercury",)),
    ("heart.md", "What is a typical resting blood pressure?", "sentence", ("120/80",)),
    ("heart.md", "Where do veins carry blood?", "table", ("back to the heart",)),
    ("heart.md", "What are the walls of arteries like?", "table", ("thick and elastic",)),
    ("heart.md", "How thick is a capillary wall?", "table", ("one cell",)),
    ("heart.md", "Where does gas exchange happen?", "sentence", ("capillaries",)),
    ("heart.md", "What is the largest artery?", "sentence", ("aorta",)),
    ("heart.md", "Where does the right side of the heart pump blood?", "sentence", ("lungs",)),
    ("heart.md", "Who discovered the circulation of the blood?", "heading", ("Harvey",)),
    ("heart.md", "When did Harvey describe circulation?", "sentence", ("1628",)),
    ("heart.md", "What is mmHg?", "sentence", ("millimetres of mercury",)),
    ("heart.md", "What causes a heart attack?", "absent", ()),
    ("heart.md", "How much blood does the body hold?", "absent", ()),
    ("heart.md", "What is cholesterol?", "absent", ()),
    ("heart.md", "Who performed the first heart transplant?", "absent", ()),
    # Computer networks
    (
        "networks.md",
        "How many layers does the Internet protocol suite have?",
        "sentence",
        ("four",),
    ),
    ("networks.md", "What does the transport layer do?", "sentence", ("between programs",)),
    ("networks.md", "What does the internet layer do?", "sentence", ("routes packets",)),
    ("networks.md", "How long is an IPv4 address?", "sentence", ("32 bits",)),
    ("networks.md", "How many bits are in an IPv6 address?", "sentence", ("128",)),
    ("networks.md", "How long is a port number?", "sentence", ("16 bits",)),
    ("networks.md", "What port does HTTPS use?", "table", ("443",)),
    ("networks.md", "What port does SSH use?", "table", ("22",)),
    ("networks.md", "Which transport does DNS use?", "table", ("UDP",)),
    ("networks.md", "What is port 80 used for?", "table", ("HTTP",)),
    ("networks.md", "How does a TCP connection open?", "sentence", ("three-way handshake",)),
    ("networks.md", "What is UDP good for?", "sentence", ("live video",)),
    ("networks.md", "What is bandwidth measured in?", "sentence", ("bits per second",)),
    ("networks.md", "What is the unit of latency?", "sentence", ("milliseconds",)),
    ("networks.md", "What is latency?", "sentence", ("time a packet takes",)),
    ("networks.md", "How long does a round trip across the Atlantic take?", "sentence", ("70 ms",)),
    ("networks.md", "Where did the Internet begin?", "heading", ("ARPANET",)),
    ("networks.md", "When was the first ARPANET message sent?", "sentence", ("1969",)),
    ("networks.md", "Who built the ARPANET?", "sentence", ("Department of Defense",)),
    ("networks.md", "What is a MAC address?", "absent", ()),
    ("networks.md", "How does Wi-Fi encryption work?", "absent", ()),
    ("networks.md", "Who invented the World Wide Web?", "absent", ()),
    ("networks.md", "What port does FTP use?", "absent", ()),
    # Nutrition
    ("nutrition.md", "What is the energy in food measured in?", "sentence", ("kilocalories",)),
    ("nutrition.md", "How many kilojoules are in a kilocalorie?", "sentence", ("4.2",)),
    ("nutrition.md", "How many calories does an adult need a day?", "sentence", ("2,000",)),
    ("nutrition.md", "How much energy does a gram of fat give?", "table", ("9",)),
    ("nutrition.md", "How many kcal per gram of protein?", "table", ("4",)),
    ("nutrition.md", "What is protein used for?", "table", ("repairing tissue",)),
    ("nutrition.md", "How much energy is in alcohol?", "sentence", ("7 kcal",)),
    ("nutrition.md", "What does vitamin D do?", "sentence", ("absorb calcium",)),
    ("nutrition.md", "What does a lack of vitamin C cause?", "sentence", ("scurvy",)),
    ("nutrition.md", "Why do vegans need a B12 supplement?", "sentence", ("animal foods",)),
    ("nutrition.md", "Where does digestion begin?", "heading", ("mouth",)),
    ("nutrition.md", "Where are most nutrients absorbed?", "sentence", ("small intestine",)),
    ("nutrition.md", "How long is the small intestine?", "sentence", ("6 metres",)),
    ("nutrition.md", "Where is water absorbed?", "sentence", ("large intestine",)),
    ("nutrition.md", "What is fibre?", "heading", ("cannot digest",)),
    ("nutrition.md", "How much fibre should adults eat?", "sentence", ("30 g",)),
    ("nutrition.md", "What is the main use of fat?", "table", ("stored energy",)),
    ("nutrition.md", "What is a kilocalorie in kilojoules?", "sentence", ("4.2",)),
    ("nutrition.md", "What does iron do in the body?", "absent", ()),
    ("nutrition.md", "How much water should I drink a day?", "absent", ()),
    ("nutrition.md", "What is the glycemic index?", "absent", ()),
    ("nutrition.md", "Who discovered vitamins?", "absent", ()),
]


def judged(question: str, kind: str, expected: tuple[str, ...], answer: str) -> str:
    """'right', 'wrong' (a confident answer without the fact, or an answer where the notes
    are silent) or 'refused' (said the notes do not cover it, though they do)."""
    refused = "do not cover" in answer
    if kind == "absent":
        return "right" if refused else "wrong"
    if refused:
        return "refused"
    said = " ".join(answer.lower().split())
    held = all(any(e.lower() in said for e in alternatives.split("|")) for alternatives in expected)
    return "right" if held else "wrong"


def run() -> list[tuple[str, str, str, str, str]]:
    """Every question answered offline (no model): (file, question, kind, verdict, answer)."""
    import asyncio

    from profai_cli.llm.answer import NotesAnswerer

    answerers: dict[str, NotesAnswerer] = {}
    out = []
    for name, question, kind, expected in QUESTIONS:
        if name not in answerers:
            answerers[name] = NotesAnswerer((NOTES / name).read_text(), None)

        async def said(a: NotesAnswerer = answerers[name], q: str = question) -> str:
            return "".join([d async for d in a.answer(q, "")])

        text = asyncio.run(said())
        out.append((name, question, kind, judged(question, kind, expected, text), text))
    return out
