"""``fieldapp supervise``: the supervisor's desk on its own (no enumerator device needed)."""

from __future__ import annotations

from fieldapp import paths
from fieldapp.ui.app import apply_language, create_app, load_prefs, ui_language


def run_desk(*, hub: str = "", key_file: str = "") -> int:
    """Start the desk window; returns the exit code."""
    from fieldapp.ui.supervisor.window import SupervisorWindow

    app = create_app()
    lang = ui_language(load_prefs(paths.data_dir()))
    apply_language(app, lang)
    window = SupervisorWindow(lang=lang, hub=hub, key_file=key_file, can_go_back=False)
    window.show()
    return int(app.exec())
