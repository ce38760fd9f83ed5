#!/usr/bin/env bash
# The production stack on this machine's loopback, checked as a load balancer, an operator and a
# day's users would check it (CI runs it from .ci/run; `make loadtest` with --step):
#
#   PostgreSQL (the machine's cluster)  ->  a streaming replica of it (pg_basebackup, port 5433)
#   Redis (cache, sessions, the job queue through RQ)
#   gunicorn with production settings (DEBUG=0) on 127.0.0.1:8601, the jobs' worker
#   nginx with TLS (deploy/nginx.conf, its ports and paths rewritten) on 127.0.0.1:8443 and :8080
#
# then: smoke checks through nginx, a job through the worker, the replica streaming, a bounded
# load test (50 users, 60 s: no error, p95 under 500 ms), the figures on /metrics, and the
# restore drill on the demo data. Exits non-zero at the first thing that fails.
#
#   deploy/production-check.sh           everything above (CI)
#   deploy/production-check.sh --step    the stack, then the step test (25 -> 200 users) instead
#   deploy/production-check.sh --serve   the stack, left running until Ctrl-C (to look at it)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MODE=${1:-ci}
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

STACK=$(mktemp -d /tmp/reintegration-stack.XXXXXX)
chmod 755 "$STACK"  # the replica's files belong to the postgres user, who must reach them
PIDS=()
DB=reintegration_production_check
APP_PORT=8601 HTTPS_PORT=8443 HTTP_PORT=8080 REPLICA_PORT=5433

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

teardown() {
  local status=$?
  if ((status != 0)); then
    for log in gunicorn worker nginx-error pgrun/replica; do
      [[ -f $STACK/$log.log ]] && { echo "--- last lines of $log.log"; tail -n 40 "$STACK/$log.log"; }
    done
  fi
  [[ -f $STACK/nginx/nginx.pid ]] && nginx -c "$STACK/nginx/nginx.conf" -p "$STACK/nginx" -s quit 2>/dev/null || true
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -d $STACK/replica ]] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$STACK/replica" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$STACK"
  exit "$status"
}
trap teardown EXIT

# Production settings, as /etc/reintegration.env would hold them (docs/deploy.md).
export DEBUG=0
SECRET_KEY=$(openssl rand -hex 32)
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1,localhost
export PUBLIC_BASE_URL=https://127.0.0.1:$HTTPS_PORT
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:$REPLICA_PORT/$DB
export REDIS_URL=redis://127.0.0.1:6379/3
export TASKS_BACKEND=rq
export TRUSTED_PROXY_COUNT=1
export PRIVATE_MEDIA_ROOT=$STACK/uploads
export STATIC_ROOT=$STACK/static
export VAR_DIR=$STACK/var
export PROMETHEUS_MULTIPROC_DIR=$STACK/metrics  # gunicorn empties it on starting
mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
export GUNICORN_BIND=127.0.0.1:$APP_PORT
export JOB_WORKER_BEAT=2
export LOG_LEVEL=WARNING  # the request lines (INFO) are checked below, not printed

step "System packages"
missing=()
command -v nginx >/dev/null || missing+=(nginx)
command -v age >/dev/null || missing+=(age)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
nginx -v

step "PostgreSQL: a database for the stack, replication allowed on loopback"
hba=$(psql -h 127.0.0.1 -U postgres -Atc "SHOW hba_file")
if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$hba"; then
  echo "host replication all 127.0.0.1/32 trust" >>"$hba"
  psql -h 127.0.0.1 -U postgres -qAtc "SELECT pg_reload_conf()" >/dev/null
fi
psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
  -c "DROP DATABASE IF EXISTS $DB WITH (FORCE);" -c "CREATE DATABASE $DB;"

step "The streaming replica (pg_basebackup, port $REPLICA_PORT)"
mkdir -p "$STACK/replica" "$STACK/pgrun"
chown postgres:postgres "$STACK/replica" "$STACK/pgrun"
chmod 700 "$STACK/replica"
runuser -u postgres -- "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p 5432 -U postgres -D "$STACK/replica" -R -X stream -c fast
# Debian keeps a cluster's configuration in /etc: the copy gets its own, small one.
cat >"$STACK/replica/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $REPLICA_PORT
unix_socket_directories = '$STACK/pgrun'
hot_standby = on
max_connections = 100
EOF
cp "$hba" "$STACK/replica/pg_hba.conf"
cp "$(dirname "$hba")/pg_ident.conf" "$STACK/replica/pg_ident.conf"
chown postgres:postgres "$STACK"/replica/{postgresql,pg_hba,pg_ident}.conf
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$STACK/replica" -l "$STACK/pgrun/replica.log" -w start >/dev/null
[[ $(psql -h 127.0.0.1 -p $REPLICA_PORT -U postgres -Atc "SELECT pg_is_in_recovery()") == t ]] ||
  fail "the replica is not in recovery"

step "The application: migrations, catalogues, static files, the demo, the load test's accounts"
redis-cli -n 3 FLUSHDB >/dev/null
"$PYTHON" manage.py check --deploy --fail-level WARNING
"$PYTHON" manage.py migrate --noinput -v0
"$PYTHON" manage.py compiletranslations -v0
"$PYTHON" manage.py collectstatic --noinput -v0
"$PYTHON" manage.py seed_demo
"$PYTHON" manage.py loadtest_prepare --test-site --output "$STACK/loadtest-accounts.json"

step "Replica streaming: what was just written on the primary is on the replica"
state=$(psql -h 127.0.0.1 -U postgres -Atc "SELECT state FROM pg_stat_replication LIMIT 1")
[[ $state == streaming ]] || fail "pg_stat_replication says '$state', not streaming"
count_sql="SELECT count(*) FROM beneficiaries_beneficiary"
primary_rows=$(psql -h 127.0.0.1 -U postgres -d $DB -Atc "$count_sql")
for _ in $(seq 1 30); do
  replica_rows=$(psql -h 127.0.0.1 -p $REPLICA_PORT -U postgres -d $DB -Atc "$count_sql")
  [[ $replica_rows == "$primary_rows" ]] && break
  sleep 1
done
[[ $replica_rows == "$primary_rows" ]] || fail "replica has $replica_rows case files, primary $primary_rows"
echo "streaming; $primary_rows case files on the primary, $replica_rows on the replica"

step "gunicorn (DEBUG=0), the jobs' worker (RQ on Redis), nginx with TLS"
"$ROOT/.venv/bin/gunicorn" --config deploy/gunicorn.conf.py >"$STACK/gunicorn.log" 2>&1 &
PIDS+=($!)
"$PYTHON" manage.py jobs_worker --no-reload >"$STACK/worker.log" 2>&1 &
PIDS+=($!)
mkdir -p "$STACK/nginx/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$STACK/nginx/tls/privkey.pem" -out "$STACK/nginx/tls/fullchain.pem" 2>/dev/null
# Every client below (curl, requests, Locust) verifies TLS against this certificate, and only it.
export CURL_CA_BUNDLE=$STACK/nginx/tls/fullchain.pem REQUESTS_CA_BUNDLE=$STACK/nginx/tls/fullchain.pem
# The site exactly as deployed, moved to loopback ports and this folder.
sed -e "s|listen 80;|listen 127.0.0.1:$HTTP_PORT;|" -e "s|listen 443 ssl http2;|listen 127.0.0.1:$HTTPS_PORT ssl http2;|" \
  -e '/listen \[::\]/d' -e "s|server_name reintegration.example.org;|server_name 127.0.0.1 localhost;|" \
  -e "s|/etc/ssl/reintegration/|$STACK/nginx/tls/|" -e "s|/var/log/nginx/|$STACK/|" \
  -e "s|server 127.0.0.1:8001|server 127.0.0.1:$APP_PORT|" deploy/nginx.conf >"$STACK/nginx/site.conf"
cat >"$STACK/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $STACK/nginx/nginx.pid;
error_log $STACK/nginx-error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    client_body_temp_path $STACK/nginx/body;
    proxy_temp_path $STACK/nginx/proxy;
    fastcgi_temp_path $STACK/nginx/fastcgi;
    uwsgi_temp_path $STACK/nginx/uwsgi;
    scgi_temp_path $STACK/nginx/scgi;
    include $STACK/nginx/site.conf;
}
EOF
nginx -t -q -c "$STACK/nginx/nginx.conf" -p "$STACK/nginx"
nginx -c "$STACK/nginx/nginx.conf" -p "$STACK/nginx"

BASE=https://127.0.0.1:$HTTPS_PORT
for _ in $(seq 1 60); do
  curl -sf -o /dev/null "$BASE/healthz" && break
  sleep 1
done

step "Smoke checks through nginx"
curl_status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
[[ $(curl_status "http://127.0.0.1:$HTTP_PORT/accounts/login/") == 301 ]] || fail "plain HTTP is not sent to HTTPS"
# /healthz: database, cache, replica and worker all ok (the worker beats every 2 s).
for _ in $(seq 1 30); do
  health=$(curl -s "$BASE/healthz")
  [[ $health == *'"status": "ok"'* ]] && break
  sleep 1
done
echo "healthz: $health"
[[ $health == *'"status": "ok"'* && $health == *'"replica"'* ]] || fail "/healthz is not ok"
headers=$(curl -s -D - -o "$STACK/login.html" "$BASE/accounts/login/")
for header in "HTTP/[0-9.]* 200" "strict-transport-security: max-age=31536000" "content-security-policy:" \
  "x-request-id: [0-9a-f]{32}" "cache-control:.*no-store|x-frame-options: DENY"; do
  grep -Eiq "^$header" <<<"$headers" || fail "the login page lacks '$header'"
done
stylesheet=$(grep -o 'href="/static/[^"]*\.css"' "$STACK/login.html" | head -1 | cut -d'"' -f2)
[[ -n $stylesheet ]] || fail "the login page links no stylesheet"
static_headers=$(curl -s -D - -o /dev/null "$BASE$stylesheet")
grep -Eiq '^cache-control:.*max-age=315360000' <<<"$static_headers" ||
  fail "$stylesheet is not served with far-future caching"
[[ $(curl_status "$BASE/metrics") == 404 ]] || fail "/metrics is reachable through nginx"
[[ $(curl_status "http://127.0.0.1:$APP_PORT/metrics") == 200 ]] || fail "/metrics refused on loopback"
# Sign in through nginx as a coordinator (CSRF, secure cookies, the session in Redis): the case list answers.
"$PYTHON" - "$BASE" "$STACK/loadtest-accounts.json" <<'EOF'
import json, re, sys, requests
base, accounts = sys.argv[1], json.load(open(sys.argv[2]))
coordinator = accounts["coordinators"][0]
session = requests.Session()
page = session.get(f"{base}/accounts/login/")
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
answer = session.post(f"{base}/accounts/login/", data={"username": coordinator["username"], "password": coordinator["password"], "csrfmiddlewaretoken": token}, headers={"Referer": f"{base}/accounts/login/"}, allow_redirects=False)
assert answer.status_code == 302, f"sign-in answered {answer.status_code}"
cases = session.get(f"{base}/cases/", allow_redirects=False)
assert cases.status_code == 200 and "/cases/" in cases.url, f"the case list answered {cases.status_code}"
print("signed in through nginx; the case list answered 200")
EOF
# Behind nginx the application sees the client's address (TRUSTED_PROXY_COUNT=1), not the proxy's:
# a request from 127.0.0.2 is logged from 127.0.0.2, though nginx reaches gunicorn from 127.0.0.1.
curl -s -o /dev/null --interface 127.0.0.2 "$BASE/accounts/login/?from=second-address"
sleep 0.5
grep -q '"path": "/accounts/login/".*"client": "127.0.0.2"' "$STACK/gunicorn.log" ||
  fail "the application did not see the client's address behind nginx"

step "A job through Redis and the worker (the national export of the demo)"
"$PYTHON" manage.py shell -c "
import time
from jobs.models import Job
from reintegration.models import User
from reports.full_export import full_export_start
job = full_export_start(by=User.objects.filter(role='admin', is_active=True).first())
for _ in range(120):
    job.refresh_from_db()
    if job.finished:
        break
    time.sleep(0.5)
assert job.status == 'succeeded', f'the job ended {job.status}: {job.error}'
print(f'job {job.pk} ({job.kind}) succeeded in {(job.finished_at - job.started_at).total_seconds():.1f} s')
"

if [[ $MODE == --serve ]]; then
  echo "The stack answers on $BASE (accounts in $STACK/loadtest-accounts.json); Ctrl-C stops it."
  echo "A load test uses up the officers' projects to approve and fund: before another, give them new ones with"
  echo "  DATABASE_URL=$DATABASE_URL $PYTHON manage.py loadtest_prepare --test-site --output $STACK/loadtest-accounts.json"
  wait "${PIDS[0]}"
fi

if [[ $MODE == --step ]]; then
  step "Step test (25 -> 200 users)"
  "$PYTHON" loadtest/step.py --host "$BASE" --accounts "$STACK/loadtest-accounts.json"
  exit 0
fi

step "Load test: 50 users for 60 s (no error, p95 under 500 ms)"
"$PYTHON" loadtest/run.py --host "$BASE" --accounts "$STACK/loadtest-accounts.json" --users 50 --seconds 60 \
  || fail "the load test (its figures and failures are above)"

step "Figures on /metrics after the load"
metrics=$(curl -s "http://127.0.0.1:$APP_PORT/metrics")
grep -E '^reintegration_(request_seconds_count\{.*view="beneficiaries:list"|replica_reads_total|jobs\{|job_workers)' \
  <<<"$metrics" | head -n 12
replica_reads=$(awk '/^reintegration_replica_reads_total/ {print int($2)}' <<<"$metrics")
((replica_reads > 0)) || fail "no query went to the replica (dashboards and exports read there)"
grep -q '"request_id"' "$STACK/gunicorn.log" || fail "no structured request line in the application's log"
if grep -Eq '"path": "[^"]*\?' "$STACK/gunicorn.log"; then fail "a query string reached the log"; fi

step "Restore drill on the demo data"
drill_db=reintegration_restore_drill
psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
  -c "DROP DATABASE IF EXISTS $drill_db WITH (FORCE);" -c "CREATE DATABASE $drill_db;"
DATABASE_URL=postgres://postgres@127.0.0.1:5432/$drill_db DATABASE_REPLICA_URL= PRIVATE_MEDIA_ROOT=$STACK/drill-uploads \
  bash -c '"$0" manage.py migrate --noinput -v0 && "$0" manage.py seed_demo >/dev/null && bash deploy/restore_drill.sh' "$PYTHON"
psql -h 127.0.0.1 -U postgres -d postgres -q -c "DROP DATABASE IF EXISTS $drill_db WITH (FORCE);"

step "Production check passed"
