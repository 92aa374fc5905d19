"""The knowledge database: SQLAlchemy models and the atomic build.

The YAML files stay the source of truth; this database is what the running
bot reads. Platforms, services and prescribers keep their whole validated
document as JSON beside the columns used to filter them, so a new YAML field
reaches the engine without a schema migration.

A build never leaves a half-written database in service:
- SQLite (the default): written to a temporary file, then renamed over the old one;
- any other URL (PostgreSQL…): replaced inside one transaction.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    delete,
    insert,
    inspect,
    select,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import declarative_base

DEFAULT_DATABASE_PATH = Path("build/knowledge.db")
DATABASE_URL_ENV = "KB_DATABASE_URL"

Base = declarative_base()


class MetaRow(Base):
    __tablename__ = "meta"
    key = Column(String(64), primary_key=True)
    value = Column(Text, nullable=False)


class DepartementRow(Base):
    __tablename__ = "departements"
    code = Column(String(3), primary_key=True)
    nom = Column(String(100), nullable=False)
    region = Column(String(3))


class EpciRow(Base):
    __tablename__ = "epci"
    siren = Column(String(9), primary_key=True)
    nom = Column(String(200), nullable=False)
    type = Column(String(10))


class CommuneRow(Base):
    __tablename__ = "communes"
    code_insee = Column(String(5), primary_key=True)
    nom = Column(String(200), nullable=False, index=True)
    codes_postaux = Column(String(200), nullable=False, default="")  # space separated
    departement = Column(String(3), nullable=False, index=True)
    region = Column(String(3))
    epci_siren = Column(String(9), index=True)
    population = Column(Integer, nullable=False, default=0)


class CommuneAliasRow(Base):
    """Former names (communes déléguées, associées) and arrondissements."""

    __tablename__ = "communes_anciens_noms"
    id = Column(Integer, primary_key=True, autoincrement=True)
    nom = Column(String(200), nullable=False)
    code_insee = Column(String(5), nullable=False, index=True)


class PlateformeRow(Base):
    __tablename__ = "plateformes"
    id = Column(String(80), primary_key=True)
    nom = Column(String(200), nullable=False)
    fichier = Column(String(300), nullable=False)
    zone_eligibilite = Column(JSON, nullable=False)
    document = Column(JSON, nullable=False)


class ServiceRow(Base):
    __tablename__ = "services"
    id = Column(String(160), primary_key=True)
    plateforme_id = Column(String(80), ForeignKey("plateformes.id"), nullable=False, index=True)
    nom = Column(String(200), nullable=False)
    prescription = Column(String(16), nullable=False)  # oui | non | non_precise
    destinataires = Column(String(20), nullable=False)
    thematiques = Column(JSON, nullable=False)
    document = Column(JSON, nullable=False)


class PrescripteurRow(Base):
    __tablename__ = "prescripteurs"
    id = Column(String(80), primary_key=True)
    nom = Column(String(200), nullable=False)
    priorite = Column(Integer, nullable=False)
    document = Column(JSON, nullable=False)


class TermeRow(Base):
    __tablename__ = "glossaire"
    id = Column(String(80), primary_key=True)
    terme = Column(String(200), nullable=False)
    document = Column(JSON, nullable=False)


def database_url(url: str | None = None) -> str:
    """The URL given, else $KB_DATABASE_URL, else the SQLite file under build/."""
    if url:
        return url
    env = os.environ.get(DATABASE_URL_ENV)
    if env:
        return env
    return f"sqlite:///{DEFAULT_DATABASE_PATH}"


def connect(url: str | None = None) -> Engine:
    # Pre-ping: after a PostgreSQL restart, pooled connections are dead.
    return create_engine(database_url(url), future=True, pool_pre_ping=True)


@dataclass(frozen=True)
class BuildReport:
    url: str
    build_id: str
    counts: dict


def build_database(knowledge, communes, aliases, departements, epcis, url: str | None = None) -> BuildReport:
    """Write a validated knowledge base into the database, atomically.

    `knowledge` is a validated `orientation.knowledge.loader.Knowledge`; the commune
    rows are plain dicts read from knowledge/communes/*.csv.
    """
    url = database_url(url)
    build_id = uuid.uuid4().hex
    rows = _rows(knowledge, communes, aliases, departements, epcis, build_id)
    sa_url = make_url(url)
    if sa_url.get_backend_name() == "sqlite" and sa_url.database not in (None, "", ":memory:"):
        _build_sqlite_file(Path(sa_url.database), rows)
    else:
        engine = create_engine(url, future=True)
        with engine.begin() as conn:  # one transaction (PostgreSQL's DDL included): all or nothing
            if _tables_as_declared(conn):
                for table in reversed(Base.metadata.sorted_tables):
                    conn.execute(delete(table))
            else:  # first build, or tables of an older version (a column added or retyped)
                Base.metadata.drop_all(conn)
                Base.metadata.create_all(conn)
            _insert_all(conn, rows)
        engine.dispose()
    counts = {table.__tablename__: len(items) for table, items in rows}
    return BuildReport(url=url, build_id=build_id, counts=counts)


def _tables_as_declared(conn) -> bool:
    """Whether the knowledge tables exist with the columns and types declared here.

    They hold derived data only (`make kb` rewrites every row): when an upgrade
    changed them, they are dropped and created again rather than migrated.
    """
    inspector = inspect(conn)
    for table in Base.metadata.sorted_tables:
        if not inspector.has_table(table.name):
            return False
        found = {c["name"]: c["type"].compile(conn.dialect) for c in inspector.get_columns(table.name)}
        declared = {c.name: c.type.compile(conn.dialect) for c in table.columns}
        if found != declared:
            return False
    return True


def _build_sqlite_file(path: Path, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".knowledge-", suffix=".db", dir=path.parent)
    os.close(fd)
    try:
        engine = create_engine(f"sqlite:///{tmp_name}", future=True)
        Base.metadata.create_all(engine)
        with engine.begin() as conn:
            _insert_all(conn, rows)
        engine.dispose()
        os.replace(tmp_name, path)  # atomic on POSIX: readers see old or new, never half
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _insert_all(conn, rows) -> None:
    for table, items in rows:
        if items:
            conn.execute(insert(table.__table__), items)


def _rows(knowledge, communes, aliases, departements, epcis, build_id):
    plateformes, services = [], []
    for p in knowledge.plateformes:
        doc = _jsonable(p)
        plateformes.append(
            {
                "id": p.id,
                "nom": p.nom,
                "fichier": str(getattr(p, "fichier", "") or ""),
                "zone_eligibilite": list(p.territoire.zone_eligibilite),
                "document": doc,
            }
        )
        for s in p.services:
            services.append(
                {
                    "id": s.id,
                    "plateforme_id": p.id,
                    "nom": s.nom,
                    "prescription": s.prescription,
                    "destinataires": s.destinataires,
                    "thematiques": list(s.thematiques),
                    "document": _jsonable(s),
                }
            )
    prescripteurs = [
        {"id": x.id, "nom": x.nom, "priorite": x.priorite, "document": _jsonable(x)}
        for x in knowledge.prescripteurs
    ]
    termes = [{"id": t.id, "terme": t.terme, "document": _jsonable(t)} for t in knowledge.glossaire]
    meta = [
        {"key": "build_id", "value": build_id},
        {"key": "built_at", "value": datetime.now(timezone.utc).isoformat(timespec="seconds")},
    ]
    return [
        (MetaRow, meta),
        (DepartementRow, list(departements)),
        (EpciRow, list(epcis)),
        (CommuneRow, list(communes)),
        (CommuneAliasRow, list(aliases)),
        (PlateformeRow, plateformes),
        (ServiceRow, services),
        (PrescripteurRow, prescripteurs),
        (TermeRow, termes),
    ]


def _jsonable(model) -> dict:
    """A pydantic (v1) model as a JSON-ready dict (dates as ISO strings)."""
    import json

    return json.loads(model.json(exclude_none=False))


def read_build_id(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return conn.execute(select(MetaRow.value).where(MetaRow.key == "build_id")).scalar()


def read_all(engine: Engine, row_class) -> list[dict]:
    with engine.connect() as conn:
        result = conn.execute(select(row_class.__table__))
        return [dict(r._mapping) for r in result]
