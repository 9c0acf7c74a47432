"""How often the offline answerer (``--llm none``, and the built-in model's retrieval)
finds the fact, and refuses where the notes are silent: the question set of
tests/answer_set.py over five notes of subjects the repo's examples do not cover, by
how deep the answer lies, with the time an answer takes.

    python benchmarks/answers.py          # the table
    python benchmarks/answers.py -v       # and every answer that was not right
"""

from __future__ import annotations

import sys
import time
from collections import Counter

from _common import table
from tests.answer_set import run

DEPTHS = ("heading", "sentence", "table", "absent")


def main() -> None:
    started = time.perf_counter()
    results = run()
    took = time.perf_counter() - started
    counts = Counter((kind, verdict) for _, _, kind, verdict, _ in results)
    asked = Counter(kind for _, _, kind, _, _ in results)
    rows = []
    for depth in DEPTHS:
        rows.append(
            [
                depth,
                str(asked[depth]),
                str(counts[(depth, "right")]),
                str(counts[(depth, "wrong")]),
                str(counts[(depth, "refused")]),
            ]
        )
    right = sum(n for (_, v), n in counts.items() if v == "right")
    rows.append(
        [
            "all",
            str(len(results)),
            f"{right} ({right / len(results):.0%})",
            str(sum(n for (_, v), n in counts.items() if v == "wrong")),
            str(sum(n for (_, v), n in counts.items() if v == "refused")),
        ]
    )
    header = ["answer lies in", "questions", "right", "wrong (said with confidence)", "refused"]
    print(table("Offline answers, the set of tests/answer_set.py", header, rows))
    print(f"\n{took / len(results) * 1000:.1f} ms a question, the notes' index built included")
    if "-v" in sys.argv:
        for name, question, kind, verdict, text in results:
            if verdict != "right":
                print(f"\n{verdict} ({kind}, {name}) {question}\n  {text}")


if __name__ == "__main__":
    main()
