BeforeAll { . (Join-Path $PSScriptRoot 'TestSetup.ps1') }

Describe 'Argument completion' -Tag 'CI' {
    BeforeAll {
        $document = New-TestDocument
        function Complete([string] $line) {
            @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches) | ForEach-Object CompletionText
        }
    }

    It 'completes tunnel names from the document the command line names' {
        Complete "Get-IpoeTunnel -Path '$document' -Name t" | Should -Be @('tnl0')
    }

    It 'completes delegation names for Remove-IpoePrefixDelegation' {
        Complete "Remove-IpoePrefixDelegation -Path '$document' -Name " | Should -Be @('hgw')
    }

    It 'completes interface names from the live system and the document' {
        $live = [System.Net.NetworkInformation.NetworkInterface]::GetAllNetworkInterfaces().Name
        $offered = Complete "Set-IpoeInterface -Path '$document' -Name "
        $offered | Should -Contain 'wan0'
        $offered | Should -Contain 'lan0'
        foreach ($name in $live) { $offered | Should -Contain $name }
    }

    It 'completes firewall chains for -Chain and rule names for -Before' {
        Add-IpoeFirewallRule -Path $document -Name ssh -Chain input -Protocol tcp -DestinationPort 22 -Action Accept
        Add-IpoeFirewallRule -Path $document -Name logdrop -Chain logdrop -LogPrefix 'dropped: ' -Action Drop
        Add-IpoeFirewallRule -Path $document -Name to-log -Chain input -Jump logdrop -After ssh
        Complete "Get-IpoeFirewallRule -Path '$document' -Chain " | Should -Be @('input', 'logdrop')
        Complete "Add-IpoeFirewallRule -Path '$document' -Name x -Chain input -Before s" | Should -Be @('ssh')
    }

    It 'offers nothing, and fails nothing, when the document does not exist' {
        Complete "Get-IpoeTunnel -Path '$TestDrive/absent.yaml' -Name " | Should -BeNullOrEmpty
    }
}
