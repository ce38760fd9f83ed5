"""Budgets of sensitive actions per user, counted in Django's cache.

The cache is shared by every process when ``REDIS_URL`` is set (production); otherwise each
process counts on its own, and the budget holds per process.
"""

import time

from django.core.cache import cache


def spend(name: str, user_id: int, *, limit: int, period: int) -> bool:
    """Count one ``name`` action of this user: False when it goes over ``limit`` per ``period``
    seconds.

    A fixed window: the count starts again at every multiple of ``period`` (so across the edge
    of two windows, at most twice the limit in a short time). The increment is atomic in Redis.
    """
    key = f"throttle:{name}:{user_id}:{int(time.time() // period)}"
    cache.add(key, 0, timeout=period + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # the window's key expired between the two calls
        count = 1
        cache.set(key, count, timeout=period + 60)
    return count <= limit
