"""Production settings refuse to start without their secrets and pass ``check --deploy``."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
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
