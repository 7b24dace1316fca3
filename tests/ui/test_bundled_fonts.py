"""A Linux bundle ships Noto Sans CJK in ``<resource root>/fonts``; the app registers those
files at start, so a tarball unpacked where no CJK font is installed still shows Korean,
Chinese and Japanese (``packaging/smoke.sh`` starts the frozen app with no system fonts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldapp.ui import fonts

NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


@pytest.mark.skipif(not NOTO.is_file(), reason="needs fonts-noto-cjk (bootstrap installs it)")
def test_bundled_fonts_are_registered(qapp, tmp_path: Path) -> None:
    folder = tmp_path / "fonts"
    folder.mkdir()
    (folder / NOTO.name).symlink_to(NOTO)
    (folder / "LICENSE-noto-cjk.txt").write_text("SIL Open Font License\n", encoding="utf-8")
    added = fonts.add_bundled(folder)
    assert {"Noto Sans CJK KR", "Noto Sans CJK SC", "Noto Sans CJK JP"} <= set(added)
    assert fonts.families("ko")[0] == "Noto Sans CJK KR"
    assert fonts.add_bundled(tmp_path / "no-such-folder") == []
