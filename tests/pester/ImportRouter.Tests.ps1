BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    # The seed router's files, as the Model tests keep them (flat names, both netplan variants).
    $script:SeedDir = (Resolve-Path (Join-Path $PSScriptRoot '../IpoeRouter.Model.Tests/Seed')).Path
    $script:Focal = 'netplan-01-netcfg-focal.yaml'

    # Lines of every file the import reads from the seed folder (README.md is not one of them).
    function Get-SeedLineCount {
        (Get-ChildItem $SeedDir -File | Where-Object Name -NotIn @('README.md', $Focal) |
            ForEach-Object { @(Get-Content -LiteralPath $_.FullName).Count } | Measure-Object -Sum).Sum
    }
}

Describe 'Import-IpoeRouter' -Tag 'CI' {
    BeforeEach {
        $doc = Join-Path $TestDrive ('router-{0}.yaml' -f [guid]::NewGuid().ToString('N'))
    }

    It 'writes a valid document from the seed folder, the tunnel bound to the WAN and the delegation a /60' {
        $null = Import-IpoeRouter -Source $SeedDir -Path $doc -Exclude $Focal -WarningAction SilentlyContinue
        Test-IpoeDocument -Path $doc | Should -BeTrue
        (Get-IpoeTunnel -Path $doc -Name ip6tnl1).Local.Interface | Should -Be 'enp1s0'
        $pd = Get-IpoePrefixDelegation -Path $doc -Name hgw
        $pd.PrefixLength | Should -Be 60
        $pd.Downstreams[0].SubnetId | Should -Be 1
    }

    It 'outputs one account object per line read, each with its file and line number' {
        $lines = Import-IpoeRouter -Source $SeedDir -Path $doc -Exclude $Focal -WarningAction SilentlyContinue
        $lines.Count | Should -Be (Get-SeedLineCount)
        $lines[0] | Should -BeOfType ([IpoeRouter.Model.Import.AccountedLine])
        $lines | ForEach-Object { $_.Source | Should -Not -BeNullOrEmpty; $_.Line | Should -BeGreaterThan 0 }
        $ra = $lines | Where-Object { $_.Source -eq 'sysctl.conf' -and $_.Line -eq 1 }
        $ra.Outcome | Should -Be 'Absorbed'
        $ra.Location | Should -Be 'sysctl.conf:1'
        $ra.Detail | Should -BeLike '*the engine sets accept_ra 2*'
        @($lines | Where-Object Outcome -EQ 'NotExpressible').Count | Should -Be 0
    }

    It 'refuses to replace an existing document without -Force, and replaces it with -Force' {
        $p = New-TestDocument
        $before = Get-FileHashText $p
        { Import-IpoeRouter -Source $SeedDir -Path $p -Exclude $Focal -ErrorAction Stop } |
            Should -Throw -ErrorId 'DocumentExists,IpoeRouter.Commands.ImportIpoeRouterCommand'
        Get-FileHashText $p | Should -Be $before

        $null = Import-IpoeRouter -Source $SeedDir -Path $p -Exclude $Focal -Force -WarningAction SilentlyContinue
        (Get-IpoeInterface -Path $p).Name | Should -Be @('enp1s0', 'enp2s0')
    }

    It 'writes nothing under -WhatIf but still outputs the account' {
        $lines = Import-IpoeRouter -Source $SeedDir -Path $doc -Exclude $Focal -WhatIf -WarningAction SilentlyContinue
        Test-Path $doc | Should -BeFalse
        $lines.Count | Should -Be (Get-SeedLineCount)
    }

    It 'reports the WAN address of the 20.04 netplan as not expressible, with its file and line, as a warning' {
        $lines = Import-IpoeRouter -Source $SeedDir -Path $doc -Exclude 'netplan-01-netcfg.yaml' -WarningVariable w -WarningAction SilentlyContinue
        $bad = @($lines | Where-Object Outcome -EQ 'NotExpressible')
        $bad.Count | Should -Be 1
        $bad[0].Location | Should -Be "${Focal}:9"
        ($w -join "`n") | Should -BeLike "*${Focal}:9*"
        Test-Path $doc | Should -BeTrue
    }

    It 'refuses two versions of one netplan file, naming the conflict' {
        { Import-IpoeRouter -Source $SeedDir -Path $doc -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImportSourceConflict,IpoeRouter.Commands.ImportIpoeRouterCommand'
        Test-Path $doc | Should -BeFalse
    }

    It 'reads a folder laid out like /etc into the same document as the flat one' {
        $etc = Join-Path $TestDrive 'etc'
        $layout = @{
            'netplan-01-netcfg.yaml' = 'netplan/01-netcfg.yaml'; 'dhcp6c.conf' = 'wide-dhcpv6/dhcp6c.conf'
            'default-wide-dhcpv6-client' = 'default/wide-dhcpv6-client'; 'dnsmasq.d-00.ipv4.conf' = 'dnsmasq.d/00.ipv4.conf'
            'dnsmasq.d-01.ipv6.conf' = 'dnsmasq.d/01.ipv6.conf'; 'sysctl.conf' = 'sysctl.conf'; 'ip6tables.conf' = 'network/ip6tables.conf'
        }
        foreach ($k in $layout.Keys) {
            $to = Join-Path $etc $layout[$k]
            $null = New-Item -ItemType Directory -Force -Path (Split-Path $to)
            Copy-Item -LiteralPath (Join-Path $SeedDir $k) -Destination $to
        }
        $flat = Join-Path $TestDrive 'flat'
        $null = New-Item -ItemType Directory -Path $flat
        $layout.Keys | ForEach-Object { Copy-Item -LiteralPath (Join-Path $SeedDir $_) -Destination $flat }
        $fromEtc = Join-Path $TestDrive 'from-etc.yaml'
        $fromFlat = Join-Path $TestDrive 'from-flat.yaml'

        $lines = Import-IpoeRouter -Source $etc -Path $fromEtc -WarningAction SilentlyContinue
        $null = Import-IpoeRouter -Source $flat -Path $fromFlat -WarningAction SilentlyContinue
        Get-Content -Raw $fromEtc | Should -Be (Get-Content -Raw $fromFlat)
        ($lines | Where-Object Source -Like 'wide-dhcpv6*' | Select-Object -First 1).Location | Should -Be 'wide-dhcpv6/dhcp6c.conf:1'
    }

    It 'ends with FileUnavailable when the source folder does not exist' {
        { Import-IpoeRouter -Source (Join-Path $TestDrive 'nowhere') -Path $doc -ErrorAction Stop } |
            Should -Throw -ErrorId 'FileUnavailable,IpoeRouter.Commands.ImportIpoeRouterCommand'
    }
}
