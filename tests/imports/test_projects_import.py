"""Life projects from a sheet: one row per equipment line, the rows of a case file one draft with
its lines and the plan's totals; the same content twice changes nothing; a draft is replaced or
left out by choice; a project past draft, a case file of another centre, a bad cell are problems."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from imports import engine
from imports.choices import ImportStatus
from imports.projects_sheet import Projects, columns
from imports.services import import_confirm, import_upload
from projects.models import EquipmentLine, LifeProject
from tests.factories import BeneficiaryFactory, make_project
from tests.imports.conftest import upload
from tests.imports.sheets import csv_of, xlsx_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _jobs(immediate, private_media):
    """Jobs run at once; files go to a temporary folder."""


@pytest.fixture
def check(django_capture_on_commit_callbacks):
    def run(user, content: bytes, name: str = "projects.xlsx", *, centre=None):
        with django_capture_on_commit_callbacks(execute=True):
            batch = import_upload(by=user, kind="projects", centre=centre or user.centre, upload=upload(content, name))
        batch.refresh_from_db()
        return batch

    return run


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    def run(batch, user, *, on_existing="report"):
        with django_capture_on_commit_callbacks(execute=True):
            import_confirm(batch=batch, by=user, on_existing=on_existing, on_probable="skip")
        batch.refresh_from_db()
        return batch

    return run


def said(text: str) -> str:
    with translation.override("en"):
        return translation.gettext(text)


def problems(batch) -> list[tuple[int, str, str]]:
    return [(p["row"], p["column"], p["value"]) for p in batch.report["problems"]]


def xlsx(rows):
    return xlsx_of(columns(), rows)


def csv(rows):
    return csv_of(columns(), rows)


def line(person, **overrides) -> dict:
    """A row of a bakery project: its columns, then one equipment line."""
    row = {
        "case": person.number,
        "trade": "Boulangerie",
        "province": "Meknès",
        "description": "Boulangerie de quartier",
        "cash_aid": "3 000,00",
        "item_fr": "Four à pain",
        "item_ar": "فرن الخبز",
        "quantity": "1",
        "unit": "pièce",
        "unit_price": "14 500,00",
        "supplier": "Équipements du Saïss",
    }
    row.update(overrides)
    return row


def bakery(case, **overrides) -> list[dict]:
    """Three lines: 14 500 + 6 800 + 2 × 950,50 = 23 201,00 of equipment, 3 000 of cash aid."""
    return [
        line(case, **overrides),
        line(case, item_fr="Pétrin", item_ar="عجانة", unit_price="6800", **overrides),
        line(case, item_fr="Table inox", item_ar="طاولة", quantity="2", unit_price="950.50", **overrides),
    ]


@pytest.fixture
def cases(centre_a):
    return [BeneficiaryFactory(centre=centre_a, cin=f"XT70000{n}") for n in range(2)]


def test_a_good_workbook_makes_drafts_with_their_lines_and_totals(coordinator_a, cases, check, confirm):
    first, second = cases
    rows = [*bakery(first), line(second, case="XT700001", trade="sewing", cash_aid="", item_fr="Machine à coudre")]
    batch = check(coordinator_a, xlsx(rows))
    assert batch.report["counts"] == {"rows": 4, "new": 4}, batch.report["problems"]
    assert not LifeProject.objects.exists()  # the check writes nothing
    batch = confirm(batch, coordinator_a)
    assert batch.status == ImportStatus.IMPORTED
    project = LifeProject.objects.get(beneficiary=first)
    assert (project.status, project.created_by, project.trade.code, project.province.code) == (
        "draft",
        coordinator_a,
        "bakery",
        "03.061",
    )
    assert project.equipment_total == Decimal("23201.00") and project.cash_aid == Decimal("3000.00")
    assert project.total == Decimal("26201.00")
    assert [(line.item_fr, line.quantity, line.amount) for line in project.lines.all()] == [
        ("Four à pain", Decimal("1.00"), Decimal("14500.00")),
        ("Pétrin", Decimal("1.00"), Decimal("6800.00")),
        ("Table inox", Decimal("2.00"), Decimal("1901.00")),
    ]
    assert project.history.get().history_user == coordinator_a
    other = LifeProject.objects.get(beneficiary=second)  # found by its CIN
    assert other.trade.code == "sewing" and other.cash_aid == 0 and other.total == Decimal("14500.00")


def test_the_same_content_again_is_same_and_writes_nothing(coordinator_a, cases, check, confirm):
    confirm(check(coordinator_a, xlsx(bakery(cases[0]))), coordinator_a)
    project = LifeProject.objects.get()
    again = check(coordinator_a, csv(list(reversed(bakery(cases[0])))), "copy.csv")  # lines in another order
    assert again.report["counts"] == {"rows": 3, "same": 3}
    confirm(again, coordinator_a, on_existing="update")
    assert LifeProject.objects.get().history.count() == 1 and EquipmentLine.objects.count() == 3
    assert set(EquipmentLine.objects.values_list("pk", flat=True)) == set(project.lines.values_list("pk", flat=True))


def test_a_draft_that_differs_is_replaced_or_left_out_by_choice(coordinator_a, cases, check, confirm):
    draft = make_project(cases[0], coordinator_a)  # one line, 10 000 + 2 000
    batch = check(coordinator_a, xlsx(bakery(cases[0])))
    assert batch.report["counts"] == {"rows": 3, "existing": 3}
    assert draft.number in batch.report["notes"][0]["note"]
    confirm(batch, coordinator_a, on_existing="report")
    draft.refresh_from_db()
    assert draft.total == Decimal("12000.00") and draft.lines.count() == 1
    batch = check(coordinator_a, csv(bakery(cases[0])), "again.csv")
    batch = confirm(batch, coordinator_a, on_existing="update")
    assert batch.result["counts"] == {"rows": 3, "update": 3}
    assert batch.result["notes"][0]["note"].startswith(f"{draft.number}: 3 lines replaced")
    draft.refresh_from_db()
    assert LifeProject.objects.get() == draft and draft.status == "draft"
    assert (draft.equipment_total, draft.cash_aid, draft.total) == (
        Decimal("23201.00"),
        Decimal("3000.00"),
        Decimal("26201.00"),
    )
    assert list(draft.lines.values_list("item_fr", flat=True)) == ["Four à pain", "Pétrin", "Table inox"]
    assert draft.history.first().history_user == coordinator_a


def test_a_project_past_draft_is_a_problem(coordinator_a, officer, cases, check):
    submitted = make_project(cases[0], coordinator_a, status="submitted")
    batch = check(coordinator_a, xlsx(bakery(cases[0])))
    assert [row for row, _column, _value in problems(batch)] == [2, 3, 4]
    message = batch.report["problems"][0]["message"]
    assert submitted.number in message and said("Submitted for approval") in message


def test_a_case_file_of_another_centre_is_a_problem_and_nothing_is_written(
    coordinator_a, centre_b, cases, check, confirm
):
    elsewhere = BeneficiaryFactory(centre=centre_b)
    batch = check(coordinator_a, xlsx([*bakery(cases[0]), line(elsewhere)]))
    assert problems(batch) == [(5, said("Case file"), elsewhere.number)]
    assert not batch.importable
    with pytest.raises(Exception):  # noqa: B017 — refused: the check found a problem
        confirm(batch, coordinator_a)
    assert not LifeProject.objects.exists()


def test_bad_cells_are_problems_at_their_row_and_column_with_the_value_read(coordinator_a, cases, check):
    rows = [
        line(cases[0], unit_price="douze mille"),
        line(cases[1], trade="Astronaute"),
        line(BeneficiaryFactory(centre=coordinator_a.centre), unit="barrique", quantity="0"),
    ]
    batch = check(coordinator_a, xlsx(rows))
    found = problems(batch)
    assert (2, said("Unit price"), "douze mille") in found
    assert (3, said("Trade"), "Astronaute") in found
    assert (4, said("Unit"), "barrique") in found and (4, said("Quantity"), "0") in found
    assert not LifeProject.objects.exists()


def test_the_rows_of_a_project_disagreeing_or_apart_are_problems(coordinator_a, cases, check):
    first, second = cases
    rows = [line(first), line(first, trade="sewing"), line(second), line(first, item_fr="Pétrin")]
    found = problems(check(coordinator_a, xlsx(rows)))
    assert (3, said("Trade"), "Couture et stylisme") in found
    assert (5, said("Case file"), first.number) in found


def test_a_project_split_across_two_chunks_is_one_project(coordinator_a, centre_a, check, confirm, monkeypatch):
    monkeypatch.setattr(engine, "CHUNK", 4)
    people = [BeneficiaryFactory(centre=centre_a) for _n in range(3)]
    rows = [*bakery(people[0]), *bakery(people[1]), *bakery(people[2])]  # rows 5-7 straddle the first chunk
    batch = check(coordinator_a, csv(rows), "split.csv")
    assert batch.report["counts"] == {"rows": 9, "new": 9}
    confirm(batch, coordinator_a)
    assert [project.lines.count() for project in LifeProject.objects.order_by("beneficiary_id")] == [3, 3, 3]
    assert {project.total for project in LifeProject.objects.all()} == {Decimal("26201.00")}


def test_a_line_over_the_plans_limit_is_a_problem(coordinator_a, cases, check):
    batch = check(coordinator_a, xlsx([line(cases[0], quantity="99999999", unit_price="99999999")]))
    assert [(row, column) for row, column, _value in problems(batch)] == [(2, said("Unit price"))]


def test_rows_written_together_or_not_at_all(coordinator_a, cases, check, confirm, monkeypatch):
    batch = check(coordinator_a, xlsx([*bakery(cases[0]), *bakery(cases[1])]))
    real = Projects._create

    def create_then_fail(self, plans):
        real(self, plans)
        raise RuntimeError("the worker's machine stopped")

    monkeypatch.setattr(Projects, "_create", create_then_fail)
    batch = confirm(batch, coordinator_a)
    assert batch.status == ImportStatus.CHECKED and batch.import_job.status == "failed"
    assert not LifeProject.objects.exists() and not EquipmentLine.objects.exists()


def test_a_draft_submitted_between_check_and_import_rolls_everything_back(coordinator_a, cases, check, confirm):
    draft = make_project(cases[1], coordinator_a)
    batch = check(coordinator_a, xlsx([*bakery(cases[0]), *bakery(cases[1])]))
    LifeProject.objects.filter(pk=draft.pk).update(status="submitted")
    batch = confirm(batch, coordinator_a, on_existing="update")
    assert batch.status == ImportStatus.CHECKED and said("Check the file again") in batch.import_job.error
    assert LifeProject.objects.count() == 1  # the first case file's project was not kept


def test_hq_program_officers_do_not_write_projects(officer, centre_a, cases, check):
    batch = check(officer, xlsx(bakery(cases[0])), centre=centre_a)
    assert batch.report["counts"]["with_problems"] == 3 and not batch.importable


def test_the_template_has_drop_down_lists_of_trades_units_and_provinces(coordinator_a, client_for, tmp_path):
    from openpyxl import load_workbook

    response = client_for(coordinator_a).get(reverse("imports:template", args=["projects", "xlsx"]))
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)
    workbook = load_workbook(path)
    lists = [[cell for cell in column if cell] for column in workbook["Lists"].iter_cols(values_only=True)]
    assert "Boulangerie" in lists[0] and "Meknès" in lists[1] and "kg" in lists[2]
    header = next(workbook.worksheets[0].iter_rows(max_row=1, values_only=True))
    assert header[0].startswith("Dossier")  # French, then Arabic
