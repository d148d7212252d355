# Pieces bench/dhcp4-dora.sh and bench/dns-qps.sh share; sourced, not run. The caller keeps the
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
