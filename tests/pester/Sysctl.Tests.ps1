BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    # The test document with two more settings: forwarding (from New-TestDocument), ip_forward, syncookies.
    function New-SysctlDocument {
        $path = New-TestDocument
        Add-Content -Path $path -Value @'
  - { name: net.ipv4.ip_forward, value: 1 }
  - { name: net.ipv4.tcp_syncookies, value: 1 }
'@
        $path
    }
}

Describe 'Get-IpoeSysctlSetting' -Tag 'CI' {
    BeforeEach {
        $p = New-SysctlDocument
    }

    It 'lists every declared setting in document order, each carrying the document path' {
        $all = Get-IpoeSysctlSetting -Path $p
        $all.Name | Should -Be @('net.ipv6.conf.all.forwarding', 'net.ipv4.ip_forward', 'net.ipv4.tcp_syncookies')
        $all.Value | Should -Be @('1', '1', '1')
        $all[0] | Should -BeOfType ([IpoeRouter.Model.SysctlSetting])
        $all | ForEach-Object { $_.DocumentPath | Should -Be $p }
    }

    It 'returns only the settings whose names match a wildcard' {
        (Get-IpoeSysctlSetting -Path $p -Name 'net.ipv4.*').Name | Should -Be @('net.ipv4.ip_forward', 'net.ipv4.tcp_syncookies')
    }

    It 'takes names from the pipeline' {
        ('net.ipv4.ip_forward' | Get-IpoeSysctlSetting -Path $p).Value | Should -Be '1'
    }

    It 'reports SysctlSettingNotFound for a name that matches nothing' {
        { Get-IpoeSysctlSetting -Path $p -Name net.ipv4.nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'SysctlSettingNotFound,IpoeRouter.Commands.GetIpoeSysctlSettingCommand'
    }

    It 'reports DocumentNotFound when the document does not exist' {
        { Get-IpoeSysctlSetting -Path (Join-Path $TestDrive 'missing.yaml') -ErrorAction Stop } |
            Should -Throw -ErrorId 'DocumentNotFound,IpoeRouter.Commands.GetIpoeSysctlSettingCommand'
    }

    It 'reports the diagnostic id of a document on disk that is invalid' {
        $bad = Join-Path $TestDrive 'bad-sysctl.yaml'
        Set-Content -Path $bad -Value "version: 1`nsysctl:`n  - { name: net.ipv4.ip_forward, value: 1 }`n  - { name: net.ipv4.ip_forward, value: 0 }"
        { Get-IpoeSysctlSetting -Path $bad -ErrorAction Stop } |
            Should -Throw -ErrorId 'DuplicateResource,IpoeRouter.Commands.GetIpoeSysctlSettingCommand'
    }
}

Describe 'Set-IpoeSysctlSetting' -Tag 'CI' {
    BeforeEach {
        $p = New-SysctlDocument
    }

    It 'adds a new setting at the end' {
        Set-IpoeSysctlSetting -Path $p -Name net.ipv4.conf.all.rp_filter -Value 1
        (Get-IpoeSysctlSetting -Path $p)[-1].Name | Should -Be 'net.ipv4.conf.all.rp_filter'
        (Get-IpoeSysctlSetting -Path $p -Name net.ipv4.conf.all.rp_filter).Value | Should -Be '1'
        Get-Content -Raw $p | Should -Match '(?m)^  - name: net\.ipv4\.conf\.all\.rp_filter\n    value: 1\n?$'
    }

    It 'changes the value of a declared setting in place' {
        Set-IpoeSysctlSetting -Path $p net.ipv4.ip_forward 0
        (Get-IpoeSysctlSetting -Path $p -Name net.ipv4.ip_forward).Value | Should -Be '0'
        (Get-IpoeSysctlSetting -Path $p).Name | Should -Be @('net.ipv6.conf.all.forwarding', 'net.ipv4.ip_forward', 'net.ipv4.tcp_syncookies')
        Get-Content -Raw $p | Should -Match '(?m)^  - name: net\.ipv4\.ip_forward\n    value: 0$'
    }

    It 'takes a name in slash form and writes it in dotted form' {
        Set-IpoeSysctlSetting -Path $p -Name net/ipv4/tcp_syncookies -Value 0
        (Get-IpoeSysctlSetting -Path $p -Name net.ipv4.tcp_syncookies).Value | Should -Be '0'
        Get-Content -Raw $p | Should -Not -Match 'net/ipv4'
    }

    It 'writes 1 and 0 for $true and $false' {
        Set-IpoeSysctlSetting -Path $p -Name net.ipv4.tcp_syncookies -Value $false
        (Get-IpoeSysctlSetting -Path $p -Name net.ipv4.tcp_syncookies).Value | Should -Be '0'
        Set-IpoeSysctlSetting -Path $p -Name net.ipv4.tcp_syncookies -Value $true
        (Get-IpoeSysctlSetting -Path $p -Name net.ipv4.tcp_syncookies).Value | Should -Be '1'
    }

    It 'writes a value with several fields as given' {
        Set-IpoeSysctlSetting -Path $p -Name net.ipv4.ip_local_port_range -Value '32768 60999'
        (Get-IpoeSysctlSetting -Path $p -Name net.ipv4.ip_local_port_range).Value | Should -Be '32768 60999'
    }

    It 'binds Name and Value from any object that has them' {
        [pscustomobject]@{ Name = 'net.ipv4.conf.default.rp_filter'; Value = 1 } | Set-IpoeSysctlSetting -Path $p
        (Get-IpoeSysctlSetting -Path $p -Name net.ipv4.conf.default.rp_filter).Value | Should -Be '1'
    }

    It 'copies the settings piped from another document to -Path' {
        $target = Join-Path $TestDrive 'copied-sysctl.yaml'
        Get-IpoeSysctlSetting -Path $p -Name 'net.ipv4.*' | Set-IpoeSysctlSetting -Path $target
        (Get-IpoeSysctlSetting -Path $target).Name | Should -Be @('net.ipv4.ip_forward', 'net.ipv4.tcp_syncookies')
    }

    It 'binds the name and document path of piped settings' {
        Get-IpoeSysctlSetting -Path $p -Name net.ipv4.ip_forward | Set-IpoeSysctlSetting -Value 0
        (Get-IpoeSysctlSetting -Path $p -Name net.ipv4.ip_forward).Value | Should -Be '0'
    }

    It 'warns AcceptRaIgnoredWithForwarding for accept_ra 1 with forwarding on, and still writes 1' {
        Set-IpoeSysctlSetting -Path $p -Name net.ipv6.conf.lan0.accept_ra -Value 1 -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match '^AcceptRaIgnoredWithForwarding:'
        (Get-IpoeSysctlSetting -Path $p -Name net.ipv6.conf.lan0.accept_ra).Value | Should -Be '1'
        Get-Content -Raw $p | Should -Match '(?m)^  - name: net\.ipv6\.conf\.lan0\.accept_ra\n    value: 1\n?$'
    }

    It 'does not warn for accept_ra 2' {
        Set-IpoeSysctlSetting -Path $p -Name net.ipv6.conf.lan0.accept_ra -Value 2 -WarningVariable warnings
        $warnings | Should -BeNullOrEmpty
    }

    It 'refuses accept_ra on an interface that declares acceptRa with OwnershipConflict and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Set-IpoeSysctlSetting -Path $p -Name net.ipv6.conf.wan0.accept_ra -Value 2 -ErrorAction Stop } |
            Should -Throw -ErrorId 'OwnershipConflict,IpoeRouter.Commands.SetIpoeSysctlSettingCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses a name that is not a sysctl key with InvalidParameter and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Set-IpoeSysctlSetting -Path $p -Name 'net..ipv4' -Value 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.SetIpoeSysctlSettingCommand'
        { Set-IpoeSysctlSetting -Path $p -Name 'forwarding' -Value 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.SetIpoeSysctlSettingCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'outputs the setting, with the document path, for -PassThru' {
        $out = Set-IpoeSysctlSetting -Path $p -Name net.ipv4.ip_forward -Value 0 -PassThru
        $out | Should -BeOfType ([IpoeRouter.Model.SysctlSetting])
        $out.Value | Should -Be '0'
        $out.DocumentPath | Should -Be $p
    }

    It 'leaves the document byte-identical under -WhatIf and still outputs the would-be setting for -PassThru' {
        $before = Get-FileHashText $p
        $out = Set-IpoeSysctlSetting -Path $p -Name net.ipv4.ip_forward -Value 0 -WhatIf -PassThru
        $out.Value | Should -Be '0'
        Set-IpoeSysctlSetting -Path $p -Name net.core.somaxconn -Value 4096 -WhatIf
        Get-FileHashText $p | Should -Be $before
    }

    It 'writes nothing when the setting already has the value' {
        $before = Get-FileHashText $p
        Set-IpoeSysctlSetting -Path $p -Name net.ipv4.ip_forward -Value 1
        Get-FileHashText $p | Should -Be $before
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
            Set-IpoeSysctlSetting net.ipv4.ip_forward 0
            (Get-IpoeSysctlSetting -Path $p -Name net.ipv4.ip_forward).Value | Should -Be '0'
            (Get-IpoeSysctlSetting net.ipv4.ip_forward).DocumentPath | Should -Be $p
        }
    }
}

Describe 'Remove-IpoeSysctlSetting' -Tag 'CI' {
    BeforeEach {
        $p = New-SysctlDocument
    }

    It 'removes a setting' {
        Remove-IpoeSysctlSetting -Path $p -Name net.ipv4.tcp_syncookies
        (Get-IpoeSysctlSetting -Path $p).Name | Should -Be @('net.ipv6.conf.all.forwarding', 'net.ipv4.ip_forward')
        Get-Content -Raw $p | Should -Not -Match 'tcp_syncookies'
    }

    It 'removes the settings piped from Get-IpoeSysctlSetting, in the document they came from' {
        Get-IpoeSysctlSetting -Path $p -Name 'net.ipv4.*' | Remove-IpoeSysctlSetting
        (Get-IpoeSysctlSetting -Path $p).Name | Should -Be 'net.ipv6.conf.all.forwarding'
    }

    It 'reports SysctlSettingNotFound for a setting the document does not declare and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Remove-IpoeSysctlSetting -Path $p -Name net.ipv4.nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'SysctlSettingNotFound,IpoeRouter.Commands.RemoveIpoeSysctlSettingCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'leaves the document byte-identical under -WhatIf' {
        $before = Get-FileHashText $p
        Remove-IpoeSysctlSetting -Path $p -Name net.ipv4.ip_forward -WhatIf
        Get-FileHashText $p | Should -Be $before
    }
}

Describe 'Sysctl values and key spellings' -Tag 'CI' {
    BeforeEach { $p = New-TestDocument }

    It 'writes a list value space-separated, as sysctl takes it' {
        Set-IpoeSysctlSetting -Path $p -Name net.ipv4.ip_local_port_range -Value @(32768, 60999)
        (Get-IpoeSysctlSetting -Path $p -Name net.ipv4.ip_local_port_range).Value | Should -Be '32768 60999'
    }

    It 'finds and removes a setting named in slash form' {
        Set-IpoeSysctlSetting -Path $p net/ipv4/ip_forward 1
        (Get-IpoeSysctlSetting -Path $p -Name net/ipv4/ip_forward).Name | Should -Be 'net.ipv4.ip_forward'
        Remove-IpoeSysctlSetting -Path $p -Name net/ipv4/ip_forward
        Get-IpoeSysctlSetting -Path $p -Name net.ipv4.ip_forward -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
