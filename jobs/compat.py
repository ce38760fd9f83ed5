"""Django's task API: built into Django 6 (``django.tasks``), the django-tasks backport before."""

try:
    from django.tasks import task, task_backends  # type: ignore[import-not-found]
except ImportError:  # Django 5.2
    from django_tasks import task, task_backends

__all__ = ["task", "task_backends"]
