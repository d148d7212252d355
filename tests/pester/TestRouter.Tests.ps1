BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:isRoot = (id -u) -eq '0'

    # The test document with a DNS forwarder on lan0, so the document needs udp/tcp 53 as well as udp 546.
    function New-DiagnosisDocument {
        $path = New-TestDocument
        Add-Content -Path $path -Value "dnsForwarder:`n  interfaces: [lan0]`n  upstreams: [198.51.100.53]"
        $path
    }

    # A program started in the namespace by pid ('ip netns exec' execs it, so the pid is the program's).
    function Start-InNamespace([string] $Namespace, [string[]] $Command) {
        Start-Process -FilePath ip -ArgumentList (@('netns', 'exec', $Namespace) + $Command) -PassThru -RedirectStandardOutput /dev/null -RedirectStandardError (Join-Path $TestDrive "$([guid]::NewGuid().ToString('N')).err")
    }

    # Waits until 'ss' in the namespace lists a socket on the port.
    function Wait-Port([string] $Namespace, [string] $Flags, [int] $Port) {
        for ($i = 0; $i -lt 100; $i++) {
            if ((& ip netns exec $Namespace ss $Flags "sport = :$Port") -match ":$Port\b") { return }
            Start-Sleep -Milliseconds 100
        }
        throw "nothing bound port $Port in namespace $Namespace within 10 s"
    }

    function Stop-ByPid($Process) {
        if ($Process -and -not $Process.HasExited) { Stop-Process -Id $Process.Id -Force -ErrorAction SilentlyContinue; $Process.WaitForExit(5000) | Out-Null }
    }
}

Describe 'Test-IpoeRouter in a namespace' -Tag 'CI', 'RequireSudoOnUnix' {
    BeforeEach {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'needs root to create network namespaces (CI runs as root)'; return }
        $ns = 'ipoe-t16-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        & ip netns add $ns
        & ip -n $ns link set lo up
        # veth pairs inside the namespace (this kernel may lack the dummy module); each end up with its peer
        & ip -n $ns link add wan0 type veth peer name wan0p
        & ip -n $ns link add lan0 type veth peer name lan0p
        foreach ($l in 'wan0', 'wan0p', 'lan0', 'lan0p') { & ip -n $ns link set $l up }
        & ip -n $ns addr add 192.0.2.1/24 dev lan0
        & ip -n $ns addr add 2001:db8::2/64 dev wan0 nodad
        $doc = New-DiagnosisDocument
        $started = @()
    }

    AfterEach {
        if ($isRoot) {
            foreach ($p in $started) { Stop-ByPid $p }
            & ip netns delete $ns 2>$null
        }
    }

    It 'fails Ports naming dnsmasq and its pid when dnsmasq holds udp 53 on the LAN address' {
        $dnsmasq = Start-InNamespace $ns @('dnsmasq', '--no-daemon', '--conf-file=/dev/null', '--port=53', '--listen-address=192.0.2.1', '--bind-interfaces', '--pid-file=', '--user=root')
        $started += $dnsmasq
        Wait-Port $ns '-lun' 53

        $held = @(Test-IpoeRouter -Path $doc -Namespace $ns | Where-Object { $_.Check -eq 'Ports' -and $_.Status -eq 'Fail' })

        $held.Count | Should -BeGreaterThan 0
        $held.Process | Should -Contain 'dnsmasq'
        $held.Pid | Should -Contain $dnsmasq.Id
        $held[0].Remedy | Should -Match 'systemctl disable --now dnsmasq'
    }

    It 'fails Ports naming the pid of a plain listener on udp 546, which the delegation needs' {
        # the launcher may run pwsh as a child: the one-liner writes its own pid once it holds the port
        $exe = [Environment]::ProcessPath
        $prefix = if ([IO.Path]::GetFileName($exe) -eq 'dotnet') { @($exe, 'pwsh') } else { @($exe) }
        $pidFile = Join-Path $TestDrive "listener-$ns.pid"
        $started += Start-InNamespace $ns ($prefix + @('-NoProfile', '-Command', "`$u = [Net.Sockets.UdpClient]::new(546); Set-Content -Path '$pidFile' -Value `$PID; Start-Sleep 120"))
        Wait-Port $ns '-lun' 546
        for ($i = 0; $i -lt 50 -and -not (Test-Path $pidFile); $i++) { Start-Sleep -Milliseconds 100 }
        $listenerPid = [int] (Get-Content $pidFile)
        $started += Get-Process -Id $listenerPid

        $held = Test-IpoeRouter -Path $doc -Namespace $ns | Where-Object { $_.Check -eq 'Ports' -and $_.Target -match ':546$' }

        $held.Status | Should -Be 'Fail'
        $held.Pid | Should -Be $listenerPid
    }

    It 'passes Ports when nothing else holds the ports' {
        $ports = @(Test-IpoeRouter -Path $doc -Namespace $ns | Where-Object Check -EQ 'Ports')
        $ports.Count | Should -Be 1
        $ports[0].Status | Should -Be 'Pass'
    }

    It 'fails AcceptRa on the WAN with forwarding 1 and accept_ra 1, and passes it with accept_ra 2' {
        & ip netns exec $ns sysctl -qw net.ipv6.conf.wan0.forwarding=1 net.ipv6.conf.wan0.accept_ra=1

        $ra = Test-IpoeRouter -Path $doc -Namespace $ns | Where-Object { $_.Check -eq 'AcceptRa' -and $_.Target -eq 'wan0' }
        $ra.Status | Should -Be 'Fail'
        $ra.Evidence | Should -Match 'forwarding=1, accept_ra=1'

        & ip netns exec $ns sysctl -qw net.ipv6.conf.wan0.accept_ra=2
        (Test-IpoeRouter -Path $doc -Namespace $ns | Where-Object { $_.Check -eq 'AcceptRa' -and $_.Target -eq 'wan0' }).Status | Should -Be 'Pass'
    }

    It 'warns about an address left tentative on a link that is down' {
        & ip -n $ns link set lan0 down
        & ip -n $ns addr add 2001:db8:1::1/64 dev lan0

        $state = Test-IpoeRouter -Path $doc -Namespace $ns | Where-Object { $_.Check -eq 'AddressState' -and $_.Target -eq 'lan0 2001:db8:1::1/64' }

        $state.Status | Should -Be 'Warn'
        $state.Evidence | Should -Match 'tentative'
    }

    It 'fails AddressState for an address that lost duplicate address detection to the veth peer' {
        & ip -n $ns addr add 2001:db8:5::1/64 dev lan0p nodad
        & ip -n $ns addr add 2001:db8:5::1/64 dev lan0
        for ($i = 0; $i -lt 50 -and -not ((& ip -n $ns -6 addr show dev lan0) -match 'dadfailed'); $i++) { Start-Sleep -Milliseconds 100 }

        $state = Test-IpoeRouter -Path $doc -Namespace $ns | Where-Object { $_.Check -eq 'AddressState' -and $_.Target -eq 'lan0 2001:db8:5::1/64' }

        $state.Status | Should -Be 'Fail'
        $state.Evidence | Should -Match 'dadfailed'
    }

    It 'fails TunnelLocal for an ip6tnl whose local address is on no link' {
        & ip -n $ns link add tnl0 type ip6tnl mode ipip6 local 2001:db8::99 remote 2001:db8:ffff::100 2>$null
        if ($LASTEXITCODE -ne 0) { Set-ItResult -Skipped -Because 'the kernel cannot make ip6tnl links (ip6_tunnel module missing)'; return }

        $tunnel = Test-IpoeRouter -Path $doc -Namespace $ns | Where-Object Check -EQ 'TunnelLocal'

        $tunnel.Status | Should -Be 'Fail'
        $tunnel.Evidence | Should -Match 'Local address not yet configured!'

        & ip -n $ns addr add 2001:db8::99/128 dev wan0 nodad
        (Test-IpoeRouter -Path $doc -Namespace $ns | Where-Object Check -EQ 'TunnelLocal').Status | Should -Be 'Pass'
    }

    It 'fails Agent when no ipoe-agent serves the namespace, and outputs Fail first' {
        $all = @(Test-IpoeRouter -Path $doc -Namespace $ns)

        ($all | Where-Object Check -EQ 'Agent').Evidence | Should -Be 'no ipoe-agent serves this router'
        $all[0].Status | Should -Be 'Fail'
        $all | Should -BeOfType ([IpoeRouter.Engine.Diagnostics.RouterCheck])
    }

    It 'reports NamespaceNotFound for a namespace that does not exist' {
        { Test-IpoeRouter -Path $doc -Namespace "$ns-missing" -ErrorAction Stop } |
            Should -Throw -ErrorId 'NamespaceNotFound,IpoeRouter.Commands.TestIpoeRouterCommand'
    }
}
