"""The keys are declared once (issue 37): the reader, the player, the status line, the
``?`` box and ``teach --help`` all follow ui/bindings.py, so a key added there is read,
acted on and shown everywhere, and one the player cannot act on is caught here."""

from __future__ import annotations

from pathlib import Path

from profai_cli.lecture.lecture import Lecture
from profai_cli.lecture.metrics import Metrics
from profai_cli.lecture.playback import Playback
from profai_cli.lecture.player import Player
from profai_cli.lecture.status_line import help_lines, hint
from profai_cli.ui import Status
from profai_cli.ui.bindings import BINDINGS, as_ascii
from profai_cli.ui.keys import KEYS, split_keys
from tests.conftest import run_profai
from tests.fakes.engines import FakeDevice


def _player() -> Player:
    sink = FakeDevice()
    playback = Playback(Lecture(None, Metrics(), Status()), device=sink)
    return Player(playback.lecture, playback, sink)


def test_every_key_the_help_lists_is_read_as_its_action_and_the_player_acts_on_it() -> None:
    acted_on = set(_player().actions())
    for binding in BINDINGS:
        for sent in binding.keys:
            assert split_keys(sent) == [sent], sent  # an escape sequence read whole
            assert KEYS[sent] == binding.action
        if binding.help:
            assert binding.action in acted_on, binding.action


def test_the_player_acts_on_what_the_reader_sends() -> None:
    player = _player()
    player.key(KEYS["?"])
    assert player.help
    player.key(KEYS["q"])
    assert player.quitting and not player.help  # the box goes with the next key


def test_every_steer_has_a_key_and_its_key_steers_the_lecturer_that_way() -> None:
    """A steer is one entry of core/prompts.py's STEERS and one row here: its key is read,
    and the player asks the lecturer for it by name, from the sentence being heard."""
    from profai_cli.core.prompts import STEERS

    keyed = {b.action: b for b in BINDINGS}
    steered: list[tuple[str, int]] = []

    class _Steered:
        def steer(self, how: str, k: int) -> None:
            steered.append((how, k))

    player = _player()
    player.tutor = _Steered()  # type: ignore[assignment]  # steers only
    for how in STEERS:
        assert how in keyed and keyed[how].help, how  # read, and listed by ? and --help
        player.key(keyed[how].action)
    assert steered == [(how, 0) for how in STEERS]


def test_the_status_line_the_help_box_and_teach_help_show_every_key(home: Path) -> None:
    box = " · ".join(help_lines(10_000))
    line = hint(10_000)
    r = run_profai(["teach", "--help"], home, COLUMNS="400")
    assert r.code == 0, r.err
    for binding in BINDINGS:
        if binding.help and binding.action != "help":
            assert f"{binding.shown} {binding.help}" in box
        if binding.help:
            assert f"{as_ascii(binding.shown)} {binding.help}" in r.out
        if binding.hint is not None:
            _, key, word = binding.hint
            assert f"{key} {word}" in line
