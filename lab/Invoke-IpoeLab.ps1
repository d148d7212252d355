<#
.SYNOPSIS
    The README's main job: the router in a three-namespace lab, with real peers.
.DESCRIPTION
    hgw  radvd (what an NTT HGW sends: O flag, router lifetime 5400 s, prefix valid 14400 s /
         preferred 12600 s) and kea-dhcp6 delegating /60s out of 2001:db8:1200::/48
    rtr  ipoe-agent (NativeAOT) with a small router document
    lan  rdisc6 and dhcpcd as the LAN's hosts
    Shows the plan before the agent runs, Get-IpoeStatus once the delegation arrived, what the LAN's
    hosts hear, a renumbering by the HGW (the old /64 deprecated, the new one announced), and the
    agent's final RA on stop. Needs root. Documentation addresses only; everything it starts is
    stopped by pid and every namespace removed, also on failure.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $AgentPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$ModulePath = (Resolve-Path $ModulePath).Path
$AgentPath = (Resolve-Path $AgentPath).Path
Import-Module $ModulePath -Force

$id = "ipoe-lab-$PID"
$hgw, $rtr, $lan = "$id-hgw", "$id-rtr", "$id-lan"
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

    $doc = Join-Path $dir 'router.yaml'
    Copy-Item (Join-Path $PSScriptRoot 'router.yaml') $doc
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
    foreach ($n in $lan, $rtr, $hgw) { & ip netns delete $n 2>$null }
    Remove-Item $dir -Recurse -Force -ErrorAction SilentlyContinue
}
