"""Screenshots of the supervisor's desk in every UI language (file names contain
``supervisor``); called by :mod:`fieldapp.ui.screenshots`.

Three throw-away devices (two in Seoul, one in Tokyo) record real interviews of the bundled
three-city questionnaire and push real bundles; the desk opens a new hub in a temporary folder
with a throw-away project key, imports, decides and exports through its own screens.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fieldapp.vocabulary import Decision, Status

SUPERVISOR_SCREENS = ("supervisor-open", "supervisor-import", "supervisor-progress",
                      "supervisor-quality", "supervisor-review", "supervisor-export")
KEY_PASSPHRASE = "screenshot project key"
DEVICES = (("S-014", "seoul", "seoul_jongno"), ("S-022", "seoul", "seoul_gangnam"),
           ("T-031", "tokyo", "tokyo_shinjuku"))


def make_bundles(root: Path, lang: str) -> tuple[Path, Path]:
    """(project.key, folder of bundles): three devices with two interviews each."""
    from fieldapp import paths
    from fieldapp.crypto import (
        floor_params,
        generate_project_keypair,
        write_project_private_key,
        write_project_public_key,
    )
    from fieldapp.session import FieldSession, init_device
    from fieldapp.ui.screenshots import FIRST_PAGES, PASSPHRASE, THREE_CITY, _answer_all, _finish

    private, public = generate_project_keypair()
    write_project_public_key(root / "project.pub", public)
    write_project_private_key(root / "project.key", private, KEY_PASSPHRASE, floor_params())
    usb = root / "usb"
    usb.mkdir()
    for index, (enumerator, city, district) in enumerate(DEVICES):
        data = root / f"device{index}"
        init_device(data, project_key=root / "project.pub", enumerator=enumerator, city=city,
                    passphrase=PASSPHRASE, kdf_params=floor_params(),
                    forms=paths.bundled_questionnaires())
        with FieldSession.open(data, PASSPHRASE) as session:
            for n in range(2):
                recording = session.start_interview(session.form(THREE_CITY), language=lang)
                _answer_all(recording, {**FIRST_PAGES, "city": city, "district": district,
                                        "DEM02": 30 + 7 * n + index})
                _finish(recording)
            session.push(usb)
    return root / "project.key", usb


def shoot_supervisor(root: Path, lang: str, out: Path, grab_size: tuple[int, int]) -> list[Path]:
    """Every supervisor screen of one language, saved as ``{lang}-supervisor-….png``."""
    from fieldapp.ui.app import apply_language, create_app
    from fieldapp.ui.qt import QApplication
    from fieldapp.ui.screenshots import indexed
    from fieldapp.ui.supervisor.window import SupervisorWindow

    app = create_app([])
    apply_language(app, lang)
    key, usb = make_bundles(root, lang)
    window = SupervisorWindow(lang=lang, can_go_back=True)
    window.resize(*grab_size)
    window.show()
    saved: list[Path] = []

    def settle(condition: Any = None) -> None:
        from time import monotonic

        end = monotonic() + 60
        while monotonic() < end:
            QApplication.processEvents()
            if condition is None or condition():
                break
        for _ in range(3):
            QApplication.processEvents()

    def take(name: str) -> None:
        settle()
        path = out / f"{lang}-{name}-{grab_size[0]}x{grab_size[1]}.png"
        indexed(window.grab().toImage()).save(str(path), "PNG", 0)
        saved.append(path)

    opener = window.opener
    opener.target.setText(str(root / "hub"))
    opener.create.setChecked(True)
    opener.keys.key.setText(str(key))
    opener.keys.passphrase.setText(KEY_PASSPHRASE)
    take("supervisor-open")
    opener.submit()
    settle(lambda: window.view is not None)
    view = window.view
    assert view is not None
    first = window.desk.bundle_paths(usb)[0]
    window.desk.import_bundle(first, trust=True)  # one device was trusted last week
    tab = view.import_tab
    tab.folder.setText(str(usb))
    tab.scan()
    settle(lambda: tab.task is None)
    for row, preview in enumerate(tab.previews):
        if preview.verdict == "untrusted":
            tab.table.selectRow(row)
            break
    take("supervisor-import")
    for preview in tab.previews:
        tab.trusted.add(preview.device_id)
    tab.start_import()
    settle(lambda: tab.task is None)
    review = view.review_tab
    copies = window.desk.listing()
    window.desk.decide(copies[0].interview_id, Decision.APPROVE)
    window.desk.decide(copies[1].interview_id, Decision.SEND_BACK, "DEM07?")
    view.refresh()
    view.tabs.setCurrentWidget(view.progress_tab)
    view.progress_tab.group.setCurrentIndex(view.progress_tab.group.findData("enumerator"))
    view.progress_tab.count_districts()
    settle(lambda: bool(view.progress_tab.districts))
    view.progress_tab.target_district.setEditText("seoul_jongno")
    view.progress_tab.target_value.setValue(40)
    view.progress_tab.set_target()
    take("supervisor-progress")
    view.tabs.setCurrentWidget(view.quality_tab)
    view.quality_tab.flagged_only.setChecked(False)
    view.quality_tab.compute()
    settle(lambda: view.quality_tab.task is None)
    take("supervisor-quality")
    view.tabs.setCurrentWidget(review)
    review.list.selectRow(2)
    take("supervisor-review")
    view.tabs.setCurrentWidget(view.export_tab)
    export = view.export_tab
    export.lang.setCurrentIndex(export.lang.findData(lang))
    export.status.setCurrentIndex(export.status.findData("all"))
    export.out.setText(str(root / "exports" / f"city_{lang}.xlsx"))
    (root / "exports").mkdir()
    export.start_export()
    settle(lambda: export.task is None)
    first_export = export.written[0]
    export.status.setCurrentIndex(export.status.findData(Status.APPROVED))
    export.out.setText(str(root / "exports" / f"approved_{lang}.xlsx"))
    export.start_export()
    settle(lambda: export.task is None)
    export.add_input(first_export)
    export.add_input(export.written[0])
    export.merge_out.setText(str(root / "exports" / "merged.xlsx"))
    export.check_merge()
    settle(lambda: export.save_button.isEnabled())
    take("supervisor-export")
    window.close()
    return saved
