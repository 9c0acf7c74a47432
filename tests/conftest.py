from __future__ import annotations

import itertools
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# --llm's names are registered by the lecturers' module, which the CLI imports before it
# reads a setting; a test that resolves settings itself must see them too, whatever ran
# before it on its worker (alone, resolve({"llm": "none"}) said "must be one of auto").
from profai_cli.lecture import lecturers  # noqa: F401
from tests.fakes.openai_server import FakeOpenAI, Knobs

# A suite started in the background (`nohup`, `cmd &` in a script, some CI runners)
# inherits SIGINT ignored, and so would every profai it starts: the Ctrl-C tests would
# then fail for the runner's sake. A handler of our own is reset to the default in each
# child at exec, so profai meets Ctrl-C as a user's terminal gives it.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PROFAI = shutil.which("profai") or "profai"


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(Knobs()) as server:
        yield server


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A private home: config, cache and data dirs of its own, no keys from the host."""
    h = tmp_path / "home"
    h.mkdir()
    return h


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a profai under test: a private home, no keys from the host.

    A service's lecture is the loopback fake's script word for word (PROFAI_FREE=1, as
    --free): the tests of the pipeline, the player and the faults play a lecture they
    know. The grounded lecturer's tests pass PROFAI_FREE="0"."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OPENAI_", "PROFAI_")) and k not in ("NO_COLOR", "FORCE_COLOR")
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local/share"),
        PYTHONUNBUFFERED="1",
        COLUMNS="100",
        PROFAI_FREE="1",
    )
    env.update(extra)
    return env


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_profai(
    args: list[str],
    home: Path,
    *,
    stdin: str | bytes | None = None,
    timeout: float = 60,
    env: dict[str, str] | None = None,
    **more_env: str,
) -> Run:
    """profai with a private home; ``env`` and ``more_env`` are extra environment."""
    env = {**(env or {}), **more_env}
    data = stdin.encode() if isinstance(stdin, str) else stdin
    proc = subprocess.run(
        [PROFAI, *args],
        input=data,
        capture_output=True,
        timeout=timeout,
        env=clean_env(home, **env),
        stdin=None if data is not None else subprocess.DEVNULL,
    )
    return Run(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


def run_here(
    args: list[str],
    home: Path,
    *,
    stdin: str | bytes | None = None,
    timeout: float = 60,
    env: dict[str, str] | None = None,
    engines: Any = None,
    width: int = 100,
    terminal: bool = False,
    environment: Any = None,
    **more_env: str,
) -> Run:
    """``run_profai`` in this process: the same call, the same checks, no new interpreter.

    cli.app.main runs with an in-memory Environment (its consoles are pipes, as
    ``run_profai``'s are), the private home's environment and the given stdin; all are put
    back after. ``terminal``: stdout is a terminal, and the player's keys come from
    ``engines.keys``; ``environment``: one the test made, to read its screen meanwhile.
    A run that hangs past ``timeout`` ends the test session with every thread's
    traceback, as a subprocess's timeout would fail the test."""
    import faulthandler
    import io

    from profai_cli.cli.app import main
    from profai_cli.lecture.environment import Environment

    saved_env, saved_stdin = dict(os.environ), sys.stdin
    data = stdin.encode() if isinstance(stdin, str) else (stdin or b"")
    wanted = clean_env(home, **{**(env or {}), **more_env})
    os.environ.clear()
    os.environ.update(wanted)
    sys.stdin = io.TextIOWrapper(io.BytesIO(data))
    if environment is None:
        environment = Environment.in_memory(width=width, engines=engines, terminal=terminal)
    faulthandler.dump_traceback_later(timeout + 30, exit=True)
    try:
        code = main(args, environment)
    finally:
        faulthandler.cancel_dump_traceback_later()
        os.environ.clear()
        os.environ.update(saved_env)
        sys.stdin = saved_stdin
    return Run(
        code,
        environment.stdout.file.getvalue(),  # type: ignore[attr-defined]
        environment.stderr.file.getvalue(),  # type: ignore[attr-defined]
    )


@pytest.fixture
def profai(home: Path) -> Callable[..., Run]:
    """``run_here`` with this test's private home: for tests that hand in engines."""
    return lambda args, **options: run_here(args, home, **options)


def start_profai(
    args: list[str], home: Path, *, stdin: bytes = b"notes", stdout: int = subprocess.DEVNULL
) -> subprocess.Popen[bytes]:
    """profai running in the background (to be interrupted), its notes already given."""
    proc = subprocess.Popen(
        [PROFAI, *args],
        stdin=subprocess.PIPE,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=clean_env(home),
    )
    assert proc.stdin is not None
    proc.stdin.write(stdin)
    proc.stdin.close()
    return proc


def wait_until(condition: Callable[[], object], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def pulse_available() -> bool:
    return shutil.which("pulseaudio") is not None and shutil.which("parec") is not None


def require_or_skip(ok: bool, reason: str) -> None:
    """Skip where a real part is absent; in CI (PROFAI_REQUIRE_AUDIO=1) that is a failure."""
    if ok:
        return
    if os.environ.get("PROFAI_REQUIRE_AUDIO") == "1":
        pytest.fail(f"{reason} (PROFAI_REQUIRE_AUDIO=1)")
    pytest.skip(reason)


def python() -> str:
    return sys.executable


@pytest.fixture(scope="session")
def pulse() -> str:
    """A PulseAudio server with the null sink; skips (or fails in CI) when there is none."""
    from tests.audio_tools import SINK, ensure_pulse, pulse_env

    problem = ensure_pulse()
    require_or_skip(problem is None, problem or "")
    # The profai subprocesses run with a private HOME: tell them where the server is.
    os.environ.update(pulse_env())
    return SINK


@pytest.fixture(scope="session")
def microphone(pulse: str) -> str:
    """A virtual microphone (PulseAudio), the default input of every profai started after."""
    from tests.audio_tools import MIC, ensure_microphone

    ensure_microphone()
    os.environ["PULSE_SOURCE"] = MIC
    return MIC


async def loop_ticks_during(work: Any, period: float = 0.005) -> int:
    """How often the event loop got to run a ticker while `work` was awaited (0 = blocked)."""
    import asyncio

    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(period)

    task = asyncio.create_task(ticker())
    try:
        await work
    finally:
        task.cancel()
    return ticks


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Two workers more than cores: many tests wait on real time (the sound card's
    recordings, the timeouts and retries they check), and the cores are kept busy
    meanwhile. The suite on two cores: 234 s with two workers, 194 s with three, 166 s
    with four (and the model served with one thread)."""
    if hasattr(os, "sched_getaffinity"):  # Linux: the cores this process may use
        return len(os.sched_getaffinity(0)) + 2
    return (os.cpu_count() or 1) + 2  # macOS has no affinity call


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist, tests that play through a null sink run on one worker, one at
    a time: they are timed against what they record. Those that speak into the virtual
    microphone run on another, one at a time (there is one microphone): together the
    sound tests were the suite's longest worker (169 s of 182 s). Each worker plays into
    null sinks of its own. The model's tests run one at a time too (one model server)."""
    for item in items:
        if item.get_closest_marker("audio") and "microphone" in item.fixturenames:  # type: ignore[attr-defined]
            item.add_marker(pytest.mark.xdist_group("microphone"))
        elif item.get_closest_marker("audio"):
            item.add_marker(pytest.mark.xdist_group("sound"))
        elif item.get_closest_marker("local_llm"):
            item.add_marker(pytest.mark.xdist_group("model"))


@pytest.fixture(autouse=True)
def no_sound_unless_marked(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """A test not marked ``audio`` gets no sound device, whether or not a sound server
    runs: it sees what a machine without one shows, and it never plays into a recording
    another test is making. A test marked ``audio`` starts from the sound server as it
    expects it, whatever ran before it on this worker (a stream left playing by a test
    that failed, a suspended sink), and plays into one of a few null sinks taken in turn,
    so that a stream an earlier test left plays where no one records (``_POOL``)."""
    if request.node.get_closest_marker("audio") is None:
        monkeypatch.setenv("PULSE_SERVER", "unix:/nonexistent/pulse")
        monkeypatch.delenv("PULSE_SINK", raising=False)
        yield
        return
    from tests.audio_tools import own_sink, reset_pulse

    request.getfixturevalue("pulse")
    reset_pulse(f"profai_test_{os.getpid()}_")
    turn = next(_TURNS) % _POOL
    if turn not in _SINKS:  # made once: a new null sink is slower to start recording
        name = f"profai_test_{os.getpid()}_{turn}"
        _SINKS[turn] = (name, own_sink(name))
    monkeypatch.setenv("PULSE_SINK", _SINKS[turn][0])
    yield


# Sound tests take these null sinks in turn: a stream left by one of the last few tests
# plays into a sink no one is recording.
_POOL = 4
_SINKS: dict[int, tuple[str, str]] = {}  # turn -> (sink name, its module's index)
_TURNS = itertools.count()


@pytest.fixture(scope="session")
def served_model() -> Iterator[str]:
    """The local model (Qwen2.5-Coder-1.5B-Instruct, joined from its parts and checked by
    its hash) served by llama.cpp's OpenAI-compatible server on loopback, as an offline
    user runs one: its base URL. Skips (or fails in CI) where the model extra is absent."""
    import importlib.util
    import socket
    import urllib.request

    from profai_cli.llm import model_file

    ok = importlib.util.find_spec("llama_cpp") is not None and model_file.installed()
    require_or_skip(ok, "the local model is not installed (pip install '.[model]')")
    try:
        import llama_cpp.server  # noqa: F401
    except ImportError:
        require_or_skip(False, "llama.cpp's server is not installed (llama-cpp-python[server])")
    path = model_file.ready_model()
    assert path is not None
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(Path(os.environ.get("TMPDIR", "/tmp")) / f"profai-model-{port}.log", "wb")
    # One thread: llama.cpp's threads wait for each other spinning, so two threads beside
    # the other test workers took twice the CPU for the same words (the lecture test: 114
    # s with two, 85 s with one, in a suite of four workers on two cores).
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(path), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "4096", "--n_threads", "1", "--n_threads_batch", "1"],
        stdout=log,
        stderr=subprocess.STDOUT,
        preexec_fn=_die_with_parent,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"llama.cpp's server exited ({proc.returncode})") from None
                time.sleep(0.5)
        else:
            raise RuntimeError("llama.cpp's server did not answer in 120 s")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _die_with_parent() -> None:
    """The server ends with the test worker that started it, even one that was killed
    (a hung run ended by faulthandler): a server left behind takes both cores."""
    import ctypes
    import signal

    try:
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """llama-cpp-python opens /dev/null twice when imported and never closes it: closed
    here, so a worker that loaded the local model ends without two ResourceWarnings. The
    worker's null sinks go too."""
    loaded = sys.modules.get("llama_cpp._utils")
    for name in ("outnull_file", "errnull_file"):
        stream = getattr(loaded, name, None)
        if stream is not None:
            stream.close()
    if _SINKS:
        from tests.audio_tools import drop_sink

        for _, module in _SINKS.values():
            drop_sink(module)
