"""Write src/profai_cli/stt/common_words.txt: the words of everyday English a question
may use besides the notes' own, the most frequent first, by the unigram probabilities
of pocketsphinx's own en-US language model (BSD, as the wheel ships it).

    python scripts/common_words.py [N]
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from pocketsphinx import NGramModel, get_model_path

N = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
model = Path(get_model_path()) / "en-us"
lm = NGramModel.readfile(str(model / "en-us.lm.bin"))
words = set()
for line in open(model / "cmudict-en-us.dict", encoding="utf-8"):
    head = line.split(" ", 1)[0].split("(", 1)[0]
    if re.fullmatch(r"[a-z]+(?:'[a-z]+)?", head):
        words.add(head)
ranked = sorted(words, key=lambda w: -lm.prob([w]))[:N]
out = Path(__file__).resolve().parent.parent / "src" / "profai_cli" / "stt" / "common_words.txt"
out.write_text("\n".join(ranked) + "\n", encoding="utf-8")
print(f"{len(ranked)} words -> {os.path.relpath(out)}")
