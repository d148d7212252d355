BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    # The test document with an IPv4 route through a gateway and an IPv6 device route.
    function New-RouteDocument {
        $path = New-TestDocument
        Add-Content -Path $path -Value @'
routes:
  - { destination: 203.0.113.0/24, gateway: 192.0.2.254, metric: 10 }
  - { destination: "2001:db8:1::/48", interface: lan0 }
'@
        $path
    }
}

Describe 'Get-IpoeRoute' -Tag 'CI' {
    BeforeEach {
        $p = New-RouteDocument
    }

    It 'lists every declared route, each carrying the document path' {
        $all = Get-IpoeRoute -Path $p
        $all.Key | Should -Be @('203.0.113.0/24', '2001:db8:1::/48')
        $all[0] | Should -BeOfType ([IpoeRouter.Model.Route])
        "$($all[0].Gateway)" | Should -Be '192.0.2.254'
        $all[0].Metric | Should -Be 10
        $all[1].Interface | Should -Be 'lan0'
        $all | ForEach-Object { $_.DocumentPath | Should -Be $p }
    }

    It 'returns only the routes whose destinations match a wildcard' {
        (Get-IpoeRoute -Path $p -Destination '203.0.113.*').Key | Should -Be '203.0.113.0/24'
        (Get-IpoeRoute -Path $p -Destination '2001:db8:*').Key | Should -Be '2001:db8:1::/48'
    }

    It 'takes destinations from the pipeline' {
        ('203.0.113.0/24' | Get-IpoeRoute -Path $p).Metric | Should -Be 10
    }

    It 'reports RouteNotFound for a destination that matches nothing' {
        { Get-IpoeRoute -Path $p -Destination 198.51.100.0/24 -ErrorAction Stop } |
            Should -Throw -ErrorId 'RouteNotFound,IpoeRouter.Commands.GetIpoeRouteCommand'
    }

    It 'reports DocumentNotFound when the document does not exist' {
        { Get-IpoeRoute -Path (Join-Path $TestDrive 'missing.yaml') -ErrorAction Stop } |
            Should -Throw -ErrorId 'DocumentNotFound,IpoeRouter.Commands.GetIpoeRouteCommand'
    }

    It 'reports the diagnostic id of a document on disk that is invalid' {
        $bad = Join-Path $TestDrive 'bad-route.yaml'
        Set-Content -Path $bad -Value "version: 1`nroutes:`n  - { destination: 203.0.113.0/24 }"
        { Get-IpoeRoute -Path $bad -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidCombination,IpoeRouter.Commands.GetIpoeRouteCommand'
    }
}

Describe 'Set-IpoeRoute' -Tag 'CI' {
    BeforeEach {
        $p = New-RouteDocument
    }

    It 'adds a route through a gateway' {
        Set-IpoeRoute -Path $p -Destination 198.51.100.0/24 -Gateway 192.0.2.253 -Metric 5
        $route = Get-IpoeRoute -Path $p -Destination 198.51.100.0/24
        "$($route.Gateway)" | Should -Be '192.0.2.253'
        $route.Metric | Should -Be 5
        $route.Exist | Should -BeTrue
        Get-Content -Raw $p | Should -Match '(?m)^  - destination: 198\.51\.100\.0/24\n    gateway: 192\.0\.2\.253\n    metric: 5$'
    }

    It 'adds a device route' {
        Set-IpoeRoute -Path $p -Destination 2001:db8:2::/48 -Interface lan0
        (Get-IpoeRoute -Path $p -Destination 2001:db8:2::/48).Interface | Should -Be 'lan0'
        Get-Content -Raw $p | Should -Match '(?m)^  - destination: 2001:db8:2::/48\n    interface: lan0$'
    }

    It 'changes only the bound properties of an existing route' {
        Set-IpoeRoute -Path $p -Destination 203.0.113.0/24 -Metric 20
        $route = Get-IpoeRoute -Path $p -Destination 203.0.113.0/24
        $route.Metric | Should -Be 20
        "$($route.Gateway)" | Should -Be '192.0.2.254'
        $route.Interface | Should -BeNullOrEmpty
    }

    It 'keys a route by its destination in canonical form' {
        Set-IpoeRoute -Path $p -Destination 2001:0DB8:0001::/48 -Metric 7
        @(Get-IpoeRoute -Path $p).Count | Should -Be 2
        (Get-IpoeRoute -Path $p -Destination 2001:db8:1::/48).Metric | Should -Be 7
        Get-Content -Raw $p | Should -Not -Match '0DB8|0db8'
    }

    It 'writes exist: false for -Absent, and drops it again for -Absent:$false' {
        Set-IpoeRoute -Path $p -Destination 203.0.113.0/24 -Absent
        (Get-IpoeRoute -Path $p -Destination 203.0.113.0/24).Exist | Should -BeFalse
        Get-Content -Raw $p | Should -Match '(?m)^    metric: 10\n    exist: false$'
        Set-IpoeRoute -Path $p -Destination 203.0.113.0/24 -Absent:$false
        (Get-IpoeRoute -Path $p -Destination 203.0.113.0/24).Exist | Should -BeTrue
        Get-Content -Raw $p | Should -Not -Match 'exist:'
    }

    It 'outputs the route, with the document path, for -PassThru' {
        $out = Set-IpoeRoute -Path $p -Destination 203.0.113.0/24 -Metric 30 -PassThru
        $out | Should -BeOfType ([IpoeRouter.Model.Route])
        $out.Metric | Should -Be 30
        $out.DocumentPath | Should -Be $p
    }

    It 'leaves the document byte-identical under -WhatIf and still outputs the would-be route for -PassThru' {
        $before = Get-FileHashText $p
        $out = Set-IpoeRoute -Path $p -Destination 198.51.100.0/24 -Gateway 192.0.2.253 -WhatIf -PassThru
        $out.Key | Should -Be '198.51.100.0/24'
        "$($out.Gateway)" | Should -Be '192.0.2.253'
        Set-IpoeRoute -Path $p -Destination 203.0.113.0/24 -Metric 30 -WhatIf
        Get-FileHashText $p | Should -Be $before
    }

    It 'binds destination and document path by property name' {
        [pscustomobject]@{ Destination = '203.0.113.0/24'; DocumentPath = $p } | Set-IpoeRoute -Metric 40
        (Get-IpoeRoute -Path $p -Destination 203.0.113.0/24).Metric | Should -Be 40
    }

    It 'binds the destination and document path of piped routes' {
        Get-IpoeRoute -Path $p -Destination '203.*' | Set-IpoeRoute -Metric 50
        (Get-IpoeRoute -Path $p -Destination 203.0.113.0/24).Metric | Should -Be 50
    }

    It 'refuses a destination with host bits set with InvalidParameter and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Set-IpoeRoute -Path $p -Destination 198.51.100.7/24 -Gateway 192.0.2.253 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.SetIpoeRouteCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses a gateway of the other address family with InvalidParameter' {
        { Set-IpoeRoute -Path $p -Destination 198.51.100.0/24 -Gateway 2001:db8::1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.SetIpoeRouteCommand'
    }

    It 'refuses a route with neither gateway nor interface with InvalidCombination and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Set-IpoeRoute -Path $p -Destination 198.51.100.0/24 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidCombination,IpoeRouter.Commands.SetIpoeRouteCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses an IPv4 default route while the DS-Lite tunnel owns it with OwnershipConflict' {
        $before = Get-FileHashText $p
        { Set-IpoeRoute -Path $p -Destination 0.0.0.0/0 -Gateway 192.0.2.254 -ErrorAction Stop } |
            Should -Throw -ErrorId 'OwnershipConflict,IpoeRouter.Commands.SetIpoeRouteCommand'
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
            Set-IpoeRoute -Destination 203.0.113.0/24 -Metric 60
            (Get-IpoeRoute -Path $p -Destination 203.0.113.0/24).Metric | Should -Be 60
        }
    }
}

Describe 'Remove-IpoeRoute' -Tag 'CI' {
    BeforeEach {
        $p = New-RouteDocument
    }

    It 'removes a route' {
        Remove-IpoeRoute -Path $p -Destination 203.0.113.0/24
        (Get-IpoeRoute -Path $p).Key | Should -Be '2001:db8:1::/48'
        Get-Content -Raw $p | Should -Not -Match '203\.0\.113'
    }

    It 'finds the route to remove by its destination in any spelling' {
        Remove-IpoeRoute -Path $p -Destination 2001:0DB8:0001::/48
        (Get-IpoeRoute -Path $p).Key | Should -Be '203.0.113.0/24'
    }

    It 'takes destinations from the pipeline' {
        '203.0.113.0/24' | Remove-IpoeRoute -Path $p
        (Get-IpoeRoute -Path $p).Key | Should -Be '2001:db8:1::/48'
    }

    It 'binds destination and document path by property name' {
        [pscustomobject]@{ Destination = '203.0.113.0/24'; DocumentPath = $p } | Remove-IpoeRoute
        (Get-IpoeRoute -Path $p).Key | Should -Be '2001:db8:1::/48'
    }

    It 'reports RouteNotFound for a destination the document does not declare and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Remove-IpoeRoute -Path $p -Destination 198.51.100.0/24 -ErrorAction Stop } |
            Should -Throw -ErrorId 'RouteNotFound,IpoeRouter.Commands.RemoveIpoeRouteCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'leaves the document byte-identical under -WhatIf' {
        $before = Get-FileHashText $p
        Remove-IpoeRoute -Path $p -Destination 203.0.113.0/24 -WhatIf
        Get-FileHashText $p | Should -Be $before
    }
}

Describe 'Route cmdlets in a pipeline' -Tag 'CI' {
    BeforeEach {
        $p = New-TestDocument
        Set-IpoeRoute -Path $p -Destination 203.0.113.0/24 -Gateway 192.0.2.254
        Set-IpoeRoute -Path $p -Destination 2001:db8:1::/48 -Interface lan0
    }

    It 'removes every route piped from Get-IpoeRoute' {
        Get-IpoeRoute -Path $p | Remove-IpoeRoute
        Get-IpoeRoute -Path $p | Should -BeNullOrEmpty
    }

    It 'finds a route by a destination written in another spelling' {
        (Get-IpoeRoute -Path $p -Destination 2001:0db8:0001::/48).Key | Should -Be '2001:db8:1::/48'
    }
}
