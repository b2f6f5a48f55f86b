#!/usr/bin/env bash
# bench/console.sh: server time of every route the operator console's pages call, on a
# database seeded with 100,000 charges, against the 100 ms target (docs/performance.md).
#
#   bench/console.sh                  build (Release, build-bench/), seed, measure, print
#   BENCH_SKIP_BUILD=1 BENCH_BUILD_DIR=build bench/console.sh
#                                     reuse an existing build as it is
#
# Knobs (environment, defaults in parentheses):
#   BENCH_CHARGES       charges seeded (100000), spread over the last 10 days
#   BENCH_REQUESTS      timed requests per route (50), after 5 untimed ones
#   BENCH_TARGET_MS     the target per route (100)
#   BENCH_KEEP_WORK=1   keep the work directory (configs, databases, server logs)
#   PAYHOST_BENCH_PG_URL, else PAYHOST_TEST_PG_URL, else
#   postgresql://payhost:payhost@127.0.0.1:5432/payhost_test
#                       where the PostgreSQL run creates (and drops) a scratch schema;
#                       BENCH_PG=0 skips it
#
# For each database: payhostd starts once on an empty database (its migrations create the
# schema) and stops; the charges, their refunds, history rows and events, and campus orders
# are inserted with one SQL script (sqlite3 / psql); `payhostd operator add` creates an
# admin; payhostd starts again, the script signs in and times each route with curl over one
# keep-alive connection on 127.0.0.1 ("server time": time_starttransfer, which includes
# loopback and curl, so it slightly overstates the server's own time). Then every search's
# query plan is printed and any that reads a table without an index is flagged.
# Everything listens on 127.0.0.1 only; every process started here is stopped by its PID.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${BENCH_BUILD_DIR:-$ROOT/build-bench}
[[ $BUILD == /* ]] || BUILD=$ROOT/$BUILD
BIN=$BUILD/bin
PLUGIN_DIR=$BUILD/lib/payhost/plugins
TEST_PLUGIN_DIR=$BUILD/lib/payhost/test-plugins
RESULTS=$ROOT/bench/results

CHARGES=${BENCH_CHARGES:-100000}
REQUESTS=${BENCH_REQUESTS:-50}
WARMUP=5
TARGET_MS=${BENCH_TARGET_MS:-100}
PG_URL=${PAYHOST_BENCH_PG_URL:-${PAYHOST_TEST_PG_URL:-postgresql://payhost:payhost@127.0.0.1:5432/payhost_test}}
[[ $CHARGES =~ ^[1-9][0-9]*$ && $REQUESTS =~ ^[1-9][0-9]*$ ]] || {
  echo "BENCH_CHARGES and BENCH_REQUESTS must be positive integers" >&2
  exit 2
}

WORK=$(mktemp -d /tmp/payhost-console-bench-XXXXXX)
RAW=$WORK/raw.log
PIDS=()
PG_SCHEMA=""
PASSWORD=bench-password-0123456789

BENCH_TAG=console-bench
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  if [[ -n $PG_SCHEMA ]]; then
    psql "$PG_URL" -q -c "DROP SCHEMA IF EXISTS $PG_SCHEMA CASCADE" >/dev/null 2>&1 || true
  fi
  [[ -f $RAW ]] && mkdir -p "$RESULTS" && cp "$RAW" "$RESULTS/console-latest.log"
  if [[ ${BENCH_KEEP_WORK:-0} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 124' TERM INT

for tool in curl sqlite3 awk sort; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done

if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
  log "building Release into ${BUILD#"$ROOT"/}/"
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPAYHOST_BUILD_TESTS=ON \
    >>"$RAW" 2>&1 || die "cmake failed (see $RAW)"
  targets=(payhostd testchannel_plugin campus_plugin)
  all_targets=$(ninja -C "$BUILD" -t targets all 2>/dev/null)
  grep -q "^wallet_plugin:" <<<"$all_targets" && targets+=(wallet_plugin)
  timeout 3600 ninja -C "$BUILD" "${targets[@]}" >>"$RAW" 2>&1 ||
    die "build failed: $(grep -m1 -A3 FAILED "$RAW" || tail -5 "$RAW")"
fi
[[ -x $BIN/payhostd && -f $TEST_PLUGIN_DIR/testchannel.so && -f $PLUGIN_DIR/campus.so ]] ||
  die "build incomplete: payhostd, testchannel.so and campus.so are needed in $BUILD"
HAVE_WALLET=0
[[ -f $PLUGIN_DIR/wallet.so ]] && HAVE_WALLET=1

# ---------------------------------------------------------------------------------------
# Servers (as in bench/run.sh): start_server NAME CMD... sets PORT and PID.
start_server() {
  local name=$1
  shift
  local out=$WORK/$name.log
  : >"$out"
  "$@" >"$out" 2>&1 &
  PID=$!
  PIDS+=("$PID")
  for _ in $(seq 300); do
    PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$out" | head -1)
    [[ -n $PORT ]] && return 0
    kill -0 "$PID" 2>/dev/null || die "$name exited during start-up: $(tail -3 "$out")"
    sleep 0.1
  done
  die "$name did not report its port within 30 s"
}
stop_server() {
  stop_pid "$1"
  local kept=()
  for p in "${PIDS[@]}"; do [[ $p == "$1" ]] || kept+=("$p"); done
  PIDS=("${kept[@]}")
}

# write_config FILE DATA_DIR DATABASE_URL
write_config() {
  mkdir -p "$2"
  local wallet=""
  if ((HAVE_WALLET)); then
    wallet="  wallet:
    options:
      recharge_type: [testpay]
      cash: [alipay]
      case_min_amount: 1"
  fi
  cat >"$1" <<EOF
livemode: false
app_id: app_5anXP4ezfXvL8m5e
data_dir: "$2"
plugin_dir: "$PLUGIN_DIR"
log_level: info
server:
  listen: 127.0.0.1:0
  threads: 2
database:
  url: "$3"
auth:
  jwt_secret: bench-secret-0123456789-0123456789-0123
  admin_users: ["1"]
jobs: {janitor: false}
console:
  utc_offset_minutes: 480
plugins:
  testchannel:
    path: "$TEST_PLUGIN_DIR/testchannel.so"
    channels: [testpay]
  campus:
    options:
      web_path: /campus
      catalogue:
        project: {name: 智慧校园一卡通}
        packages:
          card:
            - {id: "10000001", name: A套餐, price: 15800, months: 12}
$wallet
EOF
}

# ---------------------------------------------------------------------------------------
# The seed: one SQL script for both engines; only the row source, zero padding and dates
# differ. Charge n (1..CHARGES) was created n * 864000 / CHARGES seconds ago (10 days);
# n % 5 picks the channel, n % 10 the state (60 % succeeded, 20 % pending, 10 % failed,
# 10 % closed), every 50th (succeeded) charge has a refund, every 4th belongs to a campus
# order, users cycle through 2,000 ids.
seed_sql() { # seed_sql sqlite|postgresql NOW
  local dialect=$1 now=$2 with from
  if [[ $dialect == sqlite ]]; then
    with="WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < $CHARGES)"
    from="FROM seq"
    pad16() { echo "printf('%016d', $1)"; }
    day() { echo "date($1, 'unixepoch')"; }
  else
    with=""
    from="FROM generate_series(1::bigint, $CHARGES) AS seq(n)"
    pad16() { echo "lpad(($1)::text, 16, '0')"; }
    day() { echo "to_char(to_timestamp($1) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"; }
  fi
  local created="($now - n * 864000 / $CHARGES)"
  local state="(CASE WHEN n % 10 < 6 THEN 'succeeded' WHEN n % 10 < 8 THEN 'pending' \
WHEN n % 10 = 8 THEN 'failed' ELSE 'closed' END)"
  local channel="(CASE n % 5 WHEN 0 THEN 'testpay' WHEN 1 THEN 'alipay' WHEN 2 THEN 'wx' \
WHEN 3 THEN 'upacp' ELSE 'alipay_wap' END)"
  local plugin="(CASE n % 5 WHEN 0 THEN 'testchannel' WHEN 1 THEN 'alipay' WHEN 2 THEN 'wechat' \
WHEN 3 THEN 'unionpay' ELSE 'alipay' END)"
  local amount="(100 + n * 37 % 50000)"
  local id
  id="'ch_bench' || $(pad16 n)"
  cat <<EOF
BEGIN;
$with
INSERT INTO charges (id, order_no, app, channel, plugin, product, product_ref, user_id, amount,
  amount_refunded, currency, subject, body, client_ip, extra, metadata, credential, description,
  livemode, state, created, time_expire, time_paid, transaction_no, failure_code, failure_msg,
  payer_account, next_check_at, check_attempts, updated, reversed)
SELECT $id, 'bench' || $(pad16 n), 'app_5anXP4ezfXvL8m5e', $channel, $plugin,
  CASE WHEN n % 4 = 0 THEN 'campus' ELSE 'bench' END,
  CASE WHEN n % 4 = 0 THEN 'o' || $(pad16 n) ELSE 'b' || $(pad16 n) END,
  'u' || (n % 2000), $amount, CASE WHEN n % 50 = 0 THEN $amount / 2 ELSE 0 END, 'cny',
  'bench subject', 'bench body', '127.0.0.1', '{}', '{}', '{}', '', 0, $state, $created,
  $created + 7200, CASE WHEN n % 10 < 6 THEN $created + 30 END,
  CASE WHEN n % 10 < 6 THEN 'T' || $(pad16 n) END,
  CASE WHEN n % 10 = 8 THEN 'bench_failed' END, CASE WHEN n % 10 = 8 THEN 'declined' END,
  '', $created + 60, 0, $created, 0
$from;
$with
INSERT INTO refunds (id, order_no, charge_id, app, livemode, amount, status, description,
  metadata, funding_source, extra, transaction_no, failure_code, failure_msg, requested_by,
  created, time_succeed, next_check_at, check_attempts, updated)
SELECT 're_bench' || $(pad16 n), 'rbench' || $(pad16 n), $id, 'app_5anXP4ezfXvL8m5e', 0,
  $amount / 2, 'succeeded', 'bench refund', '{}', NULL, '{}', 'RT' || $(pad16 n), NULL, NULL,
  'console:bench', $created + 3600, $created + 3601, $created + 3600, 0, $created + 3601
$from WHERE n % 50 = 0;
$with
INSERT INTO charge_history (charge_id, at_ms, kind, outcome, detail, repeats, last_ms)
SELECT $id, ($created + 30) * 1000, CASE WHEN n % 10 < 6 THEN 'notification' ELSE 'query' END,
  CASE WHEN n % 10 < 6 THEN 'accepted' WHEN n % 10 < 8 THEN 'unpaid' ELSE 'closed' END, '',
  1, ($created + 30) * 1000
$from;
$with
INSERT INTO charge_history (charge_id, at_ms, kind, outcome, detail, repeats, last_ms)
SELECT $id, ($created + 7200) * 1000, 'close', 'closed', '', 1, ($created + 7200) * 1000
$from WHERE n % 10 = 9;
$with
INSERT INTO events (id, type, charge_id, created, payload, delivered, object_id, app, livemode)
SELECT 'evt_bench' || $(pad16 n), 'charge.succeeded', $id, $created + 30, '{}', 1, $id,
  'app_5anXP4ezfXvL8m5e', 0
$from WHERE n % 10 < 6;
$with
INSERT INTO events (id, type, charge_id, created, payload, delivered, object_id, app, livemode)
SELECT 'evt_rbench' || $(pad16 n), 'refund.succeeded', $id, $created + 3601, '{}', 1,
  're_bench' || $(pad16 n), 'app_5anXP4ezfXvL8m5e', 0
$from WHERE n % 50 = 0;
$with
INSERT INTO campus_students (user_id, emp_name, updated_at)
SELECT 'u' || n, 'student ' || n, $now $from WHERE n <= 2000;
$with
INSERT INTO campus_orders (id, user_id, pay_type, channel, amount, charge_id, status, created_at,
  paid_at, paid_date, checked_at)
SELECT 'o' || $(pad16 n), 'u' || (n % 2000), 0, $channel, $amount, $id,
  CASE WHEN n % 10 < 6 THEN 'paid' WHEN n % 10 < 8 THEN 'pending' ELSE 'closed' END, $created,
  CASE WHEN n % 10 < 6 THEN $created + 30 END,
  CASE WHEN n % 10 < 6 THEN $(day "$created + 30 + 28800") END, 0
$from WHERE n % 4 = 0;
$with
INSERT INTO campus_records (id, order_id, position, user_id, item_type, item_id, item_name,
  project_name, amount, validity_months, validity_days, mobile, from_item_id, base_end,
  start_date, end_date)
SELECT 'r' || $(pad16 n), 'o' || $(pad16 n), 0, 'u' || (n % 2000), 0, '10000001', 'A套餐',
  '智慧校园一卡通', $amount, 12, 0, '', '', '',
  CASE WHEN n % 10 < 6 THEN $(day "$created + 30 + 28800") END,
  CASE WHEN n % 10 < 6 THEN $(day "$created + 30 + 28800 + 31536000") END
$from WHERE n % 4 = 0;
COMMIT;
EOF
}

# ---------------------------------------------------------------------------------------
# Timing: N requests to one URL in one curl process (one keep-alive connection), each
# answer's time to first byte in ms; prints "median p95 statuses".
time_route() { # time_route URL [curl args...]
  local url=$1
  shift
  local args=() i
  for ((i = 0; i < WARMUP + REQUESTS; i++)); do args+=(-o /dev/null "$url"); done
  curl -s "$@" -w '%{http_code} %{time_starttransfer}\n' "${args[@]}" |
    tail -n +$((WARMUP + 1)) | awk '
      { codes[$1]++; print $2 * 1000 | "sort -n > '"$WORK"'/times" }
      END { s = ""; for (c in codes) s = s (s == "" ? "" : ",") c "x" codes[c]; print s > "'"$WORK"'/codes" }'
  awk '{ t[NR] = $1 } END {
    m = int((NR + 1) / 2); p = int(NR * 0.95 + 0.999999);
    printf "%.1f %.1f", t[m], t[p] }' "$WORK/times"
  printf ' %s\n' "$(cat "$WORK/codes")"
}

ROWS=()
NOTES=()
note() {
  NOTES+=("$1")
  log "note: $1"
}
# measure DB LABEL URL [curl args...]
measure() {
  local db=$1 label=$2 url=$3
  shift 3
  local median p95 codes verdict
  read -r median p95 codes < <(time_route "$url" "$@")
  printf '== %s %s: median %s ms, p95 %s ms, statuses %s\n' "$db" "$label" "$median" "$p95" \
    "$codes" >>"$RAW"
  if [[ $codes != "200x$REQUESTS" ]]; then
    verdict="ERROR ($codes)"
  else
    verdict=$(awk -v p="$p95" -v t="$TARGET_MS" 'BEGIN { print (p < t ? "PASS" : "FAIL") }')
  fi
  ROWS+=("| $db | $label | $median | $p95 | < $TARGET_MS | $verdict |")
  log "$db $label: median $median ms, p95 $p95 ms ($verdict)"
}

# ---------------------------------------------------------------------------------------
# Query plans: the statements the routes run (host/src/console/*.cpp, the campus plugin's
# orders.cpp), with literal values. Any plan step that reads a whole table is flagged.
plan_queries() { # plan_queries NOW: "label<TAB>sql" lines
  local now=$1 cols="id, order_no, app, channel, product, user_id, amount, amount_refunded, \
currency, subject, state, livemode, created, time_paid, transaction_no FROM charges"
  local order="ORDER BY created DESC, id DESC LIMIT 51" week=$((now - 6 * 86400))
  local mid=$((now - 5 * 86400)) ch=ch_bench0000000000000500 on=bench0000000000000500
  printf '%s\t%s\n' \
    "overview" "SELECT CAST((created - $week) / 86400 AS BIGINT) AS d, channel, state, CAST(COUNT(*) AS BIGINT), CAST(SUM(amount) AS BIGINT) FROM charges WHERE created >= $week AND created < $((now + 86400)) GROUP BY d, channel, state" \
    "charges" "SELECT $cols $order" \
    "charges by channel" "SELECT $cols WHERE channel = 'wx' $order" \
    "charges by state" "SELECT $cols WHERE state || '' = 'failed' $order" \
    "charges by state (succeeded)" "SELECT $cols WHERE state || '' = 'succeeded' $order" \
    "charges by time" "SELECT $cols WHERE created >= $mid AND created < $((mid + 86400)) $order" \
    "charges by order_no" "SELECT $cols WHERE order_no = '$on' $order" \
    "charges by transaction_no" "SELECT $cols WHERE transaction_no = 'T0000000000000500' AND transaction_no IS NOT NULL $order" \
    "charges by user" "SELECT $cols WHERE user_id = 'u500' AND user_id <> '' $order" \
    "charges, second page" "SELECT $cols WHERE created <= $mid AND (created < $mid OR id < '$ch') $order" \
    "charge: row" "SELECT * FROM charges WHERE id = '$ch'" \
    "charge: refunds" "SELECT id, amount, status FROM refunds WHERE charge_id = '$ch' ORDER BY id LIMIT 1000" \
    "charge: events" "SELECT id, type, created FROM events WHERE charge_id = '$ch' ORDER BY created, id LIMIT 1000" \
    "charge: webhooks" "SELECT d.url, a.started_ms, a.http_status, a.error FROM events e JOIN webhook_deliveries d ON d.event_id = e.id JOIN webhook_attempts a ON a.delivery_id = d.id WHERE e.charge_id = '$ch' ORDER BY a.started_ms LIMIT 1000" \
    "charge: refusals" "SELECT plugin, reason FROM notification_refusals WHERE order_no = '$on' ORDER BY created LIMIT 1000" \
    "charge: history" "SELECT at_ms, kind, outcome, detail, repeats, last_ms FROM charge_history WHERE charge_id = '$ch' ORDER BY at_ms" \
    "audit" "SELECT id, at_ms FROM console_audit WHERE (1 = 1 OR id < 'x') ORDER BY id DESC LIMIT 50" \
    "campus orders" "SELECT o.id, o.charge_id, o.user_id, s.emp_name, o.pay_type, o.channel, o.amount, o.status, o.created_at, o.paid_at FROM campus_orders o LEFT JOIN campus_students s ON s.user_id = o.user_id WHERE o.created_at >= $((now - 30 * 86400)) AND o.created_at < $((now + 86400)) ORDER BY o.created_at DESC, o.id DESC LIMIT 51 OFFSET 0" \
    "campus orders by status" "SELECT o.id FROM campus_orders o LEFT JOIN campus_students s ON s.user_id = o.user_id WHERE o.created_at >= $((now - 30 * 86400)) AND o.created_at < $((now + 86400)) AND o.status = 'paid' ORDER BY o.created_at DESC, o.id DESC LIMIT 51 OFFSET 50" \
    "campus records" "SELECT order_id, id FROM campus_records WHERE order_id IN ('o0000000000000004', 'o0000000000000008') ORDER BY order_id, position" \
    "campus CSV" "SELECT r.id FROM campus_records r JOIN campus_orders o ON o.id = r.order_id LEFT JOIN campus_students s ON s.user_id = r.user_id WHERE o.status = 'paid' AND o.paid_date >= '2000-01-01' AND o.paid_date <= '2000-01-10' ORDER BY o.paid_at, o.id, r.position"
}
PLANS=()
check_plans() { # check_plans sqlite DBFILE NOW | check_plans postgresql URL NOW
  local dialect=$1 target=$2 now=$3 label sql plan scans
  while IFS=$'\t' read -r label sql; do
    if [[ $dialect == sqlite ]]; then
      plan=$(sqlite3 "$target" "EXPLAIN QUERY PLAN $sql" 2>&1)
      # "SCAN t" without an index reads the whole table; "SCAN t USING INDEX" walks an index.
      scans=$(grep -E 'SCAN [a-z_]+( AS [a-z]+)?$|SCAN [a-z_]+ [a-z]+$' <<<"$plan" || true)
    else
      plan=$(psql "$target" -X -q -A -t -c "EXPLAIN $sql" 2>&1)
      scans=$(grep -E 'Seq Scan' <<<"$plan" || true)
    fi
    printf '== plan %s %s\n%s\n' "$dialect" "$label" "$plan" >>"$RAW"
    if [[ -n $scans ]]; then
      PLANS+=("| $dialect | $label | **reads a whole table**: $(tr '\n' ' ' <<<"$scans" | sed 's/  */ /g') |")
    fi
    if grep -q 'TEMP B-TREE' <<<"$plan"; then
      PLANS+=("| $dialect | $label | sorts: $(grep 'TEMP B-TREE' <<<"$plan" | tr '\n' ' ') |")
    fi
  done < <(plan_queries "$now")
}

# ---------------------------------------------------------------------------------------
# One database: schema, seed, operator, sign-in, measurements, plans.
run_db() { # run_db NAME URL
  local name=$1 url=$2
  local dir=$WORK/$name
  write_config "$dir.yaml" "$dir" "$url"
  log "$name: creating the schema"
  start_server "payhostd-$name-init" "$BIN/payhostd" serve --config "$dir.yaml" \
    --listen 127.0.0.1:0
  stop_server "$PID"
  local now seeded_at
  now=$(date +%s)
  log "$name: seeding $CHARGES charges"
  seeded_at=$(date +%s.%N)
  if [[ $name == sqlite ]]; then
    seed_sql sqlite "$now" | sqlite3 "$dir/payhost.db" >>"$RAW" 2>&1 || die "seeding failed (see $RAW)"
  else
    { echo "SET search_path TO $PG_SCHEMA;"; seed_sql postgresql "$now"; echo "ANALYZE;"; } |
      psql "$PG_URL" -X -q -v ON_ERROR_STOP=1 >>"$RAW" 2>&1 || die "seeding failed (see $RAW)"
  fi
  note "$name: seeded $CHARGES charges (and refunds, history, events, campus orders) in \
$(awk -v a="$seeded_at" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
  printf '%s\n' "$PASSWORD" | "$BIN/payhostd" operator add bench --role admin \
    --config "$dir.yaml" >>"$RAW" 2>&1 || die "payhostd operator add failed (see $RAW)"

  start_server "payhostd-$name" "$BIN/payhostd" serve --config "$dir.yaml" --listen 127.0.0.1:0
  local pid=$PID base=http://127.0.0.1:$PORT headers cookie
  headers=$(curl -s -D - -o "$WORK/signin.json" -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench\",\"password\":\"$PASSWORD\"}" "$base/console/api/signin")
  cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: *\(payhost_console=[^;]*\).*/\1/p' <<<"$headers" | head -1)
  [[ -n $cookie ]] || die "$name: sign-in failed: $(head -1 <<<"$headers") $(cat "$WORK/signin.json")"
  local c=(-H "Cookie: $cookie")

  local ch=ch_bench0000000000000500 mid=$((now - 5 * 86400)) second
  second=$(curl -s "${c[@]}" "$base/console/api/charges" |
    sed -n 's/.*"next_before":"\([^"]*\)".*/\1/p')
  [[ -n $second ]] || note "$name: the first charges page had no next_before"
  measure "$name" "GET /console/" "$base/console/" "${c[@]}"
  measure "$name" "GET /console/api/overview" "$base/console/api/overview" "${c[@]}"
  measure "$name" "GET /console/api/charges" "$base/console/api/charges" "${c[@]}"
  measure "$name" "… ?channel=wx" "$base/console/api/charges?channel=wx" "${c[@]}"
  measure "$name" "… ?state=failed (10 %)" "$base/console/api/charges?state=failed" "${c[@]}"
  measure "$name" "… ?state=succeeded (60 %)" "$base/console/api/charges?state=succeeded" "${c[@]}"
  measure "$name" "… ?from=&to= (one day)" \
    "$base/console/api/charges?from=$mid&to=$((mid + 86400))" "${c[@]}"
  measure "$name" "… ?order_no=" "$base/console/api/charges?order_no=bench0000000000000500" "${c[@]}"
  measure "$name" "… ?transaction_no=" \
    "$base/console/api/charges?transaction_no=T0000000000000500" "${c[@]}"
  measure "$name" "… ?user=" "$base/console/api/charges?user=u500" "${c[@]}"
  measure "$name" "… ?before= (second page)" "$base/console/api/charges?before=$second" "${c[@]}"
  measure "$name" "GET /console/api/charges/{id}" "$base/console/api/charges/$ch" "${c[@]}"
  measure "$name" "GET /console/api/plugins" "$base/console/api/plugins" "${c[@]}"
  measure "$name" "GET /console/api/audit" "$base/console/api/audit" "${c[@]}"
  if ((HAVE_WALLET)); then
    measure "$name" "GET /api/v2/admin/wallet/cashes" "$base/api/v2/admin/wallet/cashes" "${c[@]}"
  fi
  measure "$name" "GET /campus/admin/orders" "$base/campus/admin/orders" "${c[@]}"
  measure "$name" "… ?status=paid&page=2" "$base/campus/admin/orders?status=paid&page=2" "${c[@]}"
  local d1 d2
  d1=$(date -u -d "@$((now + 28800 - 86400))" +%F)
  d2=$(date -u -d "@$((now + 28800))" +%F)
  measure "$name" "GET /campus/admin/orders.csv (2 days)" \
    "$base/campus/admin/orders.csv?from=$d1&to=$d2" "${c[@]}"
  stop_server "$pid"
  # What the server complained about (a 503's cause is only in its log).
  { echo "== $name server warnings and errors"; grep -E ' (warning|error) ' "$WORK/payhostd-$name.log" |
    sort | uniq -c | sort -rn | head -20; } >>"$RAW" || true

  if [[ $name == sqlite ]]; then
    check_plans sqlite "$dir/payhost.db" "$now"
  else
    check_plans postgresql "$PG_URL?options=-csearch_path%3D$PG_SCHEMA" "$now"
  fi
}

run_db sqlite "sqlite://$WORK/sqlite/payhost.db"
if [[ ${BENCH_PG:-1} != 0 ]]; then
  if command -v psql >/dev/null && psql "$PG_URL" -X -q -c "SELECT 1" >/dev/null 2>&1; then
    PG_SCHEMA=console_bench_$$
    psql "$PG_URL" -X -q -c "CREATE SCHEMA $PG_SCHEMA" >>"$RAW" 2>&1 || die "cannot create schema"
    sep=$([[ $PG_URL == *\?* ]] && echo '&' || echo '?')
    run_db postgresql "$PG_URL${sep}options=-csearch_path%3D$PG_SCHEMA"
  else
    note "PostgreSQL not measured: cannot connect to $PG_URL"
  fi
fi

{
  echo
  echo "Console routes, $CHARGES charges over 10 days; $REQUESTS requests each over one keep-alive"
  echo "connection (after $WARMUP untimed); time to first byte in ms ($(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u '+%Y-%m-%d %H:%M UTC'))"
  echo
  echo "| database | route | median | p95 | target | result |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  if ((${#PLANS[@]})); then
    echo "| database | query | plan |"
    echo "|---|---|---|"
    printf '%s\n' "${PLANS[@]}"
  else
    echo "Query plans: every search reads through an index (plans in bench/results/console-latest.log)."
  fi
  if ((${#NOTES[@]})); then
    echo
    printf -- '- %s\n' "${NOTES[@]}"
  fi
} | tee "$WORK/table.md"
mkdir -p "$RESULTS"
cp "$WORK/table.md" "$RESULTS/console-latest.md"
