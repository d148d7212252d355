<#
.SYNOPSIS
    Start-up cost of the module: `pwsh -c 'Import-Module IpoeRouter; <one cmdlet>'` against pwsh
    alone, measured in the same run, reported as a ratio (target in shared/PERFORMANCE.md: <= 1.3x).
.EXAMPLE
    dotnet pwsh -NoProfile -File bench/module-startup.ps1 -Runs 10
#>
param(
    [int] $Runs = 10,
    [string] $Module = (Join-Path $PSScriptRoot '../out/IpoeRouter/IpoeRouter.psd1')
)
$ErrorActionPreference = 'Stop'
if (-not (Test-Path $Module)) { throw "Build first: $Module not found." }
$Module = (Resolve-Path $Module).Path
$document = Join-Path ([IO.Path]::GetTempPath()) "ipoe-bench-$PID.yaml"
Copy-Item (Join-Path $PSScriptRoot '../examples/flets-transix-hgw.yaml') $document
$pwshDll = Join-Path $PSHOME 'pwsh.dll'

function Measure-Once([string] $Command) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    & dotnet $pwshDll -NoProfile -NonInteractive -Command $Command | Out-Null
    if ($LASTEXITCODE) { throw "'$Command' failed" }
    $sw.Elapsed.TotalMilliseconds
}

function Get-Median([double[]] $Values) { ($Values | Sort-Object)[[int][math]::Floor($Values.Count / 2)] }

try {
    # Runs alternate between the two commands, so that drift of the machine (frequency, caches,
    # other load) falls on both alike; one warm-up of each is not counted.
    $withModuleCommand = "Import-Module '$Module'; `$null = Get-IpoeInterface -Path '$document'"
    $null = Measure-Once 'exit'; $null = Measure-Once $withModuleCommand
    $aloneRuns = @(); $moduleRuns = @()
    foreach ($i in 1..$Runs) {
        $aloneRuns += Measure-Once 'exit'
        $moduleRuns += Measure-Once $withModuleCommand
    }
    $alone = Get-Median $aloneRuns
    $withModule = Get-Median $moduleRuns
    [pscustomobject]@{
        Runs                     = $Runs
        PwshAloneMedianMs        = [math]::Round($alone, 1)
        ModulePlusCmdletMedianMs = [math]::Round($withModule, 1)
        Ratio                    = [math]::Round($withModule / $alone, 2)
        Target                   = 1.3
    }
}
finally {
    Remove-Item $document -ErrorAction SilentlyContinue
}
