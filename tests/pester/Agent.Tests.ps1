BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $isRoot = (Get-Content /proc/self/status | Where-Object { $_ -like 'Uid:*' }) -match '^Uid:\s+\d+\s+0\s'
    $moduleBase = (Get-Module IpoeRouter).ModuleBase
    $shippedAgent = Join-Path $moduleBase 'agent/ipoe-agent'

    function Get-Mode([string] $Path) { [int] [System.IO.File]::GetUnixFileMode($Path) }
}

Describe 'The agent shipped with the module' -Tag 'CI' {
    It 'lies beside the module with its unit template' {
        Test-Path $shippedAgent | Should -BeTrue
        Get-Content -Raw (Join-Path $moduleBase 'agent/ipoe-agent.service') | Should -Match 'ExecStart=@AGENT_PATH@ --document @DOCUMENT@'
    }

    It 'has help with an example for each cmdlet, and a view for what they output' {
        foreach ($c in 'Install-IpoeAgent', 'Uninstall-IpoeAgent') {
            @((Get-Help $c -Examples).examples.example).Count | Should -BeGreaterThan 0 -Because $c
        }
        (Get-Help Install-IpoeAgent -Examples).examples.example[0].code | Should -Be 'Install-IpoeAgent -Start'
        Get-FormatData -TypeName 'IpoeRouter.Commands.AgentInstallation' -PowerShellVersion $PSVersionTable.PSVersion | Should -Not -BeNullOrEmpty
    }

    It 'is in the package' {
        $repository = if ($env:IPOE_TEST_REPOSITORY) { $env:IPOE_TEST_REPOSITORY } else { Join-Path $PSScriptRoot '../../out/repository' }
        $package = Get-ChildItem $repository -Filter 'IpoeRouter.*.nupkg' -ErrorAction SilentlyContinue | Select-Object -First 1
        if (-not $package) { Set-ItResult -Skipped -Because "no package in ${repository}: run 'build.ps1 Package' first"; return }
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($package.FullName)
        try { $entries = $zip.Entries.FullName } finally { $zip.Dispose() }
        $entries | Should -Contain 'agent/ipoe-agent'
        $entries | Should -Contain 'agent/ipoe-agent.service'
    }
}

Describe 'Install-IpoeAgent and Uninstall-IpoeAgent into a root directory' -Tag 'CI', 'RequireSudoOnUnix' {
    BeforeEach {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'installing the agent needs root (CI runs as root)'; return }
        $script:root = Join-Path $TestDrive ('image-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        $null = New-Item -ItemType Directory $root
        $script:binary = Join-Path $root 'usr/local/sbin/ipoe-agent'
        $script:unit = Join-Path $root 'etc/systemd/system/ipoe-agent.service'
        $script:link = Join-Path $root 'etc/systemd/system/multi-user.target.wants/ipoe-agent.service'
    }

    It '-WhatIf names every file and the systemctl command, and changes nothing' {
        $result = Install-IpoeAgent -Root $root -WhatIf -PassThru -WarningAction SilentlyContinue

        Get-ChildItem -Recurse -Force $root | Should -BeNullOrEmpty
        $result.Applied | Should -BeFalse
        $result.Result | Should -Be 'Installed'
        $result.Steps | Should -HaveCount 3
        $result.Steps[0] | Should -BeLike "${binary}: Install the agent from $shippedAgent (mode 0755)"
        $result.Steps[1] | Should -BeLike "${unit}: Write the unit: ExecStart=/usr/local/sbin/ipoe-agent --document /etc/ipoe/router.yaml (mode 0644)"
        $result.Steps[2] | Should -Be "ipoe-agent.service: Run systemctl --root=$root enable ipoe-agent.service"
    }

    It '-WhatIf tells the host every file and command' {
        # What if: lines go to the host, so a child pwsh shows them on its output.
        $output = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command "Import-Module '$ModulePath'; Install-IpoeAgent -Root '$root' -WhatIf -WarningAction SilentlyContinue" 2>&1 | ForEach-Object ToString
        $text = $output -join "`n"

        $LASTEXITCODE | Should -Be 0 -Because $text
        $text | Should -Match ([regex]::Escape("on target `"$binary`""))
        $text | Should -Match ([regex]::Escape("on target `"$unit`""))
        $text | Should -Match ([regex]::Escape("Run systemctl --root=$root enable ipoe-agent.service"))
        Get-ChildItem -Recurse -Force $root | Should -BeNullOrEmpty
    }

    It 'installs the binary (0755), the unit (0644) naming the document, and the enable symlink' {
        $result = Install-IpoeAgent -Root $root -DocumentPath /etc/ipoe/lab.yaml -PassThru -WarningAction SilentlyContinue

        $result.Result | Should -Be 'Installed'
        $result.Applied | Should -BeTrue
        $result.Enabled | Should -BeTrue
        $result.Started | Should -BeFalse
        (Get-FileHash $binary).Hash | Should -Be (Get-FileHash $shippedAgent).Hash
        Get-Mode $binary | Should -Be 0x1ED
        Get-Mode $unit | Should -Be 0x1A4
        $text = Get-Content -Raw $unit
        $text | Should -Match ([regex]::Escape("ExecStart=/usr/local/sbin/ipoe-agent --document /etc/ipoe/lab.yaml`n"))
        $text | Should -Not -Match '@AGENT_PATH@|@DOCUMENT@'
        (Get-Item -Force $link).LinkTarget | Should -Be '/etc/systemd/system/ipoe-agent.service'
    }

    It 'warns when the document is missing from the image' {
        $null = Install-IpoeAgent -Root $root -WarningVariable warnings -WarningAction SilentlyContinue
        ($warnings -join "`n") | Should -Match 'does not exist yet'
    }

    It 'installing the same again changes nothing' {
        Install-IpoeAgent -Root $root -WarningAction SilentlyContinue
        $written = (Get-Item $binary).LastWriteTimeUtc, (Get-Item $unit).LastWriteTimeUtc

        $again = Install-IpoeAgent -Root $root -PassThru -WarningAction SilentlyContinue

        $again.Result | Should -Be 'Unchanged'
        $again.Steps | Should -BeNullOrEmpty
        (Get-Item $binary).LastWriteTimeUtc, (Get-Item $unit).LastWriteTimeUtc | Should -Be $written
    }

    It 'refuses to replace a different binary without -Force (AgentInstallationDiffers), and replaces it with -Force' {
        Install-IpoeAgent -Root $root -WarningAction SilentlyContinue
        Set-Content -Path $binary -Value 'not the agent'

        { Install-IpoeAgent -Root $root -ErrorAction Stop -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'AgentInstallationDiffers,IpoeRouter.Commands.InstallIpoeAgentCommand'
        Get-Content $binary | Should -Be 'not the agent'

        $forced = Install-IpoeAgent -Root $root -Force -PassThru -WarningAction SilentlyContinue
        $forced.Result | Should -Be 'Updated'
        (Get-FileHash $binary).Hash | Should -Be (Get-FileHash $shippedAgent).Hash
        Get-Mode $binary | Should -Be 0x1ED
    }

    It 'refuses another document path over an installed unit without -Force' {
        Install-IpoeAgent -Root $root -WarningAction SilentlyContinue

        { Install-IpoeAgent -Root $root -DocumentPath /etc/ipoe/other.yaml -ErrorAction Stop -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'AgentInstallationDiffers,IpoeRouter.Commands.InstallIpoeAgentCommand'
        Get-Content -Raw $unit | Should -Match 'router\.yaml'
    }

    It 'refuses a document path systemd would read otherwise (InvalidParameter)' {
        { Install-IpoeAgent -Root $root -DocumentPath '/etc/ipoe/my router.yaml' -ErrorAction Stop -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.InstallIpoeAgentCommand'
        Get-ChildItem -Recurse -Force $root | Should -BeNullOrEmpty
    }

    It 'refuses -Start for an image (InvalidParameter)' {
        { Install-IpoeAgent -Root $root -Start -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.InstallIpoeAgentCommand'
    }

    It 'Uninstall-IpoeAgent removes the unit, the binary and the enable symlink' {
        Install-IpoeAgent -Root $root -WarningAction SilentlyContinue

        $result = Uninstall-IpoeAgent -Root $root -Confirm:$false -PassThru

        $result.Result | Should -Be 'Removed'
        $result.Enabled | Should -BeFalse
        $result.Steps[0] | Should -Be "ipoe-agent.service: Run systemctl --root=$root disable ipoe-agent.service"
        Test-Path $unit | Should -BeFalse
        Test-Path $binary | Should -BeFalse
        Get-Item -Force $link -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'Uninstall-IpoeAgent -WhatIf changes nothing' {
        Install-IpoeAgent -Root $root -WarningAction SilentlyContinue

        Uninstall-IpoeAgent -Root $root -WhatIf

        Test-Path $unit | Should -BeTrue
        Test-Path $binary | Should -BeTrue
        (Get-Item -Force $link).LinkTarget | Should -Not -BeNullOrEmpty
    }

    It 'Uninstall-IpoeAgent where nothing is installed reports AgentNotInstalled' {
        { Uninstall-IpoeAgent -Root $root -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgentNotInstalled,IpoeRouter.Commands.UninstallIpoeAgentCommand'
    }
}

Describe 'Install-IpoeAgent on a machine systemd does not run' -Tag 'CI', 'RequireSudoOnUnix' {
    It 'refuses before writing anything (SystemdUnavailable), and so does Uninstall-IpoeAgent' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'installing the agent needs root (CI runs as root)'; return }
        if (Test-Path /run/systemd/system) { Set-ItResult -Skipped -Because 'systemd runs this machine: the install would be real'; return }
        $before = (Test-Path /usr/local/sbin/ipoe-agent), (Test-Path /etc/systemd/system/ipoe-agent.service)

        { Install-IpoeAgent -ErrorAction Stop -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'SystemdUnavailable,IpoeRouter.Commands.InstallIpoeAgentCommand'
        { Uninstall-IpoeAgent -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'SystemdUnavailable,IpoeRouter.Commands.UninstallIpoeAgentCommand'

        (Test-Path /usr/local/sbin/ipoe-agent), (Test-Path /etc/systemd/system/ipoe-agent.service) | Should -Be $before
    }
}
