"""The desktop GUI (PySide6). The only package that imports Qt; it calls the core only.

Screens are imported when first shown so the unlock window appears as fast as Qt allows.
"""

from __future__ import annotations


def run(argv: list[str] | None = None) -> int:
    """Start the GUI event loop and return its exit code."""
    from fieldapp.ui.app import run as run_app

    return run_app(argv)
