<#
.SYNOPSIS
    The README's main job: the router in a lab of namespaces, with real peers.
.DESCRIPTION
    hgw  radvd (what an NTT HGW sends: O flag, router lifetime 5400 s, prefix valid 14400 s /
         preferred 12600 s), kea-dhcp6 delegating /60s out of 2001:db8:1200::/48 with the AFTR-Name
         dslite.example.net (option 64), and dnsmasq as the NGN's DNS at 2001:db8::53
    aftr the lab's AFTR (ipoe-lab-aftr: IPv4-in-IPv6 to and from the B4, NAT by nftables masquerade)
    inet the IPv4 internet: 203.0.113.80, www.example.com, a web server (busybox httpd)
    rtr  ipoe-agent (NativeAOT) with a small router document and a DS-Lite tunnel added by the cmdlets
    lan  rdisc6, dhcpcd and udhcpc + curl as the LAN's hosts
    Shows the plan before the agent runs, Get-IpoeStatus once the delegation arrived, what the LAN's
    hosts hear, a LAN host fetching a page from the IPv4 internet through DS-Lite, a renumbering by
    the HGW (the old /64 deprecated, the new one announced), and the agent's final RA on stop.
    Needs root. Documentation addresses only; everything it starts is stopped by pid and every
    namespace removed, also on failure.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $AgentPath,
    [Parameter(Mandatory)] [string] $LabAftrPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$ModulePath = (Resolve-Path $ModulePath).Path
$AgentPath = (Resolve-Path $AgentPath).Path
$LabAftrPath = (Resolve-Path $LabAftrPath).Path
Import-Module $ModulePath -Force

$id = "ipoe-lab-$PID"
$hgw, $rtr, $lan, $aftr, $inet = "$id-hgw", "$id-rtr", "$id-lan", "$id-aftr", "$id-inet"
$dir = (New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "$id-$([guid]::NewGuid().ToString('N').Substring(0, 6))")).FullName
$processes = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()

function Invoke-Ip { & ip @args; if ($LASTEXITCODE) { throw "ip $args failed ($LASTEXITCODE)" } }

function Start-InNamespace([string] $Ns, [string[]] $Command, [hashtable] $Environment = @{}, [string] $Log) {
    $psi = [System.Diagnostics.ProcessStartInfo]::new('ip')
    foreach ($a in @('netns', 'exec', $Ns) + $Command) { $psi.ArgumentList.Add($a) }
    foreach ($k in $Environment.Keys) { $psi.Environment[$k] = $Environment[$k] }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $p = [System.Diagnostics.Process]::Start($psi)
    $processes.Add($p)
    # Both streams to a file, read asynchronously so the child never blocks on a full pipe.
    $null = $p.StandardOutput.BaseStream.CopyToAsync([IO.FileStream]::new("$Log.out", 'Create', 'Write', 'ReadWrite', 1))
    $null = $p.StandardError.BaseStream.CopyToAsync([IO.FileStream]::new("$Log.err", 'Create', 'Write', 'ReadWrite', 1))
    $p
}

function Wait-Status([scriptblock] $Until, [int] $Seconds = 30) {
    $deadline = [datetime]::UtcNow.AddSeconds($Seconds)
    while ([datetime]::UtcNow -lt $deadline) {
        try { $s = Get-IpoeStatus -SocketPath (Join-Path $dir 'run/agent.sock') -ErrorAction Stop; if (& $Until $s) { return $s } } catch { }
        Start-Sleep -Milliseconds 250
    }
    throw "the agent did not get there within $Seconds s; its log:`n$(Get-Content (Join-Path $dir 'agent.err') -Raw -ErrorAction SilentlyContinue)"
}

# The HGW's servers read the lab's own files (lab/hgw), the same the tests use.
function Set-KeaConfig([string] $Pool) {
    (Get-Content (Join-Path $PSScriptRoot 'hgw/kea-dhcp6.json') -Raw).Replace('@DIR@', $dir).Replace('@POOL@', $Pool).
        Replace('@PREFERRED@', '12600').Replace('@VALID@', '14400').Replace('@RENEW@', '5').Replace('@REBIND@', '8') |
        Set-Content (Join-Path $dir 'kea-dhcp6.json')
}

function Show-Lan {
    Write-Host "-- rdisc6 eth0 (in $lan):"
    & ip netns exec $lan rdisc6 -1 -w 3000 eth0 2>&1 | Select-String 'Stateful other|Router lifetime|Prefix|Valid time|Pref. time|Recursive DNS|DNS server lifetime|DNS search list  ' | ForEach-Object { "   $($_.Line)" } | Out-Host
}

try {
    Write-Host "`n== The lab: $hgw (radvd + kea-dhcp6) — $rtr (ipoe-agent) — $lan (rdisc6, dhcpcd)"
    foreach ($n in $hgw, $rtr, $lan) { Invoke-Ip netns add $n; Invoke-Ip -n $n link set lo up }
    Invoke-Ip -n $rtr link add wan0 type veth peer name hgw0 netns $hgw
    Invoke-Ip -n $rtr link add lan0 type veth peer name eth0 netns $lan
    & ip netns exec $hgw sysctl -qw net.ipv6.conf.hgw0.accept_dad=0 net.ipv6.conf.all.forwarding=1
    Invoke-Ip -n $hgw addr add 2001:db8:ff::1/64 dev hgw0 nodad
    Invoke-Ip -n $hgw link set hgw0 up; Invoke-Ip -n $rtr link set wan0 up; Invoke-Ip -n $rtr link set lan0 up; Invoke-Ip -n $lan link set eth0 up
    $null = Start-InNamespace $hgw @('radvd', '-n', '-C', (Join-Path $PSScriptRoot 'hgw/radvd.conf'), '-p', (Join-Path $dir 'radvd.pid'), '-m', 'stderr') -Log (Join-Path $dir 'radvd')
    Set-KeaConfig '2001:db8:1200::'
    $null = Start-InNamespace $hgw @('kea-dhcp6', '-c', (Join-Path $dir 'kea-dhcp6.json')) -Environment @{ KEA_PIDFILE_DIR = $dir; KEA_LOCKFILE_DIR = $dir } -Log (Join-Path $dir 'kea')

    Write-Host "== The rest of the NGN: $aftr (the lab AFTR at 2001:db8:aa::1) — $inet (203.0.113.80, www.example.com)"
    foreach ($n in $aftr, $inet) { Invoke-Ip netns add $n; Invoke-Ip -n $n link set lo up }
    Invoke-Ip -n $hgw link add to-aftr type veth peer name up6 netns $aftr
    Invoke-Ip -n $aftr link add inet0 type veth peer name eth0 netns $inet
    Invoke-Ip -n $hgw addr add 2001:db8:aa::fe/64 dev to-aftr nodad; Invoke-Ip -n $hgw link set to-aftr up
    Invoke-Ip -n $hgw addr add 2001:db8::53/128 dev lo nodad
    Invoke-Ip -n $aftr addr add 2001:db8:aa::1/64 dev up6 nodad; Invoke-Ip -n $aftr link set up6 up; Invoke-Ip -n $aftr -6 route add default via 2001:db8:aa::fe
    Invoke-Ip -n $aftr addr add 203.0.113.1/24 dev inet0; Invoke-Ip -n $aftr link set inet0 up
    Invoke-Ip -n $inet addr add 203.0.113.80/24 dev eth0; Invoke-Ip -n $inet link set eth0 up
    & ip netns exec $aftr sysctl -qw net.ipv4.ip_forward=1
    & ip netns exec $aftr nft 'add table ip lab; add chain ip lab post { type nat hook postrouting priority 100; }; add rule ip lab post oifname inet0 masquerade'
    $null = Start-InNamespace $aftr @('dotnet', $LabAftrPath, 'aftr', '--address', '2001:db8:aa::1') -Log (Join-Path $dir 'aftr')
    $null = Start-InNamespace $hgw @('dnsmasq', '--no-daemon', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--port=53', '--listen-address=2001:db8::53', '--bind-interfaces',
        '--user=root', '--local-ttl=300', '--address=/www.example.com/203.0.113.80', '--host-record=dslite.example.net,2001:db8:aa::1', "--pid-file=$dir/hgw-dns.pid", '--log-facility=-') -Log (Join-Path $dir 'hgw-dns')
    $www = New-Item -ItemType Directory (Join-Path $dir 'www')
    "hello from the IPv4 internet (203.0.113.80), fetched through DS-Lite`n" | Set-Content (Join-Path $www 'index.html') -NoNewline
    $null = Start-InNamespace $inet @('busybox', 'httpd', '-f', '-p', '203.0.113.80:80', '-h', $www.FullName) -Log (Join-Path $dir 'httpd')

    $doc = Join-Path $dir 'router.yaml'
    Copy-Item (Join-Path $PSScriptRoot 'router.yaml') $doc
    Write-Host "`n== IPv4 over IPv6, declared with the cmdlets: the AFTR from DHCPv6 option 64, the local end following wan0"
    Write-Host "   Set-IpoeTunnel -Path `$doc -Name ds0 -DiscoverRemote Dhcpv6 -LocalFrom wan0; Set-IpoeSysctlSetting -Path `$doc -Name net.ipv4.ip_forward -Value 1"
    Set-IpoeTunnel -Path $doc -Name ds0 -DiscoverRemote Dhcpv6 -LocalFrom wan0
    Set-IpoeSysctlSetting -Path $doc -Name net.ipv4.ip_forward -Value 1
    Write-Host "`n== The document ($doc):"
    Get-Content $doc | ForEach-Object { "   $_" } | Out-Host
    Write-Host "`n== Get-IpoePlan -Namespace $rtr, before the agent runs (the LAN's /64 waits for the delegation):"
    Get-IpoePlan -Path $doc -Namespace $rtr | Format-Table Outcome, Kind, Key, Reason -Wrap | Out-String -Width 160 | Out-Host

    $agent = Start-InNamespace $rtr @($AgentPath, '--document', $doc, '--state-dir', (Join-Path $dir 'state'), '--control-socket', (Join-Path $dir 'run/agent.sock'), '--ra-interval', '10') `
        -Environment @{ IPOE_RUN_DIR = (Join-Path $dir 'run') } -Log (Join-Path $dir 'agent')
    $status = Wait-Status { param($s) $s.Lans[0].Prefix }
    Write-Host "== ipoe-agent (pid $($agent.Id)) got a prefix; Get-IpoeStatus:"
    $status | Format-List | Out-String -Width 200 | Out-Host
    Show-Lan
    Write-Host "-- dhcpcd -6 (stateless DHCPv6 from $lan):"
    $null = New-Item -ItemType Directory -Force (Join-Path $dir 'dhcpcd-run'), (Join-Path $dir 'dhcpcd-db')
    "#!/bin/sh`necho `"   dhcpcd: reason=`$reason dns=`$new_dhcp6_name_servers search=`$new_dhcp6_domain_search`"" | Set-Content (Join-Path $dir 'hook.sh')
    & chmod +x (Join-Path $dir 'hook.sh')
    'option dhcp6_name_servers, dhcp6_domain_search' | Set-Content (Join-Path $dir 'dhcpcd.conf')
    & ip netns exec $lan unshare -m sh -c "mkdir -p /run/dhcpcd /var/lib/dhcpcd && mount --bind $dir/dhcpcd-run /run/dhcpcd && mount --bind $dir/dhcpcd-db /var/lib/dhcpcd && timeout 20 dhcpcd -6 -T -c $dir/hook.sh -f $dir/dhcpcd.conf -t 15 eth0" 2>&1 |
        Select-String 'dhcpcd: reason=TEST dns=2' | Select-Object -First 1 | ForEach-Object { $_.Line } | Out-Host

    Write-Host "`n== DS-Lite: a LAN host takes DHCPv4 from the agent and fetches http://www.example.com/ (its DNS: the agent's forwarder)"
    $status = Wait-Status { param($s) $s.Tunnels -and $s.Tunnels[0].State -eq 'Up' } -Seconds 45
    $t = $status.Tunnels[0]
    Write-Host "   tunnel $($t.Name): $($t.State), $($t.Backend) ($($t.Reason)); $($t.Local) -> $($t.Remote); AFTR: $($t.RemoteDetail)"
    "#!/bin/sh`n[ `"`$1`" = bound ] && ip addr add `$ip/`$mask dev `$interface && ip route add default via `$router && echo `"   udhcpc: `$ip/`$mask, router `$router, dns `$dns`"`nexit 0" | Set-Content (Join-Path $dir 'udhcpc.sh')
    & chmod +x (Join-Path $dir 'udhcpc.sh')
    & ip netns exec $lan udhcpc -f -q -n -t 4 -T 2 -i eth0 -s (Join-Path $dir 'udhcpc.sh') 2>$null | Out-Host
    $null = New-Item -ItemType Directory -Force "/etc/netns/$lan"
    'nameserver 198.51.100.1' | Set-Content "/etc/netns/$lan/resolv.conf"   # ip netns exec gives the LAN host this resolv.conf
    Write-Host "-- curl http://www.example.com/ (in $lan):"
    & ip netns exec $lan curl -sS -m 5 http://www.example.com/ 2>&1 | ForEach-Object { "   $_" } | Out-Host
    Write-Host "-- ping -M do -s 1472 203.0.113.80 (1500 bytes with DF: the tunnel's MTU is 1460):"
    & ip netns exec $lan ping -n -c 1 -W 2 -M do -s 1472 203.0.113.80 2>&1 | Select-String 'mtu' | ForEach-Object { "   $($_.Line)" } | Out-Host
    Write-Host "-- the lab AFTR:"
    Get-Content (Join-Path $dir 'aftr.out') | Select-Object -Last 2 | ForEach-Object { "   $_" } | Out-Host

    Write-Host "`n== The HGW is renumbered (kea's pool moves to 2001:db8:3400::/48); the next Renew brings the new /60:"
    Set-KeaConfig '2001:db8:3400::'
    $control = [System.Net.Sockets.Socket]::new('Unix', 'Stream', 'Unspecified')
    try {
        $control.Connect([System.Net.Sockets.UnixDomainSocketEndPoint]::new((Join-Path $dir 'kea6.sock')))
        $null = $control.Send([Text.Encoding]::UTF8.GetBytes('{ "command": "config-reload" }'))
        $buffer = [byte[]]::new(4096); $null = $control.Receive($buffer)
    }
    finally { $control.Dispose() }
    $old = $status.Lans[0].Prefix
    $status = Wait-Status { param($s) $s.Lans[0].Prefix -and $s.Lans[0].Prefix -ne $old } -Seconds 30
    $status | Format-List | Out-String -Width 200 | Out-Host
    Show-Lan

    Write-Host "`n== Stopping the agent (SIGTERM, pid $($agent.Id)): a final RA with router lifetime 0; the lease stays for the next start."
    & kill -TERM $agent.Id
    $null = $agent.WaitForExit(15000)
    Get-Content (Join-Path $dir 'agent.err') | Select-Object -Last 4 | ForEach-Object { "   $_" } | Out-Host
    Write-Host "   exit code $($agent.ExitCode); saved lease: $((Get-Content (Join-Path $dir 'state/pd-hgw.json') -Raw | ConvertFrom-Json).lease.prefixes[0].prefix)"
}
finally {
    foreach ($p in $processes) { if (-not $p.HasExited) { $p.Kill($true); $null = $p.WaitForExit(5000) } }
    foreach ($n in $lan, $rtr, $hgw, $aftr, $inet) { & ip netns delete $n 2>$null }
    Remove-Item "/etc/netns/$lan" -Recurse -Force -ErrorAction SilentlyContinue
    Remove-Item $dir -Recurse -Force -ErrorAction SilentlyContinue
}
