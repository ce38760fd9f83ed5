# shellcheck shell=bash
# What backup.sh, restore.sh and restore_drill.sh share. Sourced, not run.
#
# Reads the application's settings from the environment, as the application does (systemd's
# EnvironmentFile=/etc/reintegration.env). By hand, ENV_FILE=/etc/reintegration.env loads that
# file first (plain KEY=value lines).

# The scripts live in deploy/ of the application; manage.py is one level up.
DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
APP_DIR="${APP_DIR:-$(dirname "$DEPLOY_DIR")}"
PYTHON="${PYTHON:-$APP_DIR/.venv/bin/python}"
SCRIPT_NAME="$(basename "$0")"

say() { printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2; }
die() {
    printf '%s: FAILED: %s\n' "$SCRIPT_NAME" "$*" >&2
    exit 1
}

if [[ -n "${ENV_FILE:-}" ]]; then
    [[ -r "$ENV_FILE" ]] || die "ENV_FILE=$ENV_FILE cannot be read"
    set -a
    # shellcheck disable=SC1090 # the operator's file, named at run time
    . "$ENV_FILE"
    set +a
fi

# manage.py runs from the application's folder, tar and find from the caller's: one absolute path.
if [[ -n "${PRIVATE_MEDIA_ROOT:-}" ]]; then
    PRIVATE_MEDIA_ROOT="$(realpath -m -- "$PRIVATE_MEDIA_ROOT")"
    export PRIVATE_MEDIA_ROOT
fi

require_env() {
    local name
    for name in "$@"; do
        [[ -n "${!name:-}" ]] || die "$name is not set (see docs/deploy.md, \"Backups\")"
    done
}

require_commands() {
    local command
    for command in "$@"; do
        command -v "$command" >/dev/null || die "'$command' is not installed (Debian: apt-get install -y age postgresql-client)"
    done
}

# manage.py of this application, with its own Python (the virtualenv's unless PYTHON says otherwise).
manage() {
    [[ -x "$PYTHON" ]] || die "no Python at $PYTHON (set PYTHON)"
    (cd "$APP_DIR" && "$PYTHON" manage.py "$@")
}

# DATABASE_URL as libpq's PG* variables, for pg_dump, pg_restore and psql: a password given on
# their command line would show in `ps` to every user of the server; the environment does not.
export_pg_env() {
    local exports
    exports="$("$PYTHON" - <<'PYTHON'
import os
import shlex
import sys
from urllib.parse import parse_qsl, unquote, urlsplit

url = urlsplit(os.environ["DATABASE_URL"])
if url.scheme not in {"postgres", "postgresql", "pgsql", "postgis"}:
    sys.exit(f"DATABASE_URL must be a PostgreSQL URL (postgres://...), not {url.scheme or 'a path'}://")
name = unquote(url.path.lstrip("/"))
if not name:
    sys.exit("DATABASE_URL names no database")
host = url.netloc.rsplit("@", 1)[-1]
socket = host.lower().startswith("%2f")  # postgres://%2Frun%2Fpostgresql/name: a socket's folder
values = {
    "PGHOST": unquote(host) if socket else unquote(url.hostname or ""),
    "PGPORT": "" if socket else str(url.port or ""),
    "PGUSER": unquote(url.username or ""),
    "PGPASSWORD": unquote(url.password or ""),
    "PGDATABASE": name,
}
LIBPQ = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}
for key, value in parse_qsl(url.query):
    if key not in LIBPQ:
        sys.exit(f"DATABASE_URL option {key!r} is not one the backup scripts pass on to libpq")
    values[LIBPQ[key]] = value
for key, value in values.items():
    print(f"export {key}={shlex.quote(value)}" if value else f"unset {key}")
PYTHON
)" || die "cannot read DATABASE_URL"
    eval "$exports"
}

# "host/database" for messages: never the password.
database_label() { printf '%s/%s' "${PGHOST:-local socket}" "$PGDATABASE"; }

# An age file begins with this line; anything else in a backup would be data in the clear.
AGE_HEADER="age-encryption.org/v1"
is_age_file() { [[ "$(head -c ${#AGE_HEADER} "$1")" == "$AGE_HEADER" ]]; }

# The inventory's files (JSON on stdin), as NUL-separated relative paths for tar.
inventory_paths() {
    "$PYTHON" -c 'import json, sys; sys.stdout.write("".join(f["path"] + "\0" for f in json.load(sys.stdin)["files"]))'
}

# The inventory's totals (JSON on stdin), in words.
inventory_totals() {
    "$PYTHON" -c 'import json, sys
print("{tables} tables, {rows} rows, {files} files ({bytes} bytes)".format(**json.load(sys.stdin)["totals"]))'
}
