"""profai: course notes in, a spoken lecture out, streaming."""

from __future__ import annotations

__version__ = "0.1.0"
