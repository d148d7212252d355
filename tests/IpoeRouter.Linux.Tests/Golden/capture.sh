#!/usr/bin/env bash
# Regenerates the golden netlink messages: what iproute2 sends for each command, captured with
# strace in a throw-away namespace, with nlmsg_seq and nlmsg_pid zeroed. The kernel may refuse the
# request (these kernels have no ip6_tunnel): the bytes sent are what matters.
# Usage (root): tests/IpoeRouter.Linux.Tests/Golden/capture.sh
set -euo pipefail
cd "$(dirname "$0")"
ns="ipoe-golden-$$"
ip netns add "$ns"
trap 'ip netns delete "$ns"' EXIT

capture() {
    local name=$1; shift
    {
        echo "# ip $*"
        echo "# $(ip -V | head -n1); nlmsg_seq and nlmsg_pid zeroed"
        { ip netns exec "$ns" strace -f -e trace=sendmsg -e write=all -xx ip "$@" 2>&1 >/dev/null || true; } \
            | python3 -c '
import re, sys
data = bytearray()
for line in sys.stdin:
    m = re.match(r"^ \| [0-9a-f]{5}  ((?:[0-9a-f]{2} ){1,8}(?: (?:[0-9a-f]{2} ){0,8})?)", line)
    if m:
        data += bytes.fromhex(m.group(1).replace(" ", ""))
data[8:16] = bytes(8)
print(data.hex())
'
    } > "$name.hex"
}

capture ip6tnl-ipip6-basic link add ip6tnl1 type ip6tnl mode ipip6 local 2001:db8::2 remote 2001:db8:ffff::100 encaplimit none ttl 64
capture ip6tnl-ipip6-mtu link add ip6tnl1 mtu 1460 type ip6tnl mode ipip6 local 2001:db8::2 remote 2001:db8:ffff::100 encaplimit none ttl 64
capture ip6tnl-ipip6-encaplimit link add dslite0 type ip6tnl mode ipip6 local 2001:db8:1::1 remote 2001:db8:ffff::101 encaplimit 4 hoplimit 255
