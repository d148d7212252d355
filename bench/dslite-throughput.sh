#!/bin/bash
# DS-Lite TCP throughput through the user-space B4 pump, against its yardsticks, in the same run.
# Four namespaces: lan (iperf3 client) — b4 — aftr (ipoe-lab-aftr + nft masquerade) — inet (iperf3 server).
# Scenarios, each DURATION seconds up (lan → inet) and down (-R):
#   ipv6    plain IPv6 routed over the same namespaces and veths: the ceiling (the kernel, TSO/GRO on the veths)
#   pump    the B4 pump (B4Pump, NativeAOT, the agent's build settings) hosted by `ipoe-lab-aftr b4`, against the lab AFTR:
#           the defaults (TUN offloads: TSO segmented and GRO merged in user space; ring 1000)
#   plain   the same pump without offloads (--no-offload: one read or write per packet, batched socket calls)
#   c       bench/c/minimal-b4.c (one read and one send per packet, default buffers; gcc -O2 at bench time) against the same AFTR
# The lab AFTR runs with its defaults (the same offloads) in every tunnel scenario.
# For the B4 and the AFTR: CPU-seconds (utime + stime) per GB carried, and the busiest thread's share of one core.
# The last line is the ratio to the target (≥ 1 Gbit/s each way, and ahead of the minimal C B4).
# Usage (root): bench/dslite-throughput.sh   DURATION=<s> (default 10). Documentation-range addresses only.
set -euo pipefail
. "$(dirname "$0")/common.sh"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DURATION=${DURATION:-10}
ID=ipoe-ds-$$
DIR=$(mktemp -d /tmp/ipoe-dslite-XXXXXX)
PIDS=()
cleanup() {
  [ ${#PIDS[@]} -eq 0 ] || stop_pids "${PIDS[@]}"
  for n in lan b4 aftr inet; do ip netns delete "$ID-$n" 2>/dev/null || true; done
  rm -rf "$DIR"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)" >&2; exit 1; }
command -v iperf3 > /dev/null || apt-get install -y iperf3 > /dev/null
for t in gcc nft dotnet python3; do command -v $t > /dev/null || { echo "needs $t" >&2; exit 1; }; done

echo "building: ipoe-lab-aftr (NativeAOT) and minimal-b4 (gcc -O2) ..." >&2
dotnet publish "$ROOT/tests/IpoeRouter.LabAftr" -c Release -r linux-x64 -o "$DIR/bin" --nologo -v q > "$DIR/publish.log" 2>&1 || { cat "$DIR/publish.log" >&2; exit 1; }
gcc -O2 -Wall -pthread -o "$DIR/bin/minimal-b4" "$ROOT/bench/c/minimal-b4.c"
LABAFTR=$DIR/bin/ipoe-lab-aftr

# --- the lab
for n in lan b4 aftr inet; do ip netns add "$ID-$n"; ip -n "$ID-$n" link set lo up; done
ip -n "$ID-lan" link add eth0 type veth peer name lan0 netns "$ID-b4"
ip -n "$ID-b4" link add wan0 type veth peer name b4side netns "$ID-aftr"
ip -n "$ID-aftr" link add up0 type veth peer name eth0 netns "$ID-inet"
addr() { ip -n "$ID-$1" addr add "$3" dev "$2" ${4:-}; }
addr lan eth0 198.51.100.10/24; addr lan eth0 2001:db8:1::10/64 nodad
addr b4 lan0 198.51.100.1/24;   addr b4 lan0 2001:db8:1::1/64 nodad;   addr b4 wan0 2001:db8:4::b4/64 nodad
addr aftr b4side 2001:db8:4::af/64 nodad; addr aftr up0 203.0.113.1/24; addr aftr up0 2001:db8:5::1/64 nodad
addr inet eth0 203.0.113.2/24;  addr inet eth0 2001:db8:5::2/64 nodad
for l in "lan eth0" "b4 lan0" "b4 wan0" "aftr b4side" "aftr up0" "inet eth0"; do set -- $l; ip -n "$ID-$1" link set "$2" up; done
for n in b4 aftr; do ip netns exec "$ID-$n" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1; done
ip -n "$ID-lan" route add default via 198.51.100.1
ip -n "$ID-lan" -6 route add default via 2001:db8:1::1
ip -n "$ID-b4" -6 route add 2001:db8:5::/64 via 2001:db8:4::af
ip -n "$ID-aftr" -6 route add 2001:db8:1::/64 via 2001:db8:4::b4
ip -n "$ID-inet" -6 route add default via 2001:db8:5::1
ip netns exec "$ID-aftr" nft -f - <<'NFT'
table ip lab {
  chain post { type nat hook postrouting priority 100; oifname "up0" masquerade; }
}
NFT
ip netns exec "$ID-inet" iperf3 -s > /dev/null 2>&1 & PIDS+=($!)
sleep 0.5

# --- measuring
thread_ticks() { local t; for t in /proc/$1/task/*/stat; do awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$t" 2>/dev/null || true; done; }   # per thread, in task order
proc_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
snapshot() { [ -n "$1" ] && { proc_ticks "$1"; thread_ticks "$1" | paste -sd' '; } || printf '0\n\n'; }
# busiest THREADS-BEFORE THREADS-AFTER WALL: the largest per-thread share of one core over the interval
busiest() { python3 -c "import sys; b=[int(x) for x in sys.argv[1].split()]; a=[int(x) for x in sys.argv[2].split()]; print('%.2f' % (max([y-x for x,y in zip(b,a)] or [0]) / $TICK / float(sys.argv[3])))" "$1" "$2" "$3"; }

# run_iperf NAME DIRECTION TARGET B4_PID AFTR_PID: one iperf3 run, one row in $DIR/rows
run_iperf() {
  local name=$1 dir=$2 target=$3 b4=$4 aftr=$5 flag=
  [ "$dir" = down ] && flag=-R
  local b4_before aftr_before b4_after aftr_after start end
  b4_before=$(snapshot "$b4"); aftr_before=$(snapshot "$aftr"); start=$(date +%s.%N)
  ip netns exec "$ID-lan" iperf3 -c "$target" -t "$DURATION" $flag -J > "$DIR/$name-$dir.json"
  end=$(date +%s.%N); b4_after=$(snapshot "$b4"); aftr_after=$(snapshot "$aftr")
  local wall; wall=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
  python3 - "$DIR/$name-$dir.json" "$name" "$dir" "$TICK" "$start" "$end" \
    "$(echo "$b4_before" | head -1)" "$(echo "$b4_after" | head -1)" "$(echo "$aftr_before" | head -1)" "$(echo "$aftr_after" | head -1)" \
    "$( [ -n "$b4" ] && busiest "$(echo "$b4_before" | tail -1)" "$(echo "$b4_after" | tail -1)" "$wall" || echo -)" \
    "$( [ -n "$aftr" ] && busiest "$(echo "$aftr_before" | tail -1)" "$(echo "$aftr_after" | tail -1)" "$wall" || echo -)" \
    >> "$DIR/rows" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
name, direction, tick = sys.argv[2], sys.argv[3], float(sys.argv[4])
received = j["end"]["sum_received"]
gbits = received["bits_per_second"] / 1e9
gb = received["bytes"] / 1e9
retrans = j["end"]["sum_sent"].get("retransmits", 0)
def per_gb(before, after):
    return "-" if before == after == "0" else "%.2f" % ((int(after) - int(before)) / tick / gb)
print("\t".join([name, direction, "%.2f" % gbits, str(retrans), per_gb(sys.argv[7], sys.argv[8]), sys.argv[11], per_gb(sys.argv[9], sys.argv[10]), sys.argv[12]]))
PY
}

wait_ready() { local i; for i in $(seq 100); do grep -q '^ready' "$1" && return 0; sleep 0.1; done; echo "no 'ready' in $1:" >&2; cat "$1" >&2; exit 1; }
start_aftr() {
  ip netns exec "$ID-aftr" "$LABAFTR" aftr --address 2001:db8:4::af > "$DIR/aftr-$1.log" 2>&1 & AFTR_PID=$!; PIDS+=($AFTR_PID)
  wait_ready "$DIR/aftr-$1.log"
}
stop_one() { stop_pids "$1"; local keep=(); for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done; PIDS=("${keep[@]}"); }

: > "$DIR/rows"
echo "ipv6 forwarding ..." >&2
run_iperf ipv6 up 2001:db8:5::2 "" ""
run_iperf ipv6 down 2001:db8:5::2 "" ""

for variant in pump plain; do
  echo "B4 pump ($variant) ..." >&2
  start_aftr "$variant"
  extra=; [ "$variant" = plain ] && extra=--no-offload
  ip netns exec "$ID-b4" "$LABAFTR" b4 --local 2001:db8:4::b4 --remote 2001:db8:4::af $extra > "$DIR/b4-$variant.log" 2>&1 & B4_PID=$!; PIDS+=($B4_PID)
  wait_ready "$DIR/b4-$variant.log"
  ip netns exec "$ID-lan" ping -c 1 -W 2 203.0.113.2 > /dev/null
  run_iperf "$variant" up 203.0.113.2 "$B4_PID" "$AFTR_PID"
  run_iperf "$variant" down 203.0.113.2 "$B4_PID" "$AFTR_PID"
  stop_one "$B4_PID"; stop_one "$AFTR_PID"
done

echo "minimal C B4 ..." >&2
start_aftr c
ip netns exec "$ID-b4" "$DIR/bin/minimal-b4" b4tun 2001:db8:4::b4 2001:db8:4::af > "$DIR/b4-c.log" 2>&1 & B4_PID=$!; PIDS+=($B4_PID)
wait_ready "$DIR/b4-c.log"
ip netns exec "$ID-b4" sysctl -qw net.ipv6.conf.b4tun.disable_ipv6=1
ip -n "$ID-b4" link set b4tun mtu 1460; ip -n "$ID-b4" addr add 192.0.0.2/29 dev b4tun
ip -n "$ID-b4" link set b4tun up; ip -n "$ID-b4" route add default dev b4tun
ip netns exec "$ID-lan" ping -c 1 -W 2 203.0.113.2 > /dev/null
run_iperf c up 203.0.113.2 "$B4_PID" "$AFTR_PID"
run_iperf c down 203.0.113.2 "$B4_PID" "$AFTR_PID"
stop_one "$B4_PID"; stop_one "$AFTR_PID"

echo
for f in pump plain c; do grep -h '^b4:\|^aftr:\|^minimal-b4:' "$DIR/b4-$f.log" "$DIR/aftr-$f.log" | sed "s/^/  $f /"; done || true
echo
python3 - "$DIR/rows" "$DURATION" "$(nproc)" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
names = {"ipv6": "IPv6 forwarding (ceiling)", "pump": "B4 pump (offloads, default)", "plain": "B4 pump (no offloads)", "c": "minimal C B4"}
print(f"DS-Lite TCP throughput, iperf3 {sys.argv[2]} s per direction, {sys.argv[3]} cores (shared by every namespace, iperf3 included)")
print(f"{'scenario':28} {'dir':5} {'Gbit/s':>7} {'retrans':>8} {'B4 CPU-s/GB':>12} {'B4 busiest thr':>15} {'AFTR CPU-s/GB':>14} {'AFTR busiest thr':>17}")
for name, d, g, r, b4, b4t, af, aft in rows:
    print(f"{names[name]:28} {d:5} {g:>7} {r:>8} {b4:>12} {b4t:>15} {af:>14} {aft:>17}")
by = {(r[0], r[1]): r for r in rows}
aftr = [float(by[("pump", d)][6]) for d in ("up", "down")]
print()
print("busiest thr = the process's busiest thread, in cores (1.00 = a thread that never waited).")
off = [float(by[("pump", d)][2]) / float(by[("plain", d)][2]) for d in ("up", "down")]
print("offloads (IFF_VNET_HDR + TSO4, user-space segmentation and GRO) vs none: %.2fx up, %.2fx down" % (off[0], off[1]))
print("lab AFTR on its own: %.2f / %.2f CPU-s per GB up / down, i.e. one core of AFTR work carries about %.1f / %.1f Gbit/s"
      % (aftr[0], aftr[1], 8 / aftr[0], 8 / aftr[1]))
parts = []
ok = True
for d in ("up", "down"):
    p, c, v6 = (float(by[(n, d)][2]) for n in ("pump", "c", "ipv6"))
    ok &= p >= 1.0 and p > c
    parts.append(f"{d} {p:.2f} Gbit/s = {p / 1.0:.2f}x the 1 Gbit/s target, {p / c:.2f}x minimal C, {p / v6:.3f} of the IPv6 ceiling")
print("ratio to target: " + "; ".join(parts) + (" -- MET" if ok else " -- NOT MET"))
PY
