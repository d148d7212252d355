@{
    RootModule           = 'IpoeRouter.PowerShell.dll'
    ModuleVersion        = '{{ModuleVersion}}'
    GUID                 = '6f0b1a52-3c7e-4d0e-9a51-2b8f4e1c9d37'
    Author               = 'IpoeRouter developers'
    CompanyName          = 'IpoeRouter'
    Copyright            = '(c) IpoeRouter developers'
    Description          = 'Declare and keep alive an IPv6 IPoE router (NTT Flets, DS-Lite) on Linux from one YAML document.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    CmdletsToExport      = @(
        'Get-IpoeInterface', 'Set-IpoeInterface', 'Remove-IpoeInterface',
        'Get-IpoeTunnel', 'Set-IpoeTunnel', 'Remove-IpoeTunnel',
        'Get-IpoePrefixDelegation', 'Set-IpoePrefixDelegation', 'Remove-IpoePrefixDelegation',
        'Get-IpoeDhcpScope', 'Set-IpoeDhcpScope', 'Remove-IpoeDhcpScope',
        'Get-IpoeDhcpReservation', 'Add-IpoeDhcpReservation', 'Set-IpoeDhcpReservation', 'Remove-IpoeDhcpReservation',
        'Get-IpoeFirewallRule', 'Add-IpoeFirewallRule', 'Set-IpoeFirewallRule', 'Remove-IpoeFirewallRule',
        'Get-IpoeFirewallPolicy', 'Set-IpoeFirewallPolicy', 'Import-IpoeFirewall',
        'Get-IpoeSysctlSetting', 'Set-IpoeSysctlSetting', 'Remove-IpoeSysctlSetting',
        'Get-IpoeRoute', 'Set-IpoeRoute', 'Remove-IpoeRoute',
        'Get-IpoeDnsForwarder', 'Set-IpoeDnsForwarder',
        'Test-IpoeDocument', 'Import-IpoeDocument', 'Export-IpoeDocument', 'Import-IpoeRouter',
        'Get-IpoePlan', 'Invoke-IpoeReconcile', 'Confirm-IpoeReconcile', 'Undo-IpoeReconcile',
        'Get-IpoeStatus', 'Test-IpoeRouter',
        'Install-IpoeAgent', 'Uninstall-IpoeAgent'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    FormatsToProcess     = @('IpoeRouter.Format.ps1xml')
    PrivateData          = @{
        PSData = @{
            Tags = @('Linux', 'IPoE', 'IPv6', 'DS-Lite', 'Router', 'Flets')
        }
    }
}
