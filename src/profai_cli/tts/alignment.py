"""When each word starts, from the voice's own phoneme durations (Piper's alignments).

Piper says how many samples each phoneme took, and its phonemes come in groups split at
spaces: one group a word, except where espeak-ng runs short words together ("at a" is
one group, "æɾə"). Each word is phonemized alone too, and the words are matched to the
groups in order (a group takes one word or several run together; a word rarely spans
two groups), by how close their phonemes are in length and first sound. A word starts
where its group's first phoneme does; words run together share their group's phonemes
in proportion to their own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

_STRESS = set("ˈˌ")  # no phoneme of their own, but the voice's time for them is the word's
_SILENT = set("^$_,.;:!?\"'()[]-—–…¡¿") | _STRESS  # no sound of their own: pauses, pads
MERGED = 4  # most words espeak-ng runs into one group
SPLIT = 3  # most groups one word is said as
_MOVES = [(1, m) for m in range(1, MERGED + 1)] + [(n, 1) for n in range(2, SPLIT + 1)]
KEPT = 512  # sentences whose word times a voice keeps: the lecture's recent ones suffice


def keep(times: dict[str, list[float]], text: str, starts: list[float]) -> None:
    """Remember a sentence's word times, forgetting the oldest past KEPT."""
    while len(times) >= KEPT:
        del times[next(iter(times))]
    times[text] = starts


def phones(units: Sequence[str]) -> list[str]:
    """The sounding phonemes of a phonemization (stress marks, pauses and spaces out)."""
    return [u for u in units if u.strip() and not all(c in _SILENT for c in u)]


def groups(alignment: Sequence[tuple[str, int]]) -> list[tuple[list[str], list[int]]]:
    """(phonemes, the sample each starts at) of each space-separated group, from Piper's
    (phoneme, samples) pairs for a sentence. A stress mark before a group's first phoneme
    starts the group: the voice spends its time on the word's first sound."""
    out: list[tuple[list[str], list[int]]] = []
    current: tuple[list[str], list[int]] | None = None
    stressed: int | None = None  # where a stress mark before the next phoneme began
    at = 0
    for phoneme, samples in alignment:
        if not phoneme.strip() or phoneme in ("^", "$"):
            current, stressed = None, None
        elif phoneme in _STRESS:
            stressed = at if stressed is None else stressed
        elif not all(c in _SILENT for c in phoneme):
            if current is None:
                current = ([], [])
                out.append(current)
            current[0].append(phoneme)
            current[1].append(at if stressed is None else stressed)
            stressed = None
        at += samples
    return out


def word_starts(
    alignment: Sequence[tuple[str, int]],
    words: Sequence[str],
    phonemize: Callable[[str], list[str]],
) -> list[int] | None:
    """The sample each word starts at; None when the words cannot be matched to the
    voice's groups (the caller estimates instead)."""
    found = groups(alignment)
    said = [
        phones(phonemize(w)) if not w.startswith("[[") else phones(list(w[2:-2])) for w in words
    ]
    if not found or not said:
        return None
    g_count, w_count = len(found), len(said)
    inf = float("inf")
    cost = [[inf] * (w_count + 1) for _ in range(g_count + 1)]
    step: list[list[tuple[int, int] | None]] = [[None] * (w_count + 1) for _ in range(g_count + 1)]
    cost[0][0] = 0.0
    for g in range(g_count + 1):
        for w in range(w_count + 1):
            here = cost[g][w]
            if here == inf:
                continue
            for n, m in _MOVES:
                if g + n > g_count or w + m > w_count:
                    continue
                heard = [p for grp in found[g : g + n] for p in grp[0]]
                meant = [p for s in said[w : w + m] for p in s]
                total = here + _distance(heard, meant) + 0.25 * (n + m - 2)
                if total < cost[g + n][w + m]:
                    cost[g + n][w + m] = total
                    step[g + n][w + m] = (n, m)
    if cost[g_count][w_count] == inf or cost[g_count][w_count] > 0.5 * sum(map(len, said)) + 2:
        return None
    starts: list[int] = []
    g, w = g_count, w_count
    while g or w:
        move = step[g][w]
        assert move is not None
        n, m = move
        heard_starts = [s for grp in found[g - n : g] for s in grp[1]]
        lengths = [len(s) for s in said[w - m : w]]
        whole: int = sum(lengths) or 1
        shares: list[int] = []
        before = 0
        for length in lengths:
            shares.append(
                heard_starts[min(len(heard_starts) - 1, before * len(heard_starts) // whole)]
            )
            before += length
        starts = shares + starts
        g, w = g - n, w - m
    return starts


def _distance(heard: list[str], meant: list[str]) -> float:
    """How unlike two phoneme runs are: their length, then their first and last sounds."""
    if not heard or not meant:
        return float(len(heard) + len(meant)) + 1.0
    return (
        abs(len(heard) - len(meant))
        + (0.0 if heard[0] == meant[0] else 1.0)
        + (0.0 if heard[-1] == meant[-1] else 0.5)
    )
