"""No cut inside a sentence: where the voice pauses, a sentence has ended.

The cases are the Pragmatic Segmenter's Golden Rules for English (as pySBD's tests
carry them) and its German and French cases with abbreviations. Each text follows an
opening sentence, so the lecture's fast first chunk (which may end at a clause) is not
what is tested. Merging short sentences into one chunk is fine; a cut that is not a
sentence end is not.
"""

from __future__ import annotations

import pytest

from profai_cli.speech import Segmenter

OPENING = "This opening sentence is here so that the first chunk is not the one tested. "

GOLDEN_EN = [
    ("Hello World. My name is Jonas.", ["Hello World.", "My name is Jonas."]),
    ("What is your name? My name is Jonas.", ["What is your name?", "My name is Jonas."]),
    ("There it is! I found it.", ["There it is!", "I found it."]),
    ("My name is Jonas E. Smith.", ["My name is Jonas E. Smith."]),
    ("Please turn to p. 55.", ["Please turn to p. 55."]),
    ("Were Jane and co. at the party?", ["Were Jane and co. at the party?"]),
    (
        "They closed the deal with Pitt, Briggs & Co. at noon.",
        ["They closed the deal with Pitt, Briggs & Co. at noon."],
    ),
    ("Let's ask Jane and co. They should know.", ["Let's ask Jane and co.", "They should know."]),
    (
        "They closed the deal with Pitt, Briggs & Co. It closed yesterday.",
        ["They closed the deal with Pitt, Briggs & Co.", "It closed yesterday."],
    ),
    ("I can see Mt. Fuji from here.", ["I can see Mt. Fuji from here."]),
    (
        "St. Michael's Church is on 5th st. near the light.",
        ["St. Michael's Church is on 5th st. near the light."],
    ),
    ("That is JFK Jr.'s book.", ["That is JFK Jr.'s book."]),
    ("I visited the U.S.A. last year.", ["I visited the U.S.A. last year."]),
    ("I live in the E.U. How about you?", ["I live in the E.U.", "How about you?"]),
    ("I live in the U.S. How about you?", ["I live in the U.S.", "How about you?"]),
    (
        "I work for the U.S. Government in Virginia.",
        ["I work for the U.S. Government in Virginia."],
    ),
    ("I have lived in the U.S. for 20 years.", ["I have lived in the U.S. for 20 years."]),
    ("She has $100.00 in her bag.", ["She has $100.00 in her bag."]),
    ("She has $100.00. It is in her bag.", ["She has $100.00.", "It is in her bag."]),
    (
        "He teaches science (He previously worked for 5 years as an engineer.) at the local "
        "University.",
        [
            "He teaches science (He previously worked for 5 years as an engineer.) at the "
            "local University."
        ],
    ),
    (
        "Her email is Jane.Doe@example.com. I sent her an email.",
        ["Her email is Jane.Doe@example.com.", "I sent her an email."],
    ),
    (
        "The site is: https://www.example.50.com/new-site/awesome_content.html. Please check "
        "it out.",
        [
            "The site is: https://www.example.50.com/new-site/awesome_content.html.",
            "Please check it out.",
        ],
    ),
    (
        "She turned to him, 'This is great.' she said.",
        ["She turned to him, 'This is great.' she said."],
    ),
    (
        'She turned to him, "This is great." she said.',
        ['She turned to him, "This is great." she said.'],
    ),
    (
        'She turned to him, "This is great." She held the book out to show him.',
        ['She turned to him, "This is great."', "She held the book out to show him."],
    ),
    ("Hello!! Long time no see.", ["Hello!!", "Long time no see."]),
    ("Hello?? Who is there?", ["Hello??", "Who is there?"]),
    ("Hello!? Is that you?", ["Hello!?", "Is that you?"]),
    ("Hello?! Is that you?", ["Hello?!", "Is that you?"]),
    (
        "You can find it at N°. 1026.253.553. That is where the treasure is.",
        ["You can find it at N°. 1026.253.553.", "That is where the treasure is."],
    ),
    (
        "She works at Yahoo! in the accounting department.",
        ["She works at Yahoo! in the accounting department."],
    ),
    (
        "We make a good team, you and I. Did you see Albert I. Jones yesterday?",
        ["We make a good team, you and I.", "Did you see Albert I. Jones yesterday?"],
    ),
    (
        "Thoreau argues that by simplifying one\u2019s life, \u201cthe laws of the universe "
        "will appear less complex. . . .\u201d",
        [
            "Thoreau argues that by simplifying one\u2019s life, \u201cthe laws of the "
            "universe will appear less complex. . . .\u201d"
        ],
    ),
    (
        '"Bohr [...] used the analogy of parallel stairways [...]" (Smith 55).',
        ['"Bohr [...] used the analogy of parallel stairways [...]" (Smith 55).'],
    ),
    (
        "If words are left off at the end of a sentence, and that is all that is omitted, "
        "indicate the omission with ellipsis marks (preceded and followed by a space) and "
        "then indicate the end of the sentence with a period . . . . Next sentence.",
        [
            "If words are left off at the end of a sentence, and that is all that is omitted, "
            "indicate the omission with ellipsis marks (preceded and followed by a space) and "
            "then indicate the end of the sentence with a period . . . .",
            "Next sentence.",
        ],
    ),
    (
        "I never meant that.... She left the store.",
        ["I never meant that....", "She left the store."],
    ),
    (
        "I wasn\u2019t really ... well, what I mean...see . . . what I'm saying, the thing is "
        ". . . I didn\u2019t mean it.",
        [
            "I wasn\u2019t really ... well, what I mean...see . . . what I'm saying, the thing "
            "is . . . I didn\u2019t mean it."
        ],
    ),
    (
        "One further habit which was somewhat weakened . . . was that of combining words into "
        "self-interpreting compounds. . . . The practice was not abandoned. . . .",
        [
            "One further habit which was somewhat weakened . . . was that of combining words "
            "into self-interpreting compounds.",
            ". . . The practice was not abandoned. . . .",
        ],
    ),
]

OTHER_LANGUAGES = [
    (
        "German",
        "Es gibt z. B. viele Beispiele dafür. Das ist gut.",
        ["Es gibt z. B. viele Beispiele dafür.", "Das ist gut."],
    ),
    (
        "German",
        "Das Treffen ist am 3. Mai, d. h. in zwei Wochen. Bitte kommen Sie pünktlich.",
        ["Das Treffen ist am 3. Mai, d. h. in zwei Wochen.", "Bitte kommen Sie pünktlich."],
    ),
    (
        "German",
        "Er wohnt in der Hauptstr. 5 bei Dr. Müller usw. und geht bzw. fährt zur Arbeit.",
        ["Er wohnt in der Hauptstr. 5 bei Dr. Müller usw. und geht bzw. fährt zur Arbeit."],
    ),
    (
        "French",
        "Il y a des fruits, p. ex. des pommes. Nous les aimons.",
        ["Il y a des fruits, p. ex. des pommes.", "Nous les aimons."],
    ),
    (
        "French",
        "M. Dupont est arrivé à 8 h. Il était en retard.",
        ["M. Dupont est arrivé à 8 h.", "Il était en retard."],
    ),
    (
        "French",
        "Voir le chap. 3, c.-à-d. la suite. C'est clair.",
        ["Voir le chap. 3, c.-à-d. la suite.", "C'est clair."],
    ),
    (
        "French",
        "Mme. Martin, env. 40 ans, est là. Elle attend.",
        ["Mme. Martin, env. 40 ans, est là.", "Elle attend."],
    ),
]


def _cuts(text: str, language: str = "English") -> list[int]:
    """Where the chunks after the opening end, as offsets into ``text``."""
    seg = Segmenter(language=language)
    chunks = seg.feed(OPENING + text) + seg.flush()
    return sorted(c.end - len(OPENING) for c in chunks if c.end > len(OPENING))


def _ends(text: str, sentences: list[str]) -> set[int]:
    ends, at = set(), 0
    for s in sentences:
        at = text.index(s, at) + len(s)
        ends.add(at)
    return ends


@pytest.mark.parametrize(("text", "sentences"), GOLDEN_EN, ids=[t[:40] for t, _ in GOLDEN_EN])
def test_no_cut_inside_a_golden_rule_sentence(text: str, sentences: list[str]) -> None:
    inside = [c for c in _cuts(text) if c not in _ends(text, sentences)]
    assert not inside, [text[max(0, c - 20) : c] + " | " + text[c : c + 20] for c in inside]


@pytest.mark.parametrize(
    ("language", "text", "sentences"), OTHER_LANGUAGES, ids=[t[:30] for _, t, _ in OTHER_LANGUAGES]
)
def test_no_cut_inside_a_sentence_in_other_languages(
    language: str, text: str, sentences: list[str]
) -> None:
    inside = [c for c in _cuts(text, language) if c not in _ends(text, sentences)]
    assert not inside, [text[max(0, c - 20) : c] + " | " + text[c : c + 20] for c in inside]
