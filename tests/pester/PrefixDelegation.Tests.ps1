BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    # The test document plus lan1, a second LAN that has no /64 yet.
    function New-TwoLanDocument {
        $path = New-TestDocument
        $text = (Get-Content -Raw $path) -replace '(?m)^prefixDelegations:', "  - { name: lan1, role: lan, addresses: [198.51.100.1/24] }`nprefixDelegations:"
        Set-Content -Path $path -Value $text -NoNewline
        $path
    }

    # A document with a WAN and two LANs but no delegation.
    function New-UndelegatedDocument {
        $path = Join-Path $TestDrive ('undelegated-{0}.yaml' -f [guid]::NewGuid().ToString('N'))
        Set-Content -Path $path -Value @'
version: 1
interfaces:
  - { name: wan0, role: wan, acceptRa: true }
  - { name: lan0, role: lan, addresses: [192.0.2.1/24] }
  - { name: lan1, role: lan, addresses: [198.51.100.1/24] }
'@
        $path
    }
}

Describe 'Get-IpoePrefixDelegation' -Tag 'CI' {
    BeforeEach {
        $p = New-TestDocument
    }

    It 'lists every declared delegation with its downstreams, each carrying the document path' {
        $all = @(Get-IpoePrefixDelegation -Path $p)
        $all.Count | Should -Be 1
        $all[0] | Should -BeOfType ([IpoeRouter.Model.PrefixDelegation])
        $all[0].Name | Should -Be 'hgw'
        $all[0].Interface | Should -Be 'wan0'
        $all[0].PrefixLength | Should -Be 60
        $all[0].Downstreams.Count | Should -Be 1
        $all[0].Downstreams[0].Interface | Should -Be 'lan0'
        $all[0].Downstreams[0].SubnetId | Should -Be 1
        $all[0].DocumentPath | Should -Be $p
    }

    It 'returns only the delegations whose names match a wildcard' {
        (Get-IpoePrefixDelegation -Path $p -Name 'h*').Name | Should -Be 'hgw'
        Get-IpoePrefixDelegation -Path $p -Name 'x*' | Should -BeNullOrEmpty
    }

    It 'takes names from the pipeline' {
        ('hgw' | Get-IpoePrefixDelegation -Path $p).Name | Should -Be 'hgw'
    }

    It 'reports PrefixDelegationNotFound for a name that matches nothing' {
        { Get-IpoePrefixDelegation -Path $p -Name nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'PrefixDelegationNotFound,IpoeRouter.Commands.GetIpoePrefixDelegationCommand'
    }

    It 'reports DocumentNotFound when the document does not exist' {
        { Get-IpoePrefixDelegation -Path (Join-Path $TestDrive 'missing.yaml') -ErrorAction Stop } |
            Should -Throw -ErrorId 'DocumentNotFound,IpoeRouter.Commands.GetIpoePrefixDelegationCommand'
    }

    It 'reports the diagnostic id of a document on disk that is invalid' {
        $bad = Join-Path $TestDrive 'bad-pd.yaml'
        Set-Content -Path $bad -Value @'
version: 1
interfaces:
  - { name: wan0, role: wan }
  - { name: lan0, role: lan }
prefixDelegations:
  - { name: hgw, interface: wan0, prefixLength: 60, downstream: [{ interface: lan0, subnetId: 16 }] }
'@
        { Get-IpoePrefixDelegation -Path $bad -ErrorAction Stop } |
            Should -Throw -ErrorId 'SubnetIdOutOfRange,IpoeRouter.Commands.GetIpoePrefixDelegationCommand'
    }
}

Describe 'Set-IpoePrefixDelegation' -Tag 'CI' {
    BeforeEach {
        $p = New-TwoLanDocument
    }

    It 'runs a new delegation on the only WAN interface when -Interface is not given' {
        $doc = New-UndelegatedDocument
        Set-IpoePrefixDelegation -Path $doc -Name hgw -PrefixLength 60 -Downstream lan0 -SubnetId 1
        $pd = Get-IpoePrefixDelegation -Path $doc -Name hgw
        $pd.Interface | Should -Be 'wan0'
        $pd.PrefixLength | Should -Be 60
        $pd.Downstreams[0].Interface | Should -Be 'lan0'
        $pd.Downstreams[0].SubnetId | Should -Be 1
        Get-Content -Raw $doc | Should -Match '(?m)^prefixDelegations:\n  - name: hgw\n    interface: wan0\n    prefixLength: 60\n    downstream:\n      - interface: lan0\n        subnetId: 1$'
    }

    It 'adds a downstream and keeps the others and the prefix length' {
        Set-IpoePrefixDelegation -Path $p -Name hgw -Downstream lan1 -SubnetId 2
        $pd = Get-IpoePrefixDelegation -Path $p -Name hgw
        $pd.PrefixLength | Should -Be 60
        $pd.Interface | Should -Be 'wan0'
        ($pd.Downstreams | ForEach-Object { '{0}={1}' -f $_.Interface, $_.SubnetId }) | Should -Be @('lan0=1', 'lan1=2')
    }

    It 'replaces the entry of a downstream that has one' {
        Set-IpoePrefixDelegation -Path $p -Name hgw -Downstream lan0 -SubnetId 3
        $pd = Get-IpoePrefixDelegation -Path $p -Name hgw
        $pd.Downstreams.Count | Should -Be 1
        $pd.Downstreams[0].SubnetId | Should -Be 3
    }

    It 'writes the router''s interface identifier for -DownstreamHost' {
        Set-IpoePrefixDelegation -Path $p -Name hgw -Downstream lan1 -SubnetId 2 -DownstreamHost '::1:0:0:2'
        "$((Get-IpoePrefixDelegation -Path $p -Name hgw).Downstreams[1].Host)" | Should -Be '::1:0:0:2'
        Get-Content -Raw $p | Should -Match "(?m)^      - interface: lan1\n        subnetId: 2\n        host: '?::1:0:0:2'?$"
    }

    It 'takes a LAN off the delegation with -RemoveDownstream' {
        Set-IpoePrefixDelegation -Path $p -Name hgw -Downstream lan1 -SubnetId 2
        Set-IpoePrefixDelegation -Path $p -Name hgw -RemoveDownstream lan0
        (Get-IpoePrefixDelegation -Path $p -Name hgw).Downstreams.Interface | Should -Be 'lan1'
        Get-Content -Raw $p | Should -Not -Match 'interface: lan0'
    }

    It 'writes the DUID type and Rapid Commit, and rapidCommit: false for -RapidCommit:$false' {
        Set-IpoePrefixDelegation -Path $p -Name hgw -Duid Llt -RapidCommit
        $pd = Get-IpoePrefixDelegation -Path $p -Name hgw
        $pd.Duid | Should -Be 'Llt'
        $pd.RapidCommit | Should -BeTrue
        Get-Content -Raw $p | Should -Match '(?m)^    prefixLength: 60\n    duid: llt\n    rapidCommit: true$'
        Set-IpoePrefixDelegation -Path $p -Name hgw -RapidCommit:$false
        (Get-IpoePrefixDelegation -Path $p -Name hgw).RapidCommit | Should -BeFalse
        Get-Content -Raw $p | Should -Match '(?m)^    rapidCommit: false$'
        (Get-IpoePrefixDelegation -Path $p -Name hgw).Duid | Should -Be 'Llt'
    }

    It 'outputs the delegation as written, with the document path, for -PassThru' {
        $out = Set-IpoePrefixDelegation -Path $p -Name hgw -PrefixLength 56 -PassThru
        $out | Should -BeOfType ([IpoeRouter.Model.PrefixDelegation])
        $out.PrefixLength | Should -Be 56
        $out.Downstreams.Count | Should -Be 1
        $out.DocumentPath | Should -Be $p
    }

    It 'leaves the document byte-identical under -WhatIf' {
        $before = Get-FileHashText $p
        Set-IpoePrefixDelegation -Path $p -Name hgw -Downstream lan1 -SubnetId 2 -WhatIf
        Get-FileHashText $p | Should -Be $before
    }

    It 'still outputs the would-be delegation for -PassThru under -WhatIf' {
        $before = Get-FileHashText $p
        $out = Set-IpoePrefixDelegation -Path $p -Name hgw -Downstream lan1 -SubnetId 2 -WhatIf -PassThru
        $out.Downstreams.Count | Should -Be 2
        $out.Downstreams[1].Interface | Should -Be 'lan1'
        Get-FileHashText $p | Should -Be $before
    }

    It 'binds the name, interface and document path of piped delegations' {
        Get-IpoePrefixDelegation -Path $p | Set-IpoePrefixDelegation -PrefixLength 56
        $pd = Get-IpoePrefixDelegation -Path $p -Name hgw
        $pd.PrefixLength | Should -Be 56
        $pd.Interface | Should -Be 'wan0'
    }

    It 'refuses a subnet id that does not fit the /60 with SubnetIdOutOfRange and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Set-IpoePrefixDelegation -Path $p -Name hgw -Downstream lan1 -SubnetId 16 -ErrorAction Stop } |
            Should -Throw -ErrorId 'SubnetIdOutOfRange,IpoeRouter.Commands.SetIpoePrefixDelegationCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses a prefix length that no longer holds the declared subnet ids with SubnetIdOutOfRange' {
        $before = Get-FileHashText $p
        { Set-IpoePrefixDelegation -Path $p -Name hgw -PrefixLength 64 -ErrorAction Stop } |
            Should -Throw -ErrorId 'SubnetIdOutOfRange,IpoeRouter.Commands.SetIpoePrefixDelegationCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses to give one subnet to two LANs with OwnershipConflict' {
        $before = Get-FileHashText $p
        { Set-IpoePrefixDelegation -Path $p -Name hgw -Downstream lan1 -SubnetId 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'OwnershipConflict,IpoeRouter.Commands.SetIpoePrefixDelegationCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses a second DHCPv6 client on the same WAN with OwnershipConflict' {
        { Set-IpoePrefixDelegation -Path $p -Name second -Interface wan0 -ErrorAction Stop } |
            Should -Throw -ErrorId 'OwnershipConflict,IpoeRouter.Commands.SetIpoePrefixDelegationCommand'
    }

    It 'refuses a downstream the document does not declare with UnknownInterface' {
        { Set-IpoePrefixDelegation -Path $p -Name hgw -Downstream nope -SubnetId 2 -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownInterface,IpoeRouter.Commands.SetIpoePrefixDelegationCommand'
    }

    It 'refuses a DHCPv6 client on a LAN interface with InvalidCombination' {
        { Set-IpoePrefixDelegation -Path $p -Name hgw -Interface lan1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidCombination,IpoeRouter.Commands.SetIpoePrefixDelegationCommand'
    }

    It 'refuses -Downstream without -SubnetId with InvalidParameter' {
        { Set-IpoePrefixDelegation -Path $p -Name hgw -Downstream lan1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.SetIpoePrefixDelegationCommand'
    }

    It 'refuses -SubnetId without -Downstream with InvalidParameter' {
        { Set-IpoePrefixDelegation -Path $p -Name hgw -SubnetId 2 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.SetIpoePrefixDelegationCommand'
    }

    It 'refuses a new delegation without -Interface when the document has no WAN interface with ParameterRequired' {
        $doc = Join-Path $TestDrive 'no-wan.yaml'
        Set-Content -Path $doc -Value "version: 1`ninterfaces:`n  - { name: lan0, role: lan }"
        $before = Get-FileHashText $doc
        { Set-IpoePrefixDelegation -Path $doc -Name hgw -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterRequired,IpoeRouter.Commands.SetIpoePrefixDelegationCommand'
        Get-FileHashText $doc | Should -Be $before
    }

    It 'refuses a name that is not a resource name with InvalidParameter' {
        { Set-IpoePrefixDelegation -Path $p -Name '-bad name' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.SetIpoePrefixDelegationCommand'
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
            Set-IpoePrefixDelegation -Name hgw -PrefixLength 56
            (Get-IpoePrefixDelegation -Path $p -Name hgw).PrefixLength | Should -Be 56
        }
    }
}

Describe 'Remove-IpoePrefixDelegation' -Tag 'CI' {
    BeforeEach {
        $p = New-TestDocument
    }

    It 'removes a delegation nothing refers to' {
        Remove-IpoePrefixDelegation -Path $p -Name hgw
        Get-IpoePrefixDelegation -Path $p | Should -BeNullOrEmpty
        Get-Content -Raw $p | Should -Not -Match 'prefixDelegations:'
    }

    It 'removes the delegations piped from Get-IpoePrefixDelegation, in the document they came from' {
        Get-IpoePrefixDelegation -Path $p | Remove-IpoePrefixDelegation
        Get-IpoePrefixDelegation -Path $p | Should -BeNullOrEmpty
    }

    It 'refuses with UnknownDelegation to remove a delegation an interface address is bound to, and leaves the file byte-identical' {
        Set-IpoeInterface -Path $p -Name lan0 -Address '192.0.2.1/24', @{ delegation = 'hgw'; subnetId = 1; host = '::1' }
        $before = Get-FileHashText $p
        { Remove-IpoePrefixDelegation -Path $p -Name hgw -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownDelegation,IpoeRouter.Commands.RemoveIpoePrefixDelegationCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'reports PrefixDelegationNotFound for a delegation the document does not declare' {
        $before = Get-FileHashText $p
        { Remove-IpoePrefixDelegation -Path $p -Name nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'PrefixDelegationNotFound,IpoeRouter.Commands.RemoveIpoePrefixDelegationCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'leaves the document byte-identical under -WhatIf' {
        $before = Get-FileHashText $p
        Remove-IpoePrefixDelegation -Path $p -Name hgw -WhatIf
        Get-FileHashText $p | Should -Be $before
    }
}

Describe 'PassThru and WhatIf with an invalid change' -Tag 'CI' {
    It 'outputs nothing under -WhatIf -PassThru when the change is refused' {
        $p = New-TestDocument
        $out = Set-IpoePrefixDelegation -Path $p -Name hgw -Downstream lan0 -SubnetId 16 -WhatIf -PassThru -ErrorAction SilentlyContinue -ErrorVariable err
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'SubnetIdOutOfRange,IpoeRouter.Commands.SetIpoePrefixDelegationCommand'
    }

    It 'writes interface identifiers in plain IPv6 text' {
        $p = New-TestDocument
        Set-IpoePrefixDelegation -Path $p -Name hgw -Downstream lan0 -SubnetId 1 -DownstreamHost '::1:2'
        Get-Content -Raw $p | Should -Match 'host: ::1:2\b'
        Get-Content -Raw $p | Should -Not -Match '0\.1\.0\.2'
    }
}
