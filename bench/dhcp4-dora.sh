#!/bin/bash
# DHCPv4 DORA rate of ipoe-agent against kea-dhcp4 and dnsmasq, measured the same way in the same run.
#
# Two namespaces joined by a veth: srv (the server under test on lan0, 198.51.100.1/24) and cli
# (perfdhcp on eth0, 198.51.100.2/24). perfdhcp acts as a relay: every DISCOVER and REQUEST carries
# giaddr 198.51.100.2 and the servers answer it there, on port 67. The relay address lies inside the
# served subnet on purpose: ipoe-agent answers only relays inside its scope's subnet (giaddr outside
# it is "not this scope"), and dnsmasq answers a relayed request only when one of its dhcp-ranges lies
# in the giaddr's subnet — with giaddr in another subnet (e.g. 203.0.113.2 routed back via lan0) and
# the range in 198.51.100.0/24 it answers nothing and logs "no address range available for DHCP
# request via 203.0.113.2"; --interface/--bind-interfaces/--bind-dynamic make no difference. The
# route back to the relay is then simply the connected 198.51.100.0/24 on lan0.
#
# The pool. Documentation ranges only, so the LAN is one /24 and the pool 198.51.100.10-250 (241
# addresses) for all three servers. A ladder rung offers RATE × PERIOD DORAs (up to 100,000), each
# from a new client (perfdhcp -R walks its MACs in sequence, so no MAC repeats within a rung, and
# ipoe-agent's per-client limit of 10 messages per 10 s never applies). To keep 241 addresses
# enough, every client RELEASEs its lease right after its ACK (-F RATE: as many releases per second
# as DORAs), so addresses come back to the pool; each server thus handles DISCOVER, REQUEST and
# RELEASE per client and writes two lease changes (bound, released) per client. A longer lease time
# would not help and a 1 s one would not either (up to 10,000 new clients a second); this is the only way to
# run thousands of new clients per second through a /24. Side effect, reported, not hidden: under
# overload the pool can run dry (leases ACKed after perfdhcp gave up on them are never released;
# ipoe-agent also holds each OFFER's address 60 s for the client), which makes drops climb faster
# past the knee than a large pool would. dnsmasq (with --no-ping, as it must run to be fast) keeps no
# record of its OFFERs, so with 241 addresses churning it offers one address to several clients in a
# row and NAKs every REQUEST but the first ("DHCPNAK ... address in use", counted after its run): most
# of its drops here are those NAKs. Every rung starts a fresh server with an empty lease file.
#
# Lease stores on disk (the temp dir is under /var/tmp; the script refuses tmpfs): ipoe-agent's
# journal (fsynced in groups; an ACK leaves only once its lease is on disk), kea's memfile CSV
# (appended with write(2), never fsynced: not durable), dnsmasq's lease file (rewritten and fsynced
# after each change). Checked with strace -c at 200 DORA/s for 3 s: kea 1,203 writes and no fsync;
# dnsmasq 1,195 fsyncs; ipoe-agent 1,060 fsyncs for 1,200 lease changes (few share a batch at that rate).
# Each server's per-packet logging is off (kea severity ERROR, dnsmasq --quiet-dhcp); ipoe-agent
# logs a reason at most once a minute, and its log lines beyond start-up are printed after its run.
# All three run with the agent's nftables table in srv (installed once before the first run), so
# they see the same firewall and conntrack.
#
# Reported per rung: DISCOVERs sent, OFFERs and ACKs received, ACK/s = ACKs / PERIOD (perfdhcp's own
# "Rate" divides by PERIOD plus the 1 s it waits for late answers, -W), drops = 1 - ACKs / DISCOVERs,
# the mean DISCOVER→OFFER and REQUEST→ACK delays, and where the CPU went during the rung: the server,
# perfdhcp (it needs most of a core from 6,000/s on: load generator and server share the 2 CPUs),
# every other process (the machine is shared with other work) and the hypervisor's steal, plus the
# 1-minute load average before the rung. Per server: the peak ACK/s and the highest offered rate
# with ≤ 1 % drops, per round, and the ratios ipoe/kea and ipoe/dnsmasq.
#
# Usage (root): bench/dhcp4-dora.sh [path/to/ipoe-agent]   Documentation-range addresses only.
# RATES="500 1000 2000 4000 6000 8000 10000" (DORA/s offered; about 9 minutes in all),
# PERIOD=10 (s per rung), ROUNDS=2 (the ladder is repeated, server order reversed each round, to
# show noise), SERVERS="ipoe kea dnsmasq", AGENT_ENV="VAR=value ..." passed to the agent (e.g.
# DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0).
set -euo pipefail
. "$(dirname "$0")/common.sh"
AGENT=$(realpath "${1:-$(dirname "$0")/../out/agent/ipoe-agent}")
RATES=${RATES:-500 1000 2000 4000 6000 8000 10000}
PERIOD=${PERIOD:-10}
ROUNDS=${ROUNDS:-2}
SERVERS=${SERVERS:-ipoe kea dnsmasq}
ID=ipoe-d-$$
DIR=$(mktemp -d /var/tmp/ipoe-dora-XXXXXX)
SRV_PID=   # the server now running, if any
cleanup() {
  if [ -n "$SRV_PID" ]; then kill "$SRV_PID" 2>/dev/null || true; sleep 0.5; kill -9 "$SRV_PID" 2>/dev/null || true; fi
  for n in srv cli; do ip netns delete "$ID-$n" 2>/dev/null || true; done
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in perfdhcp kea-dhcp4 dnsmasq; do command -v $tool > /dev/null || { echo "missing $tool (apt-get install kea-admin kea-dhcp4-server dnsmasq-base)"; exit 1; }; done
[ -x "$AGENT" ] || { echo "no agent at $AGENT (dotnet publish src/IpoeRouter.Agent -c Release -o out/agent)"; exit 1; }
FS=$(stat -f -c %T "$DIR")
[ "$FS" != tmpfs ] || { echo "$DIR is on tmpfs: lease files must be on disk"; exit 1; }
echo "lease files under $DIR ($FS, $(df --output=source "$DIR" | tail -1)); $(nproc) CPUs; $PERIOD s per rung, $ROUNDS round(s)"

for n in srv cli; do ip netns add "$ID-$n"; ip -n "$ID-$n" link set lo up; done
ip -n "$ID-srv" link add lan0 type veth peer name eth0 netns "$ID-cli"
ip -n "$ID-srv" addr add 198.51.100.1/24 dev lan0   # the agent declares it too; the peers need it there
ip -n "$ID-cli" addr add 198.51.100.2/24 dev eth0   # perfdhcp's giaddr
ip -n "$ID-srv" link set lan0 up; ip -n "$ID-cli" link set eth0 up

cat > "$DIR/router.yaml" <<'YAML'
version: 1
interfaces:
  - { name: lan0, role: lan, acceptRa: false, addresses: [198.51.100.1/24] }
dhcpScopes:
  - { interface: lan0, range: 198.51.100.10-198.51.100.250, leaseTime: 10m }
YAML

# --- one server at a time: start it on a fresh lease store, wait for UDP 67, stop it
start_ipoe() {
  IPOE_RUN_DIR=$1/run ip netns exec "$ID-srv" env ${AGENT_ENV:-} "$AGENT" --document "$DIR/router.yaml" --state-dir "$1/state" --control-socket "$1/run/agent.sock" > "$1/server.log" 2>&1 & SRV_PID=$!
}
start_kea() {
  cat > "$1/kea.json" <<JSON
{ "Dhcp4": {
    "interfaces-config": { "interfaces": [ "lan0" ], "dhcp-socket-type": "udp" },
    "lease-database": { "type": "memfile", "persist": true, "name": "$1/leases4.csv", "lfc-interval": 0 },
    "authoritative": true, "valid-lifetime": 600,
    "subnet4": [ { "id": 1, "subnet": "198.51.100.0/24", "pools": [ { "pool": "198.51.100.10 - 198.51.100.250" } ],
                   "option-data": [ { "name": "routers", "data": "198.51.100.1" }, { "name": "domain-name-servers", "data": "198.51.100.1" } ] } ],
    "loggers": [ { "name": "kea-dhcp4", "severity": "ERROR", "output_options": [ { "output": "stdout" } ] } ] } }
JSON
  KEA_PIDFILE_DIR=$1 KEA_LOCKFILE_DIR=$1 ip netns exec "$ID-srv" kea-dhcp4 -c "$1/kea.json" > "$1/server.log" 2>&1 & SRV_PID=$!
}
start_dnsmasq() {
  ip netns exec "$ID-srv" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --pid-file="$1/dnsmasq.pid" \
    --interface=lan0 --bind-interfaces --dhcp-range=198.51.100.10,198.51.100.250,10m --no-ping --quiet-dhcp \
    --dhcp-leasefile="$1/dnsmasq.leases" --log-facility="$1/server.log" > "$1/server.out" 2>&1 & SRV_PID=$!
}
wait_port67() {
  for _ in $(seq 100); do
    kill -0 "$SRV_PID" 2>/dev/null || { echo "the server exited:"; cat "$1"/server.*; exit 1; }
    [ -n "$(ip netns exec "$ID-srv" ss -Hlun 'sport = :67')" ] && return 0
    sleep 0.1
  done
  echo "nothing listens on UDP 67 after 10 s:"; cat "$1"/server.*; exit 1
}

# Install the agent's firewall once, so every server runs behind the same nftables table.
mkdir -p "$DIR/init"; start_ipoe "$DIR/init"; wait_port67 "$DIR/init"; sleep 1; stop_server
ip netns exec "$ID-srv" nft list tables | grep -q 'inet ipoe' || { echo "the agent left no firewall table:"; cat "$DIR/init/server.log"; exit 1; }

RESULTS=$DIR/results
run_one() {   # run_one ROUND SERVER RATE
  local round=$1 server=$2 rate=$3 s=$DIR/$server-$rate-r$1 load cpu0 cpu others0 others1 steal0 steal1
  mkdir -p "$s"
  "start_$server" "$s"; wait_port67 "$s"
  load=$(cut -d' ' -f1 /proc/loadavg); cpu0=$(cpu_seconds "$SRV_PID"); others0=$(others_cpu); steal0=$(steal_cpu); times > "$s/times0"
  timeout $((PERIOD + 30)) ip netns exec "$ID-cli" perfdhcp -4 -l eth0 -r "$rate" -F "$rate" -p "$PERIOD" -W 1000000 -R 1000000 198.51.100.1 > "$s/perfdhcp.out" 2>&1 || true
  cpu=$(awk -v a="$(cpu_seconds "$SRV_PID")" -v b="$cpu0" 'BEGIN { printf "%.2f", a - b }')
  times > "$s/times1"; others1=$(others_cpu); steal1=$(steal_cpu)
  # CPU-s during the rung besides the server's: perfdhcp's (this shell's reaped children), every
  # other process's (kernel threads such as ksoftirqd included: the machine is shared, this shows
  # how much), and the hypervisor's steal.
  local gen rest steal
  gen=$(awk -v a="$(children_cpu "$s/times1")" -v b="$(children_cpu "$s/times0")" 'BEGIN { printf "%.2f", a - b }')
  rest=$(awk -v a="$others1" -v b="$others0" 'BEGIN { printf "%.2f", a - b }')
  steal=$(awk -v a="$steal1" -v b="$steal0" 'BEGIN { printf "%.2f", a - b }')
  local extra=
  if [ "$server" = ipoe ]; then
    read -r rcv rep unw leases < <(agent_status "$s/run/agent.sock" '" ".join(str(x) for x in (r["dhcp4"][0]["received"], r["dhcp4"][0]["replied"], r["dhcp4"][0]["unwritten"], len(r["dhcp4"][0]["leases"])))' || echo "? ? ? ?") || true
    extra="agent: received $rcv, replied $rep, unwritten $unw, leases still active $leases, journal $(wc -l < "$s/state/dhcp4-lan0.leases") lines"
  fi
  stop_server
  # results line: round server rate DISCOVERs OFFERs ACKs ACK/s drop% DO-delay RA-delay load server-CPU perfdhcp-CPU rest steal
  awk -v round="$round" -v server="$server" -v rate="$rate" -v period="$PERIOD" -v load="$load" -v cpu="$cpu $gen $rest $steal" '
    /Statistics for: DISCOVER-OFFER/ { s = "do" } /Statistics for: REQUEST-ACK/ { s = "ra" } /Statistics for: RELEASE/ { s = "" }
    s && /^sent packets:/ { sent[s] = $3 } s && /^received packets:/ { rcv[s] = $3 } s && /^avg delay:/ { d[s] = $3 }
    END {
      D = sent["do"] + 0; O = rcv["do"] + 0; A = rcv["ra"] + 0
      printf "%s %s %s %d %d %d %.1f %.2f %s %s %s %s\n", round, server, rate, D, O, A, A / period, D ? 100 * (D - A) / D : 100, \
        (d["do"] ~ /^[0-9.]+$/ ? d["do"] : "-"), (d["ra"] ~ /^[0-9.]+$/ ? d["ra"] : "-"), load, cpu
    }' "$s/perfdhcp.out" | tee -a "$RESULTS" | awk '{ printf "%5s %-8s %6s %9d %7d %7d %8.1f %7.2f %7s %7s %6s %6s %6s %6s %5s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $12, $13, $14, $15, $11 }'
  [ -z "$extra" ] || echo "      $extra"
  case $server in
    ipoe)   # anything the agent said beyond starting and stopping
      grep -v -e ' agent: ' -e ' dns: ' -e ' reconcile: ' -e 'dhcp4-server:lan0: serving' "$s/server.log" | sed 's/^/      log: /' || true ;;
    kea)
      grep -v DHCP4_STARTING "$s/server.log" | head -5 | sed 's/^/      kea: /' || true ;;
    dnsmasq)   # --quiet-dhcp still logs NAKs and an empty pool: count those (they are drops for perfdhcp), show anything else
      local naks inuse none
      naks=$(grep -c 'DHCPNAK' "$s/server.log" || true); inuse=$(grep -c 'DHCPNAK.*address in use' "$s/server.log" || true)
      none=$(grep -c 'no address available' "$s/server.log" || true)
      [ "$naks$none" = 00 ] || echo "      dnsmasq: $naks DHCPNAK ($inuse of them 'address in use'), $none DISCOVERs with 'no address available'"
      grep -v -e 'started, version' -e 'compile time options' -e 'DHCP, IP range' -e 'DHCP, sockets bound' -e DHCPNAK \
        -e 'no address available' -e 'exiting on receipt' "$s/server.log" | head -5 | sed 's/^/      dnsmasq: /' || true ;;
  esac
  rm -rf "$s"
}

echo "CPU-s during each rung: srv = the server, gen = perfdhcp, rest = all other processes (kernel threads too), steal = hypervisor"
echo "round server   offered DISCOVERs  OFFERs    ACKs    ACK/s drops-% DO-ms   RA-ms    srv    gen   rest  steal  load"
for round in $(seq "$ROUNDS"); do
  order=$SERVERS
  [ $((round % 2)) -eq 1 ] || order=$(echo $SERVERS | tr ' ' '\n' | tac | tr '\n' ' ')
  for rate in $RATES; do
    for server in $order; do run_one "$round" "$server" "$rate"; done
  done
done

# --- summary: per server and round the peak ACK/s and the highest offered rate with ≤ 1 % drops
echo
echo "server    round  peak ACK/s (offered)   highest rate with <= 1 % drops (ACK/s there)"
awk -v order="$SERVERS" '
  { k = $2 SUBSEP $1; if ($7 > peak[k]) { peak[k] = $7; at[k] = $3 }
    if ($8 <= 1.0 && $3 + 0 > clean[k]) { clean[k] = $3 + 0; cleanAck[k] = $7 }
    servers[$2]; rounds[$1] }
  END {
    n = 0; for (r in rounds) n++
    m = split(order, list, " ")
    for (i = 1; i <= m; i++) {
      sv = list[i]
      for (r = 1; r <= n; r++) {
        k = sv SUBSEP r
        printf "%-9s %5d  %10.1f (%5s/s)   %s\n", sv, r, peak[k], at[k], clean[k] ? sprintf("%5d/s (%.1f)", clean[k], cleanAck[k]) : "none"
        sumPeak[sv] += peak[k]; if (!(sv in worst) || clean[k] < worst[sv]) worst[sv] = clean[k]
      }
      meanPeak[sv] = sumPeak[sv] / n
    }
    print ""
    for (i = 1; i <= m; i++) printf "%-9s mean peak %.1f ACK/s; highest clean rate in every round: %s\n", list[i], meanPeak[list[i]], worst[list[i]] ? worst[list[i]] "/s" : "none"
    for (i = 1; i <= m; i++) {
      peer = list[i]
      if (peer == "ipoe" || !("ipoe" in servers)) continue
      printf "ratio ipoe/%s: peak %s, clean rate %s\n", peer, \
        meanPeak[peer] ? sprintf("%.2f", meanPeak["ipoe"] / meanPeak[peer]) : "n/a", \
        worst[peer] ? sprintf("%.2f", worst["ipoe"] / worst[peer]) : "n/a"
    }
  }' "$RESULTS"
