BeforeAll { . (Join-Path $PSScriptRoot 'TestSetup.ps1') }

Describe 'The module package' -Tag 'CI' {
    BeforeAll {
        $repository = if ($env:IPOE_TEST_REPOSITORY) { $env:IPOE_TEST_REPOSITORY } else { Join-Path $PSScriptRoot '../../out/repository' }
        $package = Get-ChildItem $repository -Filter 'IpoeRouter.*.nupkg' -ErrorAction SilentlyContinue | Select-Object -First 1
        if (-not $package) { throw "No IpoeRouter package in ${repository}: run 'build.ps1 Package' first." }

        # A child pwsh with a HOME of its own: Install-Module -Scope CurrentUser lands there, not in the
        # real profile, and the repository registration is forgotten with it.
        $isolatedHome = Join-Path $TestDrive 'home'
        $null = New-Item -ItemType Directory $isolatedHome
        $document = New-TestDocument
        $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSRepository -Name IpoeLocal -SourceLocation '$repository' -InstallationPolicy Trusted
Install-Module IpoeRouter -Repository IpoeLocal -Scope CurrentUser
Import-Module IpoeRouter
`$m = Get-Module IpoeRouter
"INSTALLED=`$(`$m.ModuleBase)"
"VERSION=`$(`$m.Version)"
"TUNNEL=`$((Get-IpoeTunnel -Path '$document').Name)"
"@
        $pwshDll = Join-Path $PSHOME 'pwsh.dll'
        $saved = @{ HOME = $env:HOME; XDG_DATA_HOME = $env:XDG_DATA_HOME; XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME; XDG_CACHE_HOME = $env:XDG_CACHE_HOME; PSModulePath = $env:PSModulePath }
        try {
            $env:HOME = $isolatedHome
            $env:XDG_DATA_HOME = $null; $env:XDG_CONFIG_HOME = $null; $env:XDG_CACHE_HOME = $null; $env:PSModulePath = $null
            $output = & dotnet $pwshDll -NoProfile -NonInteractive -Command $script 2>&1 | ForEach-Object ToString
            $exitCode = $LASTEXITCODE
        }
        finally {
            foreach ($k in $saved.Keys) { Set-Item "env:$k" $saved[$k] }
        }
        $installedLine = $output | Where-Object { $_ -like 'INSTALLED=*' }
    }

    It 'installs with Install-Module from the repository folder' {
        $exitCode | Should -Be 0 -Because ($output -join "`n")
        $installedLine | Should -Not -BeNullOrEmpty -Because ($output -join "`n")
        $installedLine | Should -BeLike "INSTALLED=$isolatedHome*"
    }

    It 'installs the version the build wrote' {
        $manifest = Test-ModuleManifest -Path $ModulePath
        $output | Should -Contain "VERSION=$($manifest.Version)"
    }

    It 'runs a cmdlet from the installed module' {
        $output | Should -Contain 'TUNNEL=tnl0'
    }
}
