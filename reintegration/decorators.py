from collections.abc import Callable
from functools import wraps
from operator import attrgetter

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def role_required(allowed: Callable) -> Callable:
    """Sign-in required, then a 403 unless ``allowed(user)`` — for pages a whole role may not open."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


administrators_only = role_required(attrgetter("is_administrator"))
hq_only = role_required(attrgetter("is_hq"))
case_workers_only = role_required(attrgetter("sees_case_files"))
