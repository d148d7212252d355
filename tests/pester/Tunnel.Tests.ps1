BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    # The test document with a second tunnel (no default route) and a firewall rule that names tnl0's remote.
    function New-TunnelDocument {
        $path = New-TestDocument
        Add-Content -Path $path -Value @'
firewallRules:
  - { name: from-aftr, chain: input, source: { tunnelRemote: tnl0 }, action: accept }
'@
        $text = (Get-Content -Raw $path) -replace '(?m)^sysctl:', "  - { name: tnl1, remote: `"2001:db8:ffff::200`", local: { fromInterface: wan0 }, defaultRoute: false }`nsysctl:"
        Set-Content -Path $path -Value $text -NoNewline
        $path
    }

    # A document with the given interfaces only.
    function New-InterfacesOnlyDocument([string[]] $Line) {
        $path = Join-Path $TestDrive ('ifaces-{0}.yaml' -f [guid]::NewGuid().ToString('N'))
        Set-Content -Path $path -Value (@('version: 1', 'interfaces:') + ($Line | ForEach-Object { "  - $_" }))
        $path
    }
}

Describe 'Get-IpoeTunnel' -Tag 'CI' {
    BeforeEach {
        $p = New-TunnelDocument
    }

    It 'lists every declared tunnel, each carrying the document path' {
        $all = Get-IpoeTunnel -Path $p
        $all.Name | Should -Be @('tnl0', 'tnl1')
        $all | ForEach-Object { $_.DocumentPath | Should -Be $p }
        $all[0] | Should -BeOfType ([IpoeRouter.Model.Tunnel])
    }

    It 'returns the declared remote and local end of a tunnel' {
        $t = Get-IpoeTunnel -Path $p -Name tnl0
        $t.Remote | Should -BeOfType ([IpoeRouter.Model.StaticRemote])
        "$($t.Remote.Address)" | Should -Be '2001:db8:ffff::100'
        $t.Local | Should -BeOfType ([IpoeRouter.Model.InterfaceLocal])
        $t.Local.Interface | Should -Be 'wan0'
        $t.Kind | Should -Be 'DsLite'
        $t.Mtu | Should -BeNullOrEmpty
        $t.EffectiveMtu | Should -Be 1460
    }

    It 'returns only the tunnels whose names match a wildcard' {
        (Get-IpoeTunnel -Path $p -Name '*1').Name | Should -Be 'tnl1'
    }

    It 'takes names from the pipeline' {
        ('tnl1' | Get-IpoeTunnel -Path $p).Name | Should -Be 'tnl1'
    }

    It 'reports TunnelNotFound for a name that matches nothing' {
        { Get-IpoeTunnel -Path $p -Name nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'TunnelNotFound,IpoeRouter.Commands.GetIpoeTunnelCommand'
    }

    It 'returns nothing for a document without tunnels' {
        Get-IpoeTunnel -Path (New-InterfacesOnlyDocument '{ name: wan0, role: wan }') | Should -BeNullOrEmpty
    }

    It 'reports DocumentNotFound when the document does not exist' {
        { Get-IpoeTunnel -Path (Join-Path $TestDrive 'missing.yaml') -ErrorAction Stop } |
            Should -Throw -ErrorId 'DocumentNotFound,IpoeRouter.Commands.GetIpoeTunnelCommand'
    }

    It 'reports the diagnostic id of a document on disk that is invalid' {
        $bad = Join-Path $TestDrive 'bad-tunnel.yaml'
        Set-Content -Path $bad -Value "version: 1`ntunnels:`n  - { name: tnl0, remote: 192.0.2.1/33, local: { fromInterface: wan0 } }"
        { Get-IpoeTunnel -Path $bad -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidAddress,IpoeRouter.Commands.GetIpoeTunnelCommand'
    }
}

Describe 'Set-IpoeTunnel' -Tag 'CI' {
    BeforeEach {
        $p = New-TestDocument
    }

    It 'changes only the bound properties of an existing tunnel' {
        Set-IpoeTunnel -Path $p -Name tnl0 -Mtu 1454 -HopLimit 32
        $t = Get-IpoeTunnel -Path $p -Name tnl0
        $t.Mtu | Should -Be 1454
        $t.HopLimit | Should -Be 32
        "$($t.Remote.Address)" | Should -Be '2001:db8:ffff::100'
        $t.Local.Interface | Should -Be 'wan0'
        $t.EncapLimit | Should -BeNullOrEmpty
        $t.DefaultRoute | Should -BeNullOrEmpty
        Get-Content -Raw $p | Should -Match '(?m)^    local: \{fromInterface: wan0\}\n    mtu: 1454\n    hopLimit: 32$'
    }

    It 'fills in 2404:8e00::feed:100 for -Aftr TransixEast' {
        Set-IpoeTunnel -Path $p -Name tnl0 -Aftr TransixEast
        "$((Get-IpoeTunnel -Path $p -Name tnl0).Remote.Address)" | Should -Be '2404:8e00::feed:100'
        Get-Content -Raw $p | Should -Match '(?m)^    remote: 2404:8e00::feed:100$'
    }

    It 'fills in 2404:8e01::feed:100 for -Aftr TransixWest' {
        Set-IpoeTunnel -Path $p -Name tnl0 -Aftr TransixWest
        "$((Get-IpoeTunnel -Path $p -Name tnl0).Remote.Address)" | Should -Be '2404:8e01::feed:100'
        Get-Content -Raw $p | Should -Match '(?m)^    remote: 2404:8e01::feed:100$'
    }

    It 'writes a remote to be resolved by name for -RemoteFqdn' {
        Set-IpoeTunnel -Path $p -Name tnl0 -RemoteFqdn gw.transix.jp
        $remote = (Get-IpoeTunnel -Path $p -Name tnl0).Remote
        $remote | Should -BeOfType ([IpoeRouter.Model.FqdnRemote])
        $remote.Fqdn | Should -Be 'gw.transix.jp'
        Get-Content -Raw $p | Should -Match '(?m)^    remote: \{fqdn: gw\.transix\.jp\}$'
    }

    It 'writes a fixed remote for -Remote' {
        Set-IpoeTunnel -Path $p -Name tnl0 -Remote 2001:db8:ffff::1
        "$((Get-IpoeTunnel -Path $p -Name tnl0).Remote.Address)" | Should -Be '2001:db8:ffff::1'
    }

    It 'gives a new tunnel without -LocalFrom the local address of the only WAN interface' {
        Set-IpoeTunnel -Path $p -Name tnl1 -Remote 2001:db8:ffff::200 -DefaultRoute:$false
        $t = Get-IpoeTunnel -Path $p -Name tnl1
        $t.Local | Should -BeOfType ([IpoeRouter.Model.InterfaceLocal])
        $t.Local.Interface | Should -Be 'wan0'
        $t.Kind | Should -Be 'DsLite'
        Get-Content -Raw $p | Should -Match '(?m)^  - name: tnl1\n    kind: dsLite\n    remote: 2001:db8:ffff::200\n    local: \{fromInterface: wan0\}\n    defaultRoute: false$'
    }

    It 'creates a tunnel in a document that has none' {
        $doc = New-InterfacesOnlyDocument '{ name: wan0, role: wan }'
        Set-IpoeTunnel -Path $doc -Name ip6tnl1 -Aftr TransixEast
        $t = Get-IpoeTunnel -Path $doc
        $t.Name | Should -Be 'ip6tnl1'
        $t.Local.Interface | Should -Be 'wan0'
        Test-IpoeDocument -Path $doc | Should -BeTrue
    }

    It 'takes the local address from the interface named by -LocalFrom' {
        Set-IpoeTunnel -Path $p -Name tnl0 -LocalFrom lan0
        (Get-IpoeTunnel -Path $p -Name tnl0).Local.Interface | Should -Be 'lan0'
        Get-Content -Raw $p | Should -Match '(?m)^    local: \{fromInterface: lan0\}$'
    }

    It 'writes a fixed local address for -LocalAddress' {
        Set-IpoeTunnel -Path $p -Name tnl0 -LocalAddress 2001:db8::2
        $local = (Get-IpoeTunnel -Path $p -Name tnl0).Local
        $local | Should -BeOfType ([IpoeRouter.Model.StaticLocal])
        "$($local.Address)" | Should -Be '2001:db8::2'
        Get-Content -Raw $p | Should -Match '(?m)^    local: 2001:db8::2$'
    }

    It 'writes defaultRoute: false for -DefaultRoute:$false and the encapsulation limit' {
        Set-IpoeTunnel -Path $p -Name tnl0 -DefaultRoute:$false -EncapLimit 4
        $t = Get-IpoeTunnel -Path $p -Name tnl0
        $t.DefaultRoute | Should -BeFalse
        $t.EncapLimit | Should -Be 4
        Get-Content -Raw $p | Should -Match '(?m)^    encapLimit: 4\n    defaultRoute: false$'
    }

    It 'writes a kind that is not built yet, with warning NotImplemented' {
        Set-IpoeTunnel -Path $p -Name tnl0 -Kind MapE -WarningVariable warnings -WarningAction SilentlyContinue
        (Get-IpoeTunnel -Path $p -Name tnl0).Kind | Should -Be 'MapE'
        Get-Content -Raw $p | Should -Match '(?m)^    kind: mapE$'
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match '^NotImplemented:'
    }

    It 'writes the backend and the probe target, and -Clear takes them back to the defaults' {
        Set-IpoeTunnel -Path $p -Name tnl0 -Backend Userspace -Probe 203.0.113.1
        $t = Get-IpoeTunnel -Path $p -Name tnl0
        $t.Backend | Should -Be 'Userspace'
        "$($t.Probe)" | Should -Be '203.0.113.1'
        Get-Content -Raw $p | Should -Match '(?m)^    backend: userspace\n    probe: 203\.0\.113\.1$'
        Set-IpoeTunnel -Path $p -Name tnl0 -Clear Backend, Probe
        $t = Get-IpoeTunnel -Path $p -Name tnl0
        $t.Backend | Should -Be 'Auto'
        $t.Probe | Should -BeNullOrEmpty
        Get-Content -Raw $p | Should -Not -Match 'backend:|probe:'
    }

    It 'refuses a link-local probe target, naming the parameter, and writes nothing' {
        $before = Get-FileHashText $p
        { Set-IpoeTunnel -Path $p -Name tnl0 -Probe fe80::1 -ErrorAction Stop } | Should -Throw -ExpectedMessage '*Probe*global unicast*'
        Get-FileHashText $p | Should -Be $before
    }

    It 'takes the AFTR from DHCPv6 option 64 with -DiscoverRemote Dhcpv6, valid with a delegation and no warning' {
        Set-IpoeTunnel -Path $p -Name tnl0 -DiscoverRemote Dhcpv6 -WarningVariable warnings
        (Get-IpoeTunnel -Path $p -Name tnl0).Remote | Should -BeOfType ([IpoeRouter.Model.DiscoveredRemote])
        Get-Content -Raw $p | Should -Match '(?m)^    remote: \{discover: dhcpv6\}$'
        $warnings.Count | Should -Be 0
    }

    It 'outputs the tunnel as written, with the document path, for -PassThru' {
        $out = Set-IpoeTunnel -Path $p -Name tnl0 -Aftr TransixEast -PassThru
        $out | Should -BeOfType ([IpoeRouter.Model.Tunnel])
        "$($out.Remote.Address)" | Should -Be '2404:8e00::feed:100'
        $out.DocumentPath | Should -Be $p
    }

    It 'leaves the document byte-identical under -WhatIf' {
        $before = Get-FileHashText $p
        Set-IpoeTunnel -Path $p -Name tnl0 -Aftr TransixWest -WhatIf
        Set-IpoeTunnel -Path $p -Name tnl1 -Remote 2001:db8:ffff::200 -DefaultRoute:$false -WhatIf
        Get-FileHashText $p | Should -Be $before
    }

    It 'still outputs the would-be tunnel for -PassThru under -WhatIf' {
        $before = Get-FileHashText $p
        $out = Set-IpoeTunnel -Path $p -Name tnl0 -Aftr TransixWest -Mtu 1454 -WhatIf -PassThru
        "$($out.Remote.Address)" | Should -Be '2404:8e01::feed:100'
        $out.Mtu | Should -Be 1454
        Get-FileHashText $p | Should -Be $before
    }

    It 'binds the name and document path of piped tunnels' {
        Get-IpoeTunnel -Path $p | Set-IpoeTunnel -Mtu 1454
        (Get-IpoeTunnel -Path $p -Name tnl0).Mtu | Should -Be 1454
    }

    It 'refuses a new tunnel without a remote with ParameterRequired and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Set-IpoeTunnel -Path $p -Name tnl1 -DefaultRoute:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterRequired,IpoeRouter.Commands.SetIpoeTunnelCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses a new tunnel without -LocalFrom when the document has two WAN interfaces with ParameterRequired' {
        $doc = New-InterfacesOnlyDocument '{ name: wan0, role: wan }', '{ name: wan1, role: wan }'
        $before = Get-FileHashText $doc
        { Set-IpoeTunnel -Path $doc -Name tnl0 -Aftr TransixEast -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterRequired,IpoeRouter.Commands.SetIpoeTunnelCommand'
        Get-FileHashText $doc | Should -Be $before
    }

    It 'refuses a new tunnel without -LocalFrom when the document has no WAN interface with ParameterRequired' {
        $doc = New-InterfacesOnlyDocument '{ name: lan0, role: lan }'
        { Set-IpoeTunnel -Path $doc -Name tnl0 -Aftr TransixEast -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterRequired,IpoeRouter.Commands.SetIpoeTunnelCommand'
    }

    It 'refuses an IPv4 remote with InvalidParameter' {
        $before = Get-FileHashText $p
        { Set-IpoeTunnel -Path $p -Name tnl0 -Remote 192.0.2.9 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.SetIpoeTunnelCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses an IPv4 local address with InvalidParameter' {
        { Set-IpoeTunnel -Path $p -Name tnl0 -LocalAddress 192.0.2.9 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.SetIpoeTunnelCommand'
    }

    It 'refuses -LocalFrom together with -LocalAddress with InvalidParameter' {
        { Set-IpoeTunnel -Path $p -Name tnl0 -LocalFrom wan0 -LocalAddress 2001:db8::2 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.SetIpoeTunnelCommand'
    }

    It 'refuses a remote name that is not a domain name with InvalidParameter' {
        { Set-IpoeTunnel -Path $p -Name tnl0 -RemoteFqdn 'not a name' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.SetIpoeTunnelCommand'
    }

    It 'refuses a tunnel name the kernel would not take with InvalidParameter' {
        { Set-IpoeTunnel -Path $p -Name 'tunnel-name-too-long' -Aftr TransixEast -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.SetIpoeTunnelCommand'
    }

    It 'refuses -Remote together with -Aftr' {
        { Set-IpoeTunnel -Path $p -Name tnl0 -Remote 2001:db8::1 -Aftr TransixEast -ErrorAction Stop } |
            Should -Throw -ErrorId 'AmbiguousParameterSet,IpoeRouter.Commands.SetIpoeTunnelCommand'
    }

    It 'refuses a second tunnel that also claims the IPv4 default route with OwnershipConflict and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Set-IpoeTunnel -Path $p -Name tnl1 -Remote 2001:db8:ffff::200 -ErrorAction Stop } |
            Should -Throw -ErrorId 'OwnershipConflict,IpoeRouter.Commands.SetIpoeTunnelCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses a local interface the document does not declare with UnknownInterface' {
        $before = Get-FileHashText $p
        { Set-IpoeTunnel -Path $p -Name tnl0 -LocalFrom nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownInterface,IpoeRouter.Commands.SetIpoeTunnelCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses a local interface that never gets a global IPv6 address with BindingNeverResolves' {
        $doc = New-InterfacesOnlyDocument '{ name: wan0, role: wan }', '{ name: lan0, role: lan, acceptRa: false, addresses: [192.0.2.1/24] }'
        { Set-IpoeTunnel -Path $doc -Name tnl0 -Aftr TransixEast -LocalFrom lan0 -ErrorAction Stop } |
            Should -Throw -ErrorId 'BindingNeverResolves,IpoeRouter.Commands.SetIpoeTunnelCommand'
    }

    Context 'without -Path' {
        BeforeEach {
            $savedDocument = $env:IPOE_DOCUMENT
            $env:IPOE_DOCUMENT = $p
        }

        AfterEach {
            $env:IPOE_DOCUMENT = $savedDocument
        }

        It 'edits the document that $env:IPOE_DOCUMENT names' {
            Set-IpoeTunnel -Name tnl0 -Aftr TransixEast
            "$((Get-IpoeTunnel -Path $p -Name tnl0).Remote.Address)" | Should -Be '2404:8e00::feed:100'
            (Get-IpoeTunnel).DocumentPath | Should -Be $p
        }
    }
}

Describe 'Remove-IpoeTunnel' -Tag 'CI' {
    BeforeEach {
        $p = New-TunnelDocument
    }

    It 'removes a tunnel nothing refers to' {
        Remove-IpoeTunnel -Path $p -Name tnl1
        (Get-IpoeTunnel -Path $p).Name | Should -Be 'tnl0'
        Get-Content -Raw $p | Should -Not -Match 'tnl1'
    }

    It 'removes the tunnels piped from Get-IpoeTunnel, in the document they came from' {
        $plain = New-TestDocument
        Get-IpoeTunnel -Path $plain | Remove-IpoeTunnel
        Get-IpoeTunnel -Path $plain | Should -BeNullOrEmpty
        Get-Content -Raw $plain | Should -Not -Match 'tunnels:'
        Test-IpoeDocument -Path $plain | Should -BeTrue
    }

    It 'takes the name from the pipeline' {
        'tnl1' | Remove-IpoeTunnel -Path $p
        (Get-IpoeTunnel -Path $p).Name | Should -Be 'tnl0'
    }

    It 'refuses with UnknownTunnel to remove a tunnel a firewall rule still names, and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Remove-IpoeTunnel -Path $p -Name tnl0 -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownTunnel,IpoeRouter.Commands.RemoveIpoeTunnelCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'reports TunnelNotFound for a tunnel the document does not declare' {
        $before = Get-FileHashText $p
        { Remove-IpoeTunnel -Path $p -Name nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'TunnelNotFound,IpoeRouter.Commands.RemoveIpoeTunnelCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'leaves the document byte-identical under -WhatIf' {
        $before = Get-FileHashText $p
        Remove-IpoeTunnel -Path $p -Name tnl1 -WhatIf
        Get-FileHashText $p | Should -Be $before
    }

    It 'reports DocumentNotFound when the document does not exist' {
        { Remove-IpoeTunnel -Path (Join-Path $TestDrive 'missing.yaml') -Name tnl0 -ErrorAction Stop } |
            Should -Throw -ErrorId 'DocumentNotFound,IpoeRouter.Commands.RemoveIpoeTunnelCommand'
    }
}
