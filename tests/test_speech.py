"""The speakable-sentence chunker: what a listener hears, and the spans behind it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from profai_cli.speech import ChunkKind, Segmenter, segment, speak_math, to_speech


def texts(md: str) -> list[str]:
    return [c.text for c in segment(md, fast_first=False, merge_below=0)]


CASES: list[tuple[str, str, list[str]]] = [
    # sentence ends
    ("period", "One here. Two here.", ["One here.", "Two here."]),
    ("exclamation", "Stop! Go now.", ["Stop!", "Go now."]),
    ("question", "Why? Because.", ["Why?", "Because."]),
    ("ellipsis char then capital", "Wait\u2026 Then go.", ["Wait\u2026", "Then go."]),
    ("three dots then capital", "Wait... Then go.", ["Wait...", "Then go."]),
    ("ellipsis then lowercase", "It was small... but it grew.", ["It was small... but it grew."]),
    ("interrobang run", "Really?! Yes.", ["Really?!", "Yes."]),
    ("closing quote kept", 'He said "stop." Then left.', ['He said "stop."', "Then left."]),
    (
        "closing bracket kept",
        "It is true (mostly.) Next one.",
        ["It is true (mostly.)", "Next one."],
    ),
    (
        "curly quote kept",
        "She said \u201cyes.\u201d Then left.",
        ["She said \u201cyes.\u201d", "Then left."],
    ),
    (
        "cjk full stop",
        "\u4eca\u5929\u5f88\u597d\u3002\u6211\u4eec\u5f00\u59cb\u5427\uff01",
        ["\u4eca\u5929\u5f88\u597d\u3002", "\u6211\u4eec\u5f00\u59cb\u5427\uff01"],
    ),
    (
        "cjk question",
        "\u4e3a\u4ec0\u4e48\uff1f\u56e0\u4e3a\u3002",
        ["\u4e3a\u4ec0\u4e48\uff1f", "\u56e0\u4e3a\u3002"],
    ),
    (
        "cjk closing bracket",
        "\u300c\u597d\u3002\u300d\u8d70\u5427\u3002",
        ["\u300c\u597d\u3002\u300d", "\u8d70\u5427\u3002"],
    ),
    ("no end at all", "a sentence without an end", ["a sentence without an end"]),
    (
        "lowercase after a period goes on: the Golden Rules' 'Co. at noon'",
        "First part. second part.",
        ["First part. second part."],
    ),
    # not sentence ends
    ("Dr.", "Dr. Smith is here. Next.", ["Dr. Smith is here.", "Next."]),
    (
        "Mr. Mrs. Ms.",
        "Mr. and Mrs. Lee met Ms. Ray. End.",
        ["Mr. and Mrs. Lee met Ms. Ray.", "End."],
    ),
    ("Prof.", "Prof. Okafor teaches. End.", ["Prof. Okafor teaches.", "End."]),
    ("St.", "We met at St. Mary church. End.", ["We met at St. Mary church.", "End."]),
    ("e.g.", "Use a tool, e.g. a hammer. End.", ["Use a tool, e.g. a hammer.", "End."]),
    (
        "i.e.",
        "The root, i.e. the base, matters. End.",
        ["The root, i.e. the base, matters.", "End."],
    ),
    ("vs.", "Cats vs. dogs is old. End.", ["Cats vs. dogs is old.", "End."]),
    (
        "etc. mid sentence",
        "Apples, pears, etc. are fruit. End.",
        ["Apples, pears, etc. are fruit.", "End."],
    ),
    ("etc. at the end", "Apples, pears, etc. Then more.", ["Apples, pears, etc.", "Then more."]),
    ("U.S.", "The U.S. economy grew. End.", ["The U.S. economy grew.", "End."]),
    ("a.m. mid sentence", "At 9 a.m. we start. End.", ["At 9 a.m. we start.", "End."]),
    ("p.m. at the end", "Class is at 2 p.m. Bring a pen.", ["Class is at 2 p.m.", "Bring a pen."]),
    ("Fig.", "See Fig. 3 for this. End.", ["See Fig. 3 for this.", "End."]),
    ("No. with a number", "Read No. 5 first. End.", ["Read No. 5 first.", "End."]),
    ("no. as a word", "The answer is no. Then what?", ["The answer is no.", "Then what?"]),
    ("approx.", "It is approx. ten metres. End.", ["It is approx. ten metres.", "End."]),
    ("decimal", "Pi is 3.14 roughly. End.", ["Pi is 3.14 roughly.", "End."]),
    ("percent", "Only 0.5% agreed. End.", ["Only 0.5% agreed.", "End."]),
    ("version", "Install v2.0.1 today. End.", ["Install v2.0.1 today.", "End."]),
    ("initials", "J. R. R. Tolkien wrote it. End.", ["J. R. R. Tolkien wrote it.", "End."]),
    ("url", "Go to https://example.com/a.b?x=1 now. End.", ["Go to example.com now.", "End."]),
    (
        "url at sentence end",
        "See https://docs.python.org/3/. Then read.",
        ["See docs.python.org.", "Then read."],
    ),
    ("email", "Mail prof.okafor@uni.edu today. End.", ["Mail prof.okafor@uni.edu today.", "End."]),
    ("file name", "Edit config.yaml first. End.", ["Edit config.yaml first.", "End."]),
    (
        "file name at the end",
        "Now open config.yaml. Then save.",
        ["Now open config.yaml.", "Then save."],
    ),
    # markdown
    ("heading alone", "# Big Title\n\nText here.", ["Big Title.", "Text here."]),
    ("heading levels", "### Deep one ###\nText.", ["Deep one.", "Text."]),
    ("heading keeps its question", "## Why sort?\n", ["Why sort?"]),
    ("bold", "This is **very** important. End.", ["This is very important.", "End."]),
    ("underscore emphasis", "This is _quite_ nice. End.", ["This is quite nice.", "End."]),
    ("star emphasis", "This is *quite* nice. End.", ["This is quite nice.", "End."]),
    ("strike", "This is ~~wrong~~ right. End.", ["This is wrong right.", "End."]),
    ("snake_case kept", "Call my_func now. End.", ["Call my_func now.", "End."]),
    ("inline code", "Run `make test` now. End.", ["Run make test now.", "End."]),
    ("inline code with a dot", "Call `obj.run()` then. End.", ["Call obj dot run then.", "End."]),
    (
        "inline code with a sentence end inside",
        "Type `stop. go` here. End.",
        ["Type stop dot go here.", "End."],
    ),
    (
        "link",
        "Read [the guide](https://x.org/g.html) first. End.",
        ["Read the guide first.", "End."],
    ),
    ("image dropped", "Look ![a cat](cat.png) here. End.", ["Look here.", "End."]),
    ("html tag dropped", "This is <b>bold</b> text.<br> End.", ["This is bold text.", "End."]),
    ("bullets become sentences", "- apples\n- pears\n", ["apples.", "pears."]),
    ("star bullets", "* one thing\n* another thing\n", ["one thing.", "another thing."]),
    (
        "numbered list drops numbers",
        "1. First step\n2. Second step\n",
        ["First step.", "Second step."],
    ),
    (
        "list item with a sentence",
        "- It rains. Take a coat\n- Done\n",
        ["It rains.", "Take a coat.", "Done."],
    ),
    ("task list", "- [ ] write notes\n- [x] read\n", ["write notes.", "read."]),
    ("nested list", "- outer\n  - inner\n", ["outer.", "inner."]),
    ("blockquote", "> A quote here.\n> Still quoting.\n", ["A quote here.", "Still quoting."]),
    (
        "a table is said row by row with its header",
        "Before.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nAfter.",
        ["Before.", "A table of a and b.", "1: b, 2.", "After."],
    ),
    (
        "a code block is described, not read",
        "Intro.\n\n```python\nx = 1. y = 2.\n```\n\nOutro.",
        ["Intro.", "Here is an example in Python.", "Outro."],
    ),
    (
        "tilde fence",
        "~~~\ncode. more.\n~~~\nAfter.",
        ["Here is a code example.", "After."],
    ),
    ("horizontal rule", "One.\n\n---\n\nTwo.", ["One.", "Two."]),
    (
        "inline math in words",
        "So $E = mc^2$ holds. End.",
        ["So E equals m c squared holds.", "End."],
    ),
    (
        "display math in words",
        "$$a^2 + b^2 = c^2$$\n",
        ["a squared plus b squared equals c squared."],
    ),
    ("multi-line display math", "$$\n\\frac{1}{2}\n$$\nAfter.", ["one half.", "After."]),
    ("dollars are not math", "It costs $5 and $10 now. End.", ["It costs $5 and $10 now.", "End."]),
    ("html comment dropped", "<!-- note to self -->\nSpoken.", ["Spoken."]),
    (
        "soft line break joins",
        "A sentence that\ncontinues here. End.",
        ["A sentence that continues here.", "End."],
    ),
    ("html entity", "Salt &amp; pepper. End.", ["Salt & pepper.", "End."]),
    ("footnote ref dropped", "A fact[^1] here. End.", ["A fact here.", "End."]),
]


@pytest.mark.parametrize(
    ("markdown", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_splits_like_a_reader(markdown: str, expected: list[str]) -> None:
    assert texts(markdown) == expected


def test_kinds_and_spans() -> None:
    md = "# Title\n\nFirst sentence here. Second one here.\n\nNext paragraph.\n"
    chunks = segment(md, fast_first=False, merge_below=0)
    assert [c.kind for c in chunks] == [
        ChunkKind.HEADING,
        ChunkKind.SENTENCE,
        ChunkKind.PARAGRAPH_END,
        ChunkKind.PARAGRAPH_END,
    ]
    assert [md[c.start : c.end] for c in chunks] == [
        "Title",
        "First sentence here.",
        "Second one here.",
        "Next paragraph.",
    ]
    assert [c.index for c in chunks] == [0, 1, 2, 3]


def test_list_items_end_as_sentences_and_the_list_as_a_paragraph() -> None:
    chunks = segment("- one\n- two\n\nAfter.", fast_first=False)
    assert [c.kind for c in chunks] == [
        ChunkKind.SENTENCE,
        ChunkKind.PARAGRAPH_END,
        ChunkKind.PARAGRAPH_END,
    ]


def test_bounded_wait_cuts_at_a_clause_then_a_word() -> None:
    clause = ("word " * 30).strip() + ", and then " + ("more " * 60).strip()
    chunks = segment(clause, fast_first=False, max_chars=220)
    assert chunks[0].text.endswith(",")
    assert all(len(c.text) <= 220 for c in chunks)
    plain = ("lorem " * 100).strip()
    chunks = segment(plain, fast_first=False, max_chars=100)
    assert all(len(c.text) <= 100 for c in chunks)
    assert " ".join(c.text for c in chunks) == plain  # cut at word boundaries only


def test_bounded_wait_does_not_cut_inside_a_link() -> None:
    md = "x " * 45 + "[a link text here](http://example.com/" + "p" * 30 + ") tail words"
    chunks = segment(md, fast_first=False, max_chars=100)
    assert any("a link text here" in c.text for c in chunks)
    assert not any("example" in c.text for c in chunks)


def test_fast_first_chunk_cuts_at_the_first_clause() -> None:
    md = "Good morning everyone, and welcome to today's lecture on sorting. Next."
    chunks = segment(md)
    assert chunks[0].text == "Good morning everyone,"
    assert chunks[1].text == "and welcome to today's lecture on sorting."
    assert texts(md) == [
        "Good morning everyone, and welcome to today's lecture on sorting.",
        "Next.",
    ]


def test_fast_first_needs_a_few_words() -> None:
    chunks = segment("Hi, all of you, welcome here. Next.", first_min_words=3)
    assert chunks[0].text == "Hi, all of you,"


def test_only_the_first_chunk_is_cut_early() -> None:
    chunks = segment("First sentence is here. Then, later on, a comma sentence comes.")
    assert chunks[1].text == "Then, later on, a comma sentence comes."


def test_short_sentences_merge_with_the_next() -> None:
    chunks = segment(
        "Opening sentence that is long enough. Yes. It works well here.",
        fast_first=False,
        merge_below=24,
    )
    assert [c.text for c in chunks] == [
        "Opening sentence that is long enough.",
        "Yes. It works well here.",
    ]


def test_to_speech_and_math() -> None:
    assert to_speech("**Note:** see <https://www.example.org/x>") == "Note: see example.org"
    assert speak_math(r"\frac{a}{b}") == "a over b"
    assert speak_math(r"\alpha \leq \beta") == "alpha is less than or equal to beta"
    assert speak_math(r"x_{n+1}") == "x sub n plus 1"
    assert speak_math(r"\sqrt{x}") == "the square root of x"


def test_the_first_chunk_settles_as_soon_as_its_end_is_known() -> None:
    seg = Segmenter(fast_first=False)
    assert seg.feed("Hello there, student") == []
    assert seg.feed(".") == []  # "." could still be "..." or an abbreviation
    out = seg.feed(" N")
    assert [c.text for c in out] == ["Hello there, student."]


def test_headings_settle_at_their_line_end() -> None:
    seg = Segmenter()
    assert seg.feed("# Sorting") == []
    assert [c.text for c in seg.feed("\n")] == ["Sorting."]


# -- properties ------------------------------------------------------------------------------

_alphabet = st.sampled_from(
    list("abc XY. ,!?\n#-*_`$[]()1:") + ["e.g. ", "Dr. ", "\n\n", "- ", "```\n", "3.14", " | "]
)
markdown_text = st.lists(_alphabet, max_size=80).map("".join)


def _feed_in(text: str, cuts: list[int]) -> list[tuple[str, int, int, str]]:
    seg = Segmenter()
    out = []
    prev = 0
    for cut in sorted(set(cuts)) + [len(text)]:
        out += seg.feed(text[prev:cut])
        prev = cut
    out += seg.flush()
    return [(c.text, c.start, c.end, c.kind.value) for c in out]


@settings(max_examples=300, deadline=None)
@given(markdown_text, st.lists(st.integers(min_value=0, max_value=200), max_size=20))
def test_chunks_do_not_depend_on_how_the_text_is_split(text: str, cuts: list[int]) -> None:
    whole = _feed_in(text, [])
    assert _feed_in(text, [c for c in cuts if c < len(text)]) == whole
    assert _feed_in(text, list(range(1, len(text)))) == whole


@settings(max_examples=300, deadline=None)
@given(markdown_text)
def test_chunks_are_never_empty_and_spans_increase(text: str) -> None:
    chunks = segment(text)
    for c in chunks:
        assert c.text.strip()
        assert any(ch.isalnum() for ch in c.text)
        assert 0 <= c.start < c.end <= len(text)
    for a, b in zip(chunks, chunks[1:], strict=False):
        assert a.end <= b.start
    assert [c.index for c in chunks] == list(range(len(chunks)))


_word = st.sampled_from(
    [
        "cells",
        "energy",
        "the",
        "light",
        "Water",
        "plants",
        "Dr.",
        "e.g.",
        "3.14",
        "U.S.",
        "grow",
        "It",
        "v2.0",
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.lists(_word, min_size=1, max_size=8), st.sampled_from([".", "!", "?"])),
        min_size=1,
        max_size=6,
    )
)
def test_every_word_of_plain_prose_is_spoken_once_in_order(
    sentences: list[tuple[list[str], str]],
) -> None:
    prose = " ".join(" ".join(words) + end for words, end in sentences)
    spoken = " ".join(c.text for c in segment(prose))
    assert spoken.split() == prose.split()


PLAIN_PROSE = (
    "Dr. Smith arrived at 9 a.m. and began the class. The data, e.g. the 3.14 value, "
    "came from v2.0.1 of the tool. Was it right? Yes! The U.S. team agreed. "
    "J. R. R. Tolkien wrote books. It grew small... but it held. Edit config.yaml first. "
    "See Fig. 2 for details. Then we stopped."
)


def test_agrees_with_pysbd_on_plain_prose() -> None:
    pysbd = pytest.importorskip("pysbd")
    ours = [c.text for c in segment(PLAIN_PROSE, fast_first=False, merge_below=0)]
    theirs = [s.strip() for s in pysbd.Segmenter(language="en", clean=False).segment(PLAIN_PROSE)]
    assert ours == theirs
