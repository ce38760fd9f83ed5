"""Writes on the organisation: accounts and centres, and the update helper every app's services use."""

from __future__ import annotations

from collections.abc import Collection
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from reintegration.models import Centre, User

M = TypeVar("M", bound=models.Model)


def model_update(
    instance: M, *, data: dict, fields: Collection[str], by: User | None = None, clean_exclude: Collection[str] = ()
) -> tuple[M, bool]:
    """Set ``data`` on a saved ``instance`` and save only the fields that changed (``update_fields``).

    ``fields`` are the names this service may change: any other key in ``data`` is a mistake in
    the caller (a misspelt or forbidden field) and raises ``ValueError`` before anything is set.
    The whole instance is validated (``full_clean``, cross-field rules included) before saving;
    ``by`` is recorded as the change's author in the history. "Changed" is judged against the
    row as stored — a ModelForm has already set its values on the instance it was given — and
    includes what ``clean()`` derives. Returns the instance and whether anything changed;
    nothing is written when nothing did.
    """
    unknown = set(data) - set(fields)
    if unknown:
        raise ValueError(f"{type(instance).__name__}: not an updatable field: {', '.join(sorted(unknown))}")
    concrete = {field.name: field for field in instance._meta.concrete_fields}
    if not_fields := set(fields) - set(concrete):
        raise ValueError(f"{type(instance).__name__} has no such field: {', '.join(sorted(not_fields))}")
    for name, value in data.items():
        setattr(instance, name, value)
    attnames = {name: field.attname for name, field in concrete.items() if not field.primary_key}
    before_clean = {name: getattr(instance, attname) for name, attname in attnames.items()}
    instance.full_clean(exclude=list(clean_exclude))
    derived = {name for name, attname in attnames.items() if getattr(instance, attname) != before_clean[name]}
    # Only these may be written: a stale value elsewhere on the instance never overwrites the row.
    candidates = {name: attnames[name] for name in {*fields, *derived}}
    stored = type(instance)._base_manager.filter(pk=instance.pk).values(*candidates.values()).get()
    changed = [name for name, attname in candidates.items() if getattr(instance, attname) != stored[attname]]
    if not changed:
        return instance, False
    if by is not None:
        instance._history_user = by
    automatic = [name for name, field in concrete.items() if getattr(field, "auto_now", False)]
    instance.save(update_fields={*changed, *automatic})
    return instance, True


@transaction.atomic
def user_create(*, by: User, password: str | None, **fields) -> User:
    user = User(**fields)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


USER_FIELDS = ("username", "email", "first_name", "last_name", "role", "centre", "language", "is_active")


@transaction.atomic
def user_update(*, user: User, by: User, **fields) -> User:
    if not by.is_administrator:
        raise PermissionDenied
    model_update(user, data=fields, fields=USER_FIELDS, clean_exclude=["password"])
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    user.language = language
    user.save(update_fields=["language"])
    return user


@transaction.atomic
def centre_save(*, centre: Centre, provinces, by: User) -> Centre:
    centre.full_clean()
    centre.save()
    centre.provinces.set(provinces)
    return centre


@transaction.atomic
def user_set_password(*, user: User, password: str, by: User) -> User:
    """An administrator sets a new password (the person should change it at the next sign-in)."""
    if not by.is_administrator:
        raise PermissionDenied
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
