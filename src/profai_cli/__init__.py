"""profai: course notes in, a spoken lecture out, streaming."""

from __future__ import annotations

from profai_cli.core import timeline

__version__ = "0.1.0"
timeline.mark("python up")
