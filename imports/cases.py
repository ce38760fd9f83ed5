"""Case files from a sheet: the columns, the checks a registration makes, and the writes.

A row is the same person as a case file already registered when it has that file's CIN, or, for
a row or a file without a CIN, the same four names and date of birth in the same centre. Such a
row is left as it is when nothing differs ("same"), or, by the importer's choice, updates the
file's filled cells or is left out and listed ("update" or "existing"). A CIN registered at
another centre is a problem on the row (a person moves by a transfer). A row whose person has a
file with a close name and the same date of birth — the registration form's duplicate check —
is, by the importer's choice, left out and listed, or registered flagged for HQ to decide,
the flag naming the files it resembles.

Empty cells never erase what a case file holds. A file that is archived or anonymised is never
touched. The check and the writes take a few queries per chunk of rows, whatever its size.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from beneficiaries import names
from beneficiaries.choices import CaseStatus, CinLookupKind, EducationLevel, FamilySituation, ReleaseType, Sex
from beneficiaries.cin import cin_digest
from beneficiaries.models import NAME_FIELDS, Beneficiary, CinLookup, DuplicateFlag
from beneficiaries.selectors import DUPLICATE_THRESHOLD
from imports import values
from imports.choices import ImportStatus, OnExisting, OnProbable
from imports.engine import Column, Row
from reintegration.history import create_with_history
from reintegration.models import Program, Province

NEW, SAME, UPDATE, EXISTING, FLAG, PROBABLE = "new", "same", "update", "existing", "flag", "probable"
OUTCOMES = {
    NEW: gettext_lazy("New case files"),
    UPDATE: gettext_lazy("Case files updated"),
    SAME: gettext_lazy("Already registered, unchanged"),
    EXISTING: gettext_lazy("Already registered, left out"),
    FLAG: gettext_lazy("Registered, flagged as possible duplicates"),
    PROBABLE: gettext_lazy("Possible duplicates, left out"),
}
WRITTEN = {NEW, UPDATE, FLAG}
NAME_PAIRS = (("first_name_ar", "first_name_latin"), ("last_name_ar", "last_name_latin"))


def _name(key: str, label, script: str, example: str) -> Column:
    """A name column: its header required, its cell checked by ``CaseFiles._read_names`` (a name
    may have been typed in the other script's column)."""
    return Column(key, label, values.name(script), required=True, cell_required=False, example=example)


def columns() -> list[Column]:
    sexes = values.labels_of(Sex)
    return [
        _name("last_name_ar", gettext_lazy("Last name (Arabic)"), "ar", "العلوي"),
        _name("first_name_ar", gettext_lazy("First name (Arabic)"), "ar", "محمد"),
        _name("last_name_latin", gettext_lazy("Last name (Latin script)"), "latin", "El Alaoui"),
        _name("first_name_latin", gettext_lazy("First name (Latin script)"), "latin", "Mohammed"),
        Column(
            "cin",
            gettext_lazy("CIN"),
            values.cin,
            help=gettext_lazy("Empty if the person has none yet."),
            example="AB123456",
        ),
        Column(
            "sex",
            gettext_lazy("Sex"),
            values.choice(
                lambda: [*sexes(), ("M", ["H", "homme", "masculin", "ذكر"]), ("F", ["femme", "feminin", "انثى"])],
                what=lambda: _("sexes"),
            ),
            required=True,
            options=lambda: values.label_list(Sex),
        ),
        Column("birth_date", gettext_lazy("Date of birth"), values.date, required=True, example="15/03/1990"),
        Column("phone", gettext_lazy("Phone"), values.phone, example="0612345678"),
        Column("address", gettext_lazy("Address"), values.text(300)),
        Column(
            "province",
            gettext_lazy("Province of residence"),
            values.choice(values.coded(Province), what=lambda: _("provinces")),
            required=True,
            help=gettext_lazy("Its name in French or Arabic, or its code."),
            options=lambda: [str(p) for p in Province.objects.order_by("name_fr")],
        ),
        Column("establishment", gettext_lazy("Prison establishment"), values.text(200), required=True),
        Column("release_date", gettext_lazy("Release date"), values.date, required=True, example="01/06/2025"),
        Column(
            "release_type",
            gettext_lazy("Release type"),
            values.choice(values.labels_of(ReleaseType), what=lambda: _("release types")),
            required=True,
            options=lambda: values.label_list(ReleaseType),
        ),
        Column(
            "program",
            gettext_lazy("Program"),
            values.choice(values.coded(Program), what=lambda: _("programs")),
            options=lambda: [str(p) for p in Program.objects.filter(is_active=True)],
        ),
        Column(
            "education_level",
            gettext_lazy("Education level"),
            values.choice(values.labels_of(EducationLevel), what=lambda: _("education levels")),
            options=lambda: values.label_list(EducationLevel),
        ),
        Column(
            "family_situation",
            gettext_lazy("Family situation"),
            values.choice(values.labels_of(FamilySituation), what=lambda: _("family situations")),
            options=lambda: values.label_list(FamilySituation),
        ),
        Column("dependants", gettext_lazy("Dependants"), values.whole_number(maximum=30), example="2"),
        Column("skills", gettext_lazy("Skills"), values.text(2000)),
        Column("work_experience", gettext_lazy("Work experience"), values.text(2000)),
        Column(
            "notice_given_on",
            gettext_lazy("Information notice given on"),
            values.date,
            required=True,
            help=gettext_lazy("Law 09-08: the person was told what is kept about them, and why."),
        ),
        Column("consent_signed_on", gettext_lazy("Consent signed on"), values.date, required=True),
    ]


DEFAULTS = {"dependants": 0, "program": None, "education_level": "", "family_situation": ""}


class CaseFiles:
    """One run (a check or an import) of a case-file sheet into ``batch.centre``."""

    code = "cases"
    outcomes = OUTCOMES
    template_columns = staticmethod(columns)

    def __init__(self, batch):
        self.batch = batch
        self.by = batch.uploaded_by
        self.present: set[str] = set()
        self.seen_cins: dict[str, int] = {}
        self.seen_people: dict[tuple, int] = {}

    def columns(self, batch) -> list[Column]:
        self._columns = columns()
        self.by_key = {column.key: column for column in self._columns}
        return self._columns

    def start(self, present: set[str]) -> None:
        """The columns the sheet has: the others are neither compared nor updated."""
        self.present = present

    # --- Check ---------------------------------------------------------------------------

    def check(self, batch, rows: list[Row]) -> None:
        # The model's rules hold on the import's pass if they held on the check's (the same file,
        # by its fingerprint): only what the database says is checked again there.
        validate = self.batch.status != ImportStatus.IMPORTING
        for row in rows:
            self._read_names(row)
            if validate and not row.problems:
                self._validate(row)
        rows = [row for row in rows if not row.problems]
        self._in_file_twice(rows)
        rows = [row for row in rows if not row.problems]
        self._against_registered(rows)

    def _read_names(self, row: Row) -> None:
        """Names typed in each other's columns (the Arabic in the Latin one and the other way
        round, or one of them in the other's empty column) move to their own."""
        cells = row.values
        for arabic, latin in NAME_PAIRS:
            ar, la = cells.get(arabic) or "", cells.get(latin) or ""
            wrong_ar, wrong_la = values.script_of(ar) == "latin", values.script_of(la) == "ar"
            if (wrong_ar and (wrong_la or not la)) or (wrong_la and not ar):
                cells[arabic], cells[latin] = la, ar.title()
        for field in NAME_FIELDS:
            if not cells.get(field):
                row.problem(self.by_key[field], _("Required."))
        for arabic, latin in NAME_PAIRS:
            if cells.get(arabic) and values.script_of(cells[arabic]) == "latin":
                row.problem(self.by_key[arabic], _("Write this name in Arabic letters."), cells[arabic])
            if cells.get(latin) and values.script_of(cells[latin]) == "ar":
                row.problem(self.by_key[latin], _("Write this name in Latin letters."), cells[latin])

    def _fields(self, row: Row) -> dict:
        fields = {}
        for key, value in row.values.items():
            if key not in self.by_key:
                continue
            fields[key] = DEFAULTS.get(key, "") if value is None else value
        return fields

    def _validate(self, row: Row) -> None:
        """The model's own rules (lengths, choices, date order), without a query."""
        case = Beneficiary(**self._fields(row), centre=self.batch.centre)
        try:
            case.clean_fields(exclude=["province", "program", "centre", "created_by", "search_text"])
            case.clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    row.problem(self.by_key.get(field), message, row.values.get(field))

    def _in_file_twice(self, rows: list[Row]) -> None:
        for row in rows:
            cin = row.values.get("cin")
            if cin:
                if cin in self.seen_cins:
                    row.problem(
                        self.by_key["cin"],
                        _("The same CIN as row %(row)s.") % {"row": self.seen_cins[cin]},
                        cin,
                    )
                    continue
                self.seen_cins[cin] = row.number
            key = _person_key(row.values)
            if key in self.seen_people:
                row.problem(
                    None,
                    _("The same person (names and date of birth) as row %(row)s.") % {"row": self.seen_people[key]},
                )
                continue
            self.seen_people[key] = row.number

    def _against_registered(self, rows: list[Row]) -> None:
        """Each row against the files registered: by CIN, by names and date of birth in the centre,
        then by close names (the registration's duplicate check). The people born on the chunk's
        dates are read as plain tuples (tens of thousands on a national data set); only the files
        a row turns out to concern are read as case files."""
        if not rows:
            return
        centre = self.batch.centre
        cins = {row.values["cin"] for row in rows if row.values.get("cin")}
        by_cin = {case.cin: case for case in Beneficiary.objects.holding_cins(cins).select_related("centre").order_by()}
        born = defaultdict(list)
        born_then = Beneficiary.objects.filter(
            birth_date__in={row.values["birth_date"] for row in rows}, anonymised_at__isnull=True
        ).order_by("pk")  # thousands of rows: sorting them by name (the model's order) was half the query
        for pk, centre_id, cin, birth_date, *written in born_then.values_list(
            "pk", "centre_id", "cin", "birth_date", *NAME_FIELDS
        ):
            born[birth_date].append((pk, centre_id, cin, tuple(written)))
        found: dict[int, tuple[str, object]] = {}  # row number → ("holder", pk or case) or ("similar", pks)
        for row in rows:
            cin = row.values.get("cin")
            if cin and cin in by_cin:
                found[row.number] = ("holder", by_cin[cin])
                continue
            written = tuple(row.values.get(field) or "" for field in NAME_FIELDS)
            key = _person_key(row.values)
            people = born[row.values["birth_date"]]
            same = next(
                (
                    pk
                    for pk, centre_id, other_cin, names_ in people
                    if centre_id == centre.pk
                    and (not other_cin or not cin)
                    and _person_key({**dict(zip(NAME_FIELDS, names_, strict=True)), "birth_date": key[-1]}) == key
                ),
                None,
            )
            if same is not None:
                found[row.number] = ("holder", same)
                continue
            alike = names.alike(written, [names_ for _pk, _c, _cin, names_ in people], DUPLICATE_THRESHOLD)
            similar = [people[index][0] for index in alike]
            found[row.number] = ("similar", similar)
        wanted = {pk for kind, value in found.values() for pk in ([value] if kind == "holder" else value)}
        wanted = {pk for pk in wanted if isinstance(pk, int)}
        cases = Beneficiary.objects.select_related("centre").in_bulk(wanted) if wanted else {}
        elsewhere: list[str] = []
        for row in rows:
            kind, value = found[row.number]
            if kind == "similar":
                self._probable(row, [cases[pk] for pk in value])
                continue
            holder = value if isinstance(value, Beneficiary) else cases[value]
            if holder.centre_id != centre.pk:
                cin = row.values.get("cin")
                elsewhere.append(cin)
                row.problem(
                    self.by_key["cin"],
                    _("This CIN is already registered, at %(centre)s: a person moves to another centre by a transfer.")
                    % {"centre": holder.centre},
                    cin,
                )
            else:
                self._same_person(row, holder)
        if elsewhere:
            # Telling whether a number is registered is a lookup: recorded as the registration's are.
            CinLookup.objects.bulk_create(
                CinLookup(user=self.by, kind=CinLookupKind.IMPORT, cin_hash=cin_digest(cin)) for cin in elsewhere
            )

    def _same_person(self, row: Row, holder: Beneficiary) -> None:
        row.target = holder
        if holder.status == CaseStatus.ARCHIVED or holder.anonymised_at:
            row.outcome, row.note = EXISTING, _("%(file)s is archived: left as it is.") % {"file": holder.number}
            return
        changes = self._changes(row, holder)
        if not changes:
            row.outcome = SAME
        elif self.batch.on_existing == OnExisting.UPDATE:
            row.outcome = UPDATE
            row.note = _("%(file)s: %(fields)s updated.") % {
                "file": holder.number,
                "fields": listed(str(column.label) for column in self._columns if column.key in changes),
            }
        else:
            row.outcome = EXISTING
            row.note = _("Already registered as %(file)s, with other values (%(fields)s): left out.") % {
                "file": holder.number,
                "fields": listed(str(column.label) for column in self._columns if column.key in changes),
            }

    def _changes(self, row: Row, holder: Beneficiary) -> dict:
        """The filled cells whose value differs from the file's."""
        changes = {}
        for key in self.present:
            value = row.values.get(key)
            if key not in self.by_key or value in (None, ""):
                continue
            field = Beneficiary._meta.get_field(key)
            current = getattr(holder, field.attname)
            if current != (value.pk if field.is_relation else value):
                changes[key] = value
        return changes

    def _probable(self, row: Row, similar: list[Beneficiary]) -> None:
        """``similar``: the files of people born that day whose names are close to the row's."""
        if not similar:
            row.outcome = NEW
            return
        row.target = similar
        described = listed(
            f"{case.number} · {case.full_name}"
            if case.centre_id == self.batch.centre_id or self.by.is_hq
            else str(case.centre)
            for case in similar[:3]
        )
        if self.batch.on_probable == OnProbable.FLAG:
            row.outcome = FLAG
            row.note = _("Close to %(files)s: registered, flagged for HQ.") % {"files": described}
        else:
            row.outcome = PROBABLE
            row.note = _("Close to %(files)s (same date of birth): left out.") % {"files": described}

    # --- Write ---------------------------------------------------------------------------

    def write(self, batch, rows: list[Row]) -> None:
        new = [row for row in rows if row.outcome in (NEW, FLAG)]
        if new:
            cases = []
            for row in new:
                case = Beneficiary(**self._fields(row), centre=batch.centre, created_by=self.by)
                case.search_text = names.case_search_text(case)
                cases.append(case)
            created = create_with_history(cases, Beneficiary, user=self.by)
            flagged = [(case, row) for case, row in zip(created, new, strict=True) if row.outcome == FLAG]
            self._flag(flagged, batch)
        updated = [row for row in rows if row.outcome == UPDATE]
        if updated:
            fields: set[str] = set()
            now = timezone.now()
            targets = []
            for row in updated:
                case = row.target
                for key, value in self._changes(row, case).items():
                    setattr(case, key, value)
                    fields.add(key)
                case.search_text = names.case_search_text(case)
                case.updated_at = now
                targets.append(case)
            bulk_update_with_history(
                targets,
                Beneficiary,
                [*sorted(fields), "search_text", "updated_at"],
                batch_size=500,
                default_user=self.by,
            )

    def _flag(self, flagged: list[tuple[Beneficiary, Row]], batch) -> None:
        if not flagged:
            return
        reason = _("Imported from %(file)s (%(number)s) over a possible duplicate.") % {
            "file": batch.original_name,
            "number": batch.number,
        }
        flags = DuplicateFlag.objects.bulk_create(
            DuplicateFlag(beneficiary=case, reason=reason, recorded_by=self.by) for case, _row in flagged
        )
        Through = DuplicateFlag.candidates.through
        Through.objects.bulk_create(
            Through(duplicateflag_id=flag.pk, beneficiary_id=candidate.pk)
            for flag, (_case, row) in zip(flags, flagged, strict=True)
            for candidate in row.target
        )


def _person_key(fields: dict) -> tuple:
    return (*(values.fold(fields.get(field) or "") for field in NAME_FIELDS), fields.get("birth_date"))


def listed(items) -> str:
    """Items one after the other, with the language's comma ("، " in Arabic)."""
    return _(", ").join(items)
