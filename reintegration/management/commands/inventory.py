"""What a backup must bring back: the exact row count of every table, the sequences, and the
checksum of every uploaded file, as deterministic JSON that two runs can compare.

``deploy/backup.sh`` keeps one (encrypted) beside the dump; ``deploy/restore.sh`` and
``deploy/restore_drill.sh`` compare the restored system with it (``--compare``). The output names
tables and the stored (random) file names only: no row's content, no person's name or CIN.

``--snapshot`` reads the counts in a snapshot exported by another PostgreSQL session
(``pg_export_snapshot()``), the one ``pg_dump --snapshot`` dumps: the inventory then describes
exactly the rows in the dump, however busy the application is meanwhile.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import FileField

FORMAT = 1
CHUNK = 1024 * 1024


def table_counts() -> dict[str, int]:
    """Every table of the database, Django's or not (m2m, history, axes, sessions, tasks...)."""
    quote = connection.ops.quote_name
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # nosec B608 # table names from the catalogue, quoted
            counts[table] = cursor.fetchone()[0]
    return counts


def sequence_values() -> dict[str, int | None]:
    """Each sequence's last value (None: never used). Not transactional in PostgreSQL: read now,
    whatever the snapshot."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences"
                " WHERE schemaname = ANY (current_schemas(false))"
            )
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")
            if cursor.fetchone() is None:
                return {}
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
        else:
            return {}
        return dict(sorted(cursor.fetchall()))


def file_checksums(root: Path) -> list[dict]:
    """Every regular file under ``root``: its path relative to it, sha256 and size, by path."""
    if not root.is_dir():
        return []
    files = []
    for path in root.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue  # uploads are plain files; a link would point outside what is backed up
        digest = hashlib.sha256()
        with path.open("rb") as stream:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
        files.append(
            {"path": path.relative_to(root).as_posix(), "sha256": digest.hexdigest(), "size": path.stat().st_size}
        )
    return sorted(files, key=lambda entry: entry["path"])


def file_references(stored: set[str], tables: set[str]) -> dict[str, dict[str, int]]:
    """For each file field of the application's models, how many rows name a file and how many of
    those files are not under PRIVATE_MEDIA_ROOT: a file lost while its row was kept. History
    tables are left out: they still name the files removed on purpose; so are the tables not
    there (an empty database: the table counts say what is missing)."""
    references = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.object_name.startswith("Historical") or not meta.managed or meta.db_table not in tables:
            continue
        for field in meta.concrete_fields:
            if isinstance(field, FileField):
                names = (
                    model._default_manager.using(connection.alias)
                    .exclude(**{field.name: ""})
                    .values_list(field.attname, flat=True)
                )
                names = [name for name in names if name]
                references[f"{meta.label_lower}.{field.name}"] = {
                    "rows": len(names),
                    "missing": sum(name not in stored for name in names),
                }
    return dict(sorted(references.items()))


def take_inventory(*, snapshot: str = "") -> dict:
    if snapshot and connection.vendor != "postgresql":
        raise CommandError("--snapshot needs PostgreSQL.")
    # One transaction: on PostgreSQL every count is read in the same snapshot. Inside a transaction
    # already begun (a test's), its snapshot is the one there is.
    outermost = not connection.in_atomic_block
    if snapshot and not outermost:
        raise CommandError("--snapshot needs a transaction of its own.")
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                if snapshot:
                    cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
        sequences = sequence_values()
        tables = table_counts()
        files = file_checksums(Path(settings.PRIVATE_MEDIA_ROOT))
        # Only where the files are on this disk (with MEDIA_STORAGE=s3 they are in the bucket).
        filesystem = settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")
        references = file_references({entry["path"] for entry in files}, set(tables)) if filesystem else {}
    return {
        "format": FORMAT,
        "vendor": connection.vendor,
        "tables": tables,
        "sequences": sequences,
        "files": files,
        "references": references,
        "totals": totals(tables, files),
    }


def totals(tables: dict[str, int], files: list[dict]) -> dict[str, int]:
    return {
        "tables": len(tables),
        "rows": sum(tables.values()),
        "files": len(files),
        "bytes": sum(entry["size"] for entry in files),
    }


def dumps(inventory: dict) -> str:
    return json.dumps(inventory, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def differences(expected: dict, found: dict) -> tuple[list[str], list[str]]:
    """What ``found`` lost or changed against ``expected`` (problems), and what is only worth a
    note. Counts and files must be identical. A sequence may only be ahead: it is read outside the
    snapshot, so a busy database may have used a number between the inventory and the dump."""
    problems, notes = [], []
    for table in sorted(expected["tables"].keys() | found["tables"].keys()):
        before, after = expected["tables"].get(table), found["tables"].get(table)
        if before is None:
            problems.append(f"table {table}: not in the inventory, {after} row(s) now")
        elif after is None:
            problems.append(f"table {table}: missing ({before} row(s) expected)")
        elif before != after:
            problems.append(f"table {table}: {after} row(s), {before} expected")
    for name in sorted(expected["sequences"].keys() | found["sequences"].keys()):
        before, after = expected["sequences"].get(name), found["sequences"].get(name)
        if name not in found["sequences"]:
            problems.append(f"sequence {name}: missing (last value {before} expected)")
        elif name not in expected["sequences"]:
            problems.append(f"sequence {name}: not in the inventory")
        elif before != after:
            if before is not None and (after is None or after < before):
                problems.append(f"sequence {name}: last value {after}, {before} expected (ids would be reused)")
            else:
                notes.append(f"sequence {name}: last value {after}, {before} in the inventory (ahead: harmless)")
    expected_files = {entry["path"]: entry for entry in expected["files"]}
    found_files = {entry["path"]: entry for entry in found["files"]}
    for path in sorted(expected_files.keys() | found_files.keys()):
        before, after = expected_files.get(path), found_files.get(path)
        if after is None:
            problems.append(f"file {path}: missing ({before['size']} bytes expected)")
        elif before is None:
            problems.append(f"file {path}: not in the inventory ({after['size']} bytes)")
        elif (before["sha256"], before["size"]) != (after["sha256"], after["size"]):
            problems.append(f"file {path}: checksum or size differs ({after['size']} bytes, {before['size']} expected)")
    for field, after in found.get("references", {}).items():
        before = expected.get("references", {}).get(field, {"missing": 0})
        if after["missing"] > before["missing"]:
            problems.append(
                f"files of {field}: {after['missing']} of {after['rows']} row(s) name a file that is not there"
                f" ({before['missing']} in the inventory)"
            )
    return problems, notes


class Command(BaseCommand):
    help = (
        "Print the row count of every table, the sequences and the checksum of every uploaded file, as JSON; "
        "or compare them with an earlier inventory (--compare), failing on any difference."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", metavar="FILE", help="write the JSON to FILE instead of printing it")
        parser.add_argument(
            "--compare",
            metavar="FILE",
            help="compare with the inventory in FILE ('-': standard input); exit 1 if anything differs",
        )
        parser.add_argument(
            "--snapshot", metavar="ID", default="", help="count in this exported PostgreSQL snapshot (pg_dump's)"
        )

    def handle(self, *args, output=None, compare=None, snapshot="", **options):
        if compare and output:
            raise CommandError("--compare and --output do not go together.")
        expected = self.read(compare) if compare else None
        inventory = take_inventory(snapshot=snapshot)
        if expected is not None:
            self.compare(expected, inventory)
        elif output:
            Path(output).write_text(dumps(inventory), encoding="utf-8")
        else:
            self.stdout.write(dumps(inventory), ending="")

    def read(self, source: str) -> dict:
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
            expected = json.loads(text)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read the inventory to compare with: {error}") from error
        if not isinstance(expected, dict) or expected.get("format") != FORMAT:
            raise CommandError(f"Not an inventory of format {FORMAT}: {source}")
        return expected

    def compare(self, expected: dict, found: dict) -> None:
        problems, notes = differences(expected, found)
        for note in notes:
            self.stdout.write(f"note: {note}")
        summary = found["totals"]
        compared = (
            f"{summary['tables']} tables, {summary['rows']} rows, {summary['files']} files, {summary['bytes']} bytes"
        )
        if problems:
            for problem in problems:
                self.stderr.write(f"DIFFERS: {problem}")
            expected_totals = totals(expected["tables"], expected["files"])
            raise CommandError(
                f"{len(problems)} difference(s) with the inventory: found {compared}; expected "
                f"{expected_totals['tables']} tables, {expected_totals['rows']} rows, "
                f"{expected_totals['files']} files, {expected_totals['bytes']} bytes.",
                returncode=1,
            )
        self.stdout.write(f"Identical to the inventory: {compared}.")
