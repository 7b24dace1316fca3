"""Test helpers: real project keys and devices in temporary directories (floor KDF cost)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fieldapp.crypto import (
    floor_params,
    generate_project_keypair,
    write_project_private_key,
    write_project_public_key,
)
from fieldapp.session import FieldSession, init_device

PASSPHRASE = "correct horse battery staple"
KEY_PASSPHRASE = "supervisor key passphrase"
ROOT = Path(__file__).resolve().parents[2]
QUESTIONNAIRES = ROOT / "questionnaires"


@dataclass
class Project:
    """A project key pair on disk."""

    public: Path
    private: Path
    private_key: object


def make_project(folder: Path) -> Project:
    """Write project.pub / project.key into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    private, public = generate_project_keypair()
    write_project_public_key(folder / "project.pub", public)
    write_project_private_key(folder / "project.key", private, KEY_PASSPHRASE,
                              floor_params())
    return Project(folder / "project.pub", folder / "project.key", private)


def make_device(data: Path, project: Project, *, enumerator: str = "E01", city: str = "seoul",
                forms: list[Path] | None = None) -> Path:
    """Initialise a device in ``data`` with the given questionnaires installed."""
    init_device(data, project_key=project.public, enumerator=enumerator, city=city,
                passphrase=PASSPHRASE, kdf_params=floor_params(), forms=forms or [])
    return data


def open_session(data: Path) -> FieldSession:
    """Unlock a test device."""
    return FieldSession.open(data, PASSPHRASE)
