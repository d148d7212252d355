BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    # The test document with a forwarder that answers on lan0 and forwards to one configured upstream.
    function New-DnsDocument {
        $path = New-TestDocument
        Add-Content -Path $path -Value @'
dnsForwarder:
  interfaces: [lan0]
  upstreams: ["2001:db8::53"]
'@
        $path
    }
}

Describe 'Get-IpoeDnsForwarder' -Tag 'CI' {
    It 'shows undeclared settings as empty when the document declares no forwarder' {
        $p = New-TestDocument
        $dns = Get-IpoeDnsForwarder -Path $p
        $dns | Should -BeOfType ([IpoeRouter.Model.DnsForwarder])
        $dns.Enabled | Should -BeNullOrEmpty
        $dns.Interfaces.Count | Should -Be 0
        $dns.Upstreams.Count | Should -Be 0
        $dns.UseLearnedUpstreams | Should -BeNullOrEmpty
        $dns.CacheSize | Should -BeNullOrEmpty
        $dns.DocumentPath | Should -Be $p
    }

    It 'returns the declared settings' {
        $p = New-DnsDocument
        $dns = Get-IpoeDnsForwarder -Path $p
        $dns.Interfaces | Should -Be 'lan0'
        "$($dns.Upstreams)" | Should -Be '2001:db8::53'
    }

    It 'reports DocumentNotFound when the document does not exist' {
        { Get-IpoeDnsForwarder -Path (Join-Path $TestDrive 'missing.yaml') -ErrorAction Stop } |
            Should -Throw -ErrorId 'DocumentNotFound,IpoeRouter.Commands.GetIpoeDnsForwarderCommand'
    }

    It 'reports the diagnostic id of a document on disk that is invalid' {
        $bad = Join-Path $TestDrive 'bad-dns.yaml'
        Set-Content -Path $bad -Value "version: 1`ndnsForwarder:`n  interfaces: [nope]"
        { Get-IpoeDnsForwarder -Path $bad -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownInterface,IpoeRouter.Commands.GetIpoeDnsForwarderCommand'
    }

    Context 'without -Path' {
        BeforeEach {
            $p = New-DnsDocument
            $savedDocument = $env:IPOE_DOCUMENT
            $env:IPOE_DOCUMENT = $p
        }

        AfterEach {
            $env:IPOE_DOCUMENT = $savedDocument
        }

        It 'reads and edits the document that $env:IPOE_DOCUMENT names' {
            (Get-IpoeDnsForwarder).DocumentPath | Should -Be $p
            Set-IpoeDnsForwarder -CacheSize 100
            (Get-IpoeDnsForwarder -Path $p).CacheSize | Should -Be 100
        }
    }
}

Describe 'Set-IpoeDnsForwarder' -Tag 'CI' {
    BeforeEach {
        $p = New-TestDocument
    }

    It 'declares the forwarder with the settings it is given' {
        Set-IpoeDnsForwarder -Path $p -Interface lan0 -Upstream 2001:db8::53, 192.0.2.53 -UseLearnedUpstreams:$false -CacheSize 500
        $dns = Get-IpoeDnsForwarder -Path $p
        $dns.Interfaces | Should -Be 'lan0'
        ($dns.Upstreams | ForEach-Object { "$_" }) | Should -Be @('2001:db8::53', '192.0.2.53')
        $dns.UseLearnedUpstreams | Should -BeFalse
        $dns.CacheSize | Should -Be 500
        Get-Content -Raw $p | Should -Match "(?m)^dnsForwarder:\n  interfaces: \[lan0\]\n  upstreams: \['2001:db8::53', 192\.0\.2\.53\]\n  useLearnedUpstreams: false\n  cacheSize: 500$"
    }

    It 'changes only the bound settings' {
        $doc = New-DnsDocument
        Set-IpoeDnsForwarder -Path $doc -CacheSize 100
        $dns = Get-IpoeDnsForwarder -Path $doc
        $dns.CacheSize | Should -Be 100
        $dns.Interfaces | Should -Be 'lan0'
        "$($dns.Upstreams)" | Should -Be '2001:db8::53'
    }

    It 'writes enabled: false for -Enabled:$false' {
        Set-IpoeDnsForwarder -Path $p -Enabled:$false
        (Get-IpoeDnsForwarder -Path $p).Enabled | Should -BeFalse
        Get-Content -Raw $p | Should -Match '(?m)^dnsForwarder:\n  enabled: false$'
    }

    It 'clears the upstreams given as an empty list' {
        $doc = New-DnsDocument
        Set-IpoeDnsForwarder -Path $doc -Upstream @()
        (Get-IpoeDnsForwarder -Path $doc).Upstreams.Count | Should -Be 0
        Get-Content -Raw $doc | Should -Not -Match 'upstreams:'
    }

    It 'outputs the forwarder, with the document path, for -PassThru' {
        $out = Set-IpoeDnsForwarder -Path $p -Enabled -PassThru
        $out | Should -BeOfType ([IpoeRouter.Model.DnsForwarder])
        $out.Enabled | Should -BeTrue
        $out.DocumentPath | Should -Be $p
    }

    It 'leaves the document byte-identical under -WhatIf and still outputs the would-be forwarder for -PassThru' {
        $before = Get-FileHashText $p
        $out = Set-IpoeDnsForwarder -Path $p -Interface lan0 -CacheSize 100 -WhatIf -PassThru
        $out.CacheSize | Should -Be 100
        $out.Interfaces | Should -Be 'lan0'
        Get-FileHashText $p | Should -Be $before
    }

    It 'writes nothing when the forwarder already is as requested' {
        $doc = New-DnsDocument
        $before = Get-FileHashText $doc
        Set-IpoeDnsForwarder -Path $doc -Interface lan0
        Get-FileHashText $doc | Should -Be $before
    }

    It 'binds the document path of a piped forwarder' {
        Get-IpoeDnsForwarder -Path $p | Set-IpoeDnsForwarder -CacheSize 200
        (Get-IpoeDnsForwarder -Path $p).CacheSize | Should -Be 200
    }

    It 'refuses to answer on a WAN interface with InvalidCombination and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Set-IpoeDnsForwarder -Path $p -Interface wan0 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidCombination,IpoeRouter.Commands.SetIpoeDnsForwarderCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses an interface the document does not declare with UnknownInterface and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Set-IpoeDnsForwarder -Path $p -Interface nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownInterface,IpoeRouter.Commands.SetIpoeDnsForwarderCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses an upstream that is not an address' {
        { Set-IpoeDnsForwarder -Path $p -Upstream 'dns.example' -ErrorAction Stop } |
            Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,IpoeRouter.Commands.SetIpoeDnsForwarderCommand'
    }

    It 'refuses to act on a document on disk that is invalid, reporting its diagnostic id' {
        $bad = Join-Path $TestDrive 'bad-dns-set.yaml'
        Set-Content -Path $bad -Value "version: 1`ndnsForwarder:`n  interfaces: [nope]"
        $before = Get-FileHashText $bad
        { Set-IpoeDnsForwarder -Path $bad -CacheSize 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownInterface,IpoeRouter.Commands.SetIpoeDnsForwarderCommand'
        Get-FileHashText $bad | Should -Be $before
    }
}

Describe 'Setting nothing' -Tag 'CI' {
    It 'leaves a document without the section byte-identical' {
        $p = New-TestDocument
        $before = Get-FileHashText $p
        Set-IpoeDnsForwarder -Path $p
        Set-IpoeFirewallPolicy -Path $p
        Get-FileHashText $p | Should -Be $before
    }
}
