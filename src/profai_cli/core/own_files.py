"""profai's own files (the audio cache, stored lectures, review decks, locks) are opened
as regular files only, and read only as far as a file of theirs can be long.

Someone, or something, may plant a FIFO where a cache entry belongs (open() would block
forever on the event loop), a symlink to /dev/zero where a stored lecture belongs (read()
would fill the memory), or a symlink from a lock to a user's file (open(..., "w") would
truncate it). These open without following a symlink, without blocking, without
truncating, and refuse anything that is not a regular file of a sane size.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from profai_cli.core.errors import InputError

_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def read_own(path: Path, limit: int) -> bytes | None:
    """The whole file, or None when there is none; OSError for anything but a regular
    file (a FIFO, a device, a symlink) or one longer than ``limit`` bytes."""
    try:
        fd = os.open(path, _READ)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a symlink
            raise OSError(errno.ELOOP, "a symlink where profai keeps its own file") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        if info.st_size > limit:
            raise OSError(errno.EFBIG, f"longer than {limit:,} bytes")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            piece = os.read(fd, min(1 << 20, limit + 1 - size))
            if not piece:
                break
            chunks.append(piece)
            size += len(piece)
        if size > limit:
            raise OSError(errno.EFBIG, f"longer than {limit:,} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


def open_lock(path: Path) -> int:
    """A lock file's descriptor: made if missing, never truncated, never a symlink's
    target (O_NOFOLLOW), never a FIFO (it must be a regular file)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            exc = OSError(errno.ELOOP, "a symlink where profai keeps its lock")
        raise InputError(
            f"cannot use the lock {path}: {exc.strerror}; remove it and try again"
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise InputError(f"{path} is not a regular file; remove it and try again")
    return fd


def own_folder(path: Path, what: str) -> Path:
    """``path``, made if missing; one line when it cannot be (a file on its way, say
    XDG_DATA_HOME pointing at a file, or no permission)."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"cannot keep {what} in {path}: {exc.strerror or exc}; check that folder (and "
            "XDG_DATA_HOME, XDG_CACHE_HOME) or its permissions"
        ) from None
    return path
