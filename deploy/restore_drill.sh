#!/usr/bin/env bash
# The restore drill: back up, wipe, restore, and prove that nothing was lost. CI runs it on the
# demo data; run it on a copy of production now and then (docs/deploy.md, "Backups").
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/drill_demo PRIVATE_MEDIA_ROOT=/tmp/drill-files \
#   DEBUG=1 bash deploy/restore_drill.sh
#
# 1. a throwaway age key pair, in a temporary folder deleted at the end;
# 2. uploaded files, if there are none yet (the demo has none): a receipt, a scan and a photo
#    filed through the application's services (deploy/restore_drill_files.py);
# 3. the inventory before: every table's row count, the sequences, every file's checksum;
# 4. backup.sh, with the public key only; checks that what it wrote is encrypted;
# 5. the WIPE: the database is dropped and created anew, the files deleted; checks both are empty;
# 6. restore.sh, with the private key (it compares with the backup's own inventory);
# 7. the inventory after, compared with the one before: exits 1 on any difference.
#
# It DROPS the database: it refuses one whose name does not begin with drill_ or test, or end
# with _drill, unless RESTORE_DRILL_DATABASE repeats the name. PYTHON overrides the virtualenv's Python.
set -euo pipefail

# shellcheck source=deploy/backup_common.sh
. "$(dirname "${BASH_SOURCE[0]}")/backup_common.sh"

require_env DATABASE_URL PRIVATE_MEDIA_ROOT
require_commands age age-keygen pg_dump pg_restore psql tar sha256sum
export_pg_env
case "$PGDATABASE" in
    drill_* | *_drill | test | test_*) ;;
    *)
        [[ "${RESTORE_DRILL_DATABASE:-}" == "$PGDATABASE" ]] ||
            die "the drill drops the database $PGDATABASE: name it drill_..., or set RESTORE_DRILL_DATABASE=$PGDATABASE"
        ;;
esac
media="$PRIVATE_MEDIA_ROOT" # absolute (backup_common.sh)
# The drill deletes every file there: never a system folder, nor the application's own var/.
case "$media" in
    / | /etc | /etc/* | /usr | /usr/* | /home | /srv | "$APP_DIR" | "$APP_DIR"/*)
        die "PRIVATE_MEDIA_ROOT=$media: the drill deletes its files, give it a folder of its own"
        ;;
esac
started=$SECONDS
# Each step's seconds, for the summary.
declare -A took
step() {
    step_name=$1
    step_started=$SECONDS
    say "== $step_name"
}
done_step() { took[$step_name]=$((SECONDS - step_started)); }

scratch="$(mktemp -d "${TMPDIR:-/tmp}/restore-drill.XXXXXX")"
trap 'rm -rf -- "$scratch"' EXIT
umask 077

step "a throwaway key pair"
age-keygen --output "$scratch/identity.key" 2>/dev/null
age-keygen -y "$scratch/identity.key" >"$scratch/recipients.txt"
done_step

step "uploaded files"
mkdir -p "$media"
if [[ -z "$(find "$media" -type f -print -quit)" ]]; then
    RESTORE_DRILL=1 manage shell --verbosity 0 <"$DEPLOY_DIR/restore_drill_files.py" ||
        die "could not file the drill's documents through the application"
fi
done_step

step "inventory before"
manage inventory --output "$scratch/before.json"
read -r tables rows files bytes referenced unfound < <("$PYTHON" -c 'import json, sys
inventory = json.load(open(sys.argv[1]))
t, references = inventory["totals"], inventory["references"].values()
print(t["tables"], t["rows"], t["files"], t["bytes"], sum(r["rows"] for r in references), sum(r["missing"] for r in references))' \
    "$scratch/before.json")
((tables > 0 && rows > 0)) || die "the database is empty: migrate and seed_demo first"
((files > 0)) || die "no uploaded file to compare: the drill would prove nothing about them"
say "$tables tables, $rows rows, $files files ($bytes bytes); $referenced rows name a file"
if ((unfound > 0)); then
    # Lost before the backup: not the backup's doing, but the restore cannot bring them back.
    say "warning: $unfound of those files were already missing before the backup"
fi
done_step

step "backup"
BACKUP_DIR="$scratch/backups" BACKUP_AGE_RECIPIENTS="$scratch/recipients.txt" BACKUP_KEEP_DAYS="" \
    bash "$DEPLOY_DIR/backup.sh" || die "backup.sh failed"
backups=("$scratch"/backups/*Z)
if ((${#backups[@]} != 1)) || [[ ! -d "${backups[0]}" ]]; then
    die "backup.sh did not leave exactly one backup folder"
fi
backup="${backups[0]}"
for file in database.dump.age files.tar.age inventory.json.age; do
    is_age_file "$backup/$file" || die "$file is not encrypted"
done
# Not one stored file name of the inventory may be readable in the backup.
encrypted=("$backup"/*.age)
if "$PYTHON" -c 'import json, sys; [print(f["path"]) for f in json.load(open(sys.argv[1]))["files"]]' \
    "$scratch/before.json" | grep -a -F -q --file=- -- "${encrypted[@]}"; then
    die "a stored file name is readable in the backup: it is not encrypted"
fi
backup_bytes="$(du -sb "$backup" | cut -f1)"
done_step

step "wipe"
database="$PGDATABASE"
may_create="$(psql -X -A -t -w -c "SELECT rolsuper OR rolcreatedb FROM pg_roles WHERE rolname = current_user")"
if [[ "$may_create" == t ]]; then
    # As on a new server: the database itself goes. From the maintenance database; FORCE ends
    # any session still connected to the drill's.
    PGDATABASE=postgres psql -X -q -w -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" -c "CREATE DATABASE \"$database\"" ||
        die "could not drop and create $database"
else
    # A user who may not create databases (the application's, usually) owns the public schema:
    # everything in it goes, the pg_trgm extension too.
    psql -X -q -w -v ON_ERROR_STOP=1 -c "DROP SCHEMA public CASCADE" -c "CREATE SCHEMA public" ||
        die "could not empty $database (DROP SCHEMA public CASCADE)"
fi
find "$media" -mindepth 1 -delete
left="$(psql -X -A -t -w -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')")"
[[ "$left" == 0 ]] || die "the wipe left $left tables or sequences"
[[ -z "$(find "$media" -mindepth 1 -print -quit)" ]] || die "the wipe left files in $media"
manage inventory --output "$scratch/wiped.json"
read -r wiped_tables wiped_files < <("$PYTHON" -c 'import json, sys
t = json.load(open(sys.argv[1]))["totals"]
print(t["tables"], t["files"])' "$scratch/wiped.json")
[[ "$wiped_tables $wiped_files" == "0 0" ]] || die "after the wipe the inventory still finds $wiped_tables tables, $wiped_files files"
say "wiped: no table, no sequence, no file left"
done_step

step "restore"
BACKUP_AGE_IDENTITY="$scratch/identity.key" bash "$DEPLOY_DIR/restore.sh" --yes "$backup" || die "restore.sh failed"
done_step

step "inventory after, compared with before"
manage inventory --compare "$scratch/before.json" ||
    die "the restored data differs from the data before the backup (above): the backup loses something"
done_step

cat <<SUMMARY
Restore drill passed in $((SECONDS - started)) s: nothing lost.
  compared:  $tables tables, $rows rows, $files files ($bytes bytes): every row count and checksum identical
             $referenced rows naming a file, each file there ($unfound missing before the backup)
  backup:    $backup_bytes bytes encrypted (database, files, inventory)
  seconds:   files ${took["uploaded files"]}, backup ${took[backup]}, wipe ${took[wipe]}, restore ${took[restore]}, compare ${took["inventory after, compared with before"]}
SUMMARY
