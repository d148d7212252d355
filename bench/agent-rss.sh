#!/bin/bash
# Memory of ipoe-agent against the daemons it replaces, measured the same way in the same run:
# the three-namespace lab (hgw: radvd + kea-dhcp6; rtr: the router; lan: a client), each router
# program serving the LAN for SETTLE seconds (one rdisc6 and one stateless DHCPv6 exchange from lan),
# then VmRSS and VmHWM from /proc/<pid>/status. Peers: dhclient -6 -P (the PD client), dnsmasq
# (RA + stateless DHCPv6 + DNS on the LAN, as the seed ran it), radvd (an RA daemon).
# Usage (root): bench/agent-rss.sh [path/to/ipoe-agent]   Documentation-range addresses only.
# SETTLE=<seconds> (default 15) how long each serves before it is measured; AGENT_ENV="VAR=value ..." is
# passed to the agent (to try GC settings, e.g. DOTNET_GCgen0size=0x100000: they changed < 1 MB here).
set -euo pipefail
. "$(dirname "$0")/common.sh"
AGENT=${1:-$(dirname "$0")/../out/agent/ipoe-agent}
SETTLE=${SETTLE:-15}
ID=ipoe-b-$$
DIR=$(mktemp -d /tmp/ipoe-rss-XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  lab_down "$ID"
  rm -rf "$DIR"
}
trap cleanup EXIT

lab_up "$ID" "$DIR"   # common.sh: the tests' three-namespace lab, radvd + kea-dhcp6 in hgw

poke_lan() {
  ip netns exec "$ID-lan" rdisc6 -1 -w 2000 eth0 > /dev/null 2>&1 || echo "  (rdisc6 heard no RA)"
  mkdir -p "$DIR/dr" "$DIR/dd"; printf 'option dhcp6_name_servers, dhcp6_domain_search\n' > "$DIR/dhcpcd.conf"
  ip netns exec "$ID-lan" unshare -m sh -c "mkdir -p /run/dhcpcd /var/lib/dhcpcd && mount --bind $DIR/dr /run/dhcpcd && mount --bind $DIR/dd /var/lib/dhcpcd && timeout 15 dhcpcd -6 -T -c /bin/true -f $DIR/dhcpcd.conf -t 10 eth0" > "$DIR/dhcpcd.out" 2>&1 || true
  [ "${1:-}" = nodhcp ] || grep -q REPLY6 "$DIR/dhcpcd.out" || echo "  (dhcpcd got no stateless DHCPv6 answer)"
}
rss() { awk '/^VmRSS|^VmHWM/ { printf "%s %s kB  ", $1, $2 } END { print "" }' "/proc/$1/status"; }
kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

# --- ipoe-agent: PD client + RA + stateless DHCPv6 in one process
cp "$LAB/router.yaml" "$DIR/router.yaml"
IPOE_RUN_DIR=$DIR/run ip netns exec "$ID-rtr" env ${AGENT_ENV:-} "$AGENT" --document "$DIR/router.yaml" --state-dir "$DIR/state" --control-socket "$DIR/run/agent.sock" 2> "$DIR/agent.log" & AGENT_PID=$!; PIDS+=($AGENT_PID)
sleep 3; poke_lan; sleep "$SETTLE"
echo "ipoe-agent  $(rss $AGENT_PID)"; A=$(kb $AGENT_PID)
kill -TERM $AGENT_PID; wait $AGENT_PID || true
ip -n "$ID-rtr" addr flush dev lan0 scope global

# --- the peers: dhclient (PD), dnsmasq (RA + stateless DHCPv6 + DNS), radvd (RA)
ip -n "$ID-rtr" addr add 2001:db8:1200:1::1/64 dev lan0
ip netns exec "$ID-rtr" dhclient -6 -P -d -sf /bin/true -lf "$DIR/dhclient.leases" -pf "$DIR/dhclient.pid" wan0 > "$DIR/dhclient.log" 2>&1 & DH=$!; PIDS+=($DH)
ip netns exec "$ID-rtr" dnsmasq --keep-in-foreground --conf-file=/dev/null --pid-file="$DIR/dnsmasq.pid" --interface=lan0 --bind-dynamic \
  --enable-ra --dhcp-range=::,constructor:lan0,ra-stateless,64,12h --dhcp-option=option6:domain-search,home.example --no-resolv --server=2001:db8::53 \
  --dhcp-leasefile="$DIR/dnsmasq.leases" > "$DIR/dnsmasq.log" 2>&1 & DM=$!; PIDS+=($DM)
sleep 3; poke_lan; sleep "$SETTLE"
D1=$(kb $DH); D2=$(kb $DM)
echo "dhclient    $(rss $DH)"
echo "dnsmasq     $(rss $DM)"
kill $DM; wait $DM 2>/dev/null || true
cat > "$DIR/radvd-rtr.conf" <<RADVD
interface lan0 { AdvSendAdvert on; AdvOtherConfigFlag on; prefix 2001:db8:1200:1::/64 {}; RDNSS 2001:db8:1200:1::1 {}; DNSSL home.example {}; };
RADVD
ip netns exec "$ID-rtr" radvd -n -C "$DIR/radvd-rtr.conf" -p "$DIR/radvd-rtr.pid" -m logfile -l "$DIR/radvd-rtr.log" & RV=$!; PIDS+=($RV)
sleep 3; poke_lan nodhcp; sleep "$SETTLE"
# radvd forks a privilege-separated child; both count.
R=0; for p in $RV $(pgrep -P $RV || true); do R=$((R + $(kb $p))); done
echo "radvd       VmRSS: $R kB (parent + children)"
echo "ratio: ipoe-agent $A kB / (dhclient $D1 + dnsmasq $D2 + radvd $R = $((D1 + D2 + R)) kB) = $(awk "BEGIN { printf \"%.2f\", $A / ($D1 + $D2 + $R) }")"
