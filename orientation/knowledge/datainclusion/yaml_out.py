"""An imported platform document as the YAML file a maintainer reviews.

Keys in the order of the seed's files, a header that says where the file
comes from and what to check, long texts as blocks. The loader reads it
back to the same values (`tests/test_datainclusion_import.py` checks it).
"""

from __future__ import annotations

import yaml


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def header(structure_id: str, source_file: str, day) -> str:
    return (
        f"# Importé de data·inclusion (schéma v1) par « make kb-import » le {day.isoformat()},\n"
        f"# depuis {source_file} : structure « {structure_id} ».\n"
        "# À relire avant de publier. Ce que le fichier ne dit pas est vide et listé dans\n"
        "# « inconnu » ; « prescription », « besoins » et « situations » sont déduits des codes\n"
        "# data·inclusion (orientation/knowledge/datainclusion/mapping.py). Un nouvel import de la même\n"
        "# structure remplace ce fichier.\n"
    )


def render(document: dict, structure_id: str, source_file: str, day) -> str:
    body = yaml.dump(
        document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
    )
    return header(structure_id, source_file, day) + body
