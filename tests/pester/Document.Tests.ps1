BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    # Writes $Text to a fresh file in $TestDrive and returns its path.
    function New-TextFile([string] $Text, [string] $Prefix = 'doc') {
        $path = Join-Path $TestDrive ('{0}-{1}.yaml' -f $Prefix, [guid]::NewGuid().ToString('N'))
        Set-Content -Path $path -Value $Text -NoNewline
        $path
    }

    $script:UnknownKeyText = "version: 1`ninterfaces:`n  - { name: wan0, role: wan, bogus: 1 }`n"
    $script:HgwExample = Join-Path $ExamplesDir 'flets-transix-hgw.yaml'
}

BeforeDiscovery {
    $examples = Get-ChildItem (Join-Path $PSScriptRoot '../../examples') -Filter '*.yaml' |
        ForEach-Object { @{ Name = $_.Name; File = $_.FullName } }

    # Broken documents, the diagnostic id each must give, and the line it is reported on.
    $brokenDocuments = @(
        @{ Case = 'an unknown key'; Id = 'UnknownKey'; Line = 3; Text = "version: 1`ninterfaces:`n  - { name: wan0, role: wan, bogus: 1 }`n" }
        @{ Case = 'text that is not YAML'; Id = 'DocumentSyntaxError'; Line = 3; Text = "version: 1`ninterfaces: [ { name: wan0`n" }
        @{ Case = 'no version'; Id = 'VersionMissing'; Line = 1; Text = "interfaces:`n  - { name: wan0, role: wan }`n" }
        @{ Case = 'a version this build does not read'; Id = 'VersionUnsupported'; Line = 1; Text = "version: 2`n" }
        @{ Case = 'a reserved key'; Id = 'ReservedKey'; Line = 2; Text = "version: 1`n_x: 1`n" }
        @{ Case = 'an interface declared twice'; Id = 'DuplicateResource'; Line = 4; Text = "version: 1`ninterfaces:`n  - { name: wan0, role: wan }`n  - { name: wan0, role: lan }`n" }
        @{ Case = 'a subnet id outside the delegation'; Id = 'SubnetIdOutOfRange'; Line = 6; Text = "version: 1`ninterfaces:`n  - { name: wan0, role: wan }`n  - { name: lan0, role: lan }`nprefixDelegations:`n  - { name: hgw, interface: wan0, prefixLength: 60, downstream: [{ interface: lan0, subnetId: 16 }] }`n" }
    )
}

Describe 'Test-IpoeDocument' -Tag 'CI' {
    It 'returns $true for the example <Name>' -ForEach $examples {
        Test-IpoeDocument -Path $File -ErrorVariable errors | Should -BeTrue
        $errors | Should -BeNullOrEmpty
    }

    It 'returns $true for every example piped from Get-ChildItem' {
        $results = Get-ChildItem $ExamplesDir -Filter '*.yaml' | Test-IpoeDocument
        $results.Count | Should -Be (Get-ChildItem $ExamplesDir -Filter '*.yaml').Count
        $results | Should -Not -Contain $false
    }

    It 'returns $true for the document New-TestDocument writes' {
        Test-IpoeDocument -Path (New-TestDocument) | Should -BeTrue
    }

    It 'returns $false for a document with <Case> and writes error <Id> at its line' -ForEach $brokenDocuments {
        $bad = New-TextFile $Text 'broken'
        $result = Test-IpoeDocument -Path $bad -ErrorVariable errors -ErrorAction SilentlyContinue
        $result | Should -BeFalse
        $errors.Count | Should -BeGreaterThan 0
        $errors[0].FullyQualifiedErrorId | Should -Be "$Id,IpoeRouter.Commands.TestIpoeDocumentCommand"
        $errors[0].TargetObject | Should -BeOfType ([string])
        $errors[0].TargetObject | Should -Match ('^{0}:{1}:\d+$' -f [regex]::Escape($bad), $Line)
    }

    It 'names the file, line and column of an unknown key as the error''s target' {
        $bad = New-TextFile $UnknownKeyText 'unknown'
        $null = Test-IpoeDocument -Path $bad -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].TargetObject | Should -Be "${bad}:3:30"
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'writes one error per problem, not only the first' {
        $bad = New-TextFile "version: 1`ninterfaces:`n  - { name: wan0, role: wan, bogus: 1 }`n  - { name: lan0, role: lan, addresses: [192.0.2.999/24] }`n" 'two'
        $null = Test-IpoeDocument -Path $bad -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 2
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'UnknownKey,*'
        $errors[1].FullyQualifiedErrorId | Should -BeLike 'InvalidInterfaceAddress,*'
        $errors[1].TargetObject | Should -Match ':4:\d+$'
    }

    It 'returns a result object with every error for -Detailed' {
        $bad = New-TextFile $UnknownKeyText 'detailed'
        $result = Test-IpoeDocument -Path $bad -Detailed -ErrorAction SilentlyContinue
        $result | Should -BeOfType ([IpoeRouter.Commands.DocumentTestResult])
        $result.Path | Should -Be $bad
        $result.IsValid | Should -BeFalse
        $result.Errors.Count | Should -Be 1
        $result.Errors[0].Id | Should -Be 'UnknownKey'
        $result.Errors[0].Location.Line | Should -Be 3
        $result.Errors[0].Location.Column | Should -Be 30
        $result.Warnings.Count | Should -Be 0
    }

    It 'returns a valid result without errors for -Detailed on a valid document' {
        $result = Test-IpoeDocument -Path $HgwExample -Detailed
        $result.IsValid | Should -BeTrue
        $result.Errors.Count | Should -Be 0
        $result.Path | Should -Be $HgwExample
    }

    It 'returns $true for a document that has only warnings, and writes the warnings' {
        $warned = New-TextFile "version: 1`ninterfaces:`n  - { name: wan0, role: wan }`n  - { name: lan0, role: lan }`nsysctl:`n  - { name: net.ipv6.conf.all.forwarding, value: 1 }`n  - { name: net.ipv6.conf.lan0.accept_ra, value: 1 }`n" 'warned'
        Test-IpoeDocument -Path $warned -WarningVariable warnings -WarningAction SilentlyContinue | Should -BeTrue
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match 'AcceptRaIgnoredWithForwarding'
        $detailed = Test-IpoeDocument -Path $warned -Detailed -WarningAction SilentlyContinue
        $detailed.Warnings.Id | Should -Be 'AcceptRaIgnoredWithForwarding'
        $detailed.Warnings[0].Location.Line | Should -Be 7
    }

    It 'returns $false and writes DocumentNotFound for a file that does not exist' {
        $missing = Join-Path $TestDrive 'missing.yaml'
        $result = Test-IpoeDocument -Path $missing -ErrorVariable errors -ErrorAction SilentlyContinue
        $result | Should -BeFalse
        $errors[0].FullyQualifiedErrorId | Should -Be 'DocumentNotFound,IpoeRouter.Commands.TestIpoeDocumentCommand'
    }

    It 'changes nothing in the document it tests' {
        $bad = New-TextFile $UnknownKeyText 'untouched'
        $before = Get-FileHashText $bad
        $null = Test-IpoeDocument -Path $bad -ErrorAction SilentlyContinue
        Get-FileHashText $bad | Should -Be $before
    }

    Context 'without -Path' {
        BeforeEach {
            $savedDocument = $env:IPOE_DOCUMENT
        }

        AfterEach {
            $env:IPOE_DOCUMENT = $savedDocument
        }

        It 'tests the document that $env:IPOE_DOCUMENT names' {
            $env:IPOE_DOCUMENT = New-TestDocument
            Test-IpoeDocument | Should -BeTrue
            $env:IPOE_DOCUMENT = New-TextFile $UnknownKeyText 'env'
            Test-IpoeDocument -ErrorAction SilentlyContinue | Should -BeFalse
        }
    }
}

Describe 'Import-IpoeDocument' -Tag 'CI' {
    BeforeEach {
        $target = Join-Path $TestDrive ('imported-{0}.yaml' -f [guid]::NewGuid().ToString('N'))
    }

    It 'copies a valid document byte for byte, comments included' {
        Import-IpoeDocument -Source $HgwExample -Path $target
        Get-FileHashText $target | Should -Be (Get-FileHashText $HgwExample)
        Get-Content -Raw $target | Should -Match '(?m)^# The seed router'
        (Get-IpoeTunnel -Path $target).Name | Should -Be 'ip6tnl1'
    }

    It 'refuses to replace an existing document without -Force with DocumentExists, leaving it byte-identical' {
        $existing = New-TestDocument
        $before = Get-FileHashText $existing
        { Import-IpoeDocument -Source (Join-Path $ExamplesDir 'minimal.yaml') -Path $existing -ErrorAction Stop } |
            Should -Throw -ErrorId 'DocumentExists,IpoeRouter.Commands.ImportIpoeDocumentCommand'
        { Import-IpoeDocument -Source (Join-Path $ExamplesDir 'minimal.yaml') -Path $existing -WhatIf -ErrorAction Stop } |
            Should -Throw -ErrorId 'DocumentExists,IpoeRouter.Commands.ImportIpoeDocumentCommand'
        Get-FileHashText $existing | Should -Be $before
    }

    It 'takes -Path as the document and -Source as the file, whatever their order' {
        $existing = New-TestDocument
        Import-IpoeDocument -Path $existing -Source (Join-Path $ExamplesDir 'minimal.yaml') -Force
        Get-FileHashText $existing | Should -Be (Get-FileHashText (Join-Path $ExamplesDir 'minimal.yaml'))
        Import-IpoeDocument $HgwExample -Path $target
        Get-FileHashText $target | Should -Be (Get-FileHashText $HgwExample)
    }

    It 'replaces an existing document with -Force' {
        $existing = New-TestDocument
        Import-IpoeDocument -Source (Join-Path $ExamplesDir 'minimal.yaml') -Path $existing -Force
        Get-FileHashText $existing | Should -Be (Get-FileHashText (Join-Path $ExamplesDir 'minimal.yaml'))
        (Get-IpoeTunnel -Path $existing).Name | Should -Be 'dslite0'
    }

    It 'outputs nothing without -PassThru and the imported document with it' {
        Import-IpoeDocument -Source $HgwExample -Path $target | Should -BeNullOrEmpty
        $doc = Import-IpoeDocument -Source $HgwExample -Path $target -Force -PassThru
        $doc | Should -BeOfType ([IpoeRouter.Model.RouterDocument])
        $doc.Interfaces.Name | Should -Be @('enp1s0', 'enp2s0')
    }

    It 'refuses an invalid file with its diagnostic id and leaves the document byte-identical' {
        $existing = New-TestDocument
        $before = Get-FileHashText $existing
        $bad = New-TextFile $UnknownKeyText 'import-bad'
        { Import-IpoeDocument -Source $bad -Path $existing -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownKey,IpoeRouter.Commands.ImportIpoeDocumentCommand'
        Get-FileHashText $existing | Should -Be $before
    }

    It 'creates no document from an invalid file' {
        $bad = New-TextFile "version: 1`ninterfaces:`n  - { name: wan0, role: wan }`n  - { name: wan0, role: lan }`n" 'import-dupe'
        { Import-IpoeDocument -Source $bad -Path $target -ErrorAction Stop } |
            Should -Throw -ErrorId 'DuplicateResource,IpoeRouter.Commands.ImportIpoeDocumentCommand'
        Test-Path $target | Should -BeFalse
    }

    It 'reports FileUnavailable for a file that does not exist' {
        { Import-IpoeDocument -Source (Join-Path $TestDrive 'nothing-here.yaml') -Path $target -ErrorAction Stop } |
            Should -Throw -ErrorId 'FileUnavailable,IpoeRouter.Commands.ImportIpoeDocumentCommand'
        Test-Path $target | Should -BeFalse
    }

    It 'leaves an existing document byte-identical under -WhatIf' {
        $existing = New-TestDocument
        $before = Get-FileHashText $existing
        Import-IpoeDocument -Source $HgwExample -Path $existing -Force -WhatIf
        Get-FileHashText $existing | Should -Be $before
    }

    It 'creates no document under -WhatIf but still outputs the would-be document for -PassThru' {
        $doc = Import-IpoeDocument -Source $HgwExample -Path $target -WhatIf -PassThru
        $doc | Should -BeOfType ([IpoeRouter.Model.RouterDocument])
        $doc.Tunnels.Name | Should -Be 'ip6tnl1'
        Test-Path $target | Should -BeFalse
    }

    It 'imports files piped from Get-Item' {
        Get-Item (Join-Path $ExamplesDir 'minimal.yaml') | Import-IpoeDocument -Path $target
        Get-FileHashText $target | Should -Be (Get-FileHashText (Join-Path $ExamplesDir 'minimal.yaml'))
    }

    Context 'without -Path' {
        BeforeEach {
            $savedDocument = $env:IPOE_DOCUMENT
            $env:IPOE_DOCUMENT = $target
        }

        AfterEach {
            $env:IPOE_DOCUMENT = $savedDocument
        }

        It 'replaces the document that $env:IPOE_DOCUMENT names' {
            Import-IpoeDocument -Source $HgwExample
            Get-FileHashText $target | Should -Be (Get-FileHashText $HgwExample)
        }
    }
}

Describe 'Export-IpoeDocument' -Tag 'CI' {
    BeforeEach {
        $p = New-TestDocument
    }

    It 'outputs the document as one string of canonical YAML when -Destination is not given' {
        $text = Export-IpoeDocument -Path $p
        $text | Should -BeOfType ([string])
        @($text).Count | Should -Be 1
        $text | Should -Match '^version: 1\n'
        $text | Should -Match '(?m)^tunnels:\n  - name: tnl0\n    kind: dsLite\n    remote: 2001:db8:ffff::100\n    local: \{fromInterface: wan0\}$'
    }

    It 'outputs exactly the text the Set cmdlets write' {
        Set-IpoeInterface -Path $p -Name lan0 -Mtu 1454
        Export-IpoeDocument -Path $p | Should -BeExactly (Get-Content -Raw $p)
    }

    It 'drops the comments of the document and keeps everything else' {
        $text = Export-IpoeDocument -Path $HgwExample
        $text | Should -Not -Match '#'
        $copy = New-TextFile $text 'export-text'
        Test-IpoeDocument -Path $copy | Should -BeTrue
        (Get-IpoeFirewallRule -Path $copy).Name | Should -Be (Get-IpoeFirewallRule -Path $HgwExample).Name
        (Get-IpoeDhcpScope -Path $copy).Domain | Should -Be 'yasundial.org'
    }

    It 'writes a file that Test-IpoeDocument accepts for -Destination, and outputs nothing' {
        $out = Join-Path $TestDrive 'exported.yaml'
        Export-IpoeDocument -Path $HgwExample -Destination $out | Should -BeNullOrEmpty
        Test-IpoeDocument -Path $out | Should -BeTrue
        (Get-IpoeTunnel -Path $out).Remote.Address.ToString() | Should -Be '2404:8e00::feed:100'
        Get-Content -Raw $out | Should -BeExactly (Export-IpoeDocument -Path $HgwExample)
    }

    It 'reads -Path as the document to export and never writes to it' {
        $other = New-TestDocument
        Set-IpoeInterface -Path $other -Name lan0 -Mtu 1454
        Set-IpoeInterface -Path $p -Name lan0 -Mtu 1400
        $saved = $env:IPOE_DOCUMENT
        try {
            $env:IPOE_DOCUMENT = $other
            $before = Get-FileHashText $p
            $text = Export-IpoeDocument -Path $p
            Get-FileHashText $p | Should -Be $before
            $text | Should -BeExactly (Get-Content -Raw $p)
        }
        finally {
            $env:IPOE_DOCUMENT = $saved
        }
    }

    It 'refuses to overwrite an existing file without -Force with DestinationExists, leaving it byte-identical' {
        $out = Join-Path $TestDrive 'existing-export.yaml'
        Set-Content -Path $out -Value 'old'
        $before = Get-FileHashText $out
        { Export-IpoeDocument -Path $p -Destination $out -ErrorAction Stop } |
            Should -Throw -ErrorId 'DestinationExists,IpoeRouter.Commands.ExportIpoeDocumentCommand'
        { Export-IpoeDocument $out -Path $p -ErrorAction Stop } |
            Should -Throw -ErrorId 'DestinationExists,IpoeRouter.Commands.ExportIpoeDocumentCommand'
        Get-FileHashText $out | Should -Be $before
    }

    It 'overwrites an existing file with -Force' {
        $out = Join-Path $TestDrive 'overwritten.yaml'
        Set-Content -Path $out -Value 'old'
        Export-IpoeDocument -Path $p -Destination $out -Force
        Test-IpoeDocument -Path $out | Should -BeTrue
    }

    It 'keeps refusing an existing file for -NoClobber even with -Force' {
        $out = Join-Path $TestDrive 'noclobber-force.yaml'
        Set-Content -Path $out -Value 'old'
        $before = Get-FileHashText $out
        { Export-IpoeDocument -Path $p -Destination $out -NoClobber -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'FileUnavailable,IpoeRouter.Commands.ExportIpoeDocumentCommand'
        Get-FileHashText $out | Should -Be $before
    }

    It 'refuses to overwrite an existing file for -NoClobber with FileUnavailable, leaving it byte-identical' {
        $out = Join-Path $TestDrive 'kept.yaml'
        Set-Content -Path $out -Value 'old'
        $before = Get-FileHashText $out
        { Export-IpoeDocument -Path $p -Destination $out -NoClobber -ErrorAction Stop } |
            Should -Throw -ErrorId 'FileUnavailable,IpoeRouter.Commands.ExportIpoeDocumentCommand'
        Get-FileHashText $out | Should -Be $before
    }

    It 'writes a new file for -NoClobber' {
        $out = Join-Path $TestDrive 'fresh.yaml'
        Export-IpoeDocument -Path $p -Destination $out -NoClobber
        Test-IpoeDocument -Path $out | Should -BeTrue
    }

    It 'writes nothing under -WhatIf' {
        $out = Join-Path $TestDrive 'whatif-export.yaml'
        Export-IpoeDocument -Path $p -Destination $out -WhatIf
        Test-Path $out | Should -BeFalse
        $existing = New-TestDocument
        Set-Content -Path $existing -Value 'old'
        $before = Get-FileHashText $existing
        Export-IpoeDocument -Path $HgwExample -Destination $existing -Force -WhatIf
        Get-FileHashText $existing | Should -Be $before
    }

    It 'leaves the source document byte-identical' {
        $before = Get-FileHashText $p
        $null = Export-IpoeDocument -Path $p
        Export-IpoeDocument -Path $p -Destination (Join-Path $TestDrive 'side.yaml')
        Get-FileHashText $p | Should -Be $before
    }

    It 'reports DocumentNotFound when the document does not exist' {
        { Export-IpoeDocument -Path (Join-Path $TestDrive 'missing.yaml') -ErrorAction Stop } |
            Should -Throw -ErrorId 'DocumentNotFound,IpoeRouter.Commands.ExportIpoeDocumentCommand'
    }

    It 'reports the diagnostic id of a document that is invalid, and writes no file' {
        $bad = New-TextFile $UnknownKeyText 'export-bad'
        $out = Join-Path $TestDrive 'not-written.yaml'
        { Export-IpoeDocument -Path $bad -Destination $out -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownKey,IpoeRouter.Commands.ExportIpoeDocumentCommand'
        Test-Path $out | Should -BeFalse
    }

    It 'binds the document path of a piped object' {
        $text = Get-IpoeDnsForwarder -Path $p | Export-IpoeDocument
        $text | Should -BeExactly (Export-IpoeDocument -Path $p)
    }

    Context 'without -Path' {
        BeforeEach {
            $savedDocument = $env:IPOE_DOCUMENT
            $env:IPOE_DOCUMENT = $p
        }

        AfterEach {
            $env:IPOE_DOCUMENT = $savedDocument
        }

        It 'exports the document that $env:IPOE_DOCUMENT names' {
            Export-IpoeDocument | Should -Match '(?m)^  - name: tnl0$'
        }
    }
}
