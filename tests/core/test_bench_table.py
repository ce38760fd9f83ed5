"""``manage.py bench`` prints one table of every case, pages and heavy jobs, and how our case
list compares with the Django admin's."""

import io
import json
import time

import pytest
from django.core.management import call_command

from bench.cases import ADMIN_PAIRS, beneficiary_cases
from bench.data import DataSet
from bench.runner import Case, ratios, table
from reintegration.choices import Role
from reintegration.management.commands import bench as command
from tests.factories import CoordinatorFactory, UserFactory

PAGES = [
    {"name": "beneficiary_list", "n_rows": 200000, "p50_ms": 20.0, "p95_ms": 30.0, "queries": 7},
    {"name": "beneficiary_list_admin", "n_rows": 200000, "p50_ms": 80.0, "p95_ms": 100.0, "queries": 6},
    {"name": "beneficiary_search", "n_rows": 200000, "p50_ms": 50.0, "p95_ms": 60.0, "queries": 7},
]
HEAVY = [{"name": "export_full_200k", "n_rows": 200000, "seconds": 61.25, "peak_mb": 180.4}]


def test_one_table_holds_the_pages_and_the_heavy_jobs_each_with_its_own_columns():
    header, rule, *rows = table(PAGES, HEAVY).splitlines()
    assert header.split() == ["case", "rows", "p50", "ms", "p95", "ms", "queries", "seconds", "peak", "MB"]
    assert len(rule) == len(header)
    assert all(len(row) == len(header) for row in rows)
    page, *_, heavy = rows
    assert page.split() == ["beneficiary_list", "200000", "20.0", "30.0", "7"]  # no seconds, no peak memory
    assert heavy.split() == ["export_full_200k", "200000", "61.2", "180.4"]  # no p50, p95, queries
    # Each value under its own heading: the heavy job's seconds where the pages have none.
    assert heavy.index("61.2") + len("61.2") == header.index("seconds") + len("seconds")
    assert page.rstrip().endswith(" 7")
    assert len(page.rstrip()) == header.index("queries") + len("queries")


def test_the_heavy_jobs_alone_or_the_pages_alone():
    assert len(table([], HEAVY).splitlines()) == 3
    assert len(table(PAGES).splitlines()) == 5


def test_the_ratio_lines_compare_ours_with_the_admin_s_for_the_pairs_that_ran():
    text = ratios(PAGES, ADMIN_PAIRS)
    # The search's admin twin did not run: no line for it.
    assert text == (
        "beneficiary_list / beneficiary_list_admin (plain list): "
        "p50 0.25x (20.0 / 80.0 ms), p95 0.30x (30.0 / 100.0 ms)"
    )
    assert ratios(PAGES[:1], ADMIN_PAIRS) == ""
    instant = [{**row, "p50_ms": 0.0, "p95_ms": 0.0} for row in PAGES]
    assert ratios(instant, ADMIN_PAIRS).endswith("p50 - (0.0 / 0.0 ms), p95 - (0.0 / 0.0 ms)")


@pytest.mark.django_db
def test_each_admin_case_stands_right_after_ours(centre_a):
    UserFactory(username="officer", role=Role.OFFICER)
    UserFactory(username="admin", role=Role.ADMINISTRATOR)
    CoordinatorFactory(username="coord.meknes", centre=centre_a)
    names = [case.name for case in beneficiary_cases(DataSet(case_files=1, detail_case_pk=1))]
    for _label, ours, admins in ADMIN_PAIRS:
        assert names.index(admins) == names.index(ours) + 1


@pytest.mark.django_db
def test_the_admin_cases_open_the_admin_s_change_list(centre_a):
    UserFactory(username="officer", role=Role.OFFICER)
    UserFactory(username="admin", role=Role.ADMINISTRATOR)
    CoordinatorFactory(username="coord.meknes", centre=centre_a)
    cases = {case.name: case for case in beneficiary_cases(DataSet(case_files=1, detail_case_pk=1))}
    for _label, ours, admins in ADMIN_PAIRS:
        cases[ours].run()
        cases[admins].run()  # raises unless the page answers 200


@pytest.mark.django_db
def test_the_command_prints_one_table_and_writes_both_files(tmp_path, monkeypatch):
    pages = [
        Case("beneficiary_list", 3, lambda: time.sleep(0.001), repeat=2, warmup=0),
        Case("beneficiary_list_admin", 3, lambda: time.sleep(0.002), repeat=2, warmup=0),
    ]
    monkeypatch.setattr(command.Command, "_use_bench_database", lambda self: None)
    monkeypatch.setattr(command.data, "build", lambda stdout=None: DataSet(case_files=3))
    monkeypatch.setattr(command.cases, "all_cases", lambda dataset: pages)
    monkeypatch.setattr(command, "HEAVY", {"export_full_200k": None})
    monkeypatch.setattr(
        command, "measure_heavy", lambda name: {"name": name, "n_rows": 3, "seconds": 1.5, "peak_mb": 99.0}
    )
    out = io.StringIO()
    call_command("bench", output=str(tmp_path / "results.json"), stdout=out)
    text = out.getvalue()
    assert text.count("p50 ms") == 1  # one table
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("case "))
    rows = [line.split()[0] for line in lines[header + 2 : header + 5]]
    assert rows == ["beneficiary_list", "beneficiary_list_admin", "export_full_200k"]  # pages, then heavy jobs
    assert lines[header + 4].split()[1:] == ["3", "1.5", "99.0"]
    assert any(line.startswith("beneficiary_list / beneficiary_list_admin (plain list): p50 ") for line in lines)
    assert [row["name"] for row in json.loads((tmp_path / "results.json").read_text())] == [
        "beneficiary_list",
        "beneficiary_list_admin",
    ]
    assert json.loads((tmp_path / "heavy.json").read_text()) == [
        {"name": "export_full_200k", "n_rows": 3, "seconds": 1.5, "peak_mb": 99.0}
    ]
