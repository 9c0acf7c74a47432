"""The console script: a kept help screen is printed before typer and Rich load."""

from __future__ import annotations

import sys


def main() -> None:
    from profai_cli.cli import helpcache, streams
    from profai_cli.core import timeline

    streams.repair()  # a closed stdout, stdin or stderr, before anything writes or reads

    timeline.mark("command line read")
    if helpcache.show(sys.argv[1:]):
        return
    from profai_cli.cli.app import main as parse_and_run

    sys.exit(parse_and_run())
