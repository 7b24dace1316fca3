"""pytest-qt fixtures: offscreen Qt, a real device per test (copied from one template), a window.

QT_QPA_PLATFORM is set before anything imports Qt. PySide6 and pytest-qt are hard dependencies of
the suite: without them these tests fail to import instead of being skipped.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.support import pilot
from tests.support.devices import QUESTIONNAIRES, Project, make_device, make_project

FORMS = sorted(QUESTIONNAIRES.glob("*.xlsx"))


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Project]:
    """One project and one device with the shipped questionnaires (built once)."""
    root = tmp_path_factory.mktemp("template")
    project = make_project(root / "project")
    make_device(root / "data", project, forms=FORMS)
    return root / "data", project


@pytest.fixture
def device(tmp_path: Path, template: tuple[Path, Project]) -> tuple[Path, Project]:
    """A private copy of the template device."""
    data = tmp_path / "data"
    shutil.copytree(template[0], data)
    return data, template[1]


@pytest.fixture
def open_window(qtbot, device):  # type: ignore[no-untyped-def]
    """Factory: a MainWindow on the test device, unlocked through the real screen."""
    windows = []

    def factory(lang: str = "en", *, unlock: bool = True, **prefs: object):
        window = pilot.make_window(qtbot, device[0], lang, **prefs)
        windows.append(window)
        if unlock:
            pilot.unlock(qtbot, window)
        return window

    yield factory
    for window in windows:
        window.close()


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """Each test leaves the process in the English UI language."""
    yield
    from fieldapp import i18n

    i18n.setup("en")
