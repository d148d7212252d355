#!/bin/bash
# Cached-answer rate and light-load latency of ipoe-agent's DNS forwarder against dnsmasq as the
# LAN forwarder, measured the same way in the same run.
#
# Three namespaces in a row: up (dnsmasq as the upstream, 192.0.2.53), srv (the forwarder under test,
# answering on lan0 198.51.100.1; its WAN side up0 192.0.2.1/24 reaches up) and cli (dnsperf on
# eth0 198.51.100.2). The upstream answers 1,000 names n0001…n1000.bench.example from a hosts file
# (A records in 203.0.113.0/24) with TTL 300 (--local-ttl: without it dnsmasq answers local names
# with TTL 0 and nothing would be cached) and a cache larger than the names.
#
# For each forwarder: start it, warm its cache by asking every name once (dnsperf -n 1, at most
# 2,000 q/s so the upstream is not flooded), then
#   - load: dnsperf -c 4 -q 100 -l LOAD_SECONDS (4 sockets, 100 queries in flight, the names in turn):
#     queries per second, lost queries, mean latency;
#   - light: dnsperf -c 1 -Q 100 -l LIGHT_SECONDS (100 q/s): mean, min, max latency and its stddev.
# dnsperf runs inside cli, so `ip netns exec` costs nothing per query. The forwarder's own counters
# show the answers came from its cache (ipoe-agent: getStatus on the control socket; dnsmasq: its
# SIGUSR1 statistics in its log). Both forwarders run with the agent's nftables table in srv (installed
# once before the first run), so both see the same firewall and conntrack. The peer is
# dnsmasq --no-resolv --server=192.0.2.53 --cache-size=10000 (the agent's default cache size).
#
# Usage (root): bench/dns-qps.sh [path/to/ipoe-agent]   Documentation-range addresses only.
# LOAD_SECONDS=15, LIGHT_SECONDS=10, ROUNDS=2 (the forwarders alternate who goes first),
# AGENT_ENV="VAR=value ..." passed to the agent.
# Besides qps and latency: the CPU-s the forwarder, dnsperf, every other process and the hypervisor
# (steal) used during the load run — the two CPUs are shared by dnsperf, the forwarder and other work.
set -euo pipefail
. "$(dirname "$0")/common.sh"
AGENT=$(realpath "${1:-$(dirname "$0")/../out/agent/ipoe-agent}")
LOAD_SECONDS=${LOAD_SECONDS:-15}
LIGHT_SECONDS=${LIGHT_SECONDS:-10}
ROUNDS=${ROUNDS:-2}
ID=ipoe-q-$$
DIR=$(mktemp -d /var/tmp/ipoe-dns-XXXXXX)
chmod 755 "$DIR"   # dnsmasq reads the hosts file after dropping root
UP_PID= SRV_PID=
cleanup() {
  for p in $SRV_PID $UP_PID; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  for p in $SRV_PID $UP_PID; do kill -9 "$p" 2>/dev/null || true; done
  for n in up srv cli; do ip netns delete "$ID-$n" 2>/dev/null || true; done
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in dnsperf dnsmasq dig; do command -v $tool > /dev/null || { echo "missing $tool (apt-get install dnsperf dnsmasq-base bind9-dnsutils)"; exit 1; }; done
[ -x "$AGENT" ] || { echo "no agent at $AGENT (dotnet publish src/IpoeRouter.Agent -c Release -o out/agent)"; exit 1; }

for n in up srv cli; do ip netns add "$ID-$n"; ip -n "$ID-$n" link set lo up; done
ip -n "$ID-srv" link add up0 type veth peer name eth0 netns "$ID-up"
ip -n "$ID-srv" link add lan0 type veth peer name eth0 netns "$ID-cli"
ip -n "$ID-up" addr add 192.0.2.53/24 dev eth0
ip -n "$ID-srv" addr add 192.0.2.1/24 dev up0
ip -n "$ID-srv" addr add 198.51.100.1/24 dev lan0   # the agent declares it too; dnsmasq needs it there
ip -n "$ID-cli" addr add 198.51.100.2/24 dev eth0
for l in "up eth0" "srv up0" "srv lan0" "cli eth0"; do set -- $l; ip -n "$ID-$1" link set "$2" up; done

# The names: a hosts file for the upstream, the same names as dnsperf input.
for i in $(seq 1 1000); do printf '203.0.113.%d n%04d.bench.example\n' $((i % 254 + 1)) "$i"; done > "$DIR/hosts"
awk '{ print $2, "A" }' "$DIR/hosts" > "$DIR/names.txt"
ip netns exec "$ID-up" dnsmasq --keep-in-foreground --conf-file=/dev/null --pid-file="$DIR/up.pid" --interface=eth0 --bind-interfaces \
  --no-resolv --no-hosts --addn-hosts="$DIR/hosts" --local-ttl=300 --cache-size=10000 --log-facility="$DIR/up.log" > "$DIR/up.out" 2>&1 & UP_PID=$!

cat > "$DIR/router.yaml" <<'YAML'
version: 1
interfaces:
  - { name: lan0, role: lan, acceptRa: false, addresses: [198.51.100.1/24] }
dnsForwarder:
  interfaces: [lan0]
  upstreams: [192.0.2.53]
YAML

start_ipoe() {
  IPOE_RUN_DIR=$1/run ip netns exec "$ID-srv" env ${AGENT_ENV:-} "$AGENT" --document "$DIR/router.yaml" --state-dir "$1/state" --control-socket "$1/run/agent.sock" > "$1/server.log" 2>&1 & SRV_PID=$!
}
start_dnsmasq() {
  ip netns exec "$ID-srv" dnsmasq --keep-in-foreground --conf-file=/dev/null --pid-file="$1/dnsmasq.pid" --interface=lan0 --bind-interfaces \
    --no-resolv --no-hosts --server=192.0.2.53 --cache-size=10000 --log-facility="$1/server.log" > "$1/server.out" 2>&1 & SRV_PID=$!
}
wait_port53() {   # wait_port53 NAMESPACE ADDRESS DIR
  for _ in $(seq 100); do
    [ -n "$(ip netns exec "$1" ss -Hlun "src $2:53")" ] && return 0
    sleep 0.1
  done
  echo "nothing answers on $2:53 after 10 s:"; cat "$3"/*.log "$3"/*.out 2>/dev/null; exit 1
}
counters() {   # what the forwarder says it did
  if [ "$1" = ipoe ]; then
    agent_status "$2/run/agent.sock" '"queries %d, cache hits %d, forwarded %d, local %d, failures %d, dropped %d" % tuple(r["dns"][k] for k in ("queries", "cacheHits", "forwarded", "localAnswers", "failures", "dropped"))'
  else
    kill -USR1 "$SRV_PID"; sleep 0.3
    grep -e 'queries forwarded' -e 'cache size' "$2/server.log" | tail -2 | sed 's/^.*dnsmasq\[[0-9]*\]: //' | paste -sd ';'
  fi
}
perf() {   # perf OUTFILE dnsperf-args...: dnsperf from cli against the forwarder
  local out=$1; shift
  timeout 120 ip netns exec "$ID-cli" dnsperf -s 198.51.100.1 -d "$DIR/names.txt" "$@" > "$out" 2>&1 || { echo "dnsperf failed:"; cat "$out"; exit 1; }
}
field() { awk -v k="$2" 'index($0, k) { sub(/^[^:]*:[ \t]*/, ""); print; exit }' "$1"; }
ms() { awk -v s="$1" 'BEGIN { printf "%.3f", s * 1000 }'; }

wait_port53 "$ID-up" 192.0.2.53 "$DIR"
for _ in $(seq 30); do   # the socket is bound a moment before the hosts file is read
  ttl=$(ip netns exec "$ID-up" dig +norecurse +noall +answer +time=1 @192.0.2.53 n0001.bench.example A | awk '{ print $2 }')
  [ -z "$ttl" ] || break; sleep 0.1
done
echo "upstream: 1,000 names, TTL ${ttl:-?} s"
[ "${ttl:-0}" -ge 60 ] || { echo "the upstream's TTL is too short to cache"; ip netns exec "$ID-up" dig @192.0.2.53 n0001.bench.example A; cat "$DIR/up.log" "$DIR/up.out"; exit 1; }

# Install the agent's firewall once, so both forwarders run behind the same nftables table.
mkdir -p "$DIR/init"; start_ipoe "$DIR/init"; wait_port53 "$ID-srv" 198.51.100.1 "$DIR/init"; sleep 1; stop_server
ip netns exec "$ID-srv" nft list tables | grep -q 'inet ipoe' || { echo "the agent left no firewall table:"; cat "$DIR/init/server.log"; exit 1; }

RESULTS=$DIR/results
run_one() {   # run_one ROUND SERVER
  local round=$1 server=$2 s=$DIR/$2-r$1
  mkdir -p "$s"
  "start_$server" "$s"; wait_port53 "$ID-srv" 198.51.100.1 "$s"
  perf "$s/warm.out" -n 1 -Q 2000 -c 1
  local warm_done warm_ttl
  warm_done=$(field "$s/warm.out" "Queries completed:" | awk '{ print $1 }')
  warm_ttl=$(ip netns exec "$ID-cli" dig +noall +answer @198.51.100.1 n0500.bench.example A | awk '{ print $2 }')
  local before; before=$(counters "$server" "$s")
  local load cpu0 cpu o0 o1 st0 st1 gen rest steal; load=$(cut -d' ' -f1 /proc/loadavg)
  cpu0=$(cpu_seconds "$SRV_PID"); o0=$(others_cpu); st0=$(steal_cpu); times > "$s/times0"
  perf "$s/load.out" -c 4 -q 100 -l "$LOAD_SECONDS"
  cpu=$(awk -v a="$(cpu_seconds "$SRV_PID")" -v b="$cpu0" 'BEGIN { printf "%.2f", a - b }')
  times > "$s/times1"; o1=$(others_cpu); st1=$(steal_cpu)
  gen=$(awk -v a="$(children_cpu "$s/times1")" -v b="$(children_cpu "$s/times0")" 'BEGIN { printf "%.2f", a - b }')
  rest=$(awk -v a="$o1" -v b="$o0" 'BEGIN { printf "%.2f", a - b }')
  steal=$(awk -v a="$st1" -v b="$st0" 'BEGIN { printf "%.2f", a - b }')
  perf "$s/light.out" -c 1 -Q 100 -l "$LIGHT_SECONDS"
  local after; after=$(counters "$server" "$s")
  stop_server
  local qps lost lat light lsd
  qps=$(field "$s/load.out" "Queries per second:")
  lost=$(field "$s/load.out" "Queries lost:")
  lat=$(field "$s/load.out" "Average Latency (s):" | awk '{ print $1 }')
  light=$(field "$s/light.out" "Average Latency (s):")
  lsd=$(field "$s/light.out" "Latency StdDev (s):")
  local lmin lmax
  lmin=$(echo "$light" | sed -n 's/.*min \([0-9.]*\).*/\1/p'); lmax=$(echo "$light" | sed -n 's/.*max \([0-9.]*\).*/\1/p')
  light=$(echo "$light" | awk '{ print $1 }')
  echo "$round $server $qps $(ms "$lat") $(ms "$light") $(ms "$lmin") $(ms "$lmax") $(ms "$lsd") $load $cpu" >> "$RESULTS"
  printf '  round %s  %-8s warm-up: %s of 1000 answered, TTL then %s s\n' "$round" "$server" "$warm_done" "${warm_ttl:-?}"
  printf '    load : %.0f qps, lost %s, mean latency %s ms; CPU-s in %s s: forwarder %s, dnsperf %s, others %s, steal %s (load average %s)\n' "$qps" "$lost" "$(ms "$lat")" "$LOAD_SECONDS" "$cpu" "$gen" "$rest" "$steal" "$load"
  printf '    light: 100 q/s, mean %s ms (min %s, max %s, stddev %s), lost %s\n' "$(ms "$light")" "$(ms "$lmin")" "$(ms "$lmax")" "$(ms "$lsd")" "$(field "$s/light.out" "Queries lost:")"
  printf '    counters after warm-up: %s\n    counters at the end   : %s\n' "$before" "$after"
  if [ "$server" = ipoe ]; then   # anything the agent said beyond starting and stopping
    grep -v -e ' agent: ' -e ' dns: answering' -e ' dns: forwarding' -e ' reconcile: ' "$s/server.log" | sed 's/^/    log: /' || true
  fi
  rm -rf "$s"
}

for round in $(seq "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then order="ipoe dnsmasq"; else order="dnsmasq ipoe"; fi
  for server in $order; do run_one "$round" "$server"; done
done

echo
echo "server    round        qps   latency under load  CPU-s under load   light-load latency (min, max, stddev)"
awk '{ printf "%-9s %5d %10.0f %12.3f ms %12.2f %20.3f ms (%.3f, %.3f, %.3f)\n", $2, $1, $3, $4, $10, $5, $6, $7, $8 }' "$RESULTS"
awk '{ q[$2] += $3; l[$2] += $5; n[$2]++ }
  END {
    for (s in n) printf "%-9s mean over %d round(s): %.0f qps, light-load latency %.3f ms\n", s, n[s], q[s] / n[s], l[s] / n[s]
    if (n["ipoe"] && n["dnsmasq"]) printf "ratio ipoe/dnsmasq: qps %.2f, light-load latency %.2f\n", (q["ipoe"] / n["ipoe"]) / (q["dnsmasq"] / n["dnsmasq"]), (l["ipoe"] / n["ipoe"]) / (l["dnsmasq"] / n["dnsmasq"])
  }' "$RESULTS"
