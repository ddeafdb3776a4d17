"""Backup and restore of an installation: the database and the uploaded files (MEDIA_ROOT), together.

A backup folder holds the database (pg_dump custom format, or a SQLite copy made with the backup API),
files/ (a copy of MEDIA_ROOT, private and public) and manifest.json, which restore checks first.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

MANIFEST = "manifest.json"
FILES = "files"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A refusal, in French, before anything was changed."""


@dataclass
class Restored:
    manifest: dict
    migrations_behind: bool  # the backup predates the code: `mutualis migrate` is needed


def backup(target: Path, *, using: str = "default") -> dict:
    """Write the database, the files and the manifest into `target` (new or empty folder)."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(
            f"Le dossier {target} n'est pas vide : la sauvegarde va dans un dossier neuf ou vide."
        )
    connection = connections[using]
    engine = _engine(connection)
    target.mkdir(parents=True, exist_ok=True)
    database = target / DATABASE_FILES[engine]
    if engine == "postgresql":
        _pg("pg_dump", connection, "--format=custom", f"--file={database}")
    else:
        connection.ensure_connection()
        copy = sqlite3.connect(database)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        shutil.copytree(media, target / FILES)
    else:
        (target / FILES).mkdir()
    count, digest = files_digest(target / FILES)
    manifest = {
        "engine": engine,
        "created_at": timezone.now().isoformat(),
        "mutualis_version": _version(),
        "migrations": applied_heads(connection),
        "database": {"file": database.name, "sha256": _sha256(database)},
        "files": {"count": count, "sha256": digest},
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return manifest


def restore(source: Path, *, force: bool = False, using: str = "default") -> Restored:
    """Replace the database and MEDIA_ROOT by the backup in `source`, after checking it whole."""
    source = Path(source)
    connection = connections[using]
    manifest = _checked_manifest(source, _engine(connection))
    accounts = _accounts(connection)
    if accounts and not force:
        plural = "s" if accounts > 1 else ""
        raise BackupError(
            f"La base « {connection.settings_dict['NAME']} » n'est pas vide ({accounts} compte{plural}) : "
            "la restauration remplacerait toutes ses données. Relancez avec --force pour l'accepter."
        )
    database = source / manifest["database"]["file"]
    if manifest["engine"] == "postgresql":
        connection.close()  # our own session must hold no lock on the tables pg_restore drops
        _pg(
            "pg_restore",
            connection,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            str(database),
        )
    else:
        connection.ensure_connection()
        copy = sqlite3.connect(database)
        try:
            copy.backup(connection.connection)
        finally:
            copy.close()
    ContentType.objects.clear_cache()  # ids cached from the database that was just replaced
    _replace_files(source / FILES, Path(settings.MEDIA_ROOT))
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return Restored(manifest=manifest, migrations_behind=bool(pending))


def files_digest(root: Path) -> tuple[int, str]:
    """(number of files, one SHA-256 over every relative path and content) of a folder."""
    digest, count = hashlib.sha256(), 0
    for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(root).as_posix()}\0{_sha256(path)}\n".encode())
        count += 1
    return count, digest.hexdigest()


def applied_heads(connection) -> dict[str, str]:
    """The last applied migration of each app (names start with their number)."""
    heads: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        heads[app] = max(heads.get(app, ""), name)
    return dict(sorted(heads.items()))


def _checked_manifest(source: Path, engine: str) -> dict:
    path = source / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} n'est pas une sauvegarde de Mutualis : {MANIFEST} est absent.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise BackupError(f"{path} est illisible ({error}).") from error
    if manifest.get("engine") != engine:
        raise BackupError(
            f"Cette sauvegarde vient d'une base {manifest.get('engine')}, la base configurée est {engine} : "
            "restaurez-la sur le même moteur."
        )
    database = source / manifest["database"]["file"]
    if not database.is_file() or _sha256(database) != manifest["database"]["sha256"]:
        raise BackupError(f"La copie de la base ({database}) manque ou a été modifiée depuis la sauvegarde.")
    if files_digest(source / FILES) != (manifest["files"]["count"], manifest["files"]["sha256"]):
        raise BackupError(f"Les fichiers de {source / FILES} ne sont plus ceux de la sauvegarde.")
    return manifest


def _replace_files(source: Path, media: Path) -> None:
    media.mkdir(parents=True, exist_ok=True)
    for child in media.iterdir():  # emptied, not removed: MEDIA_ROOT may be a mount point
        shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    shutil.copytree(source, media, dirs_exist_ok=True)


def _accounts(connection) -> int:
    """People's accounts in the database (0 when it has no tables yet): what a restore would erase."""
    user = get_user_model()
    if user._meta.db_table not in connection.introspection.table_names():
        return 0
    return user.objects.using(connection.alias).count()


def _pg(program: str, connection, *arguments: str) -> None:
    """Run pg_dump or pg_restore on the configured database; the password goes by environment only."""
    config = connection.settings_dict
    command = [program, f"--dbname={config['NAME']}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if config.get(key):
            command.append(f"{option}={config[key]}")
    environment = {**os.environ}
    if config.get("PASSWORD"):
        environment["PGPASSWORD"] = str(config["PASSWORD"])
    if config.get("OPTIONS", {}).get("sslmode"):
        environment["PGSSLMODE"] = config["OPTIONS"]["sslmode"]
    # A list, no shell; every value comes from the settings, none from a request.
    result = subprocess.run(  # noqa: S603
        [*command, "--no-password", *arguments], env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise BackupError(f"{program} a échoué ({result.returncode}) : {result.stderr.strip()[:2000]}")


def _engine(connection) -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Moteur de base non pris en charge : {connection.vendor}.")
    return connection.vendor


def _version() -> str:
    try:
        return version("mutualis")
    except PackageNotFoundError:
        return "inconnue"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()
