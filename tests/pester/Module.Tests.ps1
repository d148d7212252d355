BeforeAll { . (Join-Path $PSScriptRoot 'TestSetup.ps1') }

Describe 'The IpoeRouter module' -Tag 'CI' {
    BeforeAll {
        $manifest = Test-ModuleManifest -Path $ModulePath
        $commands = Get-Command -Module IpoeRouter
    }

    It 'has a valid manifest whose version is the one in Directory.Build.props' {
        $props = Get-Content -Raw (Join-Path $PSScriptRoot '../../Directory.Build.props')
        $props -match '<IpoeModuleVersion>([^<]+)</IpoeModuleVersion>' | Should -BeTrue
        $manifest.Version.ToString() | Should -Be $Matches[1]
    }

    It 'exports exactly the cmdlets its assembly defines' {
        $assembly = [IpoeRouter.Commands.IpoeCmdlet].Assembly
        $defined = $assembly.GetExportedTypes() |
            Where-Object { -not $_.IsAbstract -and $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { $a = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]; "$($a.VerbName)-$($a.NounName)" }
        ($commands.Name | Sort-Object) | Should -Be ($defined | Sort-Object)
    }

    It 'offers Get, Set and Remove for every resource kind' {
        foreach ($noun in 'Interface', 'Tunnel', 'PrefixDelegation', 'DhcpScope', 'FirewallRule', 'SysctlSetting', 'Route') {
            foreach ($verb in 'Get', 'Set', 'Remove') {
                "$verb-Ipoe$noun" | Should -BeIn $commands.Name
            }
        }
        'Add-IpoeFirewallRule' | Should -BeIn $commands.Name
        foreach ($c in 'Test-IpoeDocument', 'Import-IpoeDocument', 'Export-IpoeDocument') { $c | Should -BeIn $commands.Name }
    }

    It 'uses only approved verbs' {
        $approved = (Get-Verb).Verb
        $commands.Verb | Should -BeIn $approved
    }

    It 'declares an output type on every cmdlet' {
        foreach ($c in $commands) { $c.OutputType.Count | Should -BeGreaterThan 0 -Because $c.Name }
    }

    It 'supports WhatIf and Confirm on every cmdlet that changes a document' {
        foreach ($c in $commands | Where-Object Verb -In 'Set', 'Add', 'Remove', 'Import') {
            $c.Parameters.Keys | Should -Contain 'WhatIf' -Because $c.Name
            $c.Parameters.Keys | Should -Contain 'Confirm' -Because $c.Name
        }
    }

    It 'supports PassThru on every Set and Add cmdlet' {
        foreach ($c in $commands | Where-Object Verb -In 'Set', 'Add') {
            $c.Parameters.Keys | Should -Contain 'PassThru' -Because $c.Name
        }
    }

    It 'has about_IpoeRouter help' {
        $help = Get-Help about_IpoeRouter
        ($help | Out-String) | Should -Match 'BINDINGS'
    }

    It 'has help for every cmdlet: a synopsis, and a description for every parameter' {
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        foreach ($c in $commands) {
            $help = Get-Help $c.Name -Full
            $help.Synopsis | Should -Not -BeNullOrEmpty -Because $c.Name
            $help.Synopsis | Should -Not -BeLike "$($c.Name)*" -Because "$($c.Name) has generated help, not the bare syntax"
            foreach ($p in $c.Parameters.Keys | Where-Object { $_ -notin $common }) {
                $text = ($help.parameters.parameter | Where-Object name -EQ $p).description.Text
                $text | Should -Not -BeNullOrEmpty -Because "$($c.Name) -$p"
            }
        }
    }

    It 'formats every output type with a view of its own' {
        $formats = Get-FormatData -TypeName 'IpoeRouter.*' -PowerShellVersion $PSVersionTable.PSVersion
        $viewed = $formats.TypeNames
        foreach ($t in 'Interface', 'Tunnel', 'PrefixDelegation', 'DhcpScope', 'FirewallRule', 'SysctlSetting', 'Route', 'DnsForwarder', 'FirewallPolicy') {
            "IpoeRouter.Model.$t" | Should -BeIn $viewed
        }
        'IpoeRouter.Commands.DocumentTestResult' | Should -BeIn $viewed
        'IpoeRouter.Commands.DhcpReservationInfo' | Should -BeIn $viewed
    }
}
