BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    # The test document with three input rules, a jump to a user chain and the chain itself.
    function New-FirewallDocument {
        $path = New-TestDocument
        Add-Content -Path $path -Value @'
firewallRules:
  - { name: in-lo, chain: input, iif: lo, action: accept }
  - { name: in-lan, chain: input, iif: lan0, action: accept }
  - { name: in-ssh, chain: input, iif: wan0, protocol: tcp, dport: 22, action: drop }
  - { name: in-log, chain: input, jump: logdrop }
  - { name: logdrop, chain: logdrop, log: { prefix: "dropped: " }, action: drop }
'@
        $path
    }
}

Describe 'Get-IpoeFirewallRule' -Tag 'CI' {
    BeforeEach {
        $p = New-FirewallDocument
    }

    It 'lists every rule in document order, each carrying the document path' {
        $all = Get-IpoeFirewallRule -Path $p
        $all.Name | Should -Be @('in-lo', 'in-lan', 'in-ssh', 'in-log', 'logdrop')
        $all[0] | Should -BeOfType ([IpoeRouter.Model.FirewallRule])
        $all | ForEach-Object { $_.DocumentPath | Should -Be $p }
    }

    It 'returns the declared matches and verdict of a rule' {
        $ssh = Get-IpoeFirewallRule -Path $p -Name in-ssh
        $ssh.Chain | Should -Be 'input'
        $ssh.InputInterface | Should -Be 'wan0'
        $ssh.Protocol | Should -Be 'tcp'
        "$($ssh.DestinationPorts)" | Should -Be '22'
        $ssh.Action | Should -Be 'Drop'
        $ssh.Jump | Should -BeNullOrEmpty
    }

    It 'returns only the rules whose names match a wildcard' {
        (Get-IpoeFirewallRule -Path $p -Name 'in-l*').Name | Should -Be @('in-lo', 'in-lan', 'in-log')
    }

    It 'returns only the rules of the chains given by -Chain' {
        (Get-IpoeFirewallRule -Path $p -Chain logdrop).Name | Should -Be 'logdrop'
        (Get-IpoeFirewallRule -Path $p -Chain input -Name '*log*').Name | Should -Be 'in-log'
    }

    It 'reports FirewallRuleNotFound for a name that matches nothing' {
        { Get-IpoeFirewallRule -Path $p -Name nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'FirewallRuleNotFound,IpoeRouter.Commands.GetIpoeFirewallRuleCommand'
    }

    It 'reports DocumentNotFound when the document does not exist' {
        { Get-IpoeFirewallRule -Path (Join-Path $TestDrive 'missing.yaml') -ErrorAction Stop } |
            Should -Throw -ErrorId 'DocumentNotFound,IpoeRouter.Commands.GetIpoeFirewallRuleCommand'
    }

    It 'reports the diagnostic id of a document on disk that is invalid' {
        $bad = Join-Path $TestDrive 'bad-fw.yaml'
        Set-Content -Path $bad -Value "version: 1`nfirewallRules:`n  - { name: a, chain: input, jump: nowhere }"
        { Get-IpoeFirewallRule -Path $bad -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownChain,IpoeRouter.Commands.GetIpoeFirewallRuleCommand'
    }
}

Describe 'Add-IpoeFirewallRule' -Tag 'CI' {
    BeforeEach {
        $p = New-FirewallDocument
    }

    It 'appends a new rule after the last one' {
        Add-IpoeFirewallRule -Path $p -Name in-dns -Chain input -Iif lan0 -Protocol udp -Dport 53 -Action Accept
        (Get-IpoeFirewallRule -Path $p).Name | Should -Be @('in-lo', 'in-lan', 'in-ssh', 'in-log', 'logdrop', 'in-dns')
        $rule = Get-IpoeFirewallRule -Path $p -Name in-dns
        $rule.Protocol | Should -Be 'udp'
        $rule.Action | Should -Be 'Accept'
        Get-Content -Raw $p | Should -Match '(?m)^  - name: in-dns\n    chain: input\n    iif: lan0\n    protocol: udp\n    dport: \[53\]\n    action: accept$'
    }

    It 'inserts a new rule before the rule named by -Before' {
        Add-IpoeFirewallRule -Path $p -Name in-est -Chain input -CtState Established, Related -Action Accept -Before in-lan
        (Get-IpoeFirewallRule -Path $p).Name | Should -Be @('in-lo', 'in-est', 'in-lan', 'in-ssh', 'in-log', 'logdrop')
        Get-Content -Raw $p | Should -Match '(?m)^    ctState: \[established, related\]$'
    }

    It 'inserts a new rule after the rule named by -After' {
        Add-IpoeFirewallRule -Path $p -Name in-ra -Chain input -Icmpv6Type nd-router-advert -Source fe80::/10 -Action Accept -After in-lo
        (Get-IpoeFirewallRule -Path $p).Name | Should -Be @('in-lo', 'in-ra', 'in-lan', 'in-ssh', 'in-log', 'logdrop')
        Get-Content -Raw $p | Should -Match '(?m)^    icmpv6Type: \[nd-router-advert\]\n    source: fe80::/10$'
    }

    It 'inserts after the last rule for -After naming the last rule' {
        Add-IpoeFirewallRule -Path $p -Name tail -Chain logdrop -Action Drop -After logdrop
        (Get-IpoeFirewallRule -Path $p)[-1].Name | Should -Be 'tail'
    }

    It 'writes port lists and ranges' {
        Add-IpoeFirewallRule -Path $p -Name in-web -Chain input -Protocol tcp -Dport 80, '8000-8080' -Sport '1024-65535' -Action Accept
        $rule = Get-IpoeFirewallRule -Path $p -Name in-web
        ($rule.DestinationPorts | ForEach-Object { "$_" }) | Should -Be @('80', '8000-8080')
        Get-Content -Raw $p | Should -Match '(?m)^    sport: \[1024-65535\]\n    dport: \[80, 8000-8080\]$'
    }

    It 'writes address bindings given as hashtables' {
        Add-IpoeFirewallRule -Path $p -Name fwd-lan -Chain forward -Source @{ delegatedPrefix = 'hgw' } -Destination @{ lanSubnet = 'lan0' } -Action Accept
        Add-IpoeFirewallRule -Path $p -Name in-aftr -Chain input -Source @{ tunnelRemote = 'tnl0' } -Action Accept
        (Get-IpoeFirewallRule -Path $p -Name fwd-lan).Source | Should -BeOfType ([IpoeRouter.Model.DelegatedPrefixMatch])
        $text = Get-Content -Raw $p
        $text | Should -Match '(?m)^    source: \{delegatedPrefix: hgw\}\n    destination: \{lanSubnet: lan0\}$'
        $text | Should -Match '(?m)^    source: \{tunnelRemote: tnl0\}$'
    }

    It 'writes a rate limit with its flags and a log prefix' {
        Add-IpoeFirewallRule -Path $p -Name flood -Chain logdrop -Limit '5/second' -LimitOver -LimitPerSource -LogPrefix 'flood: ' -Action Drop -Before logdrop
        $rule = Get-IpoeFirewallRule -Path $p -Name flood
        $rule.Limit.Over | Should -BeTrue
        $rule.Limit.PerSource | Should -BeTrue
        $rule.Log.Prefix | Should -Be 'flood: '
        Get-Content -Raw $p | Should -Match '(?m)^    limit: \{rate: 5/second, over: true, perSource: true\}\n    log: \{prefix: "flood: "\}\n    action: drop$'
    }

    It 'writes TCP flags' {
        Add-IpoeFirewallRule -Path $p -Name in-rst -Chain input -Protocol tcp -TcpFlagMask Rst -TcpFlagSet Rst -Action Drop
        Get-Content -Raw $p | Should -Match '(?m)^    tcpFlags: \{mask: \[rst\], set: \[rst\]\}$'
    }

    It 'outputs the rule as written, with the document path, for -PassThru' {
        $out = Add-IpoeFirewallRule -Path $p -Name in-dns -Chain input -Protocol udp -Dport 53 -Action Accept -PassThru
        $out | Should -BeOfType ([IpoeRouter.Model.FirewallRule])
        $out.Name | Should -Be 'in-dns'
        $out.DocumentPath | Should -Be $p
    }

    It 'leaves the document byte-identical under -WhatIf and still outputs the would-be rule for -PassThru' {
        $before = Get-FileHashText $p
        $out = Add-IpoeFirewallRule -Path $p -Name in-dns -Chain input -Protocol udp -Dport 53 -Action Accept -Before in-lo -WhatIf -PassThru
        $out.Name | Should -Be 'in-dns'
        $out.Protocol | Should -Be 'udp'
        Get-FileHashText $p | Should -Be $before
    }

    It 'binds name and chain by property name' {
        [pscustomobject]@{ Name = 'in-new'; Chain = 'input'; DocumentPath = $p } | Add-IpoeFirewallRule -Action Accept
        (Get-IpoeFirewallRule -Path $p -Name in-new).Chain | Should -Be 'input'
    }

    It 'refuses a name that exists with FirewallRuleExists and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Add-IpoeFirewallRule -Path $p -Name in-lan -Chain input -Action Drop -ErrorAction Stop } |
            Should -Throw -ErrorId 'FirewallRuleExists,IpoeRouter.Commands.AddIpoeFirewallRuleCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'reports FirewallRuleNotFound for a -Before rule the document does not declare' {
        $before = Get-FileHashText $p
        { Add-IpoeFirewallRule -Path $p -Name x -Chain input -Action Drop -Before nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'FirewallRuleNotFound,IpoeRouter.Commands.AddIpoeFirewallRuleCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses -Before together with -After with InvalidParameter' {
        { Add-IpoeFirewallRule -Path $p -Name x -Chain input -Action Drop -Before in-lo -After in-lan -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.AddIpoeFirewallRuleCommand'
    }

    It 'refuses a rule without -Chain with ParameterRequired' {
        { Add-IpoeFirewallRule -Path $p -Name x -Action Drop -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterRequired,IpoeRouter.Commands.AddIpoeFirewallRuleCommand'
    }

    It 'refuses a jump to a chain no rule defines with UnknownChain' {
        $before = Get-FileHashText $p
        { Add-IpoeFirewallRule -Path $p -Name x -Chain input -Jump nowhere -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownChain,IpoeRouter.Commands.AddIpoeFirewallRuleCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses ports without a port protocol with InvalidCombination' {
        { Add-IpoeFirewallRule -Path $p -Name x -Chain input -Dport 22 -Action Drop -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidCombination,IpoeRouter.Commands.AddIpoeFirewallRuleCommand'
    }

    It 'refuses ICMPv6 types in an IPv4-only rule with AddressFamilyMismatch' {
        { Add-IpoeFirewallRule -Path $p -Name x -Chain input -Family Ip -Icmpv6Type nd-router-advert -Action Accept -ErrorAction Stop } |
            Should -Throw -ErrorId 'AddressFamilyMismatch,IpoeRouter.Commands.AddIpoeFirewallRuleCommand'
    }

    It 'refuses the remote of a tunnel the document does not declare with UnknownTunnel' {
        { Add-IpoeFirewallRule -Path $p -Name x -Chain input -Source @{ tunnelRemote = 'nope' } -Action Accept -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownTunnel,IpoeRouter.Commands.AddIpoeFirewallRuleCommand'
    }

    It 'refuses the prefix of a delegation the document does not declare with UnknownDelegation' {
        { Add-IpoeFirewallRule -Path $p -Name x -Chain forward -Source @{ delegatedPrefix = 'nope' } -Action Accept -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownDelegation,IpoeRouter.Commands.AddIpoeFirewallRuleCommand'
    }

    It 'refuses a port that is not one with InvalidParameter' {
        { Add-IpoeFirewallRule -Path $p -Name x -Chain input -Protocol tcp -Dport 70000 -Action Drop -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.AddIpoeFirewallRuleCommand'
    }

    It 'refuses a protocol it does not know with InvalidParameter' {
        { Add-IpoeFirewallRule -Path $p -Name x -Chain input -Protocol nonsense -Action Drop -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.AddIpoeFirewallRuleCommand'
    }

    It 'refuses a rate that is not one with InvalidParameter' {
        { Add-IpoeFirewallRule -Path $p -Name x -Chain input -Limit 'fast' -Action Drop -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,IpoeRouter.Commands.AddIpoeFirewallRuleCommand'
    }

    It 'starts a document when the file does not exist yet' {
        $new = Join-Path $TestDrive 'new-firewall.yaml'
        Add-IpoeFirewallRule -Path $new -Name in-lo -Chain input -Iif lo -Action Accept
        (Get-IpoeFirewallRule -Path $new).Name | Should -Be 'in-lo'
        Test-IpoeDocument -Path $new | Should -BeTrue
    }
}

Describe 'Set-IpoeFirewallRule' -Tag 'CI' {
    BeforeEach {
        $p = New-FirewallDocument
    }

    It 'changes only the bound properties of an existing rule and keeps its place' {
        Set-IpoeFirewallRule -Path $p -Name in-ssh -Dport 2222 -Comment 'moved ssh'
        $rule = Get-IpoeFirewallRule -Path $p -Name in-ssh
        "$($rule.DestinationPorts)" | Should -Be '2222'
        $rule.Comment | Should -Be 'moved ssh'
        $rule.InputInterface | Should -Be 'wan0'
        $rule.Protocol | Should -Be 'tcp'
        $rule.Action | Should -Be 'Drop'
        (Get-IpoeFirewallRule -Path $p).Name | Should -Be @('in-lo', 'in-lan', 'in-ssh', 'in-log', 'logdrop')
    }

    It 'clears the action when -Jump is given' {
        Set-IpoeFirewallRule -Path $p -Name in-ssh -Jump logdrop
        $rule = Get-IpoeFirewallRule -Path $p -Name in-ssh
        $rule.Jump | Should -Be 'logdrop'
        $rule.Action | Should -BeNullOrEmpty
        Get-Content -Raw $p | Should -Match '(?m)^    dport: \[22\]\n    jump: logdrop$'
    }

    It 'clears the jump when -Action is given' {
        Set-IpoeFirewallRule -Path $p -Name in-log -Action Drop
        $rule = Get-IpoeFirewallRule -Path $p -Name in-log
        $rule.Action | Should -Be 'Drop'
        $rule.Jump | Should -BeNullOrEmpty
        Get-Content -Raw $p | Should -Match '(?m)^  - name: in-log\n    chain: input\n    action: drop$'
    }

    It 'appends a new rule at the end when -Chain is given' {
        Set-IpoeFirewallRule -Path $p -Name out-all -Chain output -Action Accept
        (Get-IpoeFirewallRule -Path $p)[-1].Name | Should -Be 'out-all'
    }

    It 'outputs the rule as written, with the document path, for -PassThru' {
        $out = Set-IpoeFirewallRule -Path $p -Name in-lan -Comment 'lan' -PassThru
        $out.Comment | Should -Be 'lan'
        $out.Action | Should -Be 'Accept'
        $out.DocumentPath | Should -Be $p
    }

    It 'leaves the document byte-identical under -WhatIf and still outputs the would-be rule for -PassThru' {
        $before = Get-FileHashText $p
        $out = Set-IpoeFirewallRule -Path $p -Name in-ssh -Jump logdrop -WhatIf -PassThru
        $out.Jump | Should -Be 'logdrop'
        $out.Action | Should -BeNullOrEmpty
        Get-FileHashText $p | Should -Be $before
    }

    It 'binds the name, chain and document path of piped rules' {
        Get-IpoeFirewallRule -Path $p -Name 'in-l*' | Set-IpoeFirewallRule -Comment 'managed'
        (Get-IpoeFirewallRule -Path $p -Name 'in-l*').Comment | Should -Be @('managed', 'managed', 'managed')
        (Get-IpoeFirewallRule -Path $p -Name 'in-ssh').Comment | Should -BeNullOrEmpty
    }

    It 'refuses a new rule without -Chain with ParameterRequired and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Set-IpoeFirewallRule -Path $p -Name new -Action Accept -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterRequired,IpoeRouter.Commands.SetIpoeFirewallRuleCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses a jump to a base chain with InvalidCombination and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Set-IpoeFirewallRule -Path $p -Name logdrop -Jump input -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidCombination,IpoeRouter.Commands.SetIpoeFirewallRuleCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'refuses to move the only rule of a chain that is jumped to with UnknownChain' {
        { Set-IpoeFirewallRule -Path $p -Name logdrop -Chain output -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownChain,IpoeRouter.Commands.SetIpoeFirewallRuleCommand'
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
            Set-IpoeFirewallRule -Name in-lan -Comment 'env'
            (Get-IpoeFirewallRule -Path $p -Name in-lan).Comment | Should -Be 'env'
        }
    }
}

Describe 'Remove-IpoeFirewallRule' -Tag 'CI' {
    BeforeEach {
        $p = New-FirewallDocument
    }

    It 'removes a rule and keeps the order of the others' {
        Remove-IpoeFirewallRule -Path $p -Name in-lan
        (Get-IpoeFirewallRule -Path $p).Name | Should -Be @('in-lo', 'in-ssh', 'in-log', 'logdrop')
        Get-Content -Raw $p | Should -Not -Match 'in-lan'
    }

    It 'removes the rules piped from Get-IpoeFirewallRule, in the document they came from' {
        Get-IpoeFirewallRule -Path $p -Name 'in-l*' | Remove-IpoeFirewallRule
        (Get-IpoeFirewallRule -Path $p).Name | Should -Be @('in-ssh', 'logdrop')
    }

    It 'refuses with UnknownChain to remove the only rule of a chain another rule jumps to, and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Remove-IpoeFirewallRule -Path $p -Name logdrop -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownChain,IpoeRouter.Commands.RemoveIpoeFirewallRuleCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'reports FirewallRuleNotFound for a rule the document does not declare' {
        $before = Get-FileHashText $p
        { Remove-IpoeFirewallRule -Path $p -Name nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'FirewallRuleNotFound,IpoeRouter.Commands.RemoveIpoeFirewallRuleCommand'
        Get-FileHashText $p | Should -Be $before
    }

    It 'leaves the document byte-identical under -WhatIf' {
        $before = Get-FileHashText $p
        Remove-IpoeFirewallRule -Path $p -Name in-lan -WhatIf
        Get-FileHashText $p | Should -Be $before
    }
}

Describe 'Get-IpoeFirewallPolicy' -Tag 'CI' {
    It 'shows undeclared policies as empty, with the document path' {
        $p = New-TestDocument
        $policy = Get-IpoeFirewallPolicy -Path $p
        $policy | Should -BeOfType ([IpoeRouter.Model.FirewallPolicy])
        $policy.Input | Should -BeNullOrEmpty
        $policy.Forward | Should -BeNullOrEmpty
        $policy.Output | Should -BeNullOrEmpty
        $policy.ClampMss | Should -BeNullOrEmpty
        $policy.DocumentPath | Should -Be $p
    }

    It 'returns the declared policies' {
        $policy = Get-IpoeFirewallPolicy -Path (Join-Path $ExamplesDir 'flets-transix-hgw.yaml')
        $policy.Input | Should -Be 'Drop'
        $policy.Forward | Should -Be 'Drop'
        $policy.Output | Should -Be 'Drop'
    }

    It 'reports DocumentNotFound when the document does not exist' {
        { Get-IpoeFirewallPolicy -Path (Join-Path $TestDrive 'missing.yaml') -ErrorAction Stop } |
            Should -Throw -ErrorId 'DocumentNotFound,IpoeRouter.Commands.GetIpoeFirewallPolicyCommand'
    }
}

Describe 'Set-IpoeFirewallPolicy' -Tag 'CI' {
    BeforeEach {
        $p = New-TestDocument
    }

    It 'writes the policies and MSS clamping it is given' {
        Set-IpoeFirewallPolicy -Path $p -Input Drop -Forward Drop -Output Accept -ClampMss:$false
        $policy = Get-IpoeFirewallPolicy -Path $p
        $policy.Input | Should -Be 'Drop'
        $policy.Output | Should -Be 'Accept'
        $policy.ClampMss | Should -BeFalse
        Get-Content -Raw $p | Should -Match '(?m)^firewall:\n  input: drop\n  forward: drop\n  output: accept\n  clampMss: false$'
    }

    It 'changes only the bound policies' {
        Set-IpoeFirewallPolicy -Path $p -Input Drop -Forward Drop
        Set-IpoeFirewallPolicy -Path $p -Output Drop
        $policy = Get-IpoeFirewallPolicy -Path $p
        $policy.Input | Should -Be 'Drop'
        $policy.Forward | Should -Be 'Drop'
        $policy.Output | Should -Be 'Drop'
        $policy.ClampMss | Should -BeNullOrEmpty
    }

    It 'outputs the policy, with the document path, for -PassThru' {
        $out = Set-IpoeFirewallPolicy -Path $p -Input Accept -PassThru
        $out.Input | Should -Be 'Accept'
        $out.DocumentPath | Should -Be $p
    }

    It 'leaves the document byte-identical under -WhatIf and still outputs the would-be policy for -PassThru' {
        $before = Get-FileHashText $p
        $out = Set-IpoeFirewallPolicy -Path $p -Forward Accept -WhatIf -PassThru
        $out.Forward | Should -Be 'Accept'
        Get-FileHashText $p | Should -Be $before
    }

    It 'writes nothing when the policy already is as requested' {
        Set-IpoeFirewallPolicy -Path $p -Input Drop
        $before = Get-FileHashText $p
        Set-IpoeFirewallPolicy -Path $p -Input Drop
        Get-FileHashText $p | Should -Be $before
    }

    It 'binds the document path of a piped policy' {
        Get-IpoeFirewallPolicy -Path $p | Set-IpoeFirewallPolicy -Output Drop
        (Get-IpoeFirewallPolicy -Path $p).Output | Should -Be 'Drop'
    }

    It 'refuses a word that is not a policy' {
        { Set-IpoeFirewallPolicy -Path $p -Input Maybe -ErrorAction Stop } |
            Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,IpoeRouter.Commands.SetIpoeFirewallPolicyCommand'
    }
}

Describe 'Set-IpoeFirewallRule on limits and TCP flags' -Tag 'CI' {
    BeforeEach {
        $p = New-TestDocument
        Add-IpoeFirewallRule -Path $p -Name flood -Chain input -Limit 5/second -LimitBurst 10 -LimitOver -LimitPerSource -Action Drop
        Add-IpoeFirewallRule -Path $p -Name rst -Chain input -Protocol tcp -TcpFlagMask Rst, Syn -TcpFlagSet Rst -Action Drop
    }

    It 'changes only the rate when only -Limit is given' {
        $limit = (Set-IpoeFirewallRule -Path $p -Name flood -Limit 10/second -PassThru).Limit
        $limit.RateText | Should -Be '10/second'
        $limit.Burst | Should -Be 10
        $limit.Over | Should -BeTrue
        $limit.PerSource | Should -BeTrue
    }

    It 'changes the set flags of the existing mask with -TcpFlagSet alone' {
        $flags = (Set-IpoeFirewallRule -Path $p -Name rst -TcpFlagSet Syn -PassThru).TcpFlags
        $flags.Set | Should -Be @([IpoeRouter.Model.TcpFlag]::Syn)
        $flags.Mask | Should -Be @([IpoeRouter.Model.TcpFlag]::Rst, [IpoeRouter.Model.TcpFlag]::Syn)
    }

    It 'refuses set flags outside the mask and leaves the file byte-identical' {
        $before = Get-FileHashText $p
        { Set-IpoeFirewallRule -Path $p -Name rst -TcpFlagSet Fin -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidCombination,IpoeRouter.Commands.SetIpoeFirewallRuleCommand'
        Get-FileHashText $p | Should -Be $before
    }
}
