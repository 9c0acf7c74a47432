"""How close the estimated word times (speech/timing.py) come to the voice's own: the
bundled Piper voice is patched (a copy, with the onnx package) to output its phoneme
durations, and each word's estimated start is compared with where its phonemes begin.
Only sentences whose espeak-ng phoneme groups are one per word are compared (espeak
joins some short words, "at a", into one group).

    pip install onnx && python benchmarks/word_times.py
"""

from __future__ import annotations

import re
import shutil
import statistics
import tempfile
from pathlib import Path

from _common import ROOT, table
from profai_cli.speech import segment
from profai_cli.speech.timing import word_times
from profai_cli.tts.piper_tts import bundled_voice_path, load_voice

NOTES = [
    *sorted((ROOT / "tests" / "notes").glob("*.md")),
    *sorted((ROOT / "examples").glob("*.md")),
]
BREAKS = set(" ,.;:!?^$_")


def aligned_voice(folder: Path):  # type: ignore[no-untyped-def]
    import onnx
    from piper.patch_voice_with_alignment import add_alignment_output

    source = bundled_voice_path()
    assert source is not None, "the offline voice is not installed"
    model = onnx.load(str(source))
    add_alignment_output(model)
    patched = folder / "aligned.onnx"
    onnx.save(model, str(patched))
    shutil.copy(str(source) + ".json", str(patched) + ".json")
    return load_voice(patched)


def word_starts(voice, text: str) -> tuple[list[float], float] | None:  # type: ignore[no-untyped-def]
    chunks = list(voice.synthesize(text, include_alignments=True))
    if len(chunks) != 1 or not chunks[0].phoneme_alignments:
        return None
    chunk = chunks[0]
    starts, at, inside = [], 0, False
    for a in chunk.phoneme_alignments:
        if a.phoneme in BREAKS:
            inside = False
        elif not inside:
            starts.append(at / chunk.sample_rate)
            inside = True
        at += int(a.num_samples)
    return starts, len(chunk.audio_int16_array) / chunk.sample_rate


def main() -> None:
    errors: list[float] = []
    compared = 0
    with tempfile.TemporaryDirectory() as tmp:
        voice = aligned_voice(Path(tmp))
        for notes in NOTES:
            for chunk in segment(notes.read_text()):
                said = chunk.text
                if len(said.split()) < 4 or re.search(r"[^\w\s,.;:!?'-]", said):
                    continue
                found = word_starts(voice, said)
                if found is None:
                    continue
                starts, seconds = found
                estimated = word_times(said, seconds)
                if len(estimated) != len(starts):
                    continue
                compared += 1
                errors += [abs(a - at) for a, (_, _, at) in zip(starts, estimated, strict=True)]
    errors.sort()
    rows = [
        [
            str(compared),
            str(len(errors)),
            f"{statistics.median(errors) * 1000:.0f} ms",
            f"{errors[int(len(errors) * 0.9)] * 1000:.0f} ms",
            f"{sum(e <= 0.1 for e in errors) / len(errors):.0%}",
        ]
    ]
    print(
        table(
            "Estimated word starts against Piper's own alignments",
            ["sentences", "words", "median error", "90th percentile", "within 100 ms"],
            rows,
        )
    )


if __name__ == "__main__":
    main()
