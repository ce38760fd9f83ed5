import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from beneficiaries.choices import CaseStatus
from beneficiaries.models import Beneficiary
from beneficiaries.services import ANONYMISED
from tests.factories import ActionFactory, BeneficiaryFactory

pytestmark = pytest.mark.django_db


def test_it_anonymises_only_files_closed_past_the_retention_period(settings, centre_a):
    settings.RETENTION_YEARS_AFTER_CLOSURE = 5
    old = BeneficiaryFactory(
        centre=centre_a,
        cin="XT111111",
        phone="+212612345678",
        address="Derb 3",
        sex="F",
        birth_date=datetime.date(1988, 7, 14),
        status=CaseStatus.CLOSED,
        closed_on=datetime.date(2019, 1, 1),
    )
    old.address = "Derb 4"
    old.save()  # a change in the history, which holds the old address
    ActionFactory(beneficiary=old, description="Visite à domicile, Derb 3")
    recent = BeneficiaryFactory(centre=centre_a, status=CaseStatus.CLOSED, closed_on=datetime.date(2025, 1, 1))
    active = BeneficiaryFactory(centre=centre_a)

    call_command("anonymise_closed_cases")

    old.refresh_from_db()
    assert old.anonymised_at is not None
    assert (old.first_name_latin, old.last_name_ar, old.cin, old.phone, old.address) == (
        ANONYMISED,
        ANONYMISED,
        "",
        "",
        "",
    )
    # The statistics keep what they count.
    assert (old.sex, old.birth_date.year, old.province.code, old.centre, old.release_date) == (
        "F",
        1988,
        "03.061",
        centre_a,
        datetime.date(2025, 3, 1),
    )
    assert old.actions.get().description == ANONYMISED and old.actions.get().kind == "administrative"
    # No old value survives in the history.
    assert old.history.count() == 1
    assert not old.history.filter(address__contains="Derb").exists()
    assert not Beneficiary.objects.filter(search_text__contains="alaoui", pk=old.pk).exists()
    for untouched in (recent, active):
        untouched.refresh_from_db()
        assert untouched.anonymised_at is None and untouched.first_name_latin == "Mohamed"


def test_the_dry_run_changes_nothing(settings, centre_a, capsys):
    settings.RETENTION_YEARS_AFTER_CLOSURE = 5
    BeneficiaryFactory(centre=centre_a, status=CaseStatus.ARCHIVED, closed_on=datetime.date(2018, 1, 1))
    call_command("anonymise_closed_cases", "--dry-run")
    assert "1 case file(s)" in capsys.readouterr().out
    assert not Beneficiary.objects.filter(anonymised_at__isnull=False).exists()


def test_an_anonymised_file_is_read_only_and_not_a_duplicate_candidate(settings, centre_a, coordinator_a, client_for):
    from django.urls import reverse

    settings.RETENTION_YEARS_AFTER_CLOSURE = 1
    case = BeneficiaryFactory(centre=centre_a, status=CaseStatus.CLOSED, closed_on=datetime.date(2020, 1, 1))
    call_command("anonymise_closed_cases")
    assert client_for(coordinator_a).get(reverse("beneficiaries:edit", args=[case.pk])).status_code == 403


def test_anonymisation_reaches_projects_visits_and_signed_receipts(
    settings, centre_a, coordinator_a, officer, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from distributions.models import Event, Handover
    from distributions.services import handover_attach_signed, handover_plan, handover_record
    from projects.models import FollowUpVisit, LifeProject
    from projects.services import commitment_create, project_transition, visit_record
    from tests.factories import EnvelopeFactory, make_project, province

    settings.RETENTION_YEARS_AFTER_CLOSURE = 1
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    case = BeneficiaryFactory(centre=centre_a)
    project = make_project(case, coordinator_a, status="approved", officer=officer)
    LifeProject.objects.filter(pk=project.pk).update(goals="Sortir de l'addiction", health_needs=["addiction"])
    commitment_create(project=project, envelope=EnvelopeFactory(), by=officer)
    event = Event.objects.create(
        date=datetime.date(2024, 5, 24),
        province=province("03.061"),
        venue_fr="x",
        presiding_title_ar="x",
        presiding_title_fr="x",
    )
    handover = handover_plan(project=project, event=event, by=coordinator_a)
    handover_record(handover=handover, items=[], cash_aid=Decimal("2000"), delivered_on=event.date, by=coordinator_a)
    handover_attach_signed(
        handover=handover, upload=SimpleUploadedFile("s.pdf", b"%PDF-1.4\n%%EOF\n"), by=coordinator_a
    )
    scan = tmp_path / Handover.objects.get().signed_scan.name
    visit = FollowUpVisit.objects.filter(project=project).first()
    visit_record(
        visit=visit,
        by=coordinator_a,
        done_on=datetime.date(2024, 8, 24),
        activity_running="no",
        equipment_in_use="no",
        problems="Rechute, hospitalisé",
    )
    project_transition(project=project, target="abandoned", by=coordinator_a, comment="Hospitalisé")
    Beneficiary.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=datetime.date(2024, 9, 1))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("anonymise_closed_cases")

    project.refresh_from_db()
    assert (project.goals, project.health_needs, project.total) == ("", [], Decimal("12000.00"))
    assert not project.transitions.exclude(comment="").exists()
    assert FollowUpVisit.objects.get(pk=visit.pk).problems == ""
    assert FollowUpVisit.objects.get(pk=visit.pk).activity_running == "no"  # the statistics keep it
    assert Handover.objects.get().signed_scan == ""
    assert not scan.exists()
    assert not LifeProject.history.filter(goals__contains="addiction").exists()
