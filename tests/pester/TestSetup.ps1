# Dot-sourced by every *.Tests.ps1: imports the module under test (the one build.ps1 laid out).
$script:ModulePath = if ($env:IPOE_TEST_MODULE) { $env:IPOE_TEST_MODULE } else { Join-Path $PSScriptRoot '../../out/IpoeRouter/IpoeRouter.psd1' }
if (-not (Test-Path $script:ModulePath)) { throw "Module not found at ${script:ModulePath}: run 'build.ps1 Build' first." }
Import-Module $script:ModulePath -Force
$script:ExamplesDir = (Resolve-Path (Join-Path $PSScriptRoot '../../examples')).Path

# A fresh router document in $TestDrive with a WAN, a LAN, a delegation and a tunnel.
function New-TestDocument {
    param([string] $Path = (Join-Path $TestDrive ('router-{0}.yaml' -f [guid]::NewGuid().ToString('N'))))
    Set-Content -Path $Path -Value @'
version: 1
interfaces:
  - { name: wan0, role: wan, acceptRa: true }
  - { name: lan0, role: lan, addresses: [192.0.2.1/24] }
prefixDelegations:
  - { name: hgw, interface: wan0, prefixLength: 60, downstream: [{ interface: lan0, subnetId: 1 }] }
tunnels:
  - { name: tnl0, remote: "2001:db8:ffff::100", local: { fromInterface: wan0 } }
sysctl:
  - { name: net.ipv6.conf.all.forwarding, value: 1 }
'@
    $Path
}

function Get-FileHashText([string] $Path) { (Get-FileHash -Algorithm SHA256 -Path $Path).Hash }
