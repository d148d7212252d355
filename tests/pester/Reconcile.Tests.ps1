BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    # A namespace of its own per test, with a veth pair v0/v1; removed in AfterEach, also on failure.
    function New-TestNamespace {
        $name = 'ipoe-p-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        & ip netns add $name
        & ip -n $name link add v0 type veth peer name v1
        $name
    }

    # What the engine manages: each link's admin state and MTU, addresses, routes, ip_forward, and
    # the nftables ruleset (its inet ipoe table, or none). (Bringing a veth up once attaches a qdisc
    # for good; that is not compared.)
    function Get-NsState([string] $Name) {
        $links = (& ip -j -n $Name link show | ConvertFrom-Json) | ForEach-Object { '{0} mtu {1} {2}' -f $_.ifname, $_.mtu, $(if ($_.flags -contains 'UP') { 'up' } else { 'down' }) }
        $addresses = (& ip -j -n $Name addr show | ConvertFrom-Json) | ForEach-Object { $l = $_.ifname; $_.addr_info | ForEach-Object { '{0} {1}/{2}' -f $l, $_.local, $_.prefixlen } } | Sort-Object
        @($links) + @($addresses) + (& ip -n $Name route show table all) + (& ip -n $Name -6 route show table all) +
            (& ip netns exec $Name cat /proc/sys/net/ipv4/ip_forward) + 'nft:' + (& ip netns exec $Name nft list ruleset) -join "`n"
    }

    $isRoot = (Get-Content /proc/self/status | Where-Object { $_ -like 'Uid:*' }) -match '^Uid:\s+\d+\s+0\s'
}

Describe 'Get-IpoePlan and Invoke-IpoeReconcile in a namespace' -Tag 'CI', 'RequireSudoOnUnix' {
    BeforeEach {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'needs root to create network namespaces (CI runs as root)' }
        $ns = New-TestNamespace
        $doc = Join-Path $TestDrive "router-$ns.yaml"
        Set-Content -Path $doc -Value @'
version: 1
interfaces:
  - { name: v0, role: lan, mtu: 1454, addresses: [192.0.2.1/24] }
routes:
  - { destination: 198.51.100.0/24, gateway: 192.0.2.254, interface: v0 }
sysctl:
  - { name: net.ipv4.ip_forward, value: 1 }
'@
    }

    AfterEach {
        if ($ns) { & ip netns delete $ns 2>$null; Remove-Item "/run/ipoe/firewall-$ns.json" -ErrorAction SilentlyContinue }
    }

    It 'plans the changes with reasons and changes nothing' {
        $before = Get-NsState $ns
        $plan = Get-IpoePlan -Path $doc -Namespace $ns
        ($plan | Where-Object Outcome -EQ 'Create').Key | Should -Contain '192.0.2.1/24 dev v0'
        ($plan | Where-Object Key -EQ 'net.ipv4.ip_forward').Changes[0].After | Should -Be '1'
        ($plan | Where-Object Key -EQ 'v0').Changes.Path | Should -Contain 'mtu'
        Get-NsState $ns | Should -Be $before
    }

    It 'changes nothing under -WhatIf' {
        $before = Get-NsState $ns
        Invoke-IpoeReconcile -Path $doc -Namespace $ns -WhatIf
        Get-NsState $ns | Should -Be $before
    }

    It 'converges the namespace, after which the plan is empty' {
        $result = Invoke-IpoeReconcile -Path $doc -Namespace $ns -Confirm:$false
        $result.Outcome | Should -Be 'Converged'
        (& ip -n $ns -4 -o addr show dev v0) | Should -Match '192\.0\.2\.1/24'
        (& ip -n $ns route show 198.51.100.0/24) | Should -Match 'via 192\.0\.2\.254 dev v0 proto 233'
        (& ip netns exec $ns cat /proc/sys/net/ipv4/ip_forward) | Should -Be '1'
        Get-IpoePlan -Path $doc -Namespace $ns | Should -BeNullOrEmpty
    }

    It 'asks before removing, and -Force removes the engine''s own leftover route only' {
        Invoke-IpoeReconcile -Path $doc -Namespace $ns -Confirm:$false | Out-Null
        & ip -n $ns route add 203.0.113.0/24 via 192.0.2.253 dev v0
        (Get-Content $doc | Where-Object { $_ -notmatch 'routes:|198\.51\.100' }) | Set-Content $doc
        (Get-IpoePlan -Path $doc -Namespace $ns | Where-Object Outcome -EQ 'Delete').Key | Should -BeLike '198.51.100.0/24*'

        Invoke-IpoeReconcile -Path $doc -Namespace $ns -Force -Confirm:$false | Out-Null

        (& ip -n $ns route show 198.51.100.0/24) | Should -BeNullOrEmpty
        (& ip -n $ns route show 203.0.113.0/24) | Should -Not -BeNullOrEmpty
    }

    It 'refuses, over SSH, a firewall change without -ConfirmWithin or -Force' {
        $saved = $env:SSH_CONNECTION
        try {
            $env:SSH_CONNECTION = '192.0.2.50 50000 192.0.2.1 22'
            $before = Get-NsState $ns
            { Invoke-IpoeReconcile -Path $doc -Namespace $ns -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'RemoteSessionAtRisk,IpoeRouter.Commands.InvokeIpoeReconcileCommand'
            Get-NsState $ns | Should -Be $before
            (Invoke-IpoeReconcile -Path $doc -Namespace $ns -Force -Confirm:$false).Outcome | Should -Be 'Converged'
        }
        finally {
            $env:SSH_CONNECTION = $saved
        }
    }

    It 'reports NamespaceNotFound for a namespace that does not exist' {
        { Get-IpoePlan -Path $doc -Namespace 'ipoe-no-such-ns' -ErrorAction Stop } |
            Should -Throw -ErrorId 'NamespaceNotFound,IpoeRouter.Commands.GetIpoePlanCommand'
    }
}

Describe 'Export-IpoeDocument -Live' -Tag 'CI', 'RequireSudoOnUnix' {
    BeforeEach {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'needs root to create network namespaces (CI runs as root)' }
        $ns = New-TestNamespace
        & ip -n $ns link set v0 mtu 1454 up
        & ip -n $ns addr add 192.0.2.1/24 dev v0
        & ip -n $ns addr add 2001:db8:0:1::1/64 dev v0 nodad
        & ip -n $ns route add 198.51.100.0/24 via 192.0.2.254 dev v0 proto static
    }

    AfterEach {
        if ($ns) { & ip netns delete $ns 2>$null; Remove-Item "/run/ipoe/firewall-$ns.json" -ErrorAction SilentlyContinue }
    }

    It 'reads the namespace out as a valid document of what was configured' {
        $yaml = Export-IpoeDocument -Live -Namespace $ns
        $file = Join-Path $TestDrive "live-$ns.yaml"
        Set-Content -Path $file -Value $yaml
        Test-IpoeDocument -Path $file | Should -BeTrue
        $v0 = Get-IpoeInterface -Path $file -Name v0
        $v0.Mtu | Should -Be 1454
        $v0.Up | Should -BeTrue
        @($v0.Addresses | ForEach-Object ToString) | Should -Be @('192.0.2.1/24', '2001:db8:0:1::1/64')
        (Get-IpoeRoute -Path $file -Destination 198.51.100.0/24).Gateway.ToString() | Should -Be '192.0.2.254'
    }

    It 'gives a document that, applied, creates and removes nothing' {
        $file = Join-Path $TestDrive "live2-$ns.yaml"
        Export-IpoeDocument -Live -Namespace $ns -Destination $file
        # (The firewall is created: a document without rules gets the default policy.)
        Get-IpoePlan -Path $file -Namespace $ns | Where-Object { $_.Outcome -in 'Create', 'Delete', 'Replace' -and $_.Kind -ne 'Firewall' } | Should -BeNullOrEmpty
    }
}

Describe 'Confirmed apply (-ConfirmWithin)' -Tag 'CI', 'RequireSudoOnUnix' {
    BeforeEach {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'needs root to create network namespaces (CI runs as root)' }
        $savedRunDir = $env:IPOE_RUN_DIR
        $env:IPOE_RUN_DIR = Join-Path $TestDrive ('run-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        $ns = New-TestNamespace
        $doc = Join-Path $TestDrive "confirm-$ns.yaml"
        Set-Content -Path $doc -Value @'
version: 1
interfaces:
  - { name: v0, role: lan, addresses: [192.0.2.1/24] }
sysctl:
  - { name: net.ipv4.ip_forward, value: 1 }
'@
        $before = Get-NsState $ns
        $watcher = $null

        # Waits for the watcher process to end (it sleeps until the deadline), at most 30 s.
        function Wait-Watcher([int] $ProcessId) {
            $p = Get-Process -Id $ProcessId -ErrorAction SilentlyContinue
            if ($p) { $null = $p.WaitForExit(30000) }
        }
    }

    AfterEach {
        if ($watcher) { Stop-Process -Id $watcher -Force -ErrorAction SilentlyContinue }
        if ($ns) { & ip netns delete $ns 2>$null }
        $env:IPOE_RUN_DIR = $savedRunDir
    }

    It 'rolls back by itself when not confirmed in time' {
        $r = Invoke-IpoeReconcile -Path $doc -Namespace $ns -ConfirmWithin 3 -Confirm:$false 3>$null
        $watcher = $r.WatcherPid
        $r.ConfirmationId | Should -Not -BeNullOrEmpty
        Get-NsState $ns | Should -Not -Be $before

        Wait-Watcher $watcher

        Get-NsState $ns | Should -Be $before
        { Confirm-IpoeReconcile -Id $r.ConfirmationId -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConfirmationNotFound,IpoeRouter.Commands.ConfirmIpoeReconcileCommand'
    }

    It 'keeps the apply when confirmed in time' {
        $r = Invoke-IpoeReconcile -Path $doc -Namespace $ns -ConfirmWithin 4 -Confirm:$false 3>$null
        $watcher = $r.WatcherPid
        $applied = Get-NsState $ns

        (Confirm-IpoeReconcile).Id | Should -Be $r.ConfirmationId
        Wait-Watcher $watcher

        Get-NsState $ns | Should -Be $applied
        (& ip netns exec $ns cat /proc/sys/net/ipv4/ip_forward) | Should -Be '1'
    }

    It 'rolls back at once with Undo-IpoeReconcile' {
        $r = Invoke-IpoeReconcile -Path $doc -Namespace $ns -ConfirmWithin 60 -Confirm:$false 3>$null
        $watcher = $r.WatcherPid

        Undo-IpoeReconcile -Id $r.ConfirmationId -Confirm:$false | Out-Null

        Get-NsState $ns | Should -Be $before
    }

    It 'refuses another apply while one waits for confirmation' {
        $r = Invoke-IpoeReconcile -Path $doc -Namespace $ns -ConfirmWithin 60 -Confirm:$false 3>$null
        $watcher = $r.WatcherPid
        { Invoke-IpoeReconcile -Path $doc -Namespace $ns -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConfirmationPending,IpoeRouter.Commands.InvokeIpoeReconcileCommand'
        Undo-IpoeReconcile -Id $r.ConfirmationId -Confirm:$false | Out-Null
        Get-NsState $ns | Should -Be $before
    }

    It 'changes nothing when the undo journal cannot be written first' {
        # The pending directory's place is taken by a file: the journal cannot be written there.
        $null = New-Item -ItemType Directory -Force $env:IPOE_RUN_DIR
        Set-Content -Path (Join-Path $env:IPOE_RUN_DIR 'pending') -Value 'not a directory'

        $failure = $null
        try { Invoke-IpoeReconcile -Path $doc -Namespace $ns -ConfirmWithin 60 -Confirm:$false -ErrorAction Stop 3>$null } catch { $failure = $_ }

        Get-NsState $ns | Should -Be $before
        $failure.FullyQualifiedErrorId | Should -Be 'ConfirmationJournalFailed,IpoeRouter.Commands.InvokeIpoeReconcileCommand'
    }

    It 'leaves nothing waiting when the apply fails and is rolled back' {
        # The route's gateway is on no link of the namespace: the kernel refuses it after the address and sysctl went in.
        Add-Content -Path $doc -Value "routes:`n  - { destination: 198.51.100.0/24, gateway: 203.0.113.254, interface: v0 }"

        $r = Invoke-IpoeReconcile -Path $doc -Namespace $ns -ConfirmWithin 60 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failure 3>$null

        $failure.FullyQualifiedErrorId | Should -Contain 'ReconcileFailed,IpoeRouter.Commands.InvokeIpoeReconcileCommand'
        $r.ConfirmationId | Should -BeNullOrEmpty
        Get-NsState $ns | Should -Be $before
        Get-ChildItem (Join-Path $env:IPOE_RUN_DIR 'pending') -Filter *.json -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        { Confirm-IpoeReconcile -ErrorAction Stop } | Should -Throw -ErrorId 'NothingToConfirm,IpoeRouter.Commands.ConfirmIpoeReconcileCommand'
    }

    It 'writes the undo journal before the first change and narrows it to what was applied' {
        $r = Invoke-IpoeReconcile -Path $doc -Namespace $ns -ConfirmWithin 60 -Confirm:$false 3>$null
        $watcher = $r.WatcherPid
        $file = Join-Path $env:IPOE_RUN_DIR "pending/$($r.ConfirmationId).json"

        $file | Should -Exist
        (& stat -c '%a' $file) | Should -Be '600' -Because 'the way back names the router''s addresses and routes'
        (& stat -c '%a' (Split-Path $file)) | Should -Be '700'
        $log = [IO.Path]::ChangeExtension($file, '.log')
        $log | Should -Exist -Because 'the watcher logs beside its pending file'
        (& stat -c '%a' $log) | Should -Be '600'
        $journal = Get-Content -Raw $file | ConvertFrom-Json
        $journal.Undo.op | Should -Contain 'WriteSysctl'
        $journal.Undo.op | Should -Contain 'DeleteAddress'
        Undo-IpoeReconcile -Id $r.ConfirmationId -Confirm:$false | Out-Null
        Get-NsState $ns | Should -Be $before
    }

    It 'reports NothingToConfirm when no apply waits' {
        { Confirm-IpoeReconcile -ErrorAction Stop } | Should -Throw -ErrorId 'NothingToConfirm,IpoeRouter.Commands.ConfirmIpoeReconcileCommand'
    }
}

Describe 'Import-IpoeFirewall' -Tag 'CI' {
    It 'imports the seed file, every line accounted for, into a valid document' {
        $doc = Join-Path $TestDrive 'import.yaml'
        $lines = Import-IpoeFirewall -Path $doc -Source (Join-Path $PSScriptRoot 'seed-ip6tables.conf') -PassThru -Confirm:$false 3>$null
        ($lines | Where-Object Outcome -EQ 'NotExpressible') | Should -BeNullOrEmpty
        Test-IpoeDocument -Path $doc | Should -BeTrue
        (Get-IpoeFirewallRule -Path $doc).Count | Should -Be 43 -Because "44 -A lines, the recent --set one absorbed into the meter"
        (Get-IpoeFirewallPolicy -Path $doc).Output | Should -Be 'Drop'
    }

    It 'reports a line it cannot express by number and writes nothing without -Force' {
        $src = Join-Path $TestDrive 'bad.rules'
        Set-Content -Path $src -Value "*filter`n-A INPUT -i lo -j ACCEPT`n-A INPUT ! -i lo -j DROP`nCOMMIT"
        $doc = New-TestDocument
        $before = Get-FileHashText $doc
        Import-IpoeFirewall -Path $doc -Source $src -ErrorVariable err -ErrorAction SilentlyContinue -Confirm:$false 3>$null
        $err[0].FullyQualifiedErrorId | Should -Be 'FirewallLineNotExpressible,IpoeRouter.Commands.ImportIpoeFirewallCommand'
        $err[0].TargetObject | Should -Be "${src}:3"
        Get-FileHashText $doc | Should -Be $before
        Import-IpoeFirewall -Path $doc -Source $src -Force -ErrorAction SilentlyContinue -Confirm:$false 3>$null
        (Get-IpoeFirewallRule -Path $doc).Name | Should -Be @('input-1')
    }
}

Describe 'The imported seed firewall, applied' -Tag 'CI', 'RequireSudoOnUnix' {
    BeforeEach {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'needs root to create network namespaces (CI runs as root)' }
        # rtr has enp1s0 (WAN) and enp2s0 (LAN); a host on each side.
        $rtr = 'ipoe-p-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $wan = "$rtr-w"; $lan = "$rtr-l"
        foreach ($n in $rtr, $wan, $lan) { & ip netns add $n }
        & ip -n $rtr link add enp1s0 type veth peer name w0 netns $wan
        & ip -n $rtr link add enp2s0 type veth peer name l0 netns $lan
        & ip -n $rtr addr add 2001:db8:1::1/64 dev enp1s0 nodad
        & ip -n $rtr addr add 2001:db8:2::1/64 dev enp2s0 nodad
        & ip -n $wan addr add 2001:db8:1::2/64 dev w0 nodad
        & ip -n $lan addr add 2001:db8:2::2/64 dev l0 nodad
        foreach ($x in @(@($rtr, 'enp1s0'), @($rtr, 'enp2s0'), @($wan, 'w0'), @($lan, 'l0'))) { & ip -n $x[0] link set $x[1] up }
        $doc = Join-Path $TestDrive "seed-$rtr.yaml"
        Set-Content -Path $doc -Value "version: 1`ninterfaces:`n  - { name: enp1s0, role: wan }`n  - { name: enp2s0, role: lan }"
        Import-IpoeFirewall -Path $doc -Source (Join-Path $PSScriptRoot 'seed-ip6tables.conf') -Confirm:$false 3>$null
        function Test-Ping([string] $From, [string] $To) { & ip netns exec $From ping -6 -c 1 -W 1 $To *> $null; $LASTEXITCODE -eq 0 }
    }

    AfterEach {
        foreach ($n in $rtr, $wan, $lan) { if ($n) { & ip netns delete $n 2>$null } }
        if ($rtr) { Remove-Item "/run/ipoe/firewall-$rtr.json" -ErrorAction SilentlyContinue }
    }

    It 'answers the LAN and drops echo requests from the WAN, as the original did' {
        (Test-Ping $lan '2001:db8:2::1') | Should -BeTrue -Because 'no firewall yet'
        (Test-Ping $wan '2001:db8:1::1') | Should -BeTrue -Because 'no firewall yet'

        Invoke-IpoeReconcile -Path $doc -Namespace $rtr -Force -Confirm:$false | Out-Null

        (Test-Ping $lan '2001:db8:2::1') | Should -BeTrue -Because '-A INPUT -i enp2s0 -j ACCEPT (and OUTPUT -o enp2s0)'
        (Test-Ping $wan '2001:db8:1::1') | Should -BeFalse -Because 'echo-request (128) is not among the ICMPv6 types INPUT accepts'
        (& ip netns exec $rtr nft list table inet ipoe) -join "`n" | Should -Match 'policy drop'
    }
}

Describe 'Confirmation ids given by the caller' -Tag 'CI' {
    BeforeEach {
        $savedRunDir = $env:IPOE_RUN_DIR
        $env:IPOE_RUN_DIR = Join-Path $TestDrive ('run-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        $null = New-Item -ItemType Directory -Force (Join-Path $env:IPOE_RUN_DIR 'pending')
        # A JSON file outside the pending directory, shaped like a pending apply with nothing to undo.
        $outside = Join-Path $env:IPOE_RUN_DIR 'x.json'
        Set-Content -Path $outside -Value '{ "Id": "x", "Namespace": null, "Deadline": "2000-01-01T00:00:00Z", "Undo": [] }'
    }

    AfterEach { $env:IPOE_RUN_DIR = $savedRunDir }

    It 'refuses the id <Id> for Confirm-IpoeReconcile and leaves the file it would name alone' -TestCases @(
        @{ Id = '../x' }, @{ Id = '../../x' }, @{ Id = 'x' }, @{ Id = '20260101T120000Z-0123abc/' }
    ) {
        { Confirm-IpoeReconcile -Id $Id -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConfirmationIdInvalid,IpoeRouter.Commands.ConfirmIpoeReconcileCommand'
        $outside | Should -Exist
    }

    It 'refuses the id <Id> for Undo-IpoeReconcile and loads no undo steps from the file it would name' -TestCases @(
        @{ Id = '../x' }, @{ Id = '/tmp/x' }, @{ Id = '20260101T120000Z-0123ABCD' }
    ) {
        { Undo-IpoeReconcile -Id $Id -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConfirmationIdInvalid,IpoeRouter.Commands.UndoIpoeReconcileCommand'
        $outside | Should -Exist
    }

    It 'still reports a well-formed id that waits for nothing as ConfirmationNotFound' {
        { Confirm-IpoeReconcile -Id '20260101T120000Z-0123abcd' -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConfirmationNotFound,IpoeRouter.Commands.ConfirmIpoeReconcileCommand'
    }
}
