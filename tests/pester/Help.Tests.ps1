BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $cmdlets = @(Get-Command -Module IpoeRouter | Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    # An example whose remarks start with one of these needs the real kernel or a running agent:
    # it is only parsed, and the IpoeRouter parameters it names are checked, never run.
    $script:NeedsHost = '^Needs (root|a running agent)\b'

    function Get-ExampleRemarks($Example) {
        @($Example.remarks | ForEach-Object { $_.Text } | Where-Object { $_ }) -join "`n"
    }

    # Parses the example and resolves every parameter it gives an IpoeRouter cmdlet.
    function Assert-ExampleParses([string] $Code, [string] $Because) {
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref] $null, [ref] $errors)
        $errors | Should -BeNullOrEmpty -Because $Because
        foreach ($call in $ast.FindAll({ param($a) $a -is [System.Management.Automation.Language.CommandAst] }, $true)) {
            $cmd = Get-Command -Module IpoeRouter -Name $call.GetCommandName() -ErrorAction SilentlyContinue
            if (-not $cmd) { continue }
            foreach ($p in $call.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] }) {
                { $cmd.ResolveParameter($p.ParameterName) } | Should -Not -Throw -Because "$Because names -$($p.ParameterName)"
            }
        }
    }

    # Runs the example in a fresh directory holding a copy of the example router as router.yaml
    # (and $env:IPOE_DOCUMENT), another document (router-new.yaml) and an ip6tables-save file
    # (ip6tables.rules), and a hand-built router's files (legacy/: the seed router's, as the
    # importer's tests keep them). The copy also has what the Remove- examples remove: a LAN enp3s0, a
    # route to 203.0.113.0/24 and a reservation of 192.168.1.20 (nas, 00:00:5e:00:53:20) in the
    # scope enp2s0. Any error fails it.
    function Invoke-Example([string] $Code) {
        $dir = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory $dir
        $router = Join-Path $dir 'router.yaml'
        Copy-Item (Join-Path $ExamplesDir 'flets-transix-hgw.yaml') $router
        Set-IpoeInterface -Path $router -Name enp3s0 -Role Lan -Address 192.168.3.1/24 -ErrorAction Stop 3>$null
        Set-IpoeRoute -Path $router -Destination 203.0.113.0/24 -Interface ip6tnl1 -ErrorAction Stop 3>$null
        Add-IpoeDhcpReservation -Path $router -Scope enp2s0 -IPAddress 192.168.1.20 -MacAddress 00:00:5e:00:53:20 -HostName nas -ErrorAction Stop 3>$null
        Copy-Item (Join-Path $ExamplesDir 'minimal.yaml') (Join-Path $dir 'router-new.yaml')
        Copy-Item (Join-Path $PSScriptRoot 'seed-ip6tables.conf') (Join-Path $dir 'ip6tables.rules')
        Copy-Item -Recurse (Join-Path $PSScriptRoot '../IpoeRouter.Model.Tests/Seed') (Join-Path $dir 'legacy')
        $saved = $env:IPOE_DOCUMENT
        $env:IPOE_DOCUMENT = Join-Path $dir 'router.yaml'
        Push-Location $dir
        try {
            $ErrorActionPreference = 'Stop'
            $ConfirmPreference = 'None'
            $null = & ([scriptblock]::Create($Code)) 3>$null | Out-String
        }
        finally {
            Pop-Location
            $env:IPOE_DOCUMENT = $saved
        }
    }
}

Describe 'Examples in the cmdlet help' -Tag 'CI' {
    It '<Name> has at least one example, and each one runs against a copy of the example router (or, marked as needing root or an agent, parses)' -ForEach $cmdlets {
        $examples = @((Get-Help $Name -Examples).examples.example | Where-Object { $_ })
        $examples.Count | Should -BeGreaterThan 0 -Because "Get-Help $Name -Examples shows at least one example"
        $n = 0
        foreach ($e in $examples) {
            $n++
            $code = [string] $e.code
            $code | Should -Not -BeNullOrEmpty -Because "example $n of $Name has code"
            (Get-ExampleRemarks $e) | Should -Not -BeNullOrEmpty -Because "example $n of $Name says what it does"
            $code | Should -Match "\b$Name\b" -Because "example $n of $Name uses $Name"
            Assert-ExampleParses $code "example $n of $Name"
            if ((Get-ExampleRemarks $e) -notmatch $NeedsHost) {
                { Invoke-Example $code } | Should -Not -Throw -Because "example $n of $Name ($code) runs"
            }
        }
    }
}
