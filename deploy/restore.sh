#!/usr/bin/env bash
# Restore a backup made by backup.sh, then prove it whole against the inventory made with it.
#
#   BACKUP_AGE_IDENTITY=/media/usb/reintegration-backup.key \
#   DATABASE_URL=postgres://... PRIVATE_MEDIA_ROOT=/srv/... bash deploy/restore.sh [--yes] BACKUP_FOLDER
#
# 1. checks SHA256SUMS (a copy damaged on its way is caught before anything is touched);
# 2. decrypts with the private key (BACKUP_AGE_IDENTITY) straight into pg_restore and tar: the
#    data is never on the disk in the clear except where the application keeps it;
# 3. restores the database into DATABASE_URL in one transaction (pg_restore --clean --if-exists:
#    an empty database or one to be replaced; on any error nothing is changed);
# 4. restores the files into PRIVATE_MEDIA_ROOT, which must be empty or missing (move the old
#    files aside yourself: this script never deletes uploaded documents);
# 5. runs `manage.py inventory --compare` against the backed-up inventory: exits 1 if any table's
#    row count, any sequence or any file differs.
#
# Stop the application and its workers first. Run it as the application's user (the files then
# belong to it). Replaces the database's contents: asks to confirm unless --yes is given.
set -euo pipefail

# shellcheck source=deploy/backup_common.sh
. "$(dirname "${BASH_SOURCE[0]}")/backup_common.sh"

usage() { die "usage: $SCRIPT_NAME [--yes] BACKUP_FOLDER"; }
confirmed=""
folder=""
for argument in "$@"; do
    case "$argument" in
        --yes) confirmed=yes ;;
        -*) usage ;;
        *) [[ -z "$folder" ]] || usage; folder="$argument" ;;
    esac
done
[[ -n "$folder" ]] || usage
[[ -d "$folder" ]] || die "$folder is not a folder"
folder="$(cd "$folder" && pwd)"

require_env DATABASE_URL PRIVATE_MEDIA_ROOT BACKUP_AGE_IDENTITY
require_commands age pg_restore psql tar sha256sum
[[ -r "$BACKUP_AGE_IDENTITY" ]] || die "BACKUP_AGE_IDENTITY=$BACKUP_AGE_IDENTITY cannot be read"
export_pg_env
started=$SECONDS

# 1. The backup is whole: every file listed, every checksum right.
[[ -r "$folder/SHA256SUMS" ]] || die "$folder has no SHA256SUMS: not a backup made by backup.sh"
for file in database.dump.age files.tar.age inventory.json.age; do
    grep -q "  $file\$" "$folder/SHA256SUMS" || die "SHA256SUMS does not list $file"
done
(cd "$folder" && sha256sum --check --strict --quiet SHA256SUMS) || die "checksums differ: $folder is damaged"
say "checksums verified: $folder"

# The files go into an empty folder only: what is there would not be in the inventory.
if [[ -d "$PRIVATE_MEDIA_ROOT" && -n "$(find "$PRIVATE_MEDIA_ROOT" -mindepth 1 -print -quit)" ]]; then
    die "PRIVATE_MEDIA_ROOT=$PRIVATE_MEDIA_ROOT is not empty: move its contents aside first"
fi

# 2. The key is the right one: decrypting the small inventory tells before the database is touched.
expected="$(age --decrypt --identity "$BACKUP_AGE_IDENTITY" "$folder/inventory.json.age")" ||
    die "cannot decrypt the inventory with $BACKUP_AGE_IDENTITY: not the key this backup was made for?"

if [[ -z "$confirmed" ]]; then
    [[ -t 0 ]] || die "this replaces the contents of $(database_label): run with --yes"
    read -r -p "Replace the contents of $(database_label) with $folder? Type the database's name: " answer
    [[ "$answer" == "$PGDATABASE" ]] || die "not confirmed: nothing was changed"
fi

# 3. The database, in a single transaction: all of it or nothing. --no-owner: the objects belong to
# the user restoring (the application's), whichever user owned them where the dump was made.
# Over an existing database, --clean drops what the dump recreates first. Into an empty one there
# is nothing to drop, and not trying matters: a pg_trgm extension a superuser created beforehand
# (docs/deploy.md) may not be dropped by the application's user.
relations="$(psql -X -A -t -w -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'S', 'v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg_toast%' AND NOT EXISTS (SELECT 1 FROM pg_depend d
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')")" ||
    die "cannot connect to $(database_label)"
clean=(--clean --if-exists)
if [[ "$relations" == 0 ]]; then
    clean=()
    say "restoring the database into $(database_label) (empty)"
else
    say "restoring the database into $(database_label) (replacing its $relations tables, sequences and views)"
fi
# What to restore: all the dump but its extensions' comments. Only an extension's owner may set
# its comment, and CREATE EXTENSION has just set the same one (pg_trgm's, made beforehand by a
# superuser, is not the application's). The list names objects only; the rest of the stream is
# read to its end, so that age finishes cleanly.
scratch="$(mktemp -d)"
trap 'rm -rf -- "$scratch"' EXIT
age --decrypt --identity "$BACKUP_AGE_IDENTITY" "$folder/database.dump.age" |
    { pg_restore --list && cat >/dev/null; } >"$scratch/contents.list" ||
    die "cannot read the dump's table of contents"
grep -v -E '^[0-9]+; [0-9]+ [0-9]+ COMMENT - EXTENSION ' "$scratch/contents.list" >"$scratch/restore.list"
# shellcheck disable=SC2086 # PG_RESTORE_OPTIONS: extra options, split on purpose
age --decrypt --identity "$BACKUP_AGE_IDENTITY" "$folder/database.dump.age" |
    pg_restore "${clean[@]}" --use-list="$scratch/restore.list" --no-owner --single-transaction --exit-on-error \
        --no-password ${PG_RESTORE_OPTIONS:-} --dbname="$PGDATABASE" ||
    die "pg_restore failed: the database was left as it was (single transaction)"

# 4. The files.
say "restoring the files into $PRIVATE_MEDIA_ROOT"
mkdir -p "$PRIVATE_MEDIA_ROOT"
age --decrypt --identity "$BACKUP_AGE_IDENTITY" "$folder/files.tar.age" |
    tar --extract --file=- --directory="$PRIVATE_MEDIA_ROOT" ||
    die "restoring the files failed (the database is restored): empty $PRIVATE_MEDIA_ROOT and run this again"

# 5. Everything is back, or this says what is not.
say "comparing with the backup's inventory"
printf '%s\n' "$expected" | manage inventory --compare - ||
    die "the restored system differs from the backup's inventory (above)"
say "restored and verified in $((SECONDS - started)) s"
