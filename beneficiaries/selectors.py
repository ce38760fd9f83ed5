"""Reads on case files. Every query starts from ``Beneficiary.objects.visible_to(user)``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from beneficiaries import names
from beneficiaries.choices import DuplicateDecision, TransferStatus
from beneficiaries.cin import CinSearch, cin_search, mask_cin
from beneficiaries.models import (
    AccompanimentAction,
    Beneficiary,
    CaseExport,
    CaseView,
    Document,
    DuplicateFlag,
    Transfer,
)
from reintegration.models import User
from reintegration.scoping import get_for_user

DUPLICATE_THRESHOLD = 85


def beneficiary_list(*, user: User) -> QuerySet[Beneficiary]:
    return Beneficiary.objects.visible_to(user).with_list_columns()


def beneficiary_search(queryset: QuerySet[Beneficiary], query: str, *, user: User) -> QuerySet[Beneficiary]:
    """By CIN when the text reads as one (``cin_search``: a role that sees CINs masked matches
    on what the mask shows only), otherwise by any spelling of the names."""
    query = (query or "").strip()
    if not query:
        return queryset
    if (cin := cin_search(query, full=user.sees_full_cin)) is not None:
        return queryset.filter(_cin_match(cin))
    for term in names.query_terms(query):
        match = Q()
        for pattern in term.patterns:
            match |= Q(search_text__contains=pattern)
        queryset = queryset.filter(match)
    return queryset


def _cin_match(cin: CinSearch) -> Q:
    if cin.exact:
        return Q(cin=cin.exact)
    if cin.hidden is None:
        return Q(cin__endswith=cin.shown)
    return Q(cin__regex=rf"^{cin.letters}[0-9]{{{cin.hidden}}}{cin.shown}$")


def _case_file():
    return Beneficiary.objects.select_related("province__region", "centre", "program", "created_by")


def beneficiary_get_for_user(user: User, pk: int, *, write: bool = False) -> Beneficiary:
    return get_for_user(_case_file(), user, pk, write=write)


def beneficiary_detail(user: User, pk: int) -> Beneficiary:
    """The case file with everything its page shows, in a fixed number of queries."""
    queryset = _case_file().prefetch_related(
        "trainings",
        Prefetch("documents", queryset=Document.objects.select_related("uploaded_by")),
    )
    return get_for_user(queryset, user, pk)


def case_action_get(beneficiary: Beneficiary, pk: int) -> AccompanimentAction:
    """One action of a case the caller has already read through the user's scope."""
    return get_object_or_404(beneficiary.actions.all(), pk=pk)


def case_actions(beneficiary: Beneficiary) -> QuerySet[AccompanimentAction]:
    return beneficiary.actions.select_related("recorded_by")


def case_transfers(beneficiary: Beneficiary) -> QuerySet[Transfer]:
    return beneficiary.transfers.select_related("from_centre", "to_centre", "requested_by", "decided_by")


def pending_transfer(beneficiary: Beneficiary) -> Transfer | None:
    return case_transfers(beneficiary).filter(status=TransferStatus.PENDING).first()


def transfer_list(*, user: User) -> QuerySet[Transfer]:
    return Transfer.objects.visible_to(user).select_related(
        "beneficiary", "from_centre", "to_centre", "requested_by", "decided_by"
    )


def transfer_get_for_user(user: User, pk: int) -> Transfer:
    return get_object_or_404(transfer_list(user=user), pk=pk)


def document_get_for_user(user: User, beneficiary_pk: int, pk: int) -> Document:
    beneficiary = beneficiary_get_for_user(user, beneficiary_pk)
    return get_object_or_404(beneficiary.documents.all(), pk=pk)


def case_views(beneficiary: Beneficiary) -> QuerySet[CaseView]:
    return beneficiary.views.select_related("user", "document")


def recent_case_exports(limit: int = 8) -> list[CaseExport]:
    """The administrator's home: the latest exports of case files, who made them and with what filters."""
    return list(CaseExport.objects.select_related("user")[:limit])


def case_history(beneficiary: Beneficiary, *, user: User, limit: int = 100) -> list[dict]:
    """Every change to the case file: who, when, and each field's value before and after.

    A CIN is shown as this user may see it (masked for HQ officers), before and after alike."""
    records = list(
        beneficiary.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    fields = {f.name: f for f in Beneficiary._meta.get_fields() if hasattr(f, "verbose_name")}
    changes = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(changes) == limit:
            break
        entry = {"record": newer, "changes": []}
        if older is not None:
            delta = newer.diff_against(older)
            for change in delta.changes:
                field = fields.get(change.field)
                entry["changes"].append(
                    {
                        "field": field.verbose_name if field else change.field,
                        "old": _display(field, _as_seen(change.field, change.old, user)),
                        "new": _display(field, _as_seen(change.field, change.new, user)),
                    }
                )
        changes.append(entry)
    return changes


def _as_seen(name: str, value, user: User):
    return mask_cin(value) if name == "cin" and value and not user.sees_full_cin else value


def _display(field, value) -> str:
    if value in (None, ""):
        return "—"
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


# --- Duplicate detection ---------------------------------------------------


@dataclass(frozen=True)
class DuplicateCandidate:
    """A case file that may be the same person. ``visible`` says whether the user may open it;
    if not, only its centre is shown."""

    beneficiary: Beneficiary
    reason: str  # "cin" or "name"
    score: float
    visible: bool


def find_duplicates(
    *,
    user: User,
    cin: str,
    birth_date: datetime.date | None,
    names_: tuple[str, str, str, str],
    exclude_pk: int | None = None,
) -> list[DuplicateCandidate]:
    """Same CIN anywhere in the country, or a close name with the same date of birth.

    Deliberately not scoped: a person registered in another centre must be found;
    what the user may see of that case is decided by ``visible``.
    """
    visible_ids = set()
    found: dict[int, DuplicateCandidate] = {}
    base = Beneficiary.objects.select_related("centre").exclude(anonymised_at__isnull=False)
    if exclude_pk:
        base = base.exclude(pk=exclude_pk)
    matches: list[tuple[Beneficiary, str, float]] = []
    if cin:
        matches += [(b, "cin", 100.0) for b in base.filter(cin=cin)]
    if birth_date and any(names_):
        for other in base.filter(birth_date=birth_date):
            score = names.name_similarity(names_, other.name_tuple)
            if score >= DUPLICATE_THRESHOLD:
                matches.append((other, "name", score))
    if matches:
        visible_ids = set(
            Beneficiary.objects.visible_to(user)
            .filter(pk__in=[b.pk for b, _, _ in matches])
            .values_list("pk", flat=True)
        )
    for beneficiary, reason, score in matches:
        if beneficiary.pk not in found or reason == "cin":
            found[beneficiary.pk] = DuplicateCandidate(beneficiary, reason, score, beneficiary.pk in visible_ids)
    return sorted(found.values(), key=lambda c: (c.reason != "cin", -c.score))


# --- Possible duplicates flagged -------------------------------------------------


@dataclass(frozen=True)
class FlaggedFile:
    """An earlier case file named by a flag, and whether this user may open it."""

    beneficiary: Beneficiary
    visible: bool


@dataclass(frozen=True)
class FlagDetail:
    flag: DuplicateFlag
    candidates: list[FlaggedFile]
    same_as: FlaggedFile | None


def duplicate_flag_detail(case: Beneficiary, user: User) -> FlagDetail | None:
    """The case's possible-duplicate flag as this user may see it (two queries), or None.

    Like the registration warning, a file of a centre the user does not serve is named by its
    centre only, never by its number or the person's name. Read once per case and user: the
    case page and its timeline both show it.
    """
    memo = case.__dict__.setdefault("_flag_details", {})
    if user.pk not in memo:
        memo[user.pk] = _duplicate_flag_detail(case, user)
    return memo[user.pk]


def _duplicate_flag_detail(case: Beneficiary, user: User) -> FlagDetail | None:
    flag = (
        DuplicateFlag.objects.filter(beneficiary=case)
        .select_related("recorded_by", "decided_by")
        .prefetch_related(Prefetch("candidates", queryset=Beneficiary.objects.select_related("centre")))
        .first()
    )
    if flag is None:
        return None
    files = list(flag.candidates.all())  # "same as" is always one of them
    visible = set(
        Beneficiary.objects.visible_to(user).filter(pk__in=[b.pk for b in files]).values_list("pk", flat=True)
    )
    candidates = [FlaggedFile(b, b.pk in visible) for b in files]
    same_as = next((c for c in candidates if c.beneficiary.pk == flag.same_as_id), None)
    return FlagDetail(flag, candidates, same_as)


def duplicate_flags_waiting() -> QuerySet[DuplicateFlag]:
    """HQ's list: the possible duplicates waiting for a decision, oldest first."""
    return (
        DuplicateFlag.objects.filter(decision=DuplicateDecision.PENDING)
        .select_related("beneficiary__centre", "recorded_by")
        .prefetch_related(Prefetch("candidates", queryset=Beneficiary.objects.select_related("centre")))
        .order_by("recorded_at", "pk")
    )
