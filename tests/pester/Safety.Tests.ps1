BeforeAll { . (Join-Path $PSScriptRoot 'TestSetup.ps1') }

Describe 'Edits that must not surprise the person running the router' -Tag 'CI' {
    BeforeEach { $p = New-TestDocument }

    It 'names the action and the target in -WhatIf' {
        $pwshDll = Join-Path $PSHOME 'pwsh.dll'
        $out = & dotnet $pwshDll -NoProfile -NonInteractive -Command "Import-Module '$ModulePath'; Set-IpoeTunnel -Path '$p' -Name tnl0 -Mtu 1454 -WhatIf" 2>&1 | Out-String
        $out | Should -Match "What if: Update tunnel tnl0 in $([regex]::Escape($p))"
    }

    It 'refuses a DHCP scope on the WAN and leaves the file byte-identical' {
        Set-IpoeInterface -Path $p -Name wan0 -Address 198.51.100.2/24
        $before = Get-FileHashText $p
        { Set-IpoeDhcpScope -Path $p -Interface wan0 -Range 198.51.100.100-198.51.100.200 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidCombination,IpoeRouter.Commands.SetIpoeDhcpScopeCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'reports a value the document cannot hold before -WhatIf shows anything' {
        $out = Set-IpoeDhcpScope -Path $p -Interface lan0 -DnsServer 2001:db8::53 -WhatIf -PassThru -ErrorAction SilentlyContinue -ErrorVariable err
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'AddressFamilyMismatch,IpoeRouter.Commands.SetIpoeDhcpScopeCommand'
    }

    It 'keeps a downstream''s own host when only its subnet id changes' {
        Set-IpoePrefixDelegation -Path $p -Name hgw -Downstream lan0 -SubnetId 1 -DownstreamHost '::fe'
        $d = (Set-IpoePrefixDelegation -Path $p -Name hgw -Downstream lan0 -SubnetId 2 -PassThru).Downstreams[0]
        $d.SubnetId | Should -Be 2
        $d.Host.ToString() | Should -Be '::fe'
    }

    It 'refuses -LimitBurst on a rule without a rate' {
        Add-IpoeFirewallRule -Path $p -Name r -Chain input -Action Accept
        { Set-IpoeFirewallRule -Path $p -Name r -LimitBurst 5 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.SetIpoeFirewallRuleCommand'
    }

    It 'refuses an empty match list, which would match everything' {
        { Add-IpoeFirewallRule -Path $p -Name r -Chain input -ConnectionState @() -Action Accept -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,IpoeRouter.Commands.AddIpoeFirewallRuleCommand'
    }

    It 'refuses a lease time without a unit' {
        { Set-IpoeDhcpScope -Path $p -Interface lan0 -LeaseTime '12' -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentTransformationError,IpoeRouter.Commands.SetIpoeDhcpScopeCommand'
    }

    It 'refuses to export over the document itself without -Force' {
        $before = Get-FileHashText $p
        { Export-IpoeDocument -Path $p -Destination $p -ErrorAction Stop } |
            Should -Throw -ErrorId 'FileUnavailable,IpoeRouter.Commands.ExportIpoeDocumentCommand'
        Get-FileHashText $p | Should -Be $before
        Export-IpoeDocument -Path $p -Destination $p -Force
        Test-IpoeDocument -Path $p | Should -BeTrue
    }

    It 'warns before confirming that a rewrite drops comments' {
        Add-Content -Path $p -Value '# a note for later'
        Set-IpoeInterface -Path $p -Name lan0 -Mtu 1454 -WhatIf -WarningVariable warned 3>$null
        $warned.Message | Should -Match 'comment'
    }

    It 'reports a directory given as the document with DocumentUnreadable' {
        { Get-IpoeInterface -Path $TestDrive -ErrorAction Stop } |
            Should -Throw -ErrorId 'DocumentUnreadable,IpoeRouter.Commands.GetIpoeInterfaceCommand'
    }
}

Describe 'Un-declaring properties with -Clear' -Tag 'CI' {
    BeforeEach { $p = New-TestDocument }

    It 'gives cleared tunnel properties back their defaults' {
        Set-IpoeTunnel -Path $p -Name tnl0 -Mtu 1454 -EncapLimit 4
        $t = Set-IpoeTunnel -Path $p -Name tnl0 -Clear Mtu, EncapLimit -PassThru
        $t.Mtu | Should -BeNullOrEmpty
        $t.EncapLimit | Should -BeNullOrEmpty
        $t.EffectiveMtu | Should -Be 1460
        Get-Content -Raw $p | Should -Not -Match 'encapLimit|mtu: 1454'
    }

    It 'clears a rule''s match and a scope''s list' {
        Add-IpoeFirewallRule -Path $p -Name from-docs -Chain input -Source 2001:db8::/32 -Action Accept
        (Set-IpoeFirewallRule -Path $p -Name from-docs -Clear Source -PassThru).Source | Should -BeNullOrEmpty
        Set-IpoeDhcpScope -Path $p -Interface lan0 -DnsServer 192.0.2.53 -Domain home.arpa
        $s = Set-IpoeDhcpScope -Path $p -Interface lan0 -Clear DnsServer, Domain -PassThru
        $s.DnsServers.Count | Should -Be 0
        $s.Domain | Should -BeNullOrEmpty
    }

    It 'refuses to clear what has no default, naming what can be cleared' {
        $before = Get-FileHashText $p
        { Set-IpoeTunnel -Path $p -Name tnl0 -Clear Remote -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.SetIpoeTunnelCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses a property both given and cleared' {
        { Set-IpoeTunnel -Path $p -Name tnl0 -Mtu 1400 -Clear Mtu -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.SetIpoeTunnelCommand'
    }
}
