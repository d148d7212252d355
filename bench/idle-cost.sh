#!/bin/bash
# What ipoe-agent costs while nothing happens, against the daemons it replaces, idle in the same lab
# for the same time, one side after the other in the same run (at the same time they would fight
# over ports 53, 67 and 547).
#
# The three-namespace lab (common.sh lab_up: hgw with radvd + kea-dhcp6, rtr, lan with no client).
#   agent  ipoe-agent on lab/router.yaml: DHCPv6-PD client, RA + stateless DHCPv6 + DHCPv4 + DNS
#          forwarder on lan0, its nftables table, the reconcile loop with its resync every 60 s.
#   peers  dhclient -6 -P (the PD client) + dnsmasq (DHCPv4 + RA + stateless DHCPv6 + DNS on lan0,
#          as the seed ran it) + radvd (an RA daemon on lan0, with its privilege-separated child),
#          all three at once, each counted and summed.
# Each side is checked to serve before its window (an RA answered to rdisc6 in lan; the agent's
# delegation bound, dhclient's lease holding a prefix), then measured for DURATION seconds:
#   CPU       utime + stime from /proc/<pid>/stat (exited threads included; 10 ms ticks), end minus
#             start, and from /proc/<pid>/task/*/schedstat (ns; sampled like the wakeups), which the
#             ratio uses: idle peers stay under one tick;
#   wakeups   voluntary + nonvoluntary context switches from /proc/<pid>/task/*/status, per thread,
#             sampled every SAMPLE s so a thread that exits during the window still counts up to its
#             last sample (one that lives less than SAMPLE s is missed), per minute.
# The HGW's RAs come every HGW_RA="198 600" seconds (RFC 4861's default range; min max), after
# radvd's initial ones (≤ 16 s apart) have passed. Each RA refreshes the WAN address's lifetimes,
# which the agent hears as an address event and answers with a pass; HGW_RA="3 6" is the lab's own
# interval (lab/hgw/radvd.conf) and shows that cost. For the agent also: its passes during the window
# by cause (getStatus before and after; the agent's last pass and its engine time, usually a resync).
#
# Usage (root): bench/idle-cost.sh [path/to/ipoe-agent]   Documentation-range addresses only.
# DURATION=600 (s per side; 60 while developing), SAMPLE=2, HGW_RA="198 600", AGENT_ENV="VAR=value ..."
# passed to the agent. Progress on stderr; results on stdout, the last line the ratio agent / peers.
set -euo pipefail
. "$(dirname "$0")/common.sh"
AGENT=$(realpath "${1:-$(dirname "$0")/../out/agent/ipoe-agent}")
DURATION=${DURATION:-600}
SAMPLE=${SAMPLE:-2}
HGW_RA=${HGW_RA:-198 600}
ID=ipoe-i-$$
DIR=$(mktemp -d /tmp/ipoe-idle-XXXXXX)
PIDS=()
cleanup() {
  stop_pids "${PIDS[@]}"
  lab_down "$ID"
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x "$AGENT" ] || { echo "no agent at $AGENT (dotnet publish src/IpoeRouter.Agent -c Release -o out/agent)" >&2; exit 1; }
for tool in radvd kea-dhcp6 dnsmasq dhclient rdisc6; do
  command -v $tool > /dev/null || { echo "missing $tool (apt-get install radvd kea-dhcp6-server dnsmasq-base isc-dhcp-client ndisc6)" >&2; exit 1; }
done

# idle PID... : waits DURATION seconds sampling the processes' threads; prints one line per process:
# pid, voluntary and nonvoluntary context switches during the window (each thread: last sample minus
# its first, or minus 0 for a thread born in the window), threads seen, CPU ms on the same terms from
# /proc/<pid>/task/*/schedstat (nanoseconds: finer than stat's 10 ms ticks), and the switches by thread
# name (comm), most first.
idle() {
  python3 - "$DURATION" "$SAMPLE" "$@" <<'PY'
import glob, sys, time
duration, step, pids = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
def sample():
    seen = {}
    for pid in pids:
        for status in glob.glob(f"/proc/{pid}/task/*/status"):
            try:
                with open(status) as f: kv = dict(l.split(":", 1) for l in f if "ctxt_switches" in l or l.startswith("Name:"))
                with open(status[:-len("status")] + "schedstat") as f: ns = int(f.read().split()[0])
                seen[(pid, status.split("/")[4])] = (int(kv["voluntary_ctxt_switches"]), int(kv["nonvoluntary_ctxt_switches"]), ns, kv["Name"].strip().replace(" ", "_"))
            except (OSError, KeyError, ValueError):
                pass   # the thread ended between glob and read
    return seen
first, last = sample(), {}
end = time.monotonic() + duration
while True:
    last.update(sample())
    left = end - time.monotonic()
    if left <= 0: break
    time.sleep(min(step, left))
for pid in pids:
    tids = [k for k in last if k[0] == pid]
    by, ns = {}, 0
    for k in tids:
        f = first.get(k, (0, 0, 0))
        v, i = last[k][0] - f[0], last[k][1] - f[1]
        ns += last[k][2] - f[2]
        by.setdefault(last[k][3], [0, 0])
        by[last[k][3]][0] += v; by[last[k][3]][1] += i
    vol, inv = sum(v for v, _ in by.values()), sum(i for _, i in by.values())
    names = sorted(by.items(), key=lambda e: -sum(e[1]))
    print(pid, vol, inv, len(tids), f"{ns / 1e6:.1f}", " ".join(f"{n}={v}+{i}" for n, (v, i) in names if v + i))
PY
}
per_minute() { awk -v n="$1" -v d="$DURATION" 'BEGIN { printf "%.1f", n * 60 / d }'; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }
rs_heard() { ip netns exec "$ID-lan" rdisc6 -1 -w 3000 eth0 > /dev/null 2>&1 || { echo "$1: no RA answered to rdisc6 on the LAN" >&2; exit 1; }; }

echo "lab $ID; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); $DURATION s per side; HGW RAs every ${HGW_RA/ /-} s" >&2
lab_up "$ID" "$DIR" $HGW_RA
LAB_UP=$SECONDS
wait_initial_ras() {   # radvd's first three RAs come ≤ 16 s apart: not part of an idle window
  local left=$((35 - (SECONDS - LAB_UP)))
  [ "$left" -le 0 ] || { echo "waiting $left s for the HGW's initial RAs to pass" >&2; sleep "$left"; }
}

# --- the agent
cp "$LAB/router.yaml" "$DIR/router.yaml"
start_agent "$ID" "$DIR" "$AGENT"
wait_converged "$DIR/run/agent.sock" 40
rs_heard ipoe-agent
wait_initial_ras
SOCK=$DIR/run/agent.sock
counts0=$(agent_status "$SOCK" 'json.dumps(r["reconcile"]["causeCounts"])'); passes0=$(agent_status "$SOCK" 'r["reconcile"]["passes"]')
echo "ipoe-agent (pid $AGENT_PID) idle for $DURATION s" >&2
cpu0=$(cpu_seconds "$AGENT_PID")
read -r _ A_VOL A_INV A_THREADS A_MS A_BY < <(idle "$AGENT_PID")
A_CPU=$(sub "$(cpu_seconds "$AGENT_PID")" "$cpu0")
read -r passes1 during last < <(agent_status "$SOCK" "'%d %s %s' % (r['reconcile']['passes'], ','.join('%s=%d' % (k, v - json.loads('$counts0').get(k, 0)) for k, v in r['reconcile']['causeCounts'].items() if v != json.loads('$counts0').get(k, 0)) or 'none', json.dumps('%s, %.1f ms for %s' % (r['reconcile']['outcome'], r['reconcile']['durationMs'], '; '.join(r['reconcile']['causes']))))")
stop_pids "$AGENT_PID"
ip -n "$ID-rtr" addr flush dev lan0 scope global

# --- the peers, at once: dhclient (PD), dnsmasq (DHCPv4 + RA + stateless DHCPv6 + DNS), radvd (RA)
ip -n "$ID-rtr" addr add 198.51.100.1/24 dev lan0
ip -n "$ID-rtr" addr add 2001:db8:1200:1::1/64 dev lan0   # dhclient's hook (/bin/true) places nothing: the LAN's /64 by hand
ip netns exec "$ID-rtr" dhclient -6 -P -d -sf /bin/true -lf "$DIR/dhclient.leases" -pf "$DIR/dhclient.pid" wan0 > "$DIR/dhclient.log" 2>&1 & DH=$!; PIDS+=($DH)
ip netns exec "$ID-rtr" dnsmasq --keep-in-foreground --conf-file=/dev/null --pid-file="$DIR/dnsmasq.pid" --interface=lan0 --bind-dynamic \
  --dhcp-range=198.51.100.100,198.51.100.199,10m --dhcp-option=option:ntp-server,198.51.100.1 --domain=home.example \
  --enable-ra --dhcp-range=::,constructor:lan0,ra-stateless,64,12h --dhcp-option=option6:domain-search,home.example \
  --no-resolv --server=2001:db8::53 --dhcp-leasefile="$DIR/dnsmasq.leases" --log-facility="$DIR/dnsmasq.log" > "$DIR/dnsmasq.out" 2>&1 & DM=$!; PIDS+=($DM)
cat > "$DIR/radvd-rtr.conf" <<RADVD
interface lan0 { AdvSendAdvert on; AdvOtherConfigFlag on; prefix 2001:db8:1200:1::/64 {}; RDNSS 2001:db8:1200:1::1 {}; DNSSL home.example {}; };
RADVD
ip netns exec "$ID-rtr" radvd -n -C "$DIR/radvd-rtr.conf" -p "$DIR/radvd-rtr.pid" -m logfile -l "$DIR/radvd-rtr.log" & RV=$!; PIDS+=($RV)
for _ in $(seq 150); do grep -q iaprefix "$DIR/dhclient.leases" 2>/dev/null && break; sleep 0.1; done
grep -q iaprefix "$DIR/dhclient.leases" 2>/dev/null || { echo "dhclient got no prefix in 15 s:" >&2; cat "$DIR/dhclient.log" >&2; exit 1; }
for p in $DM $RV; do kill -0 $p 2>/dev/null || { echo "a peer exited:" >&2; cat "$DIR"/dnsmasq.* "$DIR/radvd-rtr.log" >&2; exit 1; }; done
rs_heard "dnsmasq + radvd"
sleep 3   # the RA daemons' first advertisements
RVC=$(pgrep -P "$RV" | tr '\n' ' ')   # radvd's privilege-separated child
echo "peers (dhclient $DH, dnsmasq $DM, radvd $RV + $RVC) idle for $DURATION s" >&2
declare -A CPU0
for p in $DH $DM $RV $RVC; do CPU0[$p]=$(cpu_seconds "$p"); done
idle $DH $DM $RV $RVC > "$DIR/peers.idle"
declare -A CPU
for p in $DH $DM $RV $RVC; do CPU[$p]=$(sub "$(cpu_seconds "$p")" "${CPU0[$p]}"); done

# --- results
echo "idle cost over $DURATION s per side (HGW RAs every ${HGW_RA/ /-} s); CPU-s from stat (10 ms ticks), CPU ms from schedstat; wakeups = voluntary + nonvoluntary context switches"
row() { printf '%-16s %7s %9s %12s %10s %10s %8s\n' "$@"; }
row process CPU-s "CPU ms" wakeups/min voluntary involunt. threads
row ipoe-agent "$A_CPU" "$A_MS" "$(per_minute $((A_VOL + A_INV)))" "$A_VOL" "$A_INV" "$A_THREADS"
P_CPU=0 P_MS=0 P_N=0
name() { case $1 in $DH) echo dhclient;; $DM) echo dnsmasq;; $RV) echo radvd;; *) echo "radvd (child)";; esac; }
while read -r pid vol inv threads ms _; do
  row "$(name "$pid")" "${CPU[$pid]}" "$ms" "$(per_minute $((vol + inv)))" "$vol" "$inv" "$threads"
  P_CPU=$(awk -v a="$P_CPU" -v b="${CPU[$pid]}" 'BEGIN { printf "%.2f", a + b }'); P_MS=$(awk -v a="$P_MS" -v b="$ms" 'BEGIN { printf "%.1f", a + b }')
  P_N=$((P_N + vol + inv))
done < "$DIR/peers.idle"
row "peers together" "$P_CPU" "$P_MS" "$(per_minute $P_N)"
echo "ipoe-agent's switches by thread (voluntary+nonvoluntary): $A_BY"
echo "ipoe-agent's passes in the window: $((passes1 - passes0)) (by cause: $during); its last: $last"
echo "seed: a 60 s cron re-applying everything (each run: bench/IpoeRouter.Bench --filter '*ReconcileNoOp*')"
awk -v am="$A_MS" -v pm="$P_MS" -v aw=$((A_VOL + A_INV)) -v pw=$P_N 'BEGIN {
  printf "ratio ipoe-agent / peers: CPU %s, wakeups %s\n", (pm > 0 ? sprintf("%.1f", am / pm) : "n/a"), (pw > 0 ? sprintf("%.1f", aw / pw) : "n/a") }'
