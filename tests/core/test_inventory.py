"""``manage.py inventory``: what the restore drill compares (deploy/restore_drill.sh). Each test
changes one thing and checks that the inventory sees it, and that ``--compare`` then fails."""

import hashlib
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from beneficiaries.models import Beneficiary, Document
from beneficiaries.services import document_attach
from reintegration.management.commands.inventory import differences
from reintegration.models import Centre
from tests.factories import BeneficiaryFactory, CentreFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """PRIVATE_MEDIA_ROOT and the storage uploads go to: one empty folder of the test's."""
    root = tmp_path / "private"
    root.mkdir()
    settings.PRIVATE_MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": None},
        },
    }
    return root


def text(**options) -> str:
    out = io.StringIO()
    call_command("inventory", stdout=out, **options)
    return out.getvalue()


def inventory() -> dict:
    return json.loads(text())


def compare_with(saved: dict, tmp_path) -> str:
    """``inventory --compare`` with ``saved``: its report, or CommandError with the differences on stderr."""
    path = tmp_path / "saved.json"
    path.write_text(json.dumps(saved))
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("inventory", compare=str(path), stdout=out, stderr=err)
    except CommandError as error:
        raise CommandError(f"{error}\n{err.getvalue()}") from error
    return out.getvalue()


def test_every_table_is_counted_exactly():
    BeneficiaryFactory.create_batch(3)
    tables = inventory()["tables"]
    assert set(tables) == set(connection.introspection.table_names())
    # Not only the models' tables: m2m, history, login attempts, sessions, the job queue.
    assert {
        "reintegration_centre_provinces",
        "beneficiaries_historicalbeneficiary",
        "axes_accessattempt",
        "django_session",
        "django_tasks_database_dbtaskresult",
    } <= set(tables)
    assert tables["beneficiaries_beneficiary"] == Beneficiary.objects.count() >= 3
    assert tables["beneficiaries_historicalbeneficiary"] == Beneficiary.history.count() >= 3
    assert tables["reintegration_centre"] == Centre.objects.count()


def test_a_row_added_is_counted_and_the_comparison_fails(tmp_path):
    before = inventory()
    assert "Identical to the inventory" in compare_with(before, tmp_path)
    CentreFactory(code="test-added", provinces=["03.061"])
    after = inventory()
    assert after["tables"]["reintegration_centre"] == before["tables"]["reintegration_centre"] + 1
    assert after["tables"]["reintegration_centre_provinces"] == before["tables"]["reintegration_centre_provinces"] + 1
    assert after["totals"]["rows"] > before["totals"]["rows"]
    with pytest.raises(CommandError) as failed:
        compare_with(before, tmp_path)
    assert "table reintegration_centre: " in str(failed.value)
    assert failed.value.returncode == 1


def test_a_row_lost_fails_the_comparison(tmp_path):
    BeneficiaryFactory()
    before = inventory()
    Beneficiary.objects.all().delete()
    with pytest.raises(CommandError) as failed:
        compare_with(before, tmp_path)
    assert "table beneficiaries_beneficiary: 0 row(s), 1 expected" in str(failed.value)


def test_every_file_is_listed_with_its_checksum_and_a_changed_byte_shows(media, tmp_path):
    assert inventory()["files"] == []
    (media / "cases" / "7").mkdir(parents=True)
    (media / "cases" / "7" / "b.pdf").write_bytes(PDF)
    (media / "a.png").write_bytes(b"\x89PNG first")
    before = inventory()
    assert before["files"] == [
        {"path": "a.png", "sha256": hashlib.sha256(b"\x89PNG first").hexdigest(), "size": 10},
        {"path": "cases/7/b.pdf", "sha256": hashlib.sha256(PDF).hexdigest(), "size": len(PDF)},
    ]
    assert before["totals"]["files"] == 2 and before["totals"]["bytes"] == 10 + len(PDF)

    (media / "a.png").write_bytes(b"\x89PNG firsT")  # the same size, one byte changed
    changed = inventory()
    assert changed["files"][0]["sha256"] != before["files"][0]["sha256"]
    with pytest.raises(CommandError) as failed:
        compare_with(before, tmp_path)
    assert "file a.png: checksum or size differs" in str(failed.value)

    (media / "a.png").write_bytes(b"\x89PNG first")
    (media / "cases" / "7" / "b.pdf").unlink()
    with pytest.raises(CommandError) as failed:
        compare_with(before, tmp_path)
    assert "file cases/7/b.pdf: missing" in str(failed.value)
    assert "a.png" not in str(failed.value)


def test_a_file_lost_while_its_row_stays_is_counted(media, tmp_path, coordinator_a):
    case = BeneficiaryFactory(centre=coordinator_a.centre)
    upload = SimpleUploadedFile("Mohamed El Alaoui.pdf", PDF, content_type="application/pdf")
    document = document_attach(case=case, kind="id_copy", upload=upload, by=coordinator_a)
    before = inventory()
    assert before["references"]["beneficiaries.document.file"] == {"rows": 1, "missing": 0}
    assert [entry["path"] for entry in before["files"]] == [document.file.name]
    assert "Alaoui" not in text()  # stored names only: never the name it was uploaded under

    (media / document.file.name).unlink()
    assert inventory()["references"]["beneficiaries.document.file"] == {"rows": 1, "missing": 1}
    with pytest.raises(CommandError) as failed:
        compare_with(before, tmp_path)
    assert "files of beneficiaries.document.file: 1 of 1 row(s) name a file that is not there" in str(failed.value)
    assert Document.objects.count() == 1


def test_the_output_is_deterministic_and_output_writes_the_same(media, tmp_path):
    BeneficiaryFactory.create_batch(2)
    for name in ("z.pdf", "m/n.pdf", "a/b/c.pdf"):
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(name.encode())
    first = text()
    assert text() == first
    call_command("inventory", output=str(tmp_path / "inventory.json"))
    assert (tmp_path / "inventory.json").read_text() == first
    assert [entry["path"] for entry in json.loads(first)["files"]] == ["a/b/c.pdf", "m/n.pdf", "z.pdf"]
    assert list(json.loads(first)["tables"]) == sorted(json.loads(first)["tables"])


def test_a_row_added_moves_its_sequence():
    before = inventory()["sequences"]
    centre = CentreFactory(code="test-sequence")
    after = inventory()["sequences"]
    name = "reintegration_centre" if connection.vendor == "sqlite" else "public.reintegration_centre_id_seq"
    assert after[name] == centre.pk and (before.get(name) or 0) < centre.pk


def test_a_sequence_behind_fails_and_one_ahead_is_only_noted():
    saved = {"tables": {}, "files": [], "sequences": {"s_a": 10, "s_b": 10, "s_c": None}}
    problems, notes = differences(saved, {**saved, "sequences": {"s_a": 9, "s_b": 12, "s_c": None}})
    assert problems == ["sequence s_a: last value 9, 10 expected (ids would be reused)"]
    assert notes == ["sequence s_b: last value 12, 10 in the inventory (ahead: harmless)"]
    problems, _ = differences(saved, {**saved, "sequences": {"s_a": 10, "s_b": 10}})
    assert problems == ["sequence s_c: missing (last value None expected)"]


def test_compare_refuses_what_is_not_an_inventory(tmp_path):
    (tmp_path / "other.json").write_text('{"tables": {}}')
    with pytest.raises(CommandError, match="Not an inventory"):
        call_command("inventory", compare=str(tmp_path / "other.json"), stdout=io.StringIO())


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_in_an_exported_snapshot_it_counts_the_rows_of_that_moment():
    """What backup.sh does: pg_dump and the inventory read the same snapshot, so the inventory
    describes the dump even when rows are written in between."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (CI runs it): snapshots are PostgreSQL's")
    import psycopg2

    settings_dict = connection.settings_dict
    holder = psycopg2.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"],
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or None,
    )
    try:
        with holder.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        centres = Centre.objects.count()
        CentreFactory(code="test-after-snapshot")  # committed: this test is transactional
        assert json.loads(text(snapshot=snapshot))["tables"]["reintegration_centre"] == centres
        assert inventory()["tables"]["reintegration_centre"] == centres + 1
    finally:
        holder.rollback()
        holder.close()
