"""Production settings refuse to start without their secrets and pass ``check --deploy``."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


# Settings a test gives itself when it wants them, never inherited from the shell running the tests.
OWN = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "REDIS_URL",
    "MEDIA_STORAGE",
    "DATABASE_REPLICA_URL",
}


def _manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in OWN}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "reintegration.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_refuses_to_start_in_production_without_a_secret_key():
    result = _manage("check", DEBUG="0", ALLOWED_HOSTS="reintegration.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_to_start_in_production_without_allowed_hosts():
    result = _manage("check", DEBUG="0", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_it_passes_check_deploy_without_a_warning():
    secret = "k3y-" + "".join(chr(33 + (i * 7) % 90) for i in range(60))
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", DEBUG="0", SECRET_KEY=secret, ALLOWED_HOSTS="r.example.org"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_static_files_collect_for_production(tmp_path):
    """The manifest storage resolves every URL inside the vendored CSS (fonts, icons)."""
    secret = "k3y-" + "".join(chr(33 + (i * 7) % 90) for i in range(60))
    result = _manage(
        "collectstatic",
        "--noinput",
        DEBUG="0",
        SECRET_KEY=secret,
        ALLOWED_HOSTS="r.example.org",
        STATIC_ROOT=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert list(tmp_path.glob("vendor/fonts/ibm-plex-sans-arabic-complete/IBMPlexSansArabic-Regular.*.woff2"))


def _printed(expression: str, **env) -> str:
    result = _manage("shell", "-c", f"from django.conf import settings; print({expression})", **env)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]


def test_several_application_servers_share_sessions_cache_and_files():
    """With REDIS_URL the sessions and the cache are in Redis; with MEDIA_STORAGE=s3 the files in a
    private bucket: nothing stays on one server's disk (docs/deploy.md, "Several servers")."""
    shared = {"REDIS_URL": "redis://127.0.0.1:6379/7", "MEDIA_STORAGE": "s3", "S3_BUCKET": "reintegration-files"}
    assert _printed("settings.SESSION_ENGINE", **shared) == "django.contrib.sessions.backends.cache"
    assert _printed("settings.CACHES['default']['BACKEND']", **shared).endswith("RedisCache")
    storage = _printed("settings.STORAGES['default']", **shared)
    assert "storages.backends.s3.S3Storage" in storage
    assert "'bucket_name': 'reintegration-files'" in storage and "'default_acl': 'private'" in storage
    # Alone, the development defaults: the database's sessions, files on this disk.
    assert _printed("settings.SESSION_ENGINE") == "django.contrib.sessions.backends.db"
    assert "FileSystemStorage" in _printed("settings.STORAGES['default']['BACKEND']")


def test_a_replica_is_a_second_database_that_mirrors_the_first_in_tests():
    url = "postgres://reader@10.0.0.20:5432/reintegration"
    assert _printed("sorted(settings.DATABASES)", DATABASE_REPLICA_URL=url) == "['default', 'replica']"
    assert _printed("settings.DATABASES['replica']['HOST']", DATABASE_REPLICA_URL=url) == "10.0.0.20"
    assert _printed("sorted(settings.DATABASES)") == "['default']"
