"""Setting up a device (``fieldapp device init``) and the supervisor's recovery of a
forgotten passphrase - the two things done before a device can be unlocked."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldapp.crypto import (
    KdfParams,
    create_device_keyring,
    load_project_public_key,
    read_keyring,
    recover_with_project_key,
    write_keyring_atomic,
)
from fieldapp.crypto.encoding import fingerprint_of
from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_
from fieldapp.questionnaire import Questionnaire, package_questionnaire
from fieldapp.questionnaire.titles import encode_titles, titles_key
from fieldapp.storage.store import Store
from fieldapp.writer_lock import LOCK_FILE, WriterLock

KEYRING_FILE = "keyring.json"
DATABASE_FILE = "fieldapp.db"
PROJECT_KEY_FILE = "project.pub"


class NoDevice(FieldAppError):
    """The data directory has not been set up with ``fieldapp device init``."""


@dataclass(frozen=True)
class DeviceInfo:
    """What ``device init`` created."""

    device_id: str
    enumerator: str
    city: str
    project_fingerprint: str
    data_dir: Path
    device_fingerprint: str = ""  # the device signing key, as the hub's trust list shows it


def keyring_path(data_dir: Path) -> Path:
    """Location of the device keyring in a data directory."""
    return data_dir / KEYRING_FILE


def init_device(data_dir: Path, *, project_key: Path, enumerator: str, city: str,
                passphrase: str, kdf_params: KdfParams | None = None,
                forms: list[Path] | None = None) -> DeviceInfo:
    """Create the device keys and the encrypted store in ``data_dir``."""
    if not enumerator.strip():
        raise FieldAppError(N_("the enumerator id must not be empty"),
                            code="device_setup.enumerator-id-not-empty")
    if keyring_path(data_dir).exists():
        raise FieldAppError(N_("{data_dir}: a device already exists here"),
                            code="device_setup.device-already-exists-here", data_dir=data_dir)
    public_key = load_project_public_key(project_key)
    for path in forms or []:  # every questionnaire is checked before anything is written
        package_questionnaire(path)
    made_dir = not data_dir.exists()
    lock = WriterLock(data_dir, "fieldapp device init")
    lock.acquire()  # refused (DeviceBusy): nothing here is ours to clean up, not even the
    try:  # holder's lock file (deleting it would let a third process lock a new one)
        with lock:
            if keyring_path(data_dir).exists():
                raise FieldAppError(N_("{data_dir}: a device already exists here"),
                                    code="device_setup.device-already-exists-here",
                                    data_dir=data_dir)
            try:
                keyring = _create(data_dir, project_key, public_key, enumerator, city,
                                  passphrase, kdf_params, forms or [])
            except BaseException:
                _remove_partial(data_dir)
                raise
    except BaseException:
        if not keyring_path(data_dir).exists():  # never touch a device someone else made
            if made_dir:
                shutil.rmtree(data_dir, ignore_errors=True)  # a failed init leaves nothing
            else:
                (data_dir / LOCK_FILE).unlink(missing_ok=True)
        raise
    return DeviceInfo(keyring.device_id, enumerator, city, keyring.project_fingerprint,
                      data_dir, fingerprint_of(keyring.signing_public_key))


def _create(data_dir: Path, project_key: Path, public_key: Any, enumerator: str, city: str,
            passphrase: str, kdf_params: KdfParams | None, forms: list[Path]) -> Any:
    keyring, _keys = create_device_keyring(enumerator=enumerator, city=city,
                                           project_public_key=public_key,
                                           passphrase=passphrase, kdf_params=kdf_params)
    shutil.copyfile(project_key, data_dir / PROJECT_KEY_FILE)
    with Store.open(data_dir / DATABASE_FILE) as store:
        store.set_meta("device_id", keyring.device_id)
        for path in forms:
            install_into(store, path)
    write_keyring_atomic(keyring_path(data_dir), keyring)  # last: its presence = done
    return keyring


def _remove_partial(data_dir: Path) -> None:
    """Delete what an interrupted init wrote (never a keyring: that means it finished)."""
    for name in (PROJECT_KEY_FILE, DATABASE_FILE, f"{DATABASE_FILE}-wal",
                 f"{DATABASE_FILE}-shm", f"{DATABASE_FILE}-journal"):
        (data_dir / name).unlink(missing_ok=True)


def describe_device(data_dir: Path) -> DeviceInfo:
    """A device's identity from its keyring (no passphrase needed: these parts are public):
    ids, city and both key fingerprints (``fieldapp device info``)."""
    path = keyring_path(data_dir)
    if not path.exists():
        raise NoDevice(N_("{data_dir}: no device here; run 'fieldapp device init' first"),
                       code="device_setup.no-device-here-run", data_dir=data_dir)
    keyring = read_keyring(path)
    return DeviceInfo(keyring.device_id, keyring.enumerator, keyring.city,
                      keyring.project_fingerprint, data_dir,
                      fingerprint_of(keyring.signing_public_key))


def install_into(store: Store, path: Path) -> Questionnaire:
    """Install a questionnaire version with its media folder (idempotent)."""
    form, content = package_questionnaire(path)  # the form file with its media folder
    store.install_form(form_id=form.form_id, version=form.version, title=form.title,
                       content=content)
    if form.titles:  # Home shows titles in the UI language without parsing the form
        store.set_meta(titles_key(form.form_id, form.version), encode_titles(form.titles))
    return form


def recover_device(data_dir: Path, *, project_private_key: Any, new_passphrase: str) -> None:
    """Supervisor recovery of a forgotten passphrase with the project private key."""
    path = keyring_path(data_dir)
    if not path.exists():
        raise NoDevice(N_("{data_dir}: no device here"),
                       code="device_setup.no-device-here", data_dir=data_dir)
    with WriterLock(data_dir, "fieldapp device recover"):
        keyring = recover_with_project_key(read_keyring(path), project_private_key,
                                           new_passphrase)
        write_keyring_atomic(path, keyring)

