#!/usr/bin/env bash
# The backup: the database, the uploaded files and their inventory, encrypted with age.
#
#   DATABASE_URL=postgres://... PRIVATE_MEDIA_ROOT=/srv/... BACKUP_DIR=/var/backups/reintegration \
#   BACKUP_AGE_RECIPIENTS=/etc/reintegration-backup.recipients bash deploy/backup.sh
#
# Writes BACKUP_DIR/<UTC timestamp>/:
#   database.dump.age   pg_dump -Fc, encrypted
#   files.tar.age       the files under PRIVATE_MEDIA_ROOT, encrypted
#   inventory.json.age  the row count of every table and the checksum of every file, encrypted
#                       (manage.py inventory: stored file names only, still kept encrypted)
#   backup-info.txt     when, which pg_dump, which application revision: nothing about anyone
#   SHA256SUMS          of the four files above, to check a copy before decrypting it
#
# Nothing is written in the clear: each stream goes from its source through `age` to the disk.
# The server holds the public keys only (BACKUP_AGE_RECIPIENTS, one `age1...` key a line): a
# stolen server, or a stolen backup disk, cannot read any backup. The private key lives offline
# (docs/deploy.md, "Backups").
#
# BACKUP_KEEP_DAYS=N (optional) then deletes the backups made more than N days ago; the newest is
# always kept. ENV_FILE=/etc/reintegration.env loads the settings from that file first.
set -euo pipefail

# shellcheck source=deploy/backup_common.sh
. "$(dirname "${BASH_SOURCE[0]}")/backup_common.sh"

require_env DATABASE_URL PRIVATE_MEDIA_ROOT BACKUP_DIR BACKUP_AGE_RECIPIENTS
require_commands age pg_dump psql tar sha256sum
[[ -r "$BACKUP_AGE_RECIPIENTS" ]] || die "BACKUP_AGE_RECIPIENTS=$BACKUP_AGE_RECIPIENTS cannot be read"
if grep -q 'AGE-SECRET-KEY' "$BACKUP_AGE_RECIPIENTS"; then
    die "$BACKUP_AGE_RECIPIENTS holds a PRIVATE key: keep it offline, give the server its public key (age-keygen -y)"
fi
grep -q '^age1' "$BACKUP_AGE_RECIPIENTS" || die "$BACKUP_AGE_RECIPIENTS holds no age public key (age1...)"
files_root="$PRIVATE_MEDIA_ROOT"
if [[ "${MEDIA_STORAGE:-filesystem}" == s3 ]]; then
    # The documents are in the bucket (its versioning and replication protect them): the database
    # is backed up, with whatever files there are in PRIVATE_MEDIA_ROOT (usually none).
    say "MEDIA_STORAGE=s3: the uploaded documents are in the bucket, not in this backup"
    [[ -d "$files_root" ]] || files_root=/ # no folder, so no file listed: tar reads nothing there
elif [[ ! -d "$files_root" ]]; then
    # A mistyped folder would otherwise make a "successful" backup without a single file.
    die "PRIVATE_MEDIA_ROOT=$PRIVATE_MEDIA_ROOT is not a folder"
fi
if [[ -n "${BACKUP_KEEP_DAYS:-}" && ! "$BACKUP_KEEP_DAYS" =~ ^[1-9][0-9]*$ ]]; then
    die "BACKUP_KEEP_DAYS must be a number of days (1 or more), not '$BACKUP_KEEP_DAYS'"
fi
export_pg_env

umask 077 # the backups are readable by their owner only (encrypted, but still)
started=$SECONDS
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
final="$BACKUP_DIR/$stamp"
# Made under another name and renamed when complete: a folder named like a backup is a whole one.
work="$BACKUP_DIR/.$stamp.partial"
mkdir -p "$BACKUP_DIR"
[[ ! -e "$final" ]] || die "$final already exists"
mkdir "$work"

holder_pid=""
finish() {
    local status=$?
    if [[ -n "$holder_pid" ]]; then
        kill "$holder_pid" 2>/dev/null || true
    fi
    if [[ -d "$work" ]]; then
        rm -rf -- "$work"
        ((status != 0)) || status=1
        say "FAILED: nothing kept (the partial backup was removed)"
    fi
    exit "$status"
}
trap finish EXIT

say "backing up $(database_label) and $PRIVATE_MEDIA_ROOT into $final"

# One snapshot for the dump and the inventory: a session exports it and holds it open while
# both read in it, so the inventory counts exactly the rows in the dump even while people work.
coproc HOLDER { psql -X -q -A -t -w -v ON_ERROR_STOP=1; }
# shellcheck disable=SC2153 # HOLDER_PID is set by coproc
holder_pid=$HOLDER_PID
holder_in=${HOLDER[1]}
echo "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT pg_export_snapshot();" >&"$holder_in"
snapshot=""
read -r -t 60 snapshot <&"${HOLDER[0]}" || true
[[ "$snapshot" =~ ^[0-9A-F-]+$ ]] || die "could not open a snapshot in $(database_label)"

# The inventory, kept in memory: it goes to the disk encrypted only. Its file list is also the
# list of files archived, so that the two agree whatever is uploaded meanwhile.
inventory="$(manage inventory --snapshot "$snapshot")" || die "manage.py inventory failed"

pg_dump --format=custom --snapshot="$snapshot" --no-password |
    age --encrypt --recipients-file "$BACKUP_AGE_RECIPIENTS" --output "$work/database.dump.age" ||
    die "pg_dump | age failed"

# Both have read in the snapshot: let it go.
echo "COMMIT;" >&"$holder_in"
exec {holder_in}>&-
wait "$holder_pid" || die "the snapshot's session ended with an error"
holder_pid=""

# --verbatim-files-from: a listed name beginning with '-' is a file, not an option.
printf '%s' "$inventory" | inventory_paths |
    tar --create --file=- --directory="$files_root" --null --verbatim-files-from --files-from=- |
    age --encrypt --recipients-file "$BACKUP_AGE_RECIPIENTS" --output "$work/files.tar.age" ||
    die "tar | age of $PRIVATE_MEDIA_ROOT failed"

printf '%s\n' "$inventory" |
    age --encrypt --recipients-file "$BACKUP_AGE_RECIPIENTS" --output "$work/inventory.json.age" ||
    die "age of the inventory failed"

revision="$(git -C "$APP_DIR" rev-parse HEAD 2>/dev/null || echo unknown)"
{
    echo "created: $stamp"
    echo "pg_dump: $(pg_dump --version)"
    echo "server: $(psql -X -A -t -w -c 'SHOW server_version')"
    echo "application revision: $revision"
    echo "restore: BACKUP_AGE_IDENTITY=<private key> deploy/restore.sh <this folder> (docs/deploy.md)"
} >"$work/backup-info.txt"

for file in database.dump.age files.tar.age inventory.json.age; do
    is_age_file "$work/$file" || die "$file is not an age file: refusing to keep it"
done
(cd "$work" && sha256sum -- database.dump.age files.tar.age inventory.json.age backup-info.txt >SHA256SUMS)

mv -- "$work" "$final"
totals="$(printf '%s' "$inventory" | inventory_totals)"
say "done in $((SECONDS - started)) s: $final ($(du -sh "$final" | cut -f1)): $totals"

# Retention: the folders' names are their UTC times, so comparing names compares dates.
if [[ -n "${BACKUP_KEEP_DAYS:-}" ]]; then
    cutoff="$(date -u -d "-$BACKUP_KEEP_DAYS days" +%Y%m%dT%H%M%SZ)"
    for folder in "$BACKUP_DIR"/[0-9][0-9][0-9][0-9][0-1][0-9][0-3][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z; do
        [[ -d "$folder" ]] || continue
        name="$(basename "$folder")"
        if [[ "$name" < "$cutoff" && "$name" != "$stamp" ]]; then
            rm -rf -- "$folder"
            say "retention: deleted $name (older than $BACKUP_KEEP_DAYS days)"
        fi
    done
    # A run killed outright (power cut, SIGKILL) may have left a partial folder behind.
    find "$BACKUP_DIR" -maxdepth 1 -name '.*.partial' -type d -mtime +1 -exec rm -rf -- {} + || true
fi
