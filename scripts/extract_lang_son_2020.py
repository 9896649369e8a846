"""Regenerate motcua/org/data/lang_son_2020.json: Lạng Sơn's districts and communes before 1 Jul 2025.

vietnam-provinces 2025.x only knows the two-level structure; the seed-era structure (11 districts,
194 communes) comes from vietnam-provinces 0.6.0. Usage:

    pip download --no-deps vietnam-provinces==0.6.0 -d /tmp/vp
    cd /tmp/vp && mkdir y && cd y && unzip ../vietnam_provinces-0.6.0-*.whl   # or untar the sdist
    python scripts/extract_lang_son_2020.py /tmp/vp/y/vietnam_provinces/data/nested-divisions.json

Note: 0.6.0 marks every commune-level unit `division_type: "xã"`; the kind (xã, phường,
thị trấn) is taken from the name instead.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

PROVINCE_CODE = 20
OUT = Path(__file__).resolve().parents[1] / "motcua" / "org" / "data" / "lang_son_2020.json"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def commune_kind(name: str) -> str:
    if name.startswith("Phường "):
        return "phường"
    if name.startswith("Thị trấn "):
        return "thị trấn"
    return "xã"


def main(source: str) -> None:
    divisions = json.loads(Path(source).read_text(encoding="utf-8"))
    province = next(p for p in divisions if p["code"] == PROVINCE_CODE)
    out = {
        "source": "vietnam-provinces 0.6.0, data/nested-divisions.json (GSO codes, valid until 30/06/2025)",
        "province": {"code": f"{province['code']:02d}", "name": nfc(province["name"])},
        "districts": [
            {
                "code": f"{d['code']:03d}",
                "name": nfc(d["name"]),
                "kind": "thành phố" if d["name"].startswith("Thành phố") else "huyện",
                "communes": [
                    {"code": f"{w['code']:05d}", "name": nfc(w["name"]), "kind": commune_kind(nfc(w["name"]))}
                    for w in sorted(d["wards"], key=lambda w: w["code"])
                ],
            }
            for d in sorted(province["districts"], key=lambda d: d["code"])
        ],
    }
    OUT.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    total = sum(len(d["communes"]) for d in out["districts"])
    print(f"{OUT}: {len(out['districts'])} districts, {total} communes")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/vp/y/vietnam_provinces/data/nested-divisions.json")
