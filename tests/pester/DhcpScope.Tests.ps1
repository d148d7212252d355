BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    # The test document plus lan1 (198.51.100.1/24), lan2 (no IPv4 address) and a scope on lan0
    # with one reservation.
    function New-DhcpDocument {
        $path = New-TestDocument
        $text = (Get-Content -Raw $path) -replace '(?m)^prefixDelegations:', @"
  - { name: lan1, role: lan, addresses: [198.51.100.1/24] }
  - { name: lan2, role: lan }
prefixDelegations:
"@
        Set-Content -Path $path -Value $text -NoNewline
        Add-Content -Path $path -Value @'
dhcpScopes:
  - interface: lan0
    range: 192.0.2.100-192.0.2.199
    leaseTime: 4h
    reservations:
      - { address: 192.0.2.10, mac: "00:00:5e:00:53:10", hostname: nas }
'@
        $path
    }
}

Describe 'Get-IpoeDhcpScope' -Tag 'CI' {
    BeforeEach {
        $p = New-DhcpDocument
    }

    It 'lists every declared scope, named after its interface, with the document path' {
        $all = @(Get-IpoeDhcpScope -Path $p)
        $all.Count | Should -Be 1
        $all[0] | Should -BeOfType ([IpoeRouter.Model.DhcpScope])
        $all[0].Name | Should -Be 'lan0'
        $all[0].Interface | Should -Be 'lan0'
        "$($all[0].Range)" | Should -Be '192.0.2.100-192.0.2.199'
        $all[0].LeaseTime | Should -Be ([timespan]::FromHours(4))
        $all[0].Reservations.Count | Should -Be 1
        "$($all[0].Reservations[0].Address)" | Should -Be '192.0.2.10'
        $all[0].DocumentPath | Should -Be $p
    }

    It 'returns only the scopes whose names match a wildcard' {
        Set-IpoeDhcpScope -Path $p -Name guest -Interface lan1
        (Get-IpoeDhcpScope -Path $p -Name 'g*').Name | Should -Be 'guest'
        (Get-IpoeDhcpScope -Path $p -Name '*').Name | Should -Be @('lan0', 'guest')
    }

    It 'reports DhcpScopeNotFound for a name that matches nothing' {
        { Get-IpoeDhcpScope -Path $p -Name nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'DhcpScopeNotFound,IpoeRouter.Commands.GetIpoeDhcpScopeCommand'
    }

    It 'reports DocumentNotFound when the document does not exist' {
        { Get-IpoeDhcpScope -Path (Join-Path $TestDrive 'missing.yaml') -ErrorAction Stop } |
            Should -Throw -ErrorId 'DocumentNotFound,IpoeRouter.Commands.GetIpoeDhcpScopeCommand'
    }

    It 'reports the diagnostic id of a document on disk that is invalid' {
        $bad = Join-Path $TestDrive 'bad-dhcp.yaml'
        Set-Content -Path $bad -Value @'
version: 1
interfaces:
  - { name: lan0, role: lan, addresses: [192.0.2.1/24] }
dhcpScopes:
  - { interface: lan0, range: 198.51.100.10-198.51.100.20 }
'@
        { Get-IpoeDhcpScope -Path $bad -ErrorAction Stop } |
            Should -Throw -ErrorId 'DhcpRangeOutsideSubnet,IpoeRouter.Commands.GetIpoeDhcpScopeCommand'
    }
}

Describe 'Set-IpoeDhcpScope' -Tag 'CI' {
    BeforeEach {
        $p = New-DhcpDocument
    }

    It 'creates a scope named after its interface, without writing the name' {
        Set-IpoeDhcpScope -Path $p -Interface lan1 -Range 198.51.100.100-198.51.100.199
        $scope = Get-IpoeDhcpScope -Path $p -Name lan1
        $scope.Interface | Should -Be 'lan1'
        "$($scope.Range)" | Should -Be '198.51.100.100-198.51.100.199'
        $scope.LeaseTime | Should -BeNullOrEmpty
        Get-Content -Raw $p | Should -Match '(?m)^  - interface: lan1\n    range: 198\.51\.100\.100-198\.51\.100\.199$'
    }

    It 'writes the name of a scope that is not named after its interface' {
        Set-IpoeDhcpScope -Path $p -Name guest -Interface lan1 -Range 198.51.100.100-198.51.100.199
        (Get-IpoeDhcpScope -Path $p -Name guest).Interface | Should -Be 'lan1'
        Get-Content -Raw $p | Should -Match '(?m)^  - name: guest\n    interface: lan1$'
    }

    It 'writes leaseTime: 12h for -LeaseTime ''12h''' {
        Set-IpoeDhcpScope -Path $p -Name lan0 -LeaseTime '12h'
        (Get-IpoeDhcpScope -Path $p -Name lan0).LeaseTime | Should -Be ([timespan]::FromHours(12))
        Get-Content -Raw $p | Should -Match '(?m)^    leaseTime: 12h$'
    }

    It 'writes a TimeSpan lease time with units' {
        Set-IpoeDhcpScope -Path $p -Name lan0 -LeaseTime ([timespan]::FromMinutes(90))
        Get-Content -Raw $p | Should -Match '(?m)^    leaseTime: 1h30m$'
    }

    It 'changes only the bound properties of an existing scope' {
        Set-IpoeDhcpScope -Path $p -Name lan0 -Domain home.arpa
        $scope = Get-IpoeDhcpScope -Path $p -Name lan0
        $scope.Domain | Should -Be 'home.arpa'
        "$($scope.Range)" | Should -Be '192.0.2.100-192.0.2.199'
        $scope.LeaseTime | Should -Be ([timespan]::FromHours(4))
        $scope.Reservations.Count | Should -Be 1
        $scope.Interface | Should -Be 'lan0'
    }

    It 'writes the options it is given' {
        Set-IpoeDhcpScope -Path $p -Name lan0 -Router 192.0.2.1 -DnsServer 192.0.2.1, 192.0.2.2 -NtpServer 192.0.2.1 -SearchList home.arpa, example.com -Ipv6Mode RaOnly
        $scope = Get-IpoeDhcpScope -Path $p -Name lan0
        "$($scope.Router)" | Should -Be '192.0.2.1'
        ($scope.DnsServers | ForEach-Object { "$_" }) | Should -Be @('192.0.2.1', '192.0.2.2')
        $scope.SearchList | Should -Be @('home.arpa', 'example.com')
        $scope.Ipv6Mode | Should -Be 'RaOnly'
        $text = Get-Content -Raw $p
        $text | Should -Match '(?m)^    router: 192\.0\.2\.1\n    dnsServers: \[192\.0\.2\.1, 192\.0\.2\.2\]\n    ntpServers: \[192\.0\.2\.1\]\n    searchList: \[home\.arpa, example\.com\]\n    ipv6Mode: raOnly$'
    }

    It 'clears a list option given as an empty list' {
        Set-IpoeDhcpScope -Path $p -Name lan0 -DnsServer 192.0.2.1
        Set-IpoeDhcpScope -Path $p -Name lan0 -DnsServer @()
        (Get-IpoeDhcpScope -Path $p -Name lan0).DnsServers.Count | Should -Be 0
        Get-Content -Raw $p | Should -Not -Match 'dnsServers'
    }

    It 'outputs the scope as written, with the document path, for -PassThru' {
        $out = Set-IpoeDhcpScope -Path $p -Name lan0 -LeaseTime 1h -PassThru
        $out | Should -BeOfType ([IpoeRouter.Model.DhcpScope])
        $out.LeaseTime | Should -Be ([timespan]::FromHours(1))
        $out.DocumentPath | Should -Be $p
    }

    It 'leaves the document byte-identical under -WhatIf' {
        $before = Get-FileHashText $p
        Set-IpoeDhcpScope -Path $p -Name lan0 -LeaseTime 1h -WhatIf
        Set-IpoeDhcpScope -Path $p -Interface lan1 -WhatIf
        Get-FileHashText $p | Should -Be $before
    }

    It 'still outputs the would-be scope for -PassThru under -WhatIf' {
        $before = Get-FileHashText $p
        $out = Set-IpoeDhcpScope -Path $p -Interface lan1 -Range 198.51.100.100-198.51.100.199 -WhatIf -PassThru
        $out.Name | Should -Be 'lan1'
        "$($out.Range)" | Should -Be '198.51.100.100-198.51.100.199'
        Get-FileHashText $p | Should -Be $before
    }

    It 'binds the name, interface and document path of piped scopes' {
        Get-IpoeDhcpScope -Path $p | Set-IpoeDhcpScope -LeaseTime 2h
        (Get-IpoeDhcpScope -Path $p -Name lan0).LeaseTime | Should -Be ([timespan]::FromHours(2))
    }

    It 'refuses a range outside the interface''s subnet with DhcpRangeOutsideSubnet and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Set-IpoeDhcpScope -Path $p -Name lan0 -Range 203.0.113.10-203.0.113.20 -ErrorAction Stop } |
            Should -Throw -ErrorId 'DhcpRangeOutsideSubnet,IpoeRouter.Commands.SetIpoeDhcpScopeCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses a range that includes the router''s own address with OwnershipConflict' {
        { Set-IpoeDhcpScope -Path $p -Name lan0 -Range 192.0.2.1-192.0.2.50 -ErrorAction Stop } |
            Should -Throw -ErrorId 'OwnershipConflict,IpoeRouter.Commands.SetIpoeDhcpScopeCommand'
    }

    It 'refuses a second scope on an interface that has one with OwnershipConflict and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Set-IpoeDhcpScope -Path $p -Name other -Interface lan0 -ErrorAction Stop } |
            Should -Throw -ErrorId 'OwnershipConflict,IpoeRouter.Commands.SetIpoeDhcpScopeCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses a pool on an interface without a static IPv4 address with DhcpScopeWithoutAddress' {
        { Set-IpoeDhcpScope -Path $p -Interface lan2 -Range 203.0.113.10-203.0.113.20 -ErrorAction Stop } |
            Should -Throw -ErrorId 'DhcpScopeWithoutAddress,IpoeRouter.Commands.SetIpoeDhcpScopeCommand'
    }

    It 'refuses an interface the document does not declare with UnknownInterface' {
        { Set-IpoeDhcpScope -Path $p -Interface nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownInterface,IpoeRouter.Commands.SetIpoeDhcpScopeCommand'
    }

    It 'refuses a range that is not first-last with InvalidParameter' {
        { Set-IpoeDhcpScope -Path $p -Name lan0 -Range '192.0.2.100' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.SetIpoeDhcpScopeCommand'
    }

    It 'refuses a domain that is not a domain name with InvalidParameter' {
        { Set-IpoeDhcpScope -Path $p -Name lan0 -Domain 'not a domain' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.SetIpoeDhcpScopeCommand'
    }

    It 'refuses a lease time without units' {
        { Set-IpoeDhcpScope -Path $p -Name lan0 -LeaseTime 'soon' -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentTransformationError,IpoeRouter.Commands.SetIpoeDhcpScopeCommand'
    }

    It 'refuses a new scope without -Interface with ParameterRequired' {
        $before = Get-FileHashText $p
        { Set-IpoeDhcpScope -Path $p -Name guest -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterRequired,IpoeRouter.Commands.SetIpoeDhcpScopeCommand'
        { Set-IpoeDhcpScope -Path $p -LeaseTime 1h -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterRequired,IpoeRouter.Commands.SetIpoeDhcpScopeCommand'
        Get-FileHashText $p | Should -Be $before
    }

    Context 'without -Path' {
        BeforeEach {
            $savedDocument = $env:IPOE_DOCUMENT
            $env:IPOE_DOCUMENT = $p
        }

        AfterEach {
            $env:IPOE_DOCUMENT = $savedDocument
        }

        It 'edits the document that $env:IPOE_DOCUMENT names' {
            Set-IpoeDhcpScope -Name lan0 -LeaseTime 12h
            (Get-IpoeDhcpScope -Path $p -Name lan0).LeaseTime | Should -Be ([timespan]::FromHours(12))
        }
    }
}

Describe 'Remove-IpoeDhcpScope' -Tag 'CI' {
    BeforeEach {
        $p = New-DhcpDocument
    }

    It 'removes a scope' {
        Remove-IpoeDhcpScope -Path $p -Name lan0
        Get-IpoeDhcpScope -Path $p | Should -BeNullOrEmpty
        Get-Content -Raw $p | Should -Not -Match 'dhcpScopes:'
    }

    It 'removes the scopes piped from Get-IpoeDhcpScope, in the document they came from' {
        Get-IpoeDhcpScope -Path $p | Remove-IpoeDhcpScope
        Get-IpoeDhcpScope -Path $p | Should -BeNullOrEmpty
    }

    It 'reports DhcpScopeNotFound for a scope the document does not declare and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Remove-IpoeDhcpScope -Path $p -Name nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'DhcpScopeNotFound,IpoeRouter.Commands.RemoveIpoeDhcpScopeCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'leaves the document byte-identical under -WhatIf' {
        $before = Get-FileHashText $p
        Remove-IpoeDhcpScope -Path $p -Name lan0 -WhatIf
        Get-FileHashText $p | Should -Be $before
    }
}

Describe 'Add-IpoeDhcpReservation' -Tag 'CI' {
    BeforeEach {
        $p = New-DhcpDocument
    }

    It 'adds a reservation with the MAC address in lower-case colon form' {
        Add-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.11 -MacAddress '00-00-5E-00-53-11' -HostName printer
        $reservations = (Get-IpoeDhcpScope -Path $p -Name lan0).Reservations
        $reservations.Count | Should -Be 2
        "$($reservations[1].Address)" | Should -Be '192.0.2.11'
        $reservations[1].Mac | Should -Be '00:00:5e:00:53:11'
        $reservations[1].Hostname | Should -Be 'printer'
        Get-Content -Raw $p | Should -Match '(?m)^      - address: 192\.0\.2\.11\n        mac: 00:00:5e:00:53:11\n        hostname: printer$'
    }

    It 'adds a reservation by client id in lower case' {
        Add-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.12 -ClientId '01:AA:BB:CC'
        (Get-IpoeDhcpScope -Path $p -Name lan0).Reservations[1].ClientId | Should -Be '01:aa:bb:cc'
    }

    It 'refuses an address that has a reservation with DhcpReservationExists and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Add-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.10 -MacAddress '00:00:5e:00:53:20' -ErrorAction Stop } |
            Should -Throw -ErrorId 'DhcpReservationExists,IpoeRouter.Commands.AddIpoeDhcpReservationCommand'
        { Add-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.10 -MacAddress '00:00:5e:00:53:20' -WhatIf -ErrorAction Stop } |
            Should -Throw -ErrorId 'DhcpReservationExists,IpoeRouter.Commands.AddIpoeDhcpReservationCommand'
        Get-FileHashText $p | Should -Be $before
        (Get-IpoeDhcpScope -Path $p -Name lan0).Reservations[0].Hostname | Should -Be 'nas'
    }

    It 'outputs the scope with the reservation for -PassThru' {
        $out = Add-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.11 -MacAddress '00:00:5e:00:53:11' -PassThru
        $out | Should -BeOfType ([IpoeRouter.Model.DhcpScope])
        $out.Reservations.Count | Should -Be 2
        $out.DocumentPath | Should -Be $p
    }

    It 'leaves the document byte-identical under -WhatIf and still outputs the would-be scope for -PassThru' {
        $before = Get-FileHashText $p
        $out = Add-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.11 -MacAddress '00:00:5e:00:53:11' -WhatIf -PassThru
        $out.Reservations.Count | Should -Be 2
        Get-FileHashText $p | Should -Be $before
    }

    It 'binds the scope and document path of piped scopes' {
        Get-IpoeDhcpScope -Path $p -Name lan0 | Add-IpoeDhcpReservation -IPAddress 192.0.2.11 -MacAddress '00:00:5e:00:53:11'
        (Get-IpoeDhcpScope -Path $p -Name lan0).Reservations.Count | Should -Be 2
    }

    It 'refuses an address outside the scope''s subnet with DhcpRangeOutsideSubnet and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Add-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 203.0.113.10 -MacAddress '00:00:5e:00:53:11' -ErrorAction Stop } |
            Should -Throw -ErrorId 'DhcpRangeOutsideSubnet,IpoeRouter.Commands.AddIpoeDhcpReservationCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses a second reservation for the same client with DhcpReservationExists' {
        $before = Get-FileHashText $p
        { Add-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.11 -MacAddress '00-00-5E-00-53-10' -ErrorAction Stop } |
            Should -Throw -ErrorId 'DhcpReservationExists,IpoeRouter.Commands.AddIpoeDhcpReservationCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses a reservation that names no client with InvalidParameter' {
        { Add-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.11 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.AddIpoeDhcpReservationCommand'
    }

    It 'refuses a MAC address that is not one with InvalidParameter' {
        { Add-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.11 -MacAddress '00:00:5e:00:53' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.AddIpoeDhcpReservationCommand'
    }

    It 'reports DhcpScopeNotFound for a scope the document does not declare' {
        $before = Get-FileHashText $p
        { Add-IpoeDhcpReservation -Path $p -Scope nope -IPAddress 192.0.2.11 -MacAddress '00:00:5e:00:53:11' -ErrorAction Stop } |
            Should -Throw -ErrorId 'DhcpScopeNotFound,IpoeRouter.Commands.AddIpoeDhcpReservationCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'reports DocumentNotFound, and creates nothing, when the document does not exist' {
        $missing = Join-Path $TestDrive 'missing-reservation.yaml'
        { Add-IpoeDhcpReservation -Path $missing -Scope lan0 -IPAddress 192.0.2.11 -MacAddress '00:00:5e:00:53:11' -ErrorAction Stop } |
            Should -Throw -ErrorId 'DocumentNotFound,IpoeRouter.Commands.AddIpoeDhcpReservationCommand'
        Test-Path $missing | Should -BeFalse
    }
}

Describe 'Get-IpoeDhcpReservation' -Tag 'CI' {
    BeforeEach {
        $p = New-DhcpDocument
        Set-IpoeDhcpScope -Path $p -Interface lan1 -Range 198.51.100.100-198.51.100.199
        Add-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.11 -ClientId '01:aa:bb:cc'
        Add-IpoeDhcpReservation -Path $p -Scope lan1 -IPAddress 198.51.100.10 -MacAddress '00:00:5e:00:53:30' -HostName printer
    }

    It 'lists every reservation with its scope, interface and the document path' {
        $all = @(Get-IpoeDhcpReservation -Path $p)
        $all.Count | Should -Be 3
        $all[0] | Should -BeOfType ([IpoeRouter.Commands.DhcpReservationInfo])
        $all.Scope | Should -Be @('lan0', 'lan0', 'lan1')
        $all.Interface | Should -Be @('lan0', 'lan0', 'lan1')
        @($all.IPAddress | ForEach-Object ToString) | Should -Be @('192.0.2.10', '192.0.2.11', '198.51.100.10')
        $all[0].MacAddress | Should -Be '00:00:5e:00:53:10'
        $all[0].HostName | Should -Be 'nas'
        $all[1].ClientId | Should -Be '01:aa:bb:cc'
        $all[0].DocumentPath | Should -Be $p
    }

    It 'filters by scope with wildcards, by interface, by address and by MAC in any notation' {
        @(Get-IpoeDhcpReservation -Path $p -Scope 'lan*').Count | Should -Be 3
        @(Get-IpoeDhcpReservation -Path $p -Scope lan1).IPAddress.ToString() | Should -Be '198.51.100.10'
        @(Get-IpoeDhcpReservation -Path $p -Interface lan0).Count | Should -Be 2
        (Get-IpoeDhcpReservation -Path $p -IPAddress 192.0.2.11).ClientId | Should -Be '01:aa:bb:cc'
        (Get-IpoeDhcpReservation -Path $p -MacAddress '00-00-5E-00-53-30').HostName | Should -Be 'printer'
    }

    It 'takes the scopes piped from Get-IpoeDhcpScope' {
        @(Get-IpoeDhcpScope -Path $p -Name lan1 | Get-IpoeDhcpReservation).HostName | Should -Be 'printer'
    }

    It 'pipes into Remove-IpoeDhcpReservation, which removes exactly those' {
        Get-IpoeDhcpReservation -Path $p -MacAddress '00:00:5e:00:53:30' | Remove-IpoeDhcpReservation
        @(Get-IpoeDhcpReservation -Path $p).Count | Should -Be 2
        Get-IpoeDhcpReservation -Path $p -Scope lan1 | Should -BeNullOrEmpty
    }

    It 'formats as a table with the scope, address, client and host name' {
        $text = Get-IpoeDhcpReservation -Path $p -Scope lan1 | Out-String
        $text | Should -Match 'Scope\s+Interface\s+IPAddress\s+MacAddress\s+ClientId\s+HostName'
        $text | Should -Match 'lan1\s+lan1\s+198\.51\.100\.10\s+00:00:5e:00:53:30\s+printer'
    }

    It 'reports DhcpScopeNotFound for a scope name the document does not declare' {
        { Get-IpoeDhcpReservation -Path $p -Scope nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'DhcpScopeNotFound,IpoeRouter.Commands.GetIpoeDhcpReservationCommand'
    }

    It 'reports DhcpReservationNotFound for an address without a reservation' {
        { Get-IpoeDhcpReservation -Path $p -IPAddress 192.0.2.99 -ErrorAction Stop } |
            Should -Throw -ErrorId 'DhcpReservationNotFound,IpoeRouter.Commands.GetIpoeDhcpReservationCommand'
    }
}

Describe 'Set-IpoeDhcpReservation' -Tag 'CI' {
    BeforeEach {
        $p = New-DhcpDocument
    }

    It 'changes the MAC address and keeps the host name' {
        Set-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.10 -MacAddress '00-00-5E-00-53-20'
        $r = Get-IpoeDhcpReservation -Path $p -IPAddress 192.0.2.10
        $r.MacAddress | Should -Be '00:00:5e:00:53:20'
        $r.HostName | Should -Be 'nas'
    }

    It 'changes the host name and keeps the MAC address' {
        Set-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.10 -HostName storage
        $r = Get-IpoeDhcpReservation -Path $p -IPAddress 192.0.2.10
        $r.HostName | Should -Be 'storage'
        $r.MacAddress | Should -Be '00:00:5e:00:53:10'
    }

    It 'takes the host name off with -Clear HostName' {
        Set-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.10 -Clear HostName
        (Get-IpoeDhcpReservation -Path $p -IPAddress 192.0.2.10).HostName | Should -BeNullOrEmpty
    }

    It 'refuses to leave a reservation without a client with InvalidParameter' {
        { Set-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.10 -Clear MacAddress -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.SetIpoeDhcpReservationCommand'
    }

    It 'takes reservations piped from Get-IpoeDhcpReservation' {
        Get-IpoeDhcpReservation -Path $p -Scope lan0 | Set-IpoeDhcpReservation -HostName nas2
        (Get-IpoeDhcpReservation -Path $p -IPAddress 192.0.2.10).HostName | Should -Be 'nas2'
    }

    It 'refuses to create a reservation with DhcpReservationNotFound and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Set-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.11 -MacAddress '00:00:5e:00:53:11' -ErrorAction Stop } |
            Should -Throw -ErrorId 'DhcpReservationNotFound,IpoeRouter.Commands.SetIpoeDhcpReservationCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses a MAC address another reservation of the scope has with DhcpReservationExists' {
        Add-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.11 -MacAddress '00:00:5e:00:53:11'
        $before = Get-FileHashText $p
        { Set-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.11 -MacAddress '00:00:5e:00:53:10' -ErrorAction Stop } |
            Should -Throw -ErrorId 'DhcpReservationExists,IpoeRouter.Commands.SetIpoeDhcpReservationCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'leaves the document byte-identical under -WhatIf' {
        $before = Get-FileHashText $p
        Set-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.10 -MacAddress '00:00:5e:00:53:20' -WhatIf
        Get-FileHashText $p | Should -Be $before
    }
}

Describe 'Remove-IpoeDhcpReservation' -Tag 'CI' {
    BeforeEach {
        $p = New-DhcpDocument
    }

    It 'removes the reservation of an address' {
        Remove-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.10
        (Get-IpoeDhcpScope -Path $p -Name lan0).Reservations.Count | Should -Be 0
        Get-Content -Raw $p | Should -Not -Match 'reservations:'
    }

    It 'outputs the scope without the reservation for -PassThru' {
        $out = Remove-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.10 -PassThru
        $out.Name | Should -Be 'lan0'
        $out.Reservations.Count | Should -Be 0
    }

    It 'binds scope, address and document path by property name' {
        [pscustomobject]@{ Scope = 'lan0'; Address = '192.0.2.10'; DocumentPath = $p } | Remove-IpoeDhcpReservation
        (Get-IpoeDhcpScope -Path $p -Name lan0).Reservations.Count | Should -Be 0
    }

    It 'removes the reservations piped from a scope''s Reservations' {
        Add-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.11 -MacAddress '00:00:5e:00:53:11'
        (Get-IpoeDhcpScope -Path $p -Name lan0).Reservations | Remove-IpoeDhcpReservation -Path $p -Scope lan0
        (Get-IpoeDhcpScope -Path $p -Name lan0).Reservations.Count | Should -Be 0
    }

    It 'reports DhcpReservationNotFound for an address without a reservation and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Remove-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.11 -ErrorAction Stop } |
            Should -Throw -ErrorId 'DhcpReservationNotFound,IpoeRouter.Commands.RemoveIpoeDhcpReservationCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'reports DhcpScopeNotFound for a scope the document does not declare' {
        { Remove-IpoeDhcpReservation -Path $p -Scope nope -IPAddress 192.0.2.10 -ErrorAction Stop } |
            Should -Throw -ErrorId 'DhcpScopeNotFound,IpoeRouter.Commands.RemoveIpoeDhcpReservationCommand'
    }

    It 'leaves the document byte-identical under -WhatIf and still outputs the would-be scope for -PassThru' {
        $before = Get-FileHashText $p
        $out = Remove-IpoeDhcpReservation -Path $p -Scope lan0 -IPAddress 192.0.2.10 -WhatIf -PassThru
        $out.Reservations.Count | Should -Be 0
        Get-FileHashText $p | Should -Be $before
    }
}
