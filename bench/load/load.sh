# `scripts/bench load`: sourced by scripts/bench (which provides ROOT, results, apt_install, cpu_snapshot and
# other_load), not run alone. See bench/README.md, Load. Runs our server (`securecomms server run`) and then
# Prosody, never side by side, each as its own process on 127.0.0.1, with the same workload:
#   N = 100 and N = 1,000 clients in N/2 sender -> receiver pairs, 100-byte messages, window 32 per pair;
#   N = 100 with window 1 (latency below saturation); then 10,000 idle authenticated TLS connections.
# Writes bench/results/load/*.json (one figure set per run), the servers' logs, and
# bench/results/load-comparison.md (the table).

# The message runs, "clients:messages per sender:window" each, named clients (window 32) or clients-wW. 20,000
# messages per saturating run, so that each lasts seconds on both servers; then 100 clients with one message
# in flight per pair, for the latency of a server that is not saturated.
load_runs=(100:400:32 1000:40:32 100:100:1)
run_name() { [ "$3" = 32 ] && echo "$1" || echo "$1-w$3"; }  # run_name CLIENTS MESSAGES WINDOW
idle_connections=10000
idle_users=100
load_password="load-test passphrase, throwaway"  # LoadUsers.Password / driver.mjs PASSWORD: throwaway test accounts
ours_port=17443
prosody_port=15222
# Each server holds idle_connections sockets and the load tool as many: both need this many descriptors.
needed_fds=$((idle_connections + 2000))

load_dir="$results/load"
rm -rf "$load_dir" "$results/load-comparison.md"
mkdir -p "$load_dir"
work="$(mktemp -d /tmp/securecomms-load.XXXXXX)"
server_pid=""
stop_server() {  # stops the server this script started (by its pid), waits for it
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap 'stop_server; rm -rf "$work"' EXIT

wait_for_port() {  # wait_for_port PORT PID LOG: until something listens on 127.0.0.1:PORT (30 s at most)
  for _ in $(seq 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; echo "error: the server exited" >&2; exit 1; }
    sleep 0.1
  done
  cat "$3" >&2; echo "error: nothing listens on 127.0.0.1:$1 after 30 s" >&2; exit 1
}

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$needed_fds" ]; then
  ulimit -n "$needed_fds" 2>/dev/null || {
    echo "error: $idle_connections idle connections need $needed_fds file descriptors; ulimit -n is $(ulimit -n)" >&2; exit 2; }
fi

command -v openssl >/dev/null 2>&1 || apt_install openssl
command -v prosody >/dev/null 2>&1 || apt_install prosody
command -v setpriv >/dev/null 2>&1 || apt_install util-linux
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then apt_install nodejs npm; fi
# npm ci writes node_modules/.package-lock.json last: its age is the age of the install (as scripts/interop-deps).
stamp="$ROOT/bench/load/node_modules/.package-lock.json"
if ! [ -f "$stamp" ] || [ "$ROOT/bench/load/package-lock.json" -nt "$stamp" ]; then
  (cd "$ROOT/bench/load" && npm ci --no-audit --no-fund && touch "$stamp")
fi

echo "== machine"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "cpu:     $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) logical cores"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
echo "dotnet:  $(dotnet --version); node $(node --version); $(dpkg-query -W -f='prosody ${Version}' prosody)"
echo "fds:     ulimit -n $(ulimit -n)"

echo "== build (Release)"
for project in apps/SecureComms.Cli bench/SecureComms.Load; do
  for attempt in 1 2 3; do
    dotnet build "$project" -c Release -nologo -v quiet && break
    [ "$attempt" -eq 3 ] && { echo "error: build of $project failed" >&2; exit 1; }
    echo "build failed (attempt $attempt); retrying in 30 s" >&2
    sleep 30
  done
done
cli=(dotnet "$ROOT/apps/SecureComms.Cli/bin/Release/net10.0/securecomms.dll")
load=(dotnet "$ROOT/bench/SecureComms.Load/bin/Release/net10.0/securecomms-load.dll")
max_clients=1000  # the largest run's clients: accounts to make

# ---- ours ----------------------------------------------------------------------------------------------
ours_start="$(cpu_snapshot)"
echo "== securecomms server run (127.0.0.1:$ours_port, relaxed per-address and per-connection limits)"
"${cli[@]}" server init --data "$work/ours" >/dev/null
# The relaxed limits, all existing `server run` options (bench/README.md, Load): every client comes from
# 127.0.0.1, so the per-address registration burst must cover all accounts; each connection may send as fast
# as the protocol allows; the connection cap must admit the idle test. Sign-ins stay throttled (4 at a time
# per address): the load tool keeps to that.
start_ours() {
  "${cli[@]}" server run --data "$work/ours" --listen "127.0.0.1:$ours_port" \
    --max-connections $((idle_connections + 1000)) --requests-per-second 1000000 --request-burst 1000000 \
    --registration-burst $((max_clients + 100)) >>"$load_dir/securecomms-server.log" 2>&1 &
  server_pid=$!
  wait_for_port "$ours_port" "$server_pid" "$load_dir/securecomms-server.log"
}
start_ours
ours=(--server "127.0.0.1:$ours_port" --ca "$work/ours/ca.pem")
"${load[@]}" setup "${ours[@]}" --users "$max_clients"
for spec in "${load_runs[@]}"; do
  IFS=: read -r n m w <<<"$spec"
  echo "-- $n clients, $m messages per sender, window $w"
  out="$load_dir/securecomms-run-$(run_name "$n" "$m" "$w").json"
  "${load[@]}" run "${ours[@]}" --server-pid "$server_pid" --clients "$n" --messages "$m" --window "$w" >"$out"
  cat "$out"
done
# The idle test starts from a fresh process, so that memory freed after the message runs (and kept by the
# garbage collector) is not reused by the new connections and hidden from the delta.
stop_server
start_ours
echo "-- $idle_connections idle connections (server restarted)"
"${load[@]}" idle "${ours[@]}" --server-pid "$server_pid" --connections "$idle_connections" --users "$idle_users" \
  >"$load_dir/securecomms-idle.json"
cat "$load_dir/securecomms-idle.json"
stop_server
ours_end="$(cpu_snapshot)"

# ---- Prosody -------------------------------------------------------------------------------------------
prosody_start="$(cpu_snapshot)"
echo "== prosody $(dpkg-query -W -f='${Version}' prosody) (127.0.0.1:$prosody_port, STARTTLS, TLS 1.3)"
pdir="$work/prosody"
mkdir -p "$pdir/data" "$pdir/certs"
chmod 755 "$work"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost -keyout "$pdir/certs/localhost.key" -out "$pdir/certs/localhost.crt" 2>/dev/null
sed -e "s|@DATA@|$pdir/data|g" -e "s|@PORT@|$prosody_port|g" -e "s|@CERTS@|$pdir/certs|g" \
  "$ROOT/bench/load/prosody.cfg.lua.in" >"$pdir/prosody.cfg.lua"
chown -R prosody:prosody "$pdir"
# One account through prosodyctl (about 0.1 s each, too slow for 1,000); every account shares the password,
# so the others are copies of its account file: the same salted SCRAM verifier is valid for each.
prosodyctl --config "$pdir/prosody.cfg.lua" register load00000 localhost "$load_password" 2>/dev/null
accounts="$pdir/data/localhost/accounts"
[ -f "$accounts/load00000.dat" ] || { echo "error: prosodyctl register made no $accounts/load00000.dat" >&2; exit 1; }
for i in $(seq 1 $((max_clients - 1))); do
  cp -p "$accounts/load00000.dat" "$accounts/$(printf 'load%05d' "$i").dat"
done
start_prosody() {
  setpriv --reuid=prosody --regid=prosody --init-groups prosody -F --config "$pdir/prosody.cfg.lua" \
    >>"$load_dir/prosody-server.log" 2>&1 &
  server_pid=$!
  wait_for_port "$prosody_port" "$server_pid" "$load_dir/prosody-server.log"
}
start_prosody
driver=(env NODE_TLS_REJECT_UNAUTHORIZED=0 NODE_NO_WARNINGS=1 node "$ROOT/bench/load/driver.mjs")
for spec in "${load_runs[@]}"; do
  IFS=: read -r n m w <<<"$spec"
  echo "-- $n clients, $m messages per sender, window $w"
  out="$load_dir/prosody-run-$(run_name "$n" "$m" "$w").json"
  "${driver[@]}" run --port "$prosody_port" --server-pid "$server_pid" --clients "$n" --messages "$m" --window "$w" >"$out"
  cat "$out"
done
stop_server
start_prosody
echo "-- $idle_connections idle connections (server restarted)"
"${driver[@]}" idle --port "$prosody_port" --server-pid "$server_pid" --connections "$idle_connections" \
  --users "$idle_users" >"$load_dir/prosody-idle.json"
cat "$load_dir/prosody-idle.json"
cp "$pdir/data/prosody.log" "$load_dir/prosody.log" 2>/dev/null || true
stop_server
prosody_end="$(cpu_snapshot)"

echo "== SecureComms vs Prosody; ratio = ours / Prosody in delivered messages/s, > 1 means faster"
names=()
for spec in "${load_runs[@]}"; do IFS=: read -r n m w <<<"$spec"; names+=("$(run_name "$n" "$m" "$w")"); done
"${load[@]}" report --results "$load_dir" --out "$results/load-comparison.md" --runs "$(IFS=,; echo "${names[*]}")"
{
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores; other processes kept" \
    "$(other_load "$ours_start" "$ours_end") cores busy during our server's phase and" \
    "$(other_load "$prosody_start" "$prosody_end") during Prosody's (idle enough: at most $idle_limit)."
  echo "The load generator runs on the same cores as the server (bench/README.md, Load)."
} | tee -a "$results/load-comparison.md"
echo "results: ${results#"$ROOT"/}/load-comparison.md, load/*.json, load/*.log"
