BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    # The test document plus lan1, an interface nothing else refers to.
    function New-SpareInterfaceDocument {
        $path = New-TestDocument
        $text = (Get-Content -Raw $path) -replace '(?m)^prefixDelegations:', "  - { name: lan1, role: lan, addresses: [198.51.100.1/24] }`nprefixDelegations:"
        Set-Content -Path $path -Value $text -NoNewline
        $path
    }
}

Describe 'Get-IpoeInterface' -Tag 'CI' {
    BeforeEach {
        $p = New-SpareInterfaceDocument
    }

    It 'lists every declared interface in document order, each carrying the document path' {
        $all = Get-IpoeInterface -Path $p
        $all.Name | Should -Be @('wan0', 'lan0', 'lan1')
        $all | ForEach-Object { $_.DocumentPath | Should -Be $p }
        $all[0] | Should -BeOfType ([IpoeRouter.Model.Interface])
    }

    It 'returns the declared properties of an interface' {
        $lan = Get-IpoeInterface -Path $p -Name lan0
        $lan.Role | Should -Be ([IpoeRouter.Model.InterfaceRole]::Lan)
        $lan.Addresses.Count | Should -Be 1
        "$($lan.Addresses[0])" | Should -Be '192.0.2.1/24'
        $lan.AcceptRa | Should -BeNullOrEmpty
        (Get-IpoeInterface -Path $p -Name wan0).AcceptRa | Should -BeTrue
    }

    It 'returns only the interfaces whose names match a wildcard' {
        (Get-IpoeInterface -Path $p -Name 'lan*').Name | Should -Be @('lan0', 'lan1')
    }

    It 'returns each interface once when several patterns match it' {
        (Get-IpoeInterface -Path $p -Name 'lan*', 'lan0', '*1').Name | Should -Be @('lan0', 'lan1')
    }

    It 'takes names from the pipeline' {
        ('wan0', 'lan1' | Get-IpoeInterface -Path $p).Name | Should -Be @('wan0', 'lan1')
    }

    It 'returns nothing and reports nothing for a wildcard that matches no interface' {
        $result = Get-IpoeInterface -Path $p -Name 'eth*' -ErrorVariable errors
        $result | Should -BeNullOrEmpty
        $errors | Should -BeNullOrEmpty
    }

    It 'reports InterfaceNotFound for a name that matches nothing, and still outputs the others' {
        $result = Get-IpoeInterface -Path $p -Name wan0, nope -ErrorVariable errors -ErrorAction SilentlyContinue
        $result.Name | Should -Be 'wan0'
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'InterfaceNotFound,IpoeRouter.Commands.GetIpoeInterfaceCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errors[0].TargetObject | Should -Be 'nope'
    }

    It 'throws InterfaceNotFound under -ErrorAction Stop' {
        { Get-IpoeInterface -Path $p -Name nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'InterfaceNotFound,IpoeRouter.Commands.GetIpoeInterfaceCommand'
    }

    It 'reports DocumentNotFound when the document does not exist' {
        { Get-IpoeInterface -Path (Join-Path $TestDrive 'missing.yaml') -ErrorAction Stop } |
            Should -Throw -ErrorId 'DocumentNotFound,IpoeRouter.Commands.GetIpoeInterfaceCommand'
    }

    It 'reports the diagnostic id of a document on disk that is invalid' {
        $bad = Join-Path $TestDrive 'bad-get.yaml'
        Set-Content -Path $bad -Value "version: 1`ninterfaces:`n  - { name: wan0, role: wan, bogus: 1 }"
        { Get-IpoeInterface -Path $bad -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownKey,IpoeRouter.Commands.GetIpoeInterfaceCommand'
    }

    Context 'without -Path' {
        BeforeEach {
            $savedDocument = $env:IPOE_DOCUMENT
            $env:IPOE_DOCUMENT = $p
        }

        AfterEach {
            $env:IPOE_DOCUMENT = $savedDocument
        }

        It 'reads the document that $env:IPOE_DOCUMENT names' {
            $all = Get-IpoeInterface
            $all.Name | Should -Be @('wan0', 'lan0', 'lan1')
            $all[0].DocumentPath | Should -Be $p
        }

        It 'writes the document that $env:IPOE_DOCUMENT names' {
            Set-IpoeInterface -Name lan1 -Mtu 1454
            (Get-IpoeInterface -Path $p -Name lan1).Mtu | Should -Be 1454
        }
    }
}

Describe 'Set-IpoeInterface' -Tag 'CI' {
    BeforeEach {
        $p = New-TestDocument
    }

    It 'adds a new interface with the given properties to the document' {
        Set-IpoeInterface -Path $p -Name lan1 -Role Lan -Mtu 1500 -Address '198.51.100.1/24'
        $lan1 = Get-IpoeInterface -Path $p -Name lan1
        $lan1.Role | Should -Be 'Lan'
        $lan1.Mtu | Should -Be 1500
        "$($lan1.Addresses[0])" | Should -Be '198.51.100.1/24'
        (Get-IpoeInterface -Path $p).Name | Should -Be @('wan0', 'lan0', 'lan1')
        $text = Get-Content -Raw $p
        $text | Should -Match '(?m)^  - name: lan1\n    role: lan\n    mtu: 1500\n    addresses:\n      - 198\.51\.100\.1/24$'
    }

    It 'changes only the bound properties of an existing interface' {
        Set-IpoeInterface -Path $p -Name lan0 -Mtu 1454
        $lan0 = Get-IpoeInterface -Path $p -Name lan0
        $lan0.Mtu | Should -Be 1454
        $lan0.Role | Should -Be 'Lan'
        "$($lan0.Addresses)" | Should -Be '192.0.2.1/24'
        $lan0.Up | Should -BeNullOrEmpty
        $lan0.AcceptRa | Should -BeNullOrEmpty
        (Get-IpoeInterface -Path $p -Name wan0).AcceptRa | Should -BeTrue
    }

    It 'writes acceptRa: false for -AcceptRa:$false' {
        Set-IpoeInterface -Path $p -Name lan0 -AcceptRa:$false
        (Get-IpoeInterface -Path $p -Name lan0).AcceptRa | Should -BeFalse
        (Get-IpoeInterface -Path $p -Name lan0).AcceptRa | Should -Not -BeNullOrEmpty
        Get-Content -Raw $p | Should -Match '(?m)^  - name: lan0\n    role: lan\n    acceptRa: false$'
    }

    It 'writes up: false for -Up:$false and dhcp4: true for -Dhcp4' {
        Set-IpoeInterface -Path $p -Name wan0 -Up:$false -Dhcp4
        $wan = Get-IpoeInterface -Path $p -Name wan0
        $wan.Up | Should -BeFalse
        $wan.Dhcp4 | Should -BeTrue
        Get-Content -Raw $p | Should -Match '(?m)^  - name: wan0\n    role: wan\n    up: false\n    dhcp4: true\n    acceptRa: true$'
    }

    It 'takes an address bound to a delegation as a hashtable beside a fixed address' {
        Set-IpoeInterface -Path $p -Name lan0 -Address @{ delegation = 'hgw'; subnetId = 1; host = '::1' }, '192.0.2.1/24'
        $addresses = (Get-IpoeInterface -Path $p -Name lan0).Addresses
        $addresses.Count | Should -Be 2
        $addresses[0] | Should -BeOfType ([IpoeRouter.Model.DelegatedAddress])
        $addresses[0].Delegation | Should -Be 'hgw'
        $addresses[0].SubnetId | Should -Be 1
        "$($addresses[0].Host)" | Should -Be '::1'
        "$($addresses[1])" | Should -Be '192.0.2.1/24'
        Get-Content -Raw $p | Should -Match "(?m)^      - \{delegation: hgw, subnetId: 1, host: '::1'\}\n      - 192\.0\.2\.1/24$"
    }

    It 'replaces the declared addresses with those given, and clears them with an empty list' {
        Set-IpoeInterface -Path $p -Name lan0 -Address '192.0.2.2/24', '2001:db8:0:1::1/64'
        ((Get-IpoeInterface -Path $p -Name lan0).Addresses | ForEach-Object { "$_" }) | Should -Be @('192.0.2.2/24', '2001:db8:0:1::1/64')
        Set-IpoeInterface -Path $p -Name lan0 -Address @()
        (Get-IpoeInterface -Path $p -Name lan0).Addresses.Count | Should -Be 0
        Get-Content -Raw $p | Should -Not -Match 'addresses:'
    }

    It 'creates the document when the file does not exist yet' {
        $new = Join-Path $TestDrive 'new-interface.yaml'
        Set-IpoeInterface -Path $new -Name wan0 -Role Wan -AcceptRa
        Test-Path $new | Should -BeTrue
        (Get-Content $new)[0] | Should -Be 'version: 1'
        (Get-IpoeInterface -Path $new).Name | Should -Be 'wan0'
        Test-IpoeDocument -Path $new | Should -BeTrue
    }

    It 'resolves a relative -Path against the current PowerShell location' {
        Push-Location $TestDrive
        try {
            Set-IpoeInterface -Path 'relative.yaml' -Name wan0 -Role Wan
        }
        finally {
            Pop-Location
        }
        (Get-IpoeInterface -Path (Join-Path $TestDrive 'relative.yaml')).Name | Should -Be 'wan0'
    }

    It 'outputs the interface as written, with the document path, for -PassThru' {
        $out = Set-IpoeInterface -Path $p -Name lan0 -Mtu 1454 -PassThru
        $out | Should -BeOfType ([IpoeRouter.Model.Interface])
        $out.Name | Should -Be 'lan0'
        $out.Mtu | Should -Be 1454
        $out.Role | Should -Be 'Lan'
        $out.DocumentPath | Should -Be $p
    }

    It 'outputs nothing without -PassThru' {
        Set-IpoeInterface -Path $p -Name lan0 -Mtu 1454 | Should -BeNullOrEmpty
    }

    It 'leaves the document byte-identical under -WhatIf' {
        $before = Get-FileHashText $p
        Set-IpoeInterface -Path $p -Name lan0 -Mtu 1454 -WhatIf
        Set-IpoeInterface -Path $p -Name lan9 -Role Lan -WhatIf
        Get-FileHashText $p | Should -Be $before
    }

    It 'still outputs the would-be interface for -PassThru under -WhatIf' {
        $before = Get-FileHashText $p
        $out = Set-IpoeInterface -Path $p -Name lan0 -Mtu 1454 -WhatIf -PassThru
        $out.Name | Should -Be 'lan0'
        $out.Mtu | Should -Be 1454
        $out.Role | Should -Be 'Lan'
        Get-FileHashText $p | Should -Be $before
    }

    It 'does not create a missing document under -WhatIf' {
        $new = Join-Path $TestDrive 'whatif-interface.yaml'
        Set-IpoeInterface -Path $new -Name wan0 -Role Wan -WhatIf
        Test-Path $new | Should -BeFalse
    }

    It 'writes nothing, not even the canonical form, when the interface already is as requested' {
        $commented = Join-Path $TestDrive 'commented-interface.yaml'
        Set-Content -Path $commented -Value "version: 1`n# the WAN`ninterfaces:`n  - { name: wan0, role: wan }"
        $before = Get-FileHashText $commented
        Set-IpoeInterface -Path $commented -Name wan0 -Role Wan -WarningVariable warnings
        $warnings | Should -BeNullOrEmpty
        Get-FileHashText $commented | Should -Be $before
    }

    It 'warns that the comments of a document it rewrites are dropped' {
        $commented = Join-Path $TestDrive 'commented-rewrite.yaml'
        Set-Content -Path $commented -Value "version: 1`n# the WAN`ninterfaces:`n  - { name: wan0, role: wan }"
        Set-IpoeInterface -Path $commented -Name wan0 -Mtu 1500 -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings.Count | Should -Be 1
        Get-Content -Raw $commented | Should -Not -Match '#'
        (Get-IpoeInterface -Path $commented -Name wan0).Mtu | Should -Be 1500
    }

    It 'binds the names of interfaces piped from another document and writes only to -Path' {
        $source = New-TestDocument
        $sourceHash = Get-FileHashText $source
        Get-IpoeInterface -Path $source -Name 'lan*' | Set-IpoeInterface -Path $p -Mtu 1454
        (Get-IpoeInterface -Path $p -Name lan0).Mtu | Should -Be 1454
        (Get-IpoeInterface -Path $p -Name lan0).Role | Should -Be 'Lan'
        (Get-IpoeInterface -Path $source -Name lan0).Mtu | Should -BeNullOrEmpty
        Get-FileHashText $source | Should -Be $sourceHash
    }

    It 'binds the document path of piped interfaces to -Path' {
        Get-IpoeInterface -Path $p | Set-IpoeInterface -Mtu 1454
        (Get-IpoeInterface -Path $p).Mtu | Should -Be @(1454, 1454)
    }

    It 'binds Name from any object that has one' {
        [pscustomobject]@{ Name = 'lan1'; DocumentPath = $p } | Set-IpoeInterface -Role Lan
        (Get-IpoeInterface -Path $p -Name lan1).Role | Should -Be 'Lan'
    }

    It 'refuses a name the kernel would not take with InvalidParameter and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Set-IpoeInterface -Path $p -Name 'bad/name' -Role Lan -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.SetIpoeInterfaceCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses an address that is not address/length' {
        { Set-IpoeInterface -Path $p -Name lan0 -Address 'nonsense' -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentTransformationError,IpoeRouter.Commands.SetIpoeInterfaceCommand'
    }

    It 'refuses an MTU below the IPv6 minimum' {
        { Set-IpoeInterface -Path $p -Name lan0 -Mtu 1000 -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,IpoeRouter.Commands.SetIpoeInterfaceCommand'
    }

    It 'refuses a fixed address another interface already has with OwnershipConflict and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Set-IpoeInterface -Path $p -Name lan1 -Role Lan -Address '192.0.2.1/24' -ErrorAction Stop } |
            Should -Throw -ErrorId 'OwnershipConflict,IpoeRouter.Commands.SetIpoeInterfaceCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses an address bound to a delegation the document does not declare with UnknownDelegation' {
        $before = Get-FileHashText $p
        { Set-IpoeInterface -Path $p -Name lan0 -Address @{ delegation = 'nope'; subnetId = 1 } -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownDelegation,IpoeRouter.Commands.SetIpoeInterfaceCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses a subnet id that does not fit the delegated /60 with SubnetIdOutOfRange' {
        $before = Get-FileHashText $p
        { Set-IpoeInterface -Path $p -Name lan0 -Address @{ delegation = 'hgw'; subnetId = 16; host = '::1' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'SubnetIdOutOfRange,IpoeRouter.Commands.SetIpoeInterfaceCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses to act on a document on disk that is invalid, reporting its diagnostic id' {
        $bad = Join-Path $TestDrive 'bad-set.yaml'
        Set-Content -Path $bad -Value "version: 1`ninterfaces:`n  - { name: wan0, role: wan, bogus: 1 }"
        $before = Get-FileHashText $bad
        { Set-IpoeInterface -Path $bad -Name lan0 -Role Lan -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownKey,IpoeRouter.Commands.SetIpoeInterfaceCommand'
        Get-FileHashText $bad | Should -Be $before
    }
}

Describe 'Remove-IpoeInterface' -Tag 'CI' {
    BeforeEach {
        $p = New-SpareInterfaceDocument
    }

    It 'removes an interface nothing refers to' {
        Remove-IpoeInterface -Path $p -Name lan1
        (Get-IpoeInterface -Path $p).Name | Should -Be @('wan0', 'lan0')
        Get-Content -Raw $p | Should -Not -Match 'lan1'
        { Get-IpoeInterface -Path $p -Name lan1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InterfaceNotFound,IpoeRouter.Commands.GetIpoeInterfaceCommand'
    }

    It 'outputs nothing' {
        Remove-IpoeInterface -Path $p -Name lan1 | Should -BeNullOrEmpty
    }

    It 'removes the interfaces piped from Get-IpoeInterface, in the document they came from' {
        Get-IpoeInterface -Path $p -Name lan1 | Remove-IpoeInterface
        (Get-IpoeInterface -Path $p).Name | Should -Be @('wan0', 'lan0')
    }

    It 'takes the name from the pipeline' {
        'lan1' | Remove-IpoeInterface -Path $p
        (Get-IpoeInterface -Path $p).Name | Should -Be @('wan0', 'lan0')
    }

    It 'refuses with UnknownInterface to remove an interface the delegation and the tunnel still name, and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Remove-IpoeInterface -Path $p -Name wan0 -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownInterface,IpoeRouter.Commands.RemoveIpoeInterfaceCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'reports InterfaceNotFound for an interface the document does not declare and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Remove-IpoeInterface -Path $p -Name nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'InterfaceNotFound,IpoeRouter.Commands.RemoveIpoeInterfaceCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'leaves the document byte-identical under -WhatIf' {
        $before = Get-FileHashText $p
        Remove-IpoeInterface -Path $p -Name lan1 -WhatIf
        Get-FileHashText $p | Should -Be $before
    }

    It 'reports DocumentNotFound when the document does not exist' {
        { Remove-IpoeInterface -Path (Join-Path $TestDrive 'missing.yaml') -Name lan1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'DocumentNotFound,IpoeRouter.Commands.RemoveIpoeInterfaceCommand'
    }
}
