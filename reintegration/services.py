"""Writes on the organisation: accounts and centres. Views and commands call these."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from reintegration.models import Centre, User


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


@transaction.atomic
def user_update(*, user: User, by: User, **fields) -> User:
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save()
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
