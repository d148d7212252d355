# Pieces the bench scripts share; sourced, not run. For stop_server and the CPU counters the caller keeps the
# server's pid in SRV_PID.
TICK=$(getconf CLK_TCK)

stop_server() {   # SIGTERM, up to 15 s to go, then SIGKILL; by pid only
  kill -TERM "$SRV_PID"
  for _ in $(seq 150); do kill -0 "$SRV_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$SRV_PID" 2>/dev/null || true
  wait "$SRV_PID" 2>/dev/null || true
  SRV_PID=
}

# agent_status SOCKET PYTHON-EXPRESSION: asks ipoe-agent's control socket for its status and prints
# the expression, evaluated with `r` bound to the status (the JSON-RPC result).
agent_status() {
  python3 - "$1" "$2" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b'{"jsonrpc":"2.0","id":1,"method":"getStatus"}\n')
buf = b""
while not buf.endswith(b"\n"):
    d = s.recv(1 << 16)
    if not d: break
    buf += d
r = json.loads(buf)["result"]
print(eval(sys.argv[2]))
PY
}

steal_cpu() { awk -v t="$TICK" '/^cpu / { printf "%.2f\n", $9 / t }' /proc/stat; }
others_cpu() {   # CPU-s of every process but this script (whose children include the load generator) and the server, reaped children included
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v t="$TICK" -v me=$$ -v srv="$SRV_PID" '
    { pid = $1; sub(/^.*\) /, ""); if (pid != me && pid != srv) sum += $12 + $13 + $14 + $15 } END { printf "%.2f\n", sum / t }'
}
children_cpu() { awk 'NR == 2 { split($1, u, /[ms]/); split($2, k, /[ms]/); printf "%.2f\n", u[1] * 60 + u[2] + k[1] * 60 + k[2] }' "$1"; }   # from `times`
cpu_seconds() { awk -v t="$TICK" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / t }' "/proc/$1/stat"; }   # utime + stime

# --- the three-namespace lab of the agent tests, for agent-rss.sh, event-converge.sh and idle-cost.sh. The caller
# keeps PIDS (an array: every process started here is appended, to be stopped by pid) and removes the lab with
# lab_down in its EXIT trap.
LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")/../lab" && pwd)   # the HGW's servers read the lab's own files, as the tests do

# lab_up ID DIR [RA_MIN RA_MAX]: namespaces ID-hgw, ID-rtr, ID-lan; hgw0—wan0 and lan0—eth0 veth pairs; in hgw,
# radvd (lab/hgw/radvd.conf, its interval replaced by RA_MIN–RA_MAX seconds when given; its file is
# DIR/radvd-hgw.conf and its pid HGW_RADVD) and kea-dhcp6 delegating /60s of 2001:db8:1200::/48.
lab_up() {
  local id=$1 dir=$2 ra_min=${3:-} ra_max=${4:-}
  for n in hgw rtr lan; do ip netns add "$id-$n"; ip -n "$id-$n" link set lo up; done
  ip -n "$id-rtr" link add wan0 type veth peer name hgw0 netns "$id-hgw"
  ip -n "$id-rtr" link add lan0 type veth peer name eth0 netns "$id-lan"
  ip netns exec "$id-hgw" sysctl -qw net.ipv6.conf.hgw0.accept_dad=0 net.ipv6.conf.all.forwarding=1
  ip netns exec "$id-rtr" sysctl -qw net.ipv6.conf.wan0.accept_dad=0 net.ipv6.conf.lan0.accept_dad=0
  ip -n "$id-hgw" addr add 2001:db8:ff::1/64 dev hgw0 nodad
  local l; for l in "hgw hgw0" "rtr wan0" "rtr lan0" "lan eth0"; do set -- $l; ip -n "$id-$1" link set "$2" up; done
  if [ -n "$ra_min" ]; then
    sed -e "s/MinRtrAdvInterval [0-9]*/MinRtrAdvInterval $ra_min/" -e "s/MaxRtrAdvInterval [0-9]*/MaxRtrAdvInterval $ra_max/" "$LAB/hgw/radvd.conf" > "$dir/radvd-hgw.conf"
  else
    cp "$LAB/hgw/radvd.conf" "$dir/radvd-hgw.conf"
  fi
  sed -e "s|@DIR@|$dir|g" -e 's|@POOL@|2001:db8:1200::|' -e 's|@PREFERRED@|12600|' -e 's|@VALID@|14400|' -e 's|@RENEW@|7200|' -e 's|@REBIND@|11520|' \
    "$LAB/hgw/kea-dhcp6.json" > "$dir/kea.json"
  ip netns exec "$id-hgw" radvd -n -C "$dir/radvd-hgw.conf" -p "$dir/radvd-hgw.pid" -m logfile -l "$dir/radvd-hgw.log" & HGW_RADVD=$!; PIDS+=($HGW_RADVD)
  KEA_PIDFILE_DIR=$dir KEA_LOCKFILE_DIR=$dir ip netns exec "$id-hgw" kea-dhcp6 -c "$dir/kea.json" > "$dir/kea.out" 2>&1 & PIDS+=($!)
  sleep 1
}
lab_down() { local n; for n in hgw rtr lan; do ip netns delete "$1-$n" 2>/dev/null || true; done; }

# stop_pids PID...: SIGTERM, up to 5 s to go, then SIGKILL; by pid only (radvd's privilege-separated child goes with its parent).
stop_pids() {
  local p
  for p in "$@"; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 50); do
    local alive=
    for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ -n "$alive" ] || break; sleep 0.1
  done
  for p in "$@"; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
}

# start_agent ID DIR AGENT [ARG...]: ipoe-agent in ID-rtr on DIR/router.yaml (state DIR/state, socket DIR/run/agent.sock,
# stderr DIR/agent.log); its pid in AGENT_PID (and PIDS). wait_converged SOCKET SECONDS: until the agent's last pass
# converged with the LAN's delegated /64 in place, or fails.
start_agent() {
  local id=$1 dir=$2 agent=$3; shift 3
  # DOTNET_*: the runtime settings of packaging/systemd/ipoe-agent.service, so the agent is measured as installed.
  IPOE_RUN_DIR=$dir/run ip netns exec "$id-rtr" env DOTNET_gcServer=0 DOTNET_GCgen0size=400000 ${AGENT_ENV:-} "$agent" --document "$dir/router.yaml" --state-dir "$dir/state" \
    --control-socket "$dir/run/agent.sock" "$@" 2> "$dir/agent.log" & AGENT_PID=$!; PIDS+=($AGENT_PID)
}
wait_converged() {
  local i
  for i in $(seq $(($2 * 10))); do
    [ -S "$1" ] && [ "$(agent_status "$1" "r['reconcile']['outcome'] == 'Converged' and all(l.get('prefix') for l in r['lans'])" 2>/dev/null)" = True ] && return 0
    sleep 0.1
  done
  echo "the agent did not converge within $2 s" >&2; return 1
}
