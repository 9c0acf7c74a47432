"""Help screens, kept once rendered: `profai --help` in a tenth of the time.

Typer renders help with Rich, and importing what that needs takes 150 ms on two cores,
more than the rest of start-up. The screen it prints depends only on the command line,
the terminal (its width, whether it is one, its colours) and profai's own code, so it
is kept under a key of all of these in the user cache folder and printed from there
the next time. A change to any of them makes a new key; a broken cache is never worse
than no cache (the help is rendered as before).
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

KEPT_SCREENS = 64
_TERMINAL_VARS = (
    "COLUMNS",
    "LINES",
    "TERM",
    "COLORTERM",
    "NO_COLOR",
    "FORCE_COLOR",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "JUPYTER_COLUMNS",
)


def is_help(argv: list[str]) -> bool:
    return not argv or "--help" in argv or argv == ["-h"]


def _key(argv: list[str]) -> str | None:
    try:
        import profai_cli

        code = Path(profai_cli.__file__).parent
        stamp = [
            (p.name, p.stat().st_mtime_ns)
            for p in (
                code / "cli" / "app.py",
                code / "cli" / "options.py",
                code / "core" / "config.py",
            )
        ]
        try:
            size = os.get_terminal_size(sys.stdout.fileno())
        except (OSError, ValueError):
            size = None
        parts = [
            profai_cli.__version__,
            sys.version,
            repr(stamp),
            repr(argv),
            repr(size),
            repr(sys.stdout.isatty()),
            repr([os.environ.get(v) for v in _TERMINAL_VARS]),
        ]
    except (OSError, ValueError, AttributeError):
        return None
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _path(key: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "profai" / "help" / key


def show(argv: list[str]) -> bool:
    """Print the kept help screen for this command line, if there is one."""
    if not is_help(argv) or os.environ.get("_PROFAI_COMPLETE"):
        return False
    key = _key(argv)
    if key is None:
        return False
    from profai_cli.core.own_files import read_own

    try:
        screen = read_own(_path(key), 1_000_000)
    except OSError:
        return False
    if screen is None:
        return False
    sys.stdout.buffer.write(screen)
    sys.stdout.flush()
    return True


class _Tee:
    """stdout, keeping a copy of what is written."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.copy: list[str] = []

    def write(self, text: str | bytes) -> int:
        self.copy.append(text.decode(errors="replace") if isinstance(text, bytes) else text)
        return int(self.inner.write(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@contextmanager
def keeping(argv: list[str]) -> Iterator[None]:
    """Run the command; if it printed help and ended well, keep the screen."""
    if not is_help(argv):
        yield
        return
    key = _key(argv)
    tee = _Tee(sys.stdout)
    sys.stdout = tee  # type: ignore[assignment]
    ok = False
    try:
        yield
        ok = True
    except SystemExit as exc:
        ok = exc.code in (0, None)
        raise
    finally:
        sys.stdout = tee.inner
        if ok and key is not None and tee.copy:
            _keep(key, "".join(tee.copy))


def _keep(key: str, screen: str) -> None:
    path = _path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{key}.{os.getpid()}")
        temp.write_text(screen, encoding=sys.stdout.encoding or "utf-8", errors="replace")
        os.replace(temp, path)
        kept = sorted(path.parent.iterdir(), key=lambda p: p.stat().st_mtime)
        for old in kept[:-KEPT_SCREENS]:  # one a terminal size and command: keep the newest
            old.unlink()
    except OSError:
        pass
