"""Holding an encoded file under the ceiling (audio/peaks.py), against an encoder whose
overshoot is known: where it overshoots, and by how much at each try."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from profai_cli.audio import meter
from profai_cli.audio.peaks import Lowering, hold_under, lowered


class OvershootingEncoder:
    """Each encode of the PCM lowered by ``lowering``: a peak at each of ``spots`` that
    is over the ceiling by its excess plus the gain the file has there."""

    def __init__(self, spots: dict[float, float]) -> None:
        self.spots = spots  # second -> dB over the ceiling when nothing is lowered
        self.lowering = Lowering()
        self.encodes = 0

    def encode(self, lowering: Lowering) -> None:
        self.lowering, self.encodes = lowering, self.encodes + 1

    def over(self, path: Path, ceiling_dbtp: float) -> list[tuple[float, float]]:
        heard = {at: excess + self.gain_at(at) for at, excess in self.spots.items()}
        return [(at, dbs) for at, dbs in sorted(heard.items()) if dbs > 0]

    def gain_at(self, second: float, rate: int = 8_000) -> float:
        """The gain (dB) the PCM was lowered by at ``second``, as ``lowered`` applies it."""
        one = np.full(1, 10_000, dtype=np.int16)
        got = lowered(one, round(second * rate), rate, self.lowering)
        return float(20 * np.log10(max(int(got[0]), 1) / 10_000))


def _held(
    spots: dict[float, float], monkeypatch: pytest.MonkeyPatch, *, local: bool = True
) -> OvershootingEncoder:
    encoder = OvershootingEncoder(spots)
    monkeypatch.setattr(meter, "true_peaks_over", encoder.over)
    hold_under(Path("lecture.mp3"), -1.0, encoder.encode, local=local)
    return encoder


def test_peaks_are_lowered_where_they_are_and_nowhere_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    encoder = _held({0.5: 2.9, 3.0: 0.4}, monkeypatch)
    assert encoder.over(Path(), -1.0) == []
    assert encoder.lowering.gain_db == 0.0 and encoder.encodes == 1
    assert encoder.gain_at(0.5) == pytest.approx(-3.0, abs=0.01)  # the excess and 0.1
    assert encoder.gain_at(1.5) == 0.0 and encoder.gain_at(0.0) == 0.0


def test_a_peak_in_the_ramp_of_one_lowered_before_is_lowered_from_where_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second try finds a peak 5 ms past the first's stretch, where its ramp has it
    half lowered: lowered by its excess from there, not from nothing (which left it over
    and lowered the whole file)."""
    encoder = OvershootingEncoder({0.5: 5.0})

    def over(path: Path, ceiling: float) -> list[tuple[float, float]]:
        if encoder.encodes:  # once the first is held, the encoder rings just past it
            encoder.spots[0.535] = 4.0
        return encoder.over(path, ceiling)

    monkeypatch.setattr(meter, "true_peaks_over", over)
    hold_under(Path("lecture.mp3"), -1.0, encoder.encode)
    assert encoder.over(Path(), -1.0) == []
    assert encoder.lowering.gain_db == 0.0, "the whole file was lowered"
    assert encoder.gain_at(0.535) == pytest.approx(-4.1, abs=0.05)


def test_a_format_whose_peaks_are_found_elsewhere_is_lowered_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    encoder = _held({0.5: 1.0}, monkeypatch, local=False)
    assert encoder.lowering.spans == [] and encoder.lowering.gain_db == pytest.approx(-1.1)


def test_a_stretch_is_lowered_at_most_6_db_and_the_whole_file_by_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A click 7 dB over: its stretch goes down 6 dB, and all of the file by the 1.1 dB
    left, not by 7.1 (the whole file for one click) nor 7.1 dB in 60 ms."""
    encoder = _held({0.5: 7.0, 2.0: 0.5}, monkeypatch)
    assert encoder.over(Path(), -1.0) == [] and encoder.encodes == 1
    assert encoder.lowering.gain_db == pytest.approx(-1.1)
    assert encoder.gain_at(0.5) == pytest.approx(-7.1, abs=0.01)
    assert encoder.gain_at(2.0) == pytest.approx(-1.7, abs=0.01)  # its own 0.6, and 1.1
    assert encoder.gain_at(1.2) == pytest.approx(-1.1, abs=0.01)


@pytest.mark.parametrize(("ext", "local"), [(".m4a", True), (".aac", False), (".wma", False)])
def test_raw_aac_and_wma_are_held_whole_the_others_where_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ext: str, local: bool
) -> None:
    """Their decoders put a peak 46 ms from where it was fed: a stretch would miss it."""
    import asyncio
    import shutil

    from profai_cli.audio import files
    from profai_cli.audio.files import FileSink, Target

    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    held: list[bool] = []
    monkeypatch.setattr(files, "hold_under", lambda *args, local: held.append(local))
    sink = FileSink(Target(tmp_path / f"a{ext}", ext), 22_050)

    async def encode() -> None:
        await sink.write(np.zeros(22_050, np.int16))
        await sink.drain()

    asyncio.run(encode())
    sink.finish({"title": "a"}, [])
    assert held == [local]
