"""Benchmark data, generated once and cached: a real hub, its plain twin, and city exports.

The questionnaire has 110 data columns (17 metadata + 62 scale items 1–4 with 98/99, 11
yes/no, 8 counts, 12 free texts). Free-text answers are unique per row: mixed Korean,
Chinese, Japanese and Latin words, digits and punctuation, 2–120 characters (median ~20),
as open answers are. Every interview is sealed with HPKE exactly as a device seals it
(payload with paradata, ~12 KB), written into a signed device bundle and imported into a
real hub by the product (``fieldapp.sync.hub_import``): fieldapp is measured reading
through its own hub reader. The same values, as plain rows (the 110 data-sheet columns),
go to ``plain-N.bin`` (marshal chunks of 1,000 rows): the peers and the floor stream them
from there, so nobody's timing includes generating data.
"""

from __future__ import annotations

import json
import marshal
import os
import random
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CACHE = Path(os.environ.get("FIELDAPP_BENCH_CACHE")
             or Path(tempfile.gettempdir()) / "fieldapp-bench-v2")
CITIES = ("seoul", "beijing", "tokyo")
SCALE = [f"S{i:02d}" for i in range(1, 63)]
YESNO = [f"Y{i:02d}" for i in range(1, 12)]
COUNTS = [f"N{i}" for i in range(1, 9)]
TEXTS = [f"T{i:02d}" for i in range(1, 13)]
KEY_PASSPHRASE = "bench supervisor passphrase"
HEADER = ["interview_id", "form_id", "form_version", "city", "wave", "district", "dong",
          "enumerator", "device_id", "language", "start_utc", "end_utc", "start_local",
          "end_local", "time_zone", "status", "revision", *SCALE, *YESNO, *COUNTS, *TEXTS]
LATIN = ("bus", "rent", "park", "school", "market", "noise", "safety", "Wi-Fi", "job",
         "clinic", "subway", "OK", "n/a", "church", "gym", "daycare", "elderly", "KTX")


def _hangul(rng: random.Random, k: int) -> str:
    return "".join(chr(0xAC00 + rng.randrange(11172)) for _ in range(k))


def _hanzi(rng: random.Random, k: int) -> str:
    return "".join(chr(0x4E00 + rng.randrange(3500)) for _ in range(k))  # common range


def _kana(rng: random.Random, k: int) -> str:
    return "".join(chr(0x3041 + rng.randrange(83)) for _ in range(k))


def free_text(rng: random.Random, city: str) -> str:
    """One open answer: unique, mostly the city's script with Latin words mixed in."""
    target = min(120, max(2, int(rng.lognormvariate(3.0, 0.7))))
    parts: list[str] = []
    size = 0
    while size < target:
        pick = rng.random()
        if pick < 0.15:
            word = rng.choice(LATIN)
        elif pick < 0.22:
            word = str(rng.randrange(1, 2030))
        elif city == "seoul":
            word = _hangul(rng, rng.randint(1, 4))
        elif city == "beijing":
            word = _hanzi(rng, rng.randint(1, 4))
        else:
            word = _hanzi(rng, rng.randint(1, 2)) + _kana(rng, rng.randint(1, 3))
        parts.append(word)
        size += len(word) + 1
    text = " ".join(parts)[:target]
    return text + rng.choice(("", "", ".", "!", "…", "?"))


def answers(rng: random.Random, city: str) -> dict:
    """One interview's answers (JSON values as devices seal them)."""
    out: dict = {"city": city, "wave": rng.choice(("2015", "2016")),
                 "district": f"{city}_d{rng.randint(1, 20)}", "dong": f"동{rng.randint(1, 14)}"}
    for name in SCALE:
        out[name] = rng.choice(("1", "2", "3", "4", "1", "2", "3", "4", "98", "99"))
    for name in YESNO:
        out[name] = rng.choice(("1", "2"))
    for name in COUNTS:
        out[name] = rng.choice((0, 1, 2, 3, 5, 8, 12, 20, 998))
    for name in TEXTS:
        out[name] = "" if rng.random() < 0.1 else free_text(rng, city)
    return out


def write_form(path: Path) -> None:
    """The synthetic questionnaire (XLSForm) with modules, domains, scores."""
    import openpyxl

    wb = openpyxl.Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(["type", "name", "label::English (en)", "label::Korean (ko)", "score",
                   "domain", "missing", "source"])
    survey.append(["begin group", "DEM", "Frame", "틀", "", "", "", ""])
    survey.append(["select_one city", "city", "City", "도시", "", "", "", "bench"])
    survey.append(["select_one wave", "wave", "Wave", "조사", "", "", "", "bench"])
    survey.append(["text", "district", "District", "구", "", "", "", "bench"])
    survey.append(["text", "dong", "Dong", "동", "", "", "", "bench"])
    survey.append(["end group", "", "", "", "", "", "", ""])
    for m in range(6):
        survey.append(["begin group", f"M{m + 1}", f"Module {m + 1}", f"모듈 {m + 1}", "", "",
                       "", ""])
        for name in SCALE[m * 11:(m + 1) * 11]:
            survey.append(["select_one agree", name, f"Item {name}", f"문항 {name}", "scale",
                           f"d{int(name[1:]) % 3}", "", "bench"])
        survey.append(["end group", "", "", "", "", "", "", ""])
    survey.append(["begin group", "OTHER", "Other", "기타", "", "", "", ""])
    for name in YESNO:
        survey.append(["select_one yes_no", name, f"Did {name}?", f"{name}?", "", "", "", ""])
    for name in COUNTS:
        survey.append(["integer", name, f"How many {name}?", f"{name} 수", "count", "",
                       "998 999", ""])
    for name in TEXTS:
        survey.append(["text", name, f"Describe {name}", f"{name} 설명", "", "", "", ""])
    survey.append(["end group", "", "", "", "", "", "", ""])
    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name", "label::English (en)", "label::Korean (ko)",
                    "missing"])
    for code, en, ko in [("1", "Not at all", "전혀"), ("2", "A little", "조금"),
                         ("3", "Somewhat", "다소"), ("4", "Very", "매우"),
                         ("98", "Don't know", "모름"), ("99", "Refused", "거절")]:
        choices.append(["agree", code, en, ko, "yes" if code in ("98", "99") else ""])
    choices.append(["yes_no", "1", "Yes", "예", ""])
    choices.append(["yes_no", "2", "No", "아니요", ""])
    for city in CITIES:
        choices.append(["city", city, city.title(), city, ""])
    for wave in ("2015", "2016"):
        choices.append(["wave", wave, wave, wave, ""])
    settings = wb.create_sheet("settings")
    settings.append(["form_id", "version", "form_title", "default_language"])
    settings.append(["bench_form", "1", "Benchmark form", "English (en)"])
    wb.save(path)


def project() -> tuple[Path, Path]:
    """(project.pub, project.key) — the key with the product's default Argon2id cost, so
    that a whole ``fieldapp export`` command pays the real unlock."""
    from fieldapp.crypto import generate_project_keypair
    from fieldapp.crypto.keyfiles import write_project_private_key, write_project_public_key

    folder = CACHE / "project"
    pub, key = folder / "project.pub", folder / "project.key"
    if not key.exists():
        folder.mkdir(parents=True, exist_ok=True)
        private, public = generate_project_keypair()
        write_project_public_key(pub, public)
        write_project_private_key(key, private, KEY_PASSPHRASE)
    return pub, key


def private_key() -> object:
    """The unlocked project key (cached raw beside the encrypted one, bench only)."""
    from fieldapp.crypto import load_project_private_key
    from fieldapp.crypto.seal import private_key_bytes, private_key_from_bytes

    raw = CACHE / "project" / "project.raw"
    if not raw.exists():
        raw.write_bytes(private_key_bytes(load_project_private_key(project()[1],
                                                                   KEY_PASSPHRASE)))
    return private_key_from_bytes(raw.read_bytes())


def hub(n: int, cities: tuple[str, ...] = CITIES) -> Path:
    """A real hub folder with ``n`` interviews (split over one device per city), built once;
    also writes ``plain-<name>.bin``."""
    name = f"{'-'.join(c[:3] for c in cities)}-{n}"
    folder = CACHE / f"hub-{name}"
    if (folder / "ready").exists():
        return folder
    import shutil

    from fieldapp.atomic import atomic_output
    from fieldapp.crypto.kdf import floor_params
    from fieldapp.crypto.seal import seal
    from fieldapp.device_setup import init_device
    from fieldapp.recording import sealed_info
    from fieldapp.session import FieldSession
    from fieldapp.storage.hub_store import HubStore
    from fieldapp.sync.device import push_to_folder, registration, write_device_bundle
    from fieldapp.sync.hub_import import import_files

    shutil.rmtree(folder, ignore_errors=True)
    work = CACHE / f"work-{name}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    form = CACHE / "bench_form.xlsx"
    if not form.exists():
        write_form(form)
    pub, _ = project()
    rng = random.Random(f"bench-{name}")
    plain_path = CACHE / f"plain-{name}.bin"
    bundles = []
    with open(plain_path, "wb") as plain:
        for c, city in enumerate(cities):
            count = n // len(cities) + (1 if c < n % len(cities) else 0)
            data = work / f"device-{city}"
            init_device(data, project_key=pub, enumerator=f"E-{city}", city=city,
                        passphrase="bench device passphrase", kdf_params=floor_params(),
                        forms=[form])
            with FieldSession.open(data, "bench device passphrase") as session:
                (work / "reg").mkdir(exist_ok=True)
                bundles.append(push_to_folder(session, work / "reg", register=True).path)
                chunk: list[list] = []

                device = session.keyring.device_id

                def records(count=count, city=city, device=device):  # type: ignore[no-untyped-def]
                    nonlocal chunk
                    for iid in sorted(str(uuid.UUID(int=rng.getrandbits(128), version=4))
                                      for _ in range(count)):
                        ans = answers(rng, city)
                        payload = {
                            "format": 1, "interview_id": iid, "form_id": "bench_form",
                            "form_version": "1", "revision": 1, "language": "ko",
                            "created_utc": "2026-03-01T01:02:03.123456+00:00",
                            "finalised_utc": "2026-03-01T01:32:03.123456+00:00",
                            "time_zone": "Asia/Seoul", "answers": ans, "repeat_counts": {},
                            "paradata": [{"kind": "answer", "question": k, "v": v,
                                          "utc": "2026-03-01T01:05:00.000000+00:00",
                                          "mono": 123456789 + j, "tz": "Asia/Seoul"}
                                         for j, (k, v) in enumerate(ans.items())]}
                        blob = seal(session.project_public_key,
                                    json.dumps(payload, ensure_ascii=False,
                                               separators=(",", ":")).encode(),
                                    sealed_info(interview_id=iid, revision=1,
                                                form_id="bench_form", form_version="1"))
                        chunk.append(
                            [iid, "bench_form", "1", city, int(ans["wave"]), ans["district"],
                             ans["dong"], f"E-{city}", device, "ko", "2026-03-01 01:02:03",
                             "2026-03-01 01:32:03", "2026-03-01 10:02:03",
                             "2026-03-01 10:32:03", "Asia/Seoul", "finalised", 1]
                            + [int(ans[k]) for k in SCALE] + [int(ans[k]) for k in YESNO]
                            + [ans[k] for k in COUNTS] + [ans[k] for k in TEXTS])
                        if len(chunk) >= 1000:
                            marshal.dump(chunk, plain)
                            chunk = []
                        yield (iid, 1, "bench_form", "1", "2026-03-01T01:32:03.123456+00:00",
                               "2026-03-01"), blob

                target = work / f"{city}.fieldsync"
                with atomic_output(target) as handle:
                    write_device_bundle(handle, device=registration(session),
                                        signing_key=session.keys.signing_key,
                                        records=records(),
                                        forms=[("bench_form", "1", "Benchmark form",
                                                form.read_bytes())])
                if chunk:
                    marshal.dump(chunk, plain)
                bundles.append(target)
    with HubStore.open(folder, create=True) as opened:
        for bundle in bundles:
            _, errors, _ = import_files(opened, bundle, trust=True)
            if errors:
                raise SystemExit(f"bench hub import failed: {errors}")
    (folder / "ready").write_text("ok")
    shutil.rmtree(work, ignore_errors=True)
    return folder


def plain_rows(n: int, cities: tuple[str, ...] = CITIES) -> Iterator[list]:
    """The header, then the plain rows of ``hub(n, cities)`` streamed from disk."""
    hub(n, cities)
    yield HEADER
    with open(CACHE / f"plain-{'-'.join(c[:3] for c in cities)}-{n}.bin", "rb") as f:
        while True:
            try:
                chunk = marshal.load(f)
            except EOFError:
                return
            yield from chunk
