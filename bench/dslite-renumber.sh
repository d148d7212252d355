#!/bin/bash
# WAN renumbering → IPv4 through the tunnel again: how long ipoe-agent takes to move its DS-Lite
# tunnel to the WAN's new address when the HGW renumbers (issue target: within one pass; the seed's
# hard-coded `local:` never moved at all: "Local address not yet configured!" until someone edited it).
#
# The three-namespace lab (common.sh lab_up) plus the rest of the NGN: aftr (the lab AFTR,
# ipoe-lab-aftr, at 2001:db8:aa::1 behind the HGW, nft masquerade) and inet (203.0.113.80). The
# agent runs lab/router.yaml with a DS-Lite tunnel ds0 (remote 2001:db8:aa::1, local from wan0) —
# its kernel's ip6tnl where the kernel has ip6_tunnel, else its user-space B4 (the output says which).
# While a ping runs from rtr to 203.0.113.80 through the tunnel every 2 ms, RUNS times: the HGW's RAs
# announce a new /64 (2001:db8:e0NN::/64) and the current one with preferred lifetime 0 (radvd HUP'd,
# an RA at once). Per renumbering:
#   engine   the agent's pass that moved the tunnel (its log: `reconcile: pass N … in X ms` whose
#            applied items name ds0): from its listener's receipt of the address event to the pass's end;
#   outside  wall clock inside rtr from the new address being usable (listed in /proc/net/if_inet6
#            and past DAD: the kernel cannot send from a tentative address; the DAD time is shown
#            apart) to the lab AFTR printing "learned B4 <the new address>" — the first packet through
#            the tunnel from it (the ping sends every 2 ms; the AFTR's log is polled every 1 ms).
# After each, the old prefix's address is deleted (not timed), so wan0 keeps one global address.
#
# Usage (root): bench/dslite-renumber.sh [path/to/ipoe-agent]   RUNS=20. Documentation addresses only.
# Needs the published agent (out/agent), radvd, kea-dhcp6, nft, python3 and the .NET SDK (the lab
# AFTR is published here with NativeAOT). The last line is the ratio of the median to the 100 ms target.
set -euo pipefail
. "$(dirname "$0")/common.sh"
ROOT=$(realpath "$(dirname "$0")/..")
AGENT=$(realpath "${1:-$ROOT/out/agent/ipoe-agent}")
RUNS=${RUNS:-20}
ID=ipoe-r-$$
DIR=$(mktemp -d /tmp/ipoe-renumber-XXXXXX)
PIDS=()
cleanup() {
  stop_pids "${PIDS[@]}"
  lab_down "$ID"
  for n in aftr inet; do ip netns delete "$ID-$n" 2>/dev/null || true; done
  if [ -n "${KEEP:-}" ]; then echo "kept $DIR" >&2; else rm -rf "$DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x "$AGENT" ] || { echo "no agent at $AGENT (dotnet publish src/IpoeRouter.Agent -c Release -o out/agent)" >&2; exit 1; }
for tool in radvd kea-dhcp6 nft python3; do command -v $tool > /dev/null || { echo "missing $tool" >&2; exit 1; }; done
echo "building the lab AFTR (NativeAOT) ..." >&2
dotnet publish "$ROOT/tests/IpoeRouter.LabAftr" -c Release -r linux-x64 -o "$DIR/bin" --nologo -v q > "$DIR/publish.log" 2>&1 || { cat "$DIR/publish.log" >&2; exit 1; }

echo "lab $ID in $DIR; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
lab_up "$ID" "$DIR" 198 600
for n in aftr inet; do ip netns add "$ID-$n"; ip -n "$ID-$n" link set lo up; done
ip -n "$ID-hgw" link add to-aftr type veth peer name up6 netns "$ID-aftr"
ip -n "$ID-aftr" link add inet0 type veth peer name eth0 netns "$ID-inet"
ip -n "$ID-hgw" addr add 2001:db8:aa::fe/64 dev to-aftr nodad; ip -n "$ID-hgw" link set to-aftr up
ip -n "$ID-aftr" addr add 2001:db8:aa::1/64 dev up6 nodad; ip -n "$ID-aftr" link set up6 up; ip -n "$ID-aftr" -6 route add default via 2001:db8:aa::fe
ip -n "$ID-aftr" addr add 203.0.113.1/24 dev inet0; ip -n "$ID-aftr" link set inet0 up
ip -n "$ID-inet" addr add 203.0.113.80/24 dev eth0; ip -n "$ID-inet" link set eth0 up
ip netns exec "$ID-aftr" sysctl -qw net.ipv4.ip_forward=1
ip netns exec "$ID-aftr" nft 'add table ip lab; add chain ip lab post { type nat hook postrouting priority 100; }; add rule ip lab post oifname inet0 masquerade'
ip netns exec "$ID-aftr" "$DIR/bin/ipoe-lab-aftr" aftr --address 2001:db8:aa::1 > "$DIR/aftr.log" 2>&1 & PIDS+=($!)

sed 's/^sysctl:$/tunnels:\n  - { name: ds0, remote: "2001:db8:aa::1", local: { fromInterface: wan0 } }\nsysctl:\n  - { name: net.ipv4.ip_forward, value: 1 }/' "$LAB/router.yaml" > "$DIR/router.yaml"
grep -q 'name: ds0' "$DIR/router.yaml" || { echo "lab/router.yaml has no sysctl: section to put the tunnel before" >&2; exit 1; }
start_agent "$ID" "$DIR" "$AGENT" --tunnel-probe-interval 5
wait_converged "$DIR/run/agent.sock" 40
for i in $(seq 100); do
  [ "$(agent_status "$DIR/run/agent.sock" "r['tunnels'][0]['state']" 2>/dev/null)" = Up ] && break
  sleep 0.2
done
echo "tunnel: $(agent_status "$DIR/run/agent.sock" '"%s (%s), %s -> %s" % (r["tunnels"][0]["state"], r["tunnels"][0]["backend"], r["tunnels"][0]["local"], r["tunnels"][0]["remote"])')" >&2
echo "waiting for the HGW's initial RAs to pass (35 s)" >&2
sleep 35
ip netns exec "$ID-rtr" ping -q -n -i 0.002 203.0.113.80 > /dev/null 2>&1 & PIDS+=($!)

ip netns exec "$ID-rtr" env DIR="$DIR" RUNS="$RUNS" RADVD_PID="$HGW_RADVD" python3 - > "$DIR/events.tsv" <<'PY'
import os, re, signal, socket, subprocess, sys, time
DIR, RUNS, RADVD_PID = os.environ["DIR"], int(os.environ["RUNS"]), int(os.environ["RADVD_PID"])
LOG, AFTR_LOG, CONF = f"{DIR}/agent.log", f"{DIR}/aftr.log", f"{DIR}/radvd-hgw.conf"
now = time.monotonic
RADVD = open(CONF).read()
PREFIX = re.compile(r"prefix [0-9a-f:]+/64 \{[^}]*\};")
PASS = re.compile(r"reconcile: pass (\d+) (\w+) in ([\d.]+) ms")
def wan_addresses(usable=False):
    """wan0's global addresses (32 hex digits); usable: past DAD (IFA_F_TENTATIVE 0x40 clear)."""
    with open("/proc/net/if_inet6") as f:
        return [l.split()[0] for l in f if l.split()[5] == "wan0" and l.split()[3] == "00" and not (usable and int(l.split()[4], 16) & 0x40)]
def text(h): return socket.inet_ntop(socket.AF_INET6, bytes.fromhex(h))
def wait_until(check, timeout=10.0, step=0.001):
    end = now() + timeout
    while now() < end:
        r = check()
        if r: return r
        time.sleep(step)
    return None
current = [h for h in wan_addresses()][0][:16]
for run in range(RUNS):
    new = socket.inet_pton(socket.AF_INET6, f"2001:db8:e{run:03x}::").hex()[:16]
    old_net = socket.inet_ntop(socket.AF_INET6, bytes.fromhex(current + "0" * 16))
    log_at, aftr_at = os.path.getsize(LOG), os.path.getsize(AFTR_LOG)
    with open(CONF + ".tmp", "w") as f:
        f.write(PREFIX.sub(f"prefix {socket.inet_ntop(socket.AF_INET6, bytes.fromhex(new + '0' * 16))}/64 {{ AdvValidLifetime 14400; AdvPreferredLifetime 12600; }};\n"
                           f"  prefix {old_net}/64 {{ AdvValidLifetime 600; AdvPreferredLifetime 0; }};", RADVD))
    os.replace(CONF + ".tmp", CONF)
    os.kill(RADVD_PID, signal.SIGHUP)
    added = wait_until(lambda: next((h for h in wan_addresses() if h.startswith(new)), None))
    t0 = now()
    usable = wait_until(lambda: any(h == added for h in wan_addresses(usable=True))) if added else None
    t0u = now() if usable else None
    address = text(added) if added else None
    def learned():
        with open(AFTR_LOG, errors="replace") as f:
            f.seek(aftr_at)
            return address in f.read()
    t1 = now() if address and wait_until(learned) else None
    time.sleep(0.3)
    engine, outcome = None, "none"
    with open(LOG, errors="replace") as f:
        f.seek(log_at)
        lines = f.read().splitlines()
    for i, line in enumerate(lines):
        m = PASS.search(line)
        if m and any("ds0" in l and "local" in l for l in lines[max(0, i - 12):i + 1]):
            engine, outcome = float(m[3]), m[2]
            break
    dad = "-" if t0u is None else f"{(t0u - t0) * 1000:.1f}"
    print(f"{run}\t{'-' if engine is None else f'{engine:.1f}'}\t{'-' if t1 is None or t0u is None else f'{(t1 - t0u) * 1000:.1f}'}\t{outcome}\t{address}\t{dad}", flush=True)
    if (run + 1) % 5 == 0: print(f"  {run + 1}/{RUNS}", file=sys.stderr, flush=True)
    # the old prefix goes (not timed): its address and route, and radvd stops announcing it
    subprocess.run(["ip", "-6", "addr", "flush", "dev", "wan0", "to", f"{old_net}/64"], check=False)
    current = new
    RADVD = open(CONF).read().replace(f"  prefix {old_net}/64 {{ AdvValidLifetime 600; AdvPreferredLifetime 0; }};", "")
PY

grep -E 'failed|refused' "$DIR/agent.log" | head -5 | sed 's/^/agent log: /' >&2 || true
python3 - "$DIR/events.tsv" "$RUNS" "$(agent_status "$DIR/run/agent.sock" 'r["tunnels"][0]["backend"]')" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
eng = [float(r[1]) for r in rows if r[1] != "-"]
out = [float(r[2]) for r in rows if r[2] != "-"]
dad = [float(r[5]) for r in rows if len(r) > 5 and r[5] != "-"]
print(f"WAN renumbered -> the tunnel ({sys.argv[3]} backend) moved to the new address: {len(rows)} renumberings")
print(f"  engine (the pass that moved it):           median {statistics.median(eng):.1f} ms, max {max(eng):.1f} ms ({len(rows) - len(eng)} not found)" if eng else "  engine: no pass found")
print(f"  outside (new address -> first packet from it at the AFTR): median {statistics.median(out):.1f} ms, max {max(out):.1f} ms ({len(rows) - len(out)} missed)" if out else "  outside: the AFTR never saw the new address")
print(f"  (DAD of the new address before it is usable: median {statistics.median(dad):.0f} ms)" if dad else "")
print("  seed: a hard-coded local address, never moved")
print(f"ratio engine median / 100 ms target: {statistics.median(eng) / 100:.2f}" if eng else "ratio: n/a")
PY
