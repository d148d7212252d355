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

function Measure-Median([string] $Command) {
    $times = foreach ($i in 1..$Runs) {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        & dotnet $pwshDll -NoProfile -NonInteractive -Command $Command | Out-Null
        if ($LASTEXITCODE) { throw "'$Command' failed" }
        $sw.Elapsed.TotalMilliseconds
    }
    ($times | Sort-Object)[[int][math]::Floor($Runs / 2)]
}

try {
    # Interleave a warm-up of each so that neither pays the first cold start.
    $null = Measure-Median 'exit'
    $alone = Measure-Median 'exit'
    $withModule = Measure-Median "Import-Module '$Module'; `$null = Get-IpoeInterface -Path '$document'"
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
