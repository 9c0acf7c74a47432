"""Every key of the player, declared once: what the terminal sends, the action it asks
for, how the key is written, what ``?`` says it does, and its word on the status line.

The key reader maps bytes to actions from here, the player dispatches the actions, the
status line and the ``?`` box show the hints and the help, and ``profai teach --help``
lists them: a new key is one row (and the player's handler for its action). Plain data:
``profai --help`` reads it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Binding:
    action: str
    keys: tuple[str, ...]  # what the terminal sends for it
    shown: str = ""  # the key as ``?`` writes it ("" for the line-editing keys)
    help: str = ""  # what it does, in ``?`` and --help
    hint: tuple[int, str, str] | None = None  # the status line's (rank, key, word)


BINDINGS = (
    Binding("pause", (" ",), "space", "pause or resume", (0, "space", "pause")),
    Binding("back", ("h", "\x1b[D", "\x1bOD"), "←/h", "previous sentence", (4, "←→", "sentence")),
    Binding("forward", ("l", "\x1b[C", "\x1bOC"), "→/l", "next sentence", (4, "←→", "sentence")),
    Binding("replay", ("r",), "r", "say it again"),
    Binding("section_back", ("[", "\x1b[5~"), "[/PgUp", "back a section", (7, "[]", "section")),
    Binding("section_forward", ("]", "\x1b[6~"), "]/PgDn", "next section", (7, "[]", "section")),
    Binding("next_lecture", ("n",), "n", "next lecture (a course)"),
    Binding("faster", ("+", "=", "\x1b[A", "\x1bOA"), "↑/+", "faster", (5, "↑↓", "speed")),
    Binding("slower", ("-", "\x1b[B", "\x1bOB"), "↓/-", "slower", (5, "↑↓", "speed")),
    Binding("ask", ("a",), "a", "ask a question", (3, "a", "ask")),
    Binding("listen", ("v",), "v", "ask it aloud", (6, "v", "ask aloud")),
    Binding("answer_again", ("A",), "A", "the last answer again"),
    Binding("simpler", ("s",), "s", "more simply (a model)", (9, "s/d/e", "steer")),
    Binding("deeper", ("d",), "d", "deeper", (9, "s/d/e", "steer")),
    Binding("example", ("e",), "e", "an example", (9, "s/d/e", "steer")),
    Binding("bookmark", ("b",), "b", "bookmark this sentence", (8, "b", "mark")),
    Binding("quit", ("q", "Q"), "q", "stop (resumes next time)", (1, "q", "quit")),
    Binding("help", ("?",), "?", "these keys", (2, "?", "keys")),
    # The question line's, the checkpoint's and listening's keys: no hint, no help.
    Binding("escape", ("\x1b",)),
    Binding("enter", ("\r", "\n")),
    Binding("backspace", ("\x7f", "\x08")),
)

KEY_ACTIONS = {key: b.action for b in BINDINGS for key in b.keys}


def hints() -> list[tuple[str, str]]:
    """The status line's (key, word) pairs, most needed first, one per hint."""
    ranked = sorted({b.hint for b in BINDINGS if b.hint is not None})
    return [(key, word) for _, key, word in ranked]


def help_pairs() -> list[tuple[str, str]]:
    """Every key that does something and what, in the ``?`` box's order."""
    return [(b.shown, b.help) for b in BINDINGS if b.help and b.action != "help"]


def key_list() -> str:
    """The keys for --help's epilog, in ASCII (a help page may go to any terminal), with
    rich's markup escaped (``[`` is a key, not a tag)."""
    return ", ".join(as_ascii(b.shown) for b in BINDINGS if b.help).replace("[", "\\[")


def help_sentence() -> str:
    """The keys and what they do, for --help: one sentence, as key_list writes them."""
    said = "; ".join(f"{as_ascii(b.shown)} {b.help}" for b in BINDINGS if b.help)
    return said.replace("[", "\\[") + "."


_ASCII_KEYS = (
    ("←→", "left/right"),
    ("↑↓", "up/down"),
    ("←", "left"),
    ("→", "right"),
    ("↑", "up"),
    ("↓", "down"),
)


def as_ascii(key: str) -> str:
    """The key's name on a terminal that cannot show arrows."""
    for arrow, name in _ASCII_KEYS:
        key = key.replace(arrow, name)
    return key
