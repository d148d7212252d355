BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:AgentPath = if ($env:IPOE_AGENT) { $env:IPOE_AGENT } else { Join-Path $PSScriptRoot '../../out/agent/ipoe-agent' }
    $isRoot = (Get-Content /proc/self/status | Where-Object { $_ -like 'Uid:*' }) -match '^Uid:\s+\d+\s+0\s'
}

Describe 'Get-IpoeStatus' -Tag 'CI' {
    It 'reports AgentUnavailable, naming the socket, when no agent listens' {
        $socket = Join-Path $TestDrive 'nobody.sock'
        { Get-IpoeStatus -SocketPath $socket -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgentUnavailable,IpoeRouter.Commands.GetIpoeStatusCommand' -ExpectedMessage "*$socket*ipoe-agent*"
    }
}

Describe 'Get-IpoeStatus from a running agent' -Tag 'CI', 'RequireSudoOnUnix' {
    BeforeEach {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'the agent needs root to configure a namespace (CI runs as root)' ; return }
        if (-not (Test-Path $AgentPath)) { throw "$AgentPath is missing: 'build.ps1 Build' publishes the agent there." }
        # A router namespace whose WAN and LAN are veths to nobody: no HGW answers, so the PD client keeps soliciting.
        $script:ns = 'ipoe-p-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        & ip netns add $ns
        & ip -n $ns link add wan0 type veth peer name hgw0
        & ip -n $ns link add lan0 type veth peer name host0
        foreach ($l in 'hgw0', 'host0') { & ip -n $ns link set $l up }
        $script:dir = Join-Path $TestDrive $ns
        $null = New-Item -ItemType Directory $dir
        $doc = New-TestDocument -Path (Join-Path $dir 'router.yaml')
        Set-Content -Path $doc -Value (Get-Content -Raw $doc).Replace('{ name: wan0, role: wan, acceptRa: true }', '{ name: wan0, role: wan, acceptRa: true, dhcp4: true }')
        Add-Content -Path $doc -Value @'
dhcpScopes:
  - { interface: lan0, range: 192.0.2.100-192.0.2.199, domain: home.example }
dnsForwarder: {}
'@
        $script:socket = Join-Path $dir 'run/agent.sock'
        $psi = [System.Diagnostics.ProcessStartInfo]::new('ip')
        foreach ($a in 'netns', 'exec', $ns, $AgentPath, '--document', $doc, '--state-dir', (Join-Path $dir 'state'), '--control-socket', $socket) { $psi.ArgumentList.Add($a) }
        $psi.Environment['IPOE_RUN_DIR'] = Join-Path $dir 'run'
        $psi.RedirectStandardError = $true
        $script:agent = [System.Diagnostics.Process]::Start($psi)
        $script:agentLog = $agent.StandardError.ReadToEndAsync()
    }

    AfterEach {
        if (Get-Variable -Scope Script -Name agent -ErrorAction SilentlyContinue) {
            if ($agent -and -not $agent.HasExited) { $agent.Kill($true); $null = $agent.WaitForExit(5000) }
            Remove-Variable -Scope Script -Name agent
        }
        if (Get-Variable -Scope Script -Name ns -ErrorAction SilentlyContinue) { & ip netns delete $ns 2>$null; Remove-Variable -Scope Script -Name ns }
    }

    It 'shows the delegation soliciting, the LAN without a prefix yet, the WAN DHCPv4 client asking, the DHCPv4 server and DNS forwarder, and every service running' {
        $status = $null
        $deadline = [datetime]::UtcNow.AddSeconds(30)
        while (-not $status -and [datetime]::UtcNow -lt $deadline) {
            try { $status = Get-IpoeStatus -SocketPath $socket -ErrorAction Stop | Where-Object { $_.Services.Count -eq 10 } } catch { Start-Sleep -Milliseconds 250 }
            if (-not $status) { Start-Sleep -Milliseconds 250 }
        }
        $status | Should -Not -BeNullOrEmpty -Because "the agent should answer; it said: $(if ($agent.HasExited) { $agentLog.Result })"
        $status.AgentPid | Should -Be $agent.Id
        $status.Delegations[0].Name | Should -Be 'hgw'
        $status.Delegations[0].State | Should -Be 'Soliciting'
        $status.Delegations[0].Prefix | Should -BeNullOrEmpty
        $status.Delegations[0].ClientDuid | Should -BeLike '00:03:00:01:*'
        $status.Lans[0].Interface | Should -Be 'lan0'
        $status.Lans[0].Prefix | Should -BeNullOrEmpty
        @($status.Services | Where-Object State -NE 'Running') | Should -BeNullOrEmpty
        ($status.Services.Name | Sort-Object) -join ' ' | Should -Be 'dhcp4-client:wan0 dhcp4-server:lan0 dhcp6-server:lan0 dns lan-names lan-neighbors pd:hgw ra:lan0 rdnss tunnel-probe'
        ($status.Wan[0].Addresses | Where-Object Scope -EQ 'link') | Should -Not -BeNullOrEmpty
        $text = $status | Format-List | Out-String
        $text | Should -Match 'hgw on wan0: no prefix Soliciting'
        $text | Should -Match 'lan0: no prefix, last RA never'
        $status.Wan4[0].Address | Should -BeNullOrEmpty
        # The document's tunnel waits for a WAN address, and the status says so and which backend carries it.
        $status.Tunnels[0].Name | Should -Be 'tnl0'
        $status.Tunnels[0].State | Should -Be 'Pending'
        $text | Should -Match 'tnl0 \((userspace|kernel)\): Pending: wan0 has no usable global IPv6 address'
        $text | Should -Match 'wan0: no IPv4 lease (Selecting|Init)'
        $status.Dns.Listening | Should -Be @('192.0.2.1 (lan0)')
        $status.Dns.Domain | Should -Be 'home.example'
        $text | Should -Match 'answering on 192\.0\.2\.1 \(lan0\); forwarding to nobody yet; 0 name\(s\) under home\.example'
        $text | Should -Match 'lan0: 0 of 100 leased from 192\.0\.2\.100-192\.0\.2\.199, 0 received, 0 replied'
    }
}
