"""Case files from a sheet: the check reports every problem by row and column, the import writes
all rows or none, duplicates are found as at registration, and the same file changes nothing twice."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from beneficiaries.choices import DuplicateDecision
from beneficiaries.cin import mask_cin
from beneficiaries.models import Beneficiary, CinLookup, DuplicateFlag
from imports.choices import ImportStatus
from imports.services import import_confirm, import_upload
from tests.factories import BeneficiaryFactory
from tests.imports.conftest import csv_bytes, person, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _jobs(immediate, private_media):
    """Jobs run at once; files go to a temporary folder."""


@pytest.fixture
def check(django_capture_on_commit_callbacks):
    """``check(user, content, name)``: upload a file and run its check; the batch, refreshed."""

    def run(user, content: bytes, name: str = "cases.xlsx", *, centre=None, encoding="auto"):
        with django_capture_on_commit_callbacks(execute=True):
            batch = import_upload(
                by=user, kind="cases", centre=centre or user.centre, upload=upload(content, name), encoding=encoding
            )
        batch.refresh_from_db()
        return batch

    return run


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    def run(batch, user, *, on_existing="report", on_probable="skip"):
        with django_capture_on_commit_callbacks(execute=True):
            import_confirm(batch=batch, by=user, on_existing=on_existing, on_probable=on_probable)
        batch.refresh_from_db()
        return batch

    return run


def said(text: str) -> str:
    """What the user reads: the jobs run in their language (the cast's: English)."""
    with translation.override("en"):
        return translation.gettext(text)


def problems(batch) -> list[tuple[int, str, str]]:
    return [(p["row"], p["column"], p["value"]) for p in batch.report["problems"]]


def second() -> dict:
    return person(
        cin="XT900002",
        first_name_ar="أحمد",
        first_name_latin="Ahmed",
        last_name_ar="الإدريسي",
        last_name_latin="Idrissi",
        birth_date="1991-02-03",
        sex="F",
    )


def test_a_good_workbook_is_checked_then_imported(coordinator_a, check, confirm):
    batch = check(coordinator_a, xlsx_bytes([person(), second()]))
    assert batch.status == ImportStatus.CHECKED and batch.report["counts"] == {"rows": 2, "new": 2}
    assert not Beneficiary.objects.exists()  # the check writes nothing
    batch = confirm(batch, coordinator_a)
    assert batch.status == ImportStatus.IMPORTED and batch.result["counts"]["new"] == 2
    youssef = Beneficiary.objects.get(cin="XT900001")
    assert (youssef.first_name_latin, youssef.last_name_ar, youssef.centre, youssef.created_by) == (
        "Youssef",
        "البناني",
        coordinator_a.centre,
        coordinator_a,
    )
    assert youssef.birth_date == datetime.date(1990, 3, 15) and youssef.phone == "+212612345678"
    assert youssef.province.code == "03.061" and youssef.release_type == "end_of_sentence"
    assert youssef.history.get().history_user == coordinator_a  # its history says who
    assert "youssef" in youssef.search_text  # found by the search like a registered file
    assert Beneficiary.objects.get(cin="XT900002").sex == "F"


def test_the_same_file_again_is_refused_at_upload(coordinator_a, check, confirm):
    content = xlsx_bytes([person()])
    confirm(check(coordinator_a, content), coordinator_a)
    with pytest.raises(ValidationError) as refused:
        check(coordinator_a, content)
    assert "I-" in str(refused.value) and Beneficiary.objects.count() == 1
    assert Beneficiary.objects.count() == 1


def test_a_resaved_copy_changes_nothing(coordinator_a, check, confirm):
    confirm(check(coordinator_a, xlsx_bytes([person(), second()])), coordinator_a)
    again = check(coordinator_a, csv_bytes([person(), second()]), "copy.csv")
    assert again.report["counts"] == {"rows": 2, "same": 2}
    confirm(again, coordinator_a, on_existing="update")
    assert Beneficiary.objects.count() == 2
    assert all(case.history.count() == 1 for case in Beneficiary.objects.all())  # nothing rewritten


def test_every_problem_is_reported_by_row_and_column_with_the_value_read(coordinator_a, check):
    rows = [
        person(birth_date="31/02/1990"),  # row 2
        person(cin="XT900002", province="Atlantis", release_type="", phone="123"),  # row 3
        person(cin="12345", sex="X", dependants="2.5", release_date="2030-01-01"),  # row 4
    ]
    batch = check(coordinator_a, xlsx_bytes(rows))
    assert batch.status == ImportStatus.CHECKED and not batch.importable
    found = problems(batch)
    assert (2, said("Date of birth"), "31/02/1990") in found
    assert (3, said("Province of residence"), "Atlantis") in found
    assert (3, said("Release type"), "") in found
    assert (3, said("Phone"), "123") in found
    assert (
        (4, said("CIN"), "12345") in found
        and (4, said("Sex"), "X") in found
        and (4, said("Dependants"), "2.5") in found
    )
    messages = {p["message"] for p in batch.report["problems"]}
    assert said("This date does not exist.") in messages and said("Required.") in messages
    assert batch.report["counts"]["with_problems"] == 3


def test_problems_are_in_the_users_language(coordinator_a, check):
    coordinator_a.language = "ar"
    coordinator_a.save()
    batch = check(coordinator_a, xlsx_bytes([person(birth_date="31/02/1990")]))
    problem = batch.report["problems"][0]
    with translation.override("ar"):
        assert problem["column"] == translation.gettext("Date of birth") != "Date of birth"


def test_the_marked_copy_has_each_problem_at_its_row(coordinator_a, check, tmp_path):
    batch = check(coordinator_a, xlsx_bytes([person(), person(cin="XT900002", province="Atlantis")]))
    path = tmp_path / "marked.xlsx"
    path.write_bytes(batch.check_job.result.read())
    workbook = load_workbook(path)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[1][-1] in (None, "")  # row 2 is right
    assert "Atlantis" in rows[2] and rows[2][-1]  # row 3 carries its problem
    listed = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert listed[1][0] == 3 and listed[1][2] == "Atlantis"


def test_nothing_is_imported_while_a_row_has_a_problem(coordinator_a, check, confirm):
    batch = check(coordinator_a, xlsx_bytes([person(), person(cin="XT900002", birth_date="")]))
    with pytest.raises(ValidationError):
        confirm(batch, coordinator_a)
    assert not Beneficiary.objects.exists()


@pytest.mark.parametrize(
    "written, expected",
    [
        ("15/03/1990", datetime.date(1990, 3, 15)),
        ("1990-03-15", datetime.date(1990, 3, 15)),
        ("15-03-1990", datetime.date(1990, 3, 15)),
        (32947, datetime.date(1990, 3, 15)),  # an Excel serial number
        ("32947", datetime.date(1990, 3, 15)),
        (datetime.datetime(1990, 3, 15), datetime.date(1990, 3, 15)),
    ],
)
def test_dates_in_the_formats_sheets_use(coordinator_a, check, confirm, written, expected):
    confirm(check(coordinator_a, xlsx_bytes([person(birth_date=written)])), coordinator_a)
    assert Beneficiary.objects.get().birth_date == expected


def test_names_typed_in_each_others_columns_are_moved(coordinator_a, check, confirm):
    row = person(first_name_ar="Youssef", first_name_latin="يوسف")
    batch = check(coordinator_a, xlsx_bytes([row]))
    assert batch.report["problems"] == []
    confirm(batch, coordinator_a)
    case = Beneficiary.objects.get()
    assert (case.first_name_ar, case.first_name_latin, case.last_name_ar) == ("يوسف", "Youssef", "البناني")


def test_a_name_missing_in_one_script_is_a_problem(coordinator_a, check):
    batch = check(coordinator_a, xlsx_bytes([person(first_name_ar="Ahmed", first_name_latin="Ahmed")]))
    assert [(p["row"], p["column"]) for p in batch.report["problems"]] == [(2, said("First name (Arabic)"))]
    batch = check(coordinator_a, xlsx_bytes([person(cin="XT900002", first_name_ar="", first_name_latin="Ahmed")]))
    assert problems(batch) == [(2, said("First name (Arabic)"), "")]


def test_a_cin_already_registered_is_updated_or_reported_by_choice(coordinator_a, check, confirm):
    existing = BeneficiaryFactory(cin="XT900001", centre=coordinator_a.centre, phone="", address="")
    batch = check(coordinator_a, xlsx_bytes([person()]))
    assert batch.report["counts"] == {"rows": 1, "existing": 1}
    assert existing.number in batch.report["notes"][0]["note"]
    confirm(batch, coordinator_a, on_existing="report")
    existing.refresh_from_db()
    assert existing.phone == "" and Beneficiary.objects.count() == 1  # left out, never duplicated
    copy = check(coordinator_a, csv_bytes([person()]), "again.csv")
    confirm(copy, coordinator_a, on_existing="update")
    existing.refresh_from_db()
    assert existing.phone == "+212612345678" and existing.address == "12 rue de Fès"
    assert existing.first_name_latin == "Youssef" and Beneficiary.objects.count() == 1
    assert copy.result["counts"] == {"rows": 1, "update": 1}


def test_empty_cells_never_erase_a_case_file(coordinator_a, check, confirm):
    existing = BeneficiaryFactory(cin="XT900001", centre=coordinator_a.centre, phone="+212612345678", address="Ici")
    confirm(
        check(coordinator_a, xlsx_bytes([person(phone="", address="", first_name_latin="Yusuf")])),
        coordinator_a,
        on_existing="update",
    )
    existing.refresh_from_db()
    assert (existing.phone, existing.address, existing.first_name_latin) == ("+212612345678", "Ici", "Yusuf")


def test_a_cin_of_another_centre_is_a_problem_and_a_recorded_lookup(coordinator_a, centre_b, check):
    BeneficiaryFactory(cin="XT900001", centre=centre_b)
    batch = check(coordinator_a, xlsx_bytes([person()]))
    assert problems(batch) == [(2, said("CIN"), "XT900001")]
    with translation.override("en"):
        assert str(centre_b) in batch.report["problems"][0]["message"]
    assert CinLookup.objects.filter(user=coordinator_a, kind="import").count() == 1


def test_a_probable_duplicate_is_left_out_or_registered_flagged(coordinator_a, check, confirm):
    earlier = BeneficiaryFactory(
        cin="",
        centre=coordinator_a.centre,
        first_name_ar="يوسف",
        last_name_ar="البناني",
        first_name_latin="Youssef",
        last_name_latin="Benani",
        birth_date=datetime.date(1990, 3, 15),
    )
    batch = check(coordinator_a, xlsx_bytes([person(cin="")]))
    assert batch.report["counts"] == {"rows": 1, "probable": 1}
    confirm(batch, coordinator_a, on_probable="skip")
    assert Beneficiary.objects.count() == 1
    batch = check(coordinator_a, csv_bytes([person(cin="")]), "again.csv")
    confirm(batch, coordinator_a, on_probable="flag")
    flagged = Beneficiary.objects.exclude(pk=earlier.pk).get()
    flag = DuplicateFlag.objects.get(beneficiary=flagged)
    assert list(flag.candidates.all()) == [earlier] and flag.decision == DuplicateDecision.PENDING
    assert batch.number in flag.reason and flag.recorded_by == coordinator_a


def test_the_same_person_twice_in_a_file_is_a_problem(coordinator_a, check):
    batch = check(coordinator_a, xlsx_bytes([person(), person(), person(cin="")]))
    rows = [problem["row"] for problem in batch.report["problems"]]
    assert rows == [3, 4]


def test_rows_written_together_or_not_at_all(coordinator_a, check, confirm, monkeypatch):
    rows = [
        person(cin=f"XT9{n:05d}", birth_date=f"{1 + n % 28:02d}/{1 + n // 28 % 12:02d}/{1970 + n // 336}")
        for n in range(1200)
    ]  # 1,200 people, each born on a day of their own
    batch = check(coordinator_a, csv_bytes(rows), "many.csv")
    assert batch.report["counts"]["new"] == 1200
    written = []
    from imports.cases import CaseFiles

    real_write = CaseFiles.write

    def write_then_die(self, batch, chunk):
        real_write(self, batch, chunk)
        written.append(len(chunk))
        if len(written) == 2:
            raise RuntimeError("the worker's machine stopped")

    monkeypatch.setattr(CaseFiles, "write", write_then_die)
    batch = confirm(batch, coordinator_a)
    assert written == [500, 500]  # two chunks were written, then the import stopped
    assert not Beneficiary.objects.exists()  # and none of them stayed
    assert batch.status == ImportStatus.CHECKED and batch.import_job.status == "failed"
    monkeypatch.setattr(CaseFiles, "write", real_write)
    confirm(batch, coordinator_a)  # checked again, it can be imported
    assert Beneficiary.objects.count() == 1200


def test_data_changed_since_the_check_writes_nothing(coordinator_a, check, confirm):
    batch = check(coordinator_a, xlsx_bytes([person(), second()]))
    BeneficiaryFactory(cin="XT900002")  # registered at another centre meanwhile
    batch = confirm(batch, coordinator_a)
    assert batch.status == ImportStatus.CHECKED and said("Check the file again") in batch.import_job.error
    assert not Beneficiary.objects.filter(cin="XT900001").exists()


def test_a_coordinator_imports_into_their_centre_only(coordinator_a, centre_b, check):
    with pytest.raises(PermissionDenied):
        check(coordinator_a, xlsx_bytes([person()]), centre=centre_b)


def test_hq_imports_into_the_centre_it_chooses(officer, centre_b, check, confirm):
    confirm(check(officer, xlsx_bytes([person()]), centre=centre_b), officer)
    assert Beneficiary.objects.get().centre == centre_b


def test_an_import_is_confirmed_once(coordinator_a, check, confirm):
    batch = check(coordinator_a, xlsx_bytes([person()]))
    confirm(batch, coordinator_a)
    with pytest.raises(ValidationError):
        confirm(batch, coordinator_a)
    assert Beneficiary.objects.count() == 1


def test_the_report_page_masks_cins_for_an_officer(coordinator_a, officer, check, client_for):
    batch = check(coordinator_a, xlsx_bytes([person(cin="XT12"), person(cin="XT900002", birth_date="31/02/1990")]))
    url = reverse("imports:detail", args=[batch.pk])
    own = client_for(coordinator_a).get(url).content.decode()
    assert ">XT12<" in own and 'id="marked-copy"' in own  # its starter sees what was typed
    hq = client_for(officer).get(url).content.decode()
    assert ">XT12<" not in hq and f">{mask_cin('XT12')}<" in hq
    assert 'id="marked-copy"' not in hq  # the marked file holds the CINs as typed
    assert client_for(officer).get(reverse("jobs:download", args=[batch.check_job.pk])).status_code == 404
