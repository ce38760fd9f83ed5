"""CSV export of a list of case files, streamed row by row."""

import csv
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Beneficiary
from reintegration.models import User


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


COLUMNS = [
    (_("File number"), lambda case, user: case.number),
    (_("Last name (Arabic)"), lambda case, user: case.last_name_ar),
    (_("First name (Arabic)"), lambda case, user: case.first_name_ar),
    (_("Last name (Latin script)"), lambda case, user: case.last_name_latin),
    (_("First name (Latin script)"), lambda case, user: case.first_name_latin),
    (_("CIN"), lambda case, user: case.cin_for(user)),
    (_("Sex"), lambda case, user: case.get_sex_display()),
    (_("Date of birth"), lambda case, user: _date(case.birth_date)),
    (_("Province of residence"), lambda case, user: case.province.name),
    (_("Centre"), lambda case, user: case.centre.name),
    (_("Program"), lambda case, user: str(case.program or "")),
    (_("Release date"), lambda case, user: _date(case.release_date)),
    (_("Release type"), lambda case, user: case.get_release_type_display()),
    (_("Status"), lambda case, user: case.get_status_display()),
]


class _Line:
    """A file-like object whose ``write`` returns the line, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    """A spreadsheet must not read a name or an address as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_lines(cases: Iterable[Beneficiary], user: User) -> Iterator[str]:
    """UTF-8 with a byte-order mark first, so that spreadsheet programs read the Arabic."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow([str(header) for header, _get in COLUMNS])
    for case in cases:
        yield writer.writerow([_cell(get(case, user)) for _header, get in COLUMNS])
