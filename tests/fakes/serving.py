"""A loopback HTTP server for one test, started and stopped without the default wait."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from socketserver import BaseServer

# serve_forever looks for shutdown() once per poll: at its default of 0.5 s, stopping a
# server cost each test about a quarter of a second, a minute of the suite's work.
POLL_SECONDS = 0.02


@contextmanager
def serving(server: BaseServer) -> Iterator[BaseServer]:
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": POLL_SECONDS}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
