<#
.SYNOPSIS
    Builds, tests, packages and demonstrates IpoeRouter.
.DESCRIPTION
    Tasks (several may be given, they run in this order):
      Build    compile the solution (Release) and lay out the module in out/IpoeRouter (with the
               NativeAOT agent and its systemd unit template in out/IpoeRouter/agent)
      Package  Build, then write the module's .nupkg into the repository folder out/repository
      Test     Build and Package, then run every xunit and Pester test; ends with one line
               "N passed, N failed, N skipped" and exits non-zero when anything failed
      Run      Build, import the module, validate the examples, show the example router, and (as
               root) run the router under ipoe-agent in the three-namespace lab (lab/Invoke-IpoeLab.ps1)
      Clean    remove out/ and the projects' bin/ and obj/
.EXAMPLE
    dotnet tool restore; dotnet pwsh -NoProfile -File build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Package', 'Test', 'Run', 'Clean')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Pester tags to leave out.
    [string[]] $ExcludeTag = @()
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
Set-Location $PSScriptRoot

$Out = Join-Path $PSScriptRoot 'out'
$ModuleOut = Join-Path $Out 'IpoeRouter'
$Repository = Join-Path $Out 'repository'
$PesterVersion = '5.7.1'

function Invoke-Native {
    param([Parameter(Mandatory)] [string] $What, [Parameter(Mandatory)] [scriptblock] $Command)
    & $Command
    if ($LASTEXITCODE) { throw "$What failed (exit code $LASTEXITCODE)" }
}

function Invoke-Build {
    Invoke-Native 'dotnet build' { dotnet build IpoeIaC.sln -c $Configuration --nologo -v q -clp:NoSummary }
    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    # ReadyToRun: precompiled code for the module and YamlDotNet takes ~0.1 s off the first cmdlet of
    # a session (bench/module-startup.ps1); it needs a runtime identifier, so this publish builds again.
    Invoke-Native 'module publish' { dotnet publish src/IpoeRouter.PowerShell -c $Configuration -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o $ModuleOut --nologo -v q }
    # The agent, NativeAOT (TOOLCHAIN.md §8); the lab tests run this binary.
    Invoke-Native 'agent publish' { dotnet publish src/IpoeRouter.Agent -c $Configuration -o (Join-Path $Out 'agent') --nologo -v q }
    # The module ships the agent and its unit template: Install-IpoeAgent installs them from agent/.
    $moduleAgent = New-Item -ItemType Directory -Force (Join-Path $ModuleOut 'agent')
    Copy-Item (Join-Path $Out 'agent/ipoe-agent') $moduleAgent
    Copy-Item packaging/systemd/ipoe-agent.service $moduleAgent
    # Cmdlet help from the doc comments, in a child pwsh so this session does not load the module.
    Invoke-Native 'help generation' { dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File tools/New-MamlHelp.ps1 -ModuleDirectory $ModuleOut }
    Write-Host "Module laid out in $ModuleOut"
}

function Invoke-Package {
    $null = New-Item -ItemType Directory -Force $Repository
    Get-ChildItem $Repository -Filter 'IpoeRouter.*.nupkg' | Remove-Item -Force
    $name = 'IpoeRouterBuild' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    Register-PSResourceRepository -Name $name -Uri $Repository -Trusted
    try {
        Publish-PSResource -Path $ModuleOut -Repository $name
    }
    finally {
        Unregister-PSResourceRepository -Name $name
    }
    $pkg = Get-ChildItem $Repository -Filter 'IpoeRouter.*.nupkg' | Select-Object -First 1
    Write-Host "Package written: $($pkg.FullName)"
}

function Get-TrxCounts {
    param([string] $Directory)
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($trx in Get-ChildItem $Directory -Filter '*.trx' -Recurse) {
        [xml] $x = Get-Content -Raw -LiteralPath $trx.FullName
        $c = $x.TestRun.ResultSummary.Counters
        $passed += [int] $c.passed
        $failed += [int] $c.failed + [int] $c.error + [int] $c.timeout + [int] $c.aborted
        $skipped += [int] $c.notExecuted
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped }
}

# Debian packages the tests and the firewall need: installed when missing and running as root
# (CI runs as root on a fresh machine of this kind, which has neither).
function Install-SystemPackages {
    $need = @()
    if (-not (Test-Path /usr/lib/x86_64-linux-gnu/libnftables.so.1) -and -not (Test-Path /usr/lib/aarch64-linux-gnu/libnftables.so.1)) { $need += 'nftables', 'libnftables1' }
    if (-not (Get-Command ip -ErrorAction SilentlyContinue)) { $need += 'iproute2' }
    if (-not (Get-Command ping -ErrorAction SilentlyContinue)) { $need += 'iputils-ping' }
    # The namespace lab's DHCPv6-PD server (the HGW's part).
    if (-not (Test-Path /usr/sbin/kea-dhcp6)) { $need += 'kea-dhcp6-server' }
    # The HGW's RAs, and the LAN's clients (rdisc6, dhcpcd).
    if (-not (Test-Path /usr/sbin/radvd)) { $need += 'radvd' }
    if (-not (Test-Path /usr/bin/rdisc6)) { $need += 'ndisc6' }
    if (-not (Test-Path /usr/sbin/dhcpcd)) { $need += 'dhcpcd-base' }
    # IPv4: the LAN's other client (busybox udhcpc), the HGW's DHCPv4 servers for the WAN client
    # (kea-dhcp4, dnsmasq; dnsmasq is also the HGW's DNS server), a DNS client for the LAN host (dig),
    # and the peers the benchmarks measure against (perfdhcp, dnsperf).
    if (-not (Test-Path /usr/sbin/udhcpc)) { $need += 'udhcpc' }
    if (-not (Get-Command busybox -ErrorAction SilentlyContinue)) { $need += 'busybox' } # the lab's IPv4 internet: busybox httpd
    if (-not (Get-Command curl -ErrorAction SilentlyContinue)) { $need += 'curl' } # a LAN host fetching from it (busybox wget 1.35 crashes)
    if (-not (Test-Path /usr/sbin/kea-dhcp4)) { $need += 'kea-dhcp4-server' }
    if (-not (Test-Path /usr/sbin/perfdhcp)) { $need += 'kea-admin' }
    if (-not (Test-Path /usr/sbin/dnsmasq)) { $need += 'dnsmasq-base' }
    if (-not (Test-Path /usr/bin/dnsperf)) { $need += 'dnsperf' }
    if (-not (Test-Path /usr/bin/dig)) { $need += 'bind9-dnsutils' }
    # The port scans of the router's WAN and LAN addresses (ScanLabTests).
    if (-not (Test-Path /usr/bin/nmap)) { $need += 'nmap' }
    # The agent's unit is checked with systemd-analyze verify and security (PID 1 need not be systemd).
    if (-not (Get-Command systemd-analyze -ErrorAction SilentlyContinue)) { $need += 'systemd' }
    if (-not $need) { return }
    $isRoot = (Get-Content /proc/self/status | Where-Object { $_ -like 'Uid:*' }) -match '^Uid:\s+\d+\s+0\s'
    if (-not $isRoot) { Write-Warning "Missing packages ($($need -join ', ')); not root, so not installing them: the tests that need them will say so."; return }
    Write-Host "Installing $($need -join ', ')"
    $env:DEBIAN_FRONTEND = 'noninteractive'
    Invoke-Native 'apt-get update' { apt-get update -qq }
    Invoke-Native 'apt-get install' { apt-get install -y -qq --no-install-recommends @need }
}

function Invoke-Test {
    Install-SystemPackages
    # xunit: every test project in the solution, one TRX file each.
    $results = Join-Path $Out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    dotnet test IpoeIaC.sln -c $Configuration --no-build --nologo --logger 'trx' --logger 'console;verbosity=normal' --results-directory $results
    $xunitExit = $LASTEXITCODE
    $xunit = Get-TrxCounts $results
    if ($xunitExit -and $xunit.Failed -eq 0) { $xunit.Failed = 1; Write-Warning "dotnet test exited with $xunitExit without a failed test in its results; counted as one failure." }

    # Pester, from NuGet, against the module laid out in out/IpoeRouter.
    $tools = Join-Path $PSScriptRoot '.tools/nuget'
    Invoke-Native 'restore of Pester' { dotnet restore tests/tools/tools.csproj -p:PesterVersion=$PesterVersion --packages $tools --nologo -v q }
    Import-Module (Join-Path $tools "pester/$PesterVersion/tools/Pester.psd1") -Force
    $cfg = New-PesterConfiguration
    $cfg.Run.Path = Join-Path $PSScriptRoot 'tests/pester'
    $cfg.Run.PassThru = $true
    $cfg.Filter.ExcludeTag = $ExcludeTag
    $cfg.Output.Verbosity = 'Detailed'
    $cfg.TestResult.Enabled = $true
    $cfg.TestResult.OutputFormat = 'JUnitXml'
    $cfg.TestResult.OutputPath = Join-Path $Out 'pester-junit.xml'
    $env:IPOE_TEST_MODULE = Join-Path $ModuleOut 'IpoeRouter.psd1'
    $env:IPOE_TEST_REPOSITORY = $Repository
    $pester = Invoke-Pester -Configuration $cfg
    $pesterFailed = $pester.FailedCount + $pester.FailedBlocksCount + $pester.FailedContainersCount

    $passed = $xunit.Passed + $pester.PassedCount
    $failed = $xunit.Failed + $pesterFailed
    $skipped = $xunit.Skipped + $pester.SkippedCount
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped; Pester: $($pester.PassedCount) passed, $pesterFailed failed, $($pester.SkippedCount) skipped"
    "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

function Invoke-Run {
    Install-SystemPackages
    Import-Module (Join-Path $ModuleOut 'IpoeRouter.psd1') -Force
    Write-Host "`n== Validating the examples"
    foreach ($example in Get-ChildItem examples -Filter '*.yaml') {
        $ok = Test-IpoeDocument -Path $example.FullName
        Write-Host ('{0,-28} {1}' -f $example.Name, $(if ($ok) { 'valid' } else { 'INVALID' }))
        if (-not $ok) { exit 1 }
    }
    $seed = (Resolve-Path examples/flets-transix-hgw.yaml).Path
    Write-Host "`n== The example router ($seed)"
    Get-IpoeInterface -Path $seed | Format-Table | Out-Host
    Get-IpoePrefixDelegation -Path $seed | Format-Table | Out-Host
    Get-IpoeTunnel -Path $seed | Format-Table | Out-Host
    Get-IpoeDhcpScope -Path $seed | Format-Table | Out-Host
    Get-IpoeFirewallPolicy -Path $seed | Format-List | Out-Host
    Get-IpoeFirewallRule -Path $seed | Format-Table | Out-Host
    Get-IpoeSysctlSetting -Path $seed | Format-Table | Out-Host

    $isRoot = (Get-Content /proc/self/status | Where-Object { $_ -like 'Uid:*' }) -match '^Uid:\s+\d+\s+0\s'
    if (-not $isRoot) {
        Write-Host "`n== Skipping the namespace demo: applying a document needs root (CAP_NET_ADMIN)."
        return
    }

    # The lab: the router under ipoe-agent between an HGW (radvd + kea-dhcp6) and a LAN (rdisc6, dhcpcd),
    # each in a namespace of its own. No traffic leaves them; everything is removed afterwards.
    Invoke-Native 'the lab' { dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File lab/Invoke-IpoeLab.ps1 -ModulePath (Join-Path $ModuleOut 'IpoeRouter.psd1') -AgentPath (Join-Path $Out 'agent/ipoe-agent') -LabAftrPath (Join-Path $PSScriptRoot 'tests/IpoeRouter.LabAftr/bin/Release/net10.0/ipoe-lab-aftr.dll') }
}

foreach ($t in 'Clean', 'Build', 'Package', 'Test', 'Run') {
    if ($t -notin $Task -and -not ($t -eq 'Build' -and ($Task -match 'Package|Test|Run')) -and -not ($t -eq 'Package' -and $Task -contains 'Test')) { continue }
    switch ($t) {
        'Clean' { Remove-Item $Out, src/*/bin, src/*/obj, tests/*/bin, tests/*/obj -Recurse -Force -ErrorAction SilentlyContinue }
        'Build' { Invoke-Build }
        'Package' { Invoke-Package }
        'Test' { Invoke-Test }
        'Run' { Invoke-Run }
    }
}
