#!/usr/bin/env python3
"""Refresh knowledge/communes/ from Etalab's @etalab/decoupage-administratif.

Usage (from the repository root):

    .venv/bin/python scripts/refresh_communes.py [VERSION] [--output DIR]

VERSION defaults to the one recorded in knowledge/communes/SOURCE.md.
Standard library only; needs `npm` on the PATH (`npm pack` downloads the
package tarball, nothing is installed).

Writes, sorted so that two runs on the same version give identical CSVs:
communes.csv, anciens_noms.csv, departements.csv, epci.csv and SOURCE.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@etalab/decoupage-administratif"
FALLBACK_VERSION = "6.0.0"
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "knowledge" / "communes"
DATA_FILES = ("communes", "departements", "epci", "regions")
ALIAS_TYPES = ("commune-deleguee", "commune-associee", "arrondissement-municipal")


def recorded_version(output: Path) -> str:
    source = output / "SOURCE.md"
    if source.exists():
        match = re.search(re.escape(PACKAGE) + r"@([0-9A-Za-z.\-]+)", source.read_text("utf-8"))
        if match:
            return match.group(1)
    return FALLBACK_VERSION


def fetch_package(version: str, workdir: Path) -> tuple[dict[str, list], dict]:
    """`npm pack` the package into workdir; return its data files and npm's metadata."""
    result = subprocess.run(
        ["npm", "pack", "--json", f"{PACKAGE}@{version}"],
        cwd=workdir,
        check=True,
        capture_output=True,
        text=True,
    )
    meta = json.loads(result.stdout)[0]
    data = {}
    with tarfile.open(workdir / meta["filename"], "r:gz") as tar:
        for name in DATA_FILES:
            member = tar.extractfile(f"package/data/{name}.json")
            if member is None:
                raise SystemExit(f"{name}.json missing from {meta['filename']}")
            data[name] = json.load(member)
    return data, meta


def commune_rows(communes: list[dict], epci: list[dict]) -> list[list[str]]:
    epci_of = {m["code"]: e["code"] for e in epci for m in e["membres"]}
    current = {c["code"]: c for c in communes if c["type"] == "commune-actuelle"}
    postal = {code: list(c.get("codesPostaux", [])) for code, c in current.items()}
    # Paris, Lyon and Marseille: make sure every arrondissement's postal code
    # (75011…) resolves to its commune (6.0.0 already lists them all).
    for arr in communes:
        if arr["type"] == "arrondissement-municipal":
            for cp in arr.get("codesPostaux", []):
                if cp not in postal[arr["commune"]]:
                    postal[arr["commune"]].append(cp)
    rows = []
    for code in sorted(current):
        c = current[code]
        population = c.get("population")
        rows.append(
            [
                code,
                c["nom"],
                " ".join(sorted(postal[code])),
                c["departement"],
                c["region"],
                epci_of.get(code, ""),
                "" if population is None else str(population),
            ]
        )
    return rows


def alias_rows(communes: list[dict]) -> list[list[str]]:
    """Old names (communes déléguées / associées) and arrondissements → current commune.

    A commune déléguée that kept the name of its commune nouvelle
    (Saint-Denis 93066) adds nothing and is left out.
    """
    current = {c["code"]: c["nom"] for c in communes if c["type"] == "commune-actuelle"}
    rows = set()
    for c in communes:
        if c["type"] not in ALIAS_TYPES:
            continue
        target = c["commune"] if c["type"] == "arrondissement-municipal" else c["chefLieu"]
        if target not in current:
            raise SystemExit(f"{c['type']} {c['code']} {c['nom']} points to unknown commune {target}")
        if c["nom"] != current[target]:
            rows.add((c["nom"], target, c["type"]))
    return sorted(([nom, code, kind] for nom, code, kind in rows), key=lambda r: (r[1], r[0], r[2]))


def check_references(data: dict[str, list]) -> None:
    """Fail loudly rather than write rows that point nowhere."""
    regions = {r["code"] for r in data["regions"]}
    departements = {d["code"] for d in data["departements"]}
    for d in data["departements"]:
        if d["region"] not in regions:
            raise SystemExit(f"département {d['code']} has unknown region {d['region']}")
    for c in data["communes"]:
        if c["type"] == "commune-actuelle" and c["departement"] not in departements:
            raise SystemExit(f"commune {c['code']} has unknown département {c['departement']}")


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_source(output: Path, version: str, meta: dict, counts: dict[str, int]) -> None:
    today = datetime.date.today().isoformat()
    lines = [
        "# Communes, départements, EPCI",
        "",
        f"Source: Etalab, npm package `{PACKAGE}@{version}`",
        "(https://github.com/datagouv/decoupage-administratif), built from INSEE's",
        "Code officiel géographique and légal populations, DGCL's EPCI list and La Poste's",
        "postal codes.",
        "",
        "Data licence: Licence Ouverte / Open Licence 2.0",
        "(https://www.etalab.gouv.fr/licence-ouverte-open-licence). The package's code is MIT.",
        "",
        f"- Refreshed on: {today}",
        f"- Tarball: `{meta['filename']}`, shasum `{meta['shasum']}`",
        f"- Integrity: `{meta['integrity']}`",
        "- Refresh: `.venv/bin/python scripts/refresh_communes.py [VERSION]` (default: the version above)",
        "",
        "| file | rows | content |",
        "|---|---|---|",
        f"| `communes.csv` | {counts['communes']} | communes actuelles: `code_insee,nom,codes_postaux,departement,region,epci_siren,population` (postal codes space separated; population empty when unknown) |",
        f"| `anciens_noms.csv` | {counts['anciens_noms']} | `nom,code_insee,type`: communes déléguées / associées and arrondissements municipaux → the commune they belong to now (déléguées that kept the current name are left out) |",
        f"| `departements.csv` | {counts['departements']} | `code,nom,region` |",
        f"| `epci.csv` | {counts['epci']} | `siren,nom,type` (EPCI à fiscalité propre) |",
        "",
        "Do not edit these CSVs by hand: rerun the script.",
        "",
    ]
    (output / "SOURCE.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("version", nargs="?", help="package version (default: the one in SOURCE.md)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    output: Path = args.output
    version = args.version or recorded_version(output)
    output.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory() as tmp:
        data, meta = fetch_package(version, Path(tmp))

    check_references(data)
    tables = {
        "communes": commune_rows(data["communes"], data["epci"]),
        "anciens_noms": alias_rows(data["communes"]),
        "departements": sorted([d["code"], d["nom"], d["region"]] for d in data["departements"]),
        "epci": sorted([e["code"], e["nom"], e["type"]] for e in data["epci"]),
    }
    headers = {
        "communes": [
            "code_insee",
            "nom",
            "codes_postaux",
            "departement",
            "region",
            "epci_siren",
            "population",
        ],
        "anciens_noms": ["nom", "code_insee", "type"],
        "departements": ["code", "nom", "region"],
        "epci": ["siren", "nom", "type"],
    }
    for name, rows in tables.items():
        write_csv(output / f"{name}.csv", headers[name], rows)
    counts = {name: len(rows) for name, rows in tables.items()}
    write_source(output, version, meta, counts)
    print(f"{PACKAGE}@{version} → {output}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
