"""The one scoping mechanism every app reuses.

A scoped model's manager is built from a ``ScopedQuerySet`` subclass that says,
in ``_scoped``, which rows a user may see. Every read of case data goes through
``Model.objects.visible_to(user)``; a single object is fetched with
``get_for_user``, where out of scope is a 404 (we never confirm that another
centre's record exists) and visible-but-read-only is a 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404

if TYPE_CHECKING:
    from reintegration.models import User

M = TypeVar("M", bound=models.Model)


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ScopedQuerySet:
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self._scoped(user)

    def _scoped(self, user: User) -> ScopedQuerySet:  # pragma: no cover - abstract
        raise NotImplementedError(f"{type(self).__name__} must say what each role may see.")


def get_for_user(queryset: ScopedQuerySet, user: User, pk, *, write: bool = False) -> M:
    """Fetch one object through the user's scope.

    ``write=True`` also asks the object's ``writable_by(user)``: a user who may
    read but not change it gets a 403.
    """
    obj = get_object_or_404(queryset.visible_to(user), pk=pk)
    if write and not obj.writable_by(user):
        raise PermissionDenied
    return obj
