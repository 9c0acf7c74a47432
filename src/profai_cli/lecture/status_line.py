"""The player's status line: what is happening, where, how long and how fast, then the
keys that fit, in that order at every width (the keys drop first, then the speed, the
clock and the position), measured in terminal cells ("⏸" takes two): never a key cut
in the middle. ``?`` gives every key, for the panel's box.
"""

from __future__ import annotations

from rich.cells import cell_len

from profai_cli.ui.bindings import as_ascii, help_pairs, hints

# The keys, most needed first: the hint keeps as many as fit the width, shown in this
# order. ``?`` shows them all, each with what it does, until the next key.
KEYS = hints()
HELP = help_pairs()


def hint(room: int, plain: bool = False) -> str:
    """The keys that fit in ``room`` columns, most needed first, in their usual order."""
    sep = " | " if plain else " · "
    keys = [(as_ascii(k) if plain else k, what) for k, what in KEYS]
    for n in range(len(keys), 0, -1):
        kept = [f"{k} {what}" for k, what in keys[:n]]
        line = sep.join(kept)
        if cell_len(line) <= room:
            return line
    return ""


def help_lines(width: int, plain: bool = False) -> list[str]:
    """Every key and what it does, wrapped between keys to ``width`` columns."""
    sep = " | " if plain else " · "
    lines: list[str] = []
    for key, what in HELP:
        item = f"{as_ascii(key) if plain else key} {what}"
        if lines and cell_len(lines[-1] + sep + item) <= width:
            lines[-1] += sep + item
        else:
            lines.append(item)
    return lines


HEARING = "Hearing what was said..."  # the microphone closed, the question not yet known


def listening_line(mic: str, listener: str, db: float, plain: bool) -> str:
    """The player's line while a question is heard: "Listening" only while the microphone
    ("opening", "open", "closed") takes what is said."""
    if mic == "open":
        who = f" with {listener}" if listener else ""
        line = f"Listening{who}... {level_meter(db, plain)}  (Enter to finish, Esc to cancel)"
    else:
        line = f"{HEARING if mic == 'closed' else 'Opening the microphone...'}  (Esc to cancel)"
    return line.replace("·", "|") if plain else line


def level_meter(db: float, plain: bool = False, width: int = 10) -> str:
    """The microphone's level as a bar: -60 dBFS empty, 0 full."""
    filled = max(0, min(width, round((db + 60) / 60 * width)))
    on, off = ("#", ".") if plain else ("█", "░")
    return on * filled + off * (width - filled)


def clock(seconds: float) -> str:
    """3:07, or 1:02:03 past an hour."""
    s = max(0, int(seconds))
    if s >= 3600:
        return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"
    return f"{s // 60}:{s % 60:02d}"


MARKS = {
    "playing": "▶",
    "paused": "⏸",
    "answering": "✋",
    "waiting": "…",
    "done": "■",
}
MARKS_PLAIN = {"playing": ">", "paused": "||", "answering": "?", "waiting": "...", "done": "#"}


def compose(fields: list[str], width: int, plain: bool) -> str:
    """The status line in ``width`` cells: the fields in their order (what is happening,
    where, the clock, the speed), then as many keys as fit; with no room, the keys go
    first, then the last fields, one by one; never part of a key or a field."""
    sep = " | " if plain else " · "
    kept = list(fields)
    while len(kept) > 1 and cell_len(sep.join(kept)) > width:
        kept.pop()
    status = sep.join(kept)
    if cell_len(status) > width:  # what is happening, longer than the line: its words
        words = status.split(" ")
        while len(words) > 1 and cell_len(" ".join(words)) > width:
            words.pop()
        status = " ".join(words)
    keys = hint(width - cell_len(status) - 3, plain)
    return f"{status}   {keys}" if keys else status
