BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:AgentPath = if ($env:IPOE_AGENT) { $env:IPOE_AGENT } else { Join-Path $PSScriptRoot '../../out/agent/ipoe-agent' }
    $isRoot = (Get-Content /proc/self/status | Where-Object { $_ -like 'Uid:*' }) -match '^Uid:\s+\d+\s+0\s'

    function Wait-Until([scriptblock] $Condition, [int] $Seconds = 15, [string] $Because) {
        $deadline = [datetime]::UtcNow.AddSeconds($Seconds)
        while (-not (& $Condition)) {
            if ([datetime]::UtcNow -gt $deadline) { throw "timed out after $Seconds s: $Because; agent said: $(if ($agent.HasExited) { $agentLog.Result })" }
            Start-Sleep -Milliseconds 100
        }
    }

    function Get-NsSysctl([string] $Key) { (& ip netns exec $ns cat "/proc/sys/$Key").Trim() }

    function Start-TestAgent {
        $psi = [System.Diagnostics.ProcessStartInfo]::new('ip')
        foreach ($a in 'netns', 'exec', $ns, $AgentPath, '--document', $doc, '--state-dir', (Join-Path $dir 'state'), '--control-socket', (Join-Path $runDir 'agent.sock')) { $psi.ArgumentList.Add($a) }
        $psi.Environment['IPOE_RUN_DIR'] = $runDir
        $psi.RedirectStandardError = $true
        $script:agent = [System.Diagnostics.Process]::Start($psi)
        $script:agentLog = $agent.StandardError.ReadToEndAsync()
        Wait-Until { try { (Get-IpoeStatus -SocketPath (Join-Path $runDir 'agent.sock') -ErrorAction Stop).AgentPid -eq $agent.Id } catch { $false } } -Because 'the agent should start'
    }
}

Describe 'The cmdlets act through the agent that serves the router' -Tag 'CI', 'RequireSudoOnUnix' {
    BeforeEach {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'the agent needs root to configure a namespace (CI runs as root)' ; return }
        if (-not (Test-Path $AgentPath)) { throw "$AgentPath is missing: 'build.ps1 Build' publishes the agent there." }
        # A router namespace whose WAN and LAN are veths to nobody: no HGW answers, so the delegation stays pending.
        $script:ns = 'ipoe-a-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        & ip netns add $ns
        & ip -n $ns link add wan0 type veth peer name hgw0
        & ip -n $ns link add lan0 type veth peer name host0
        foreach ($l in 'hgw0', 'host0') { & ip -n $ns link set $l up }
        $script:dir = Join-Path $TestDrive $ns
        $null = New-Item -ItemType Directory $dir
        $script:doc = New-TestDocument -Path (Join-Path $dir 'router.yaml')
        $script:runDir = Join-Path $dir 'run'
        # The agent and this session agree on the run directory: that is where the agent says which router it serves.
        $script:savedRunDir = $env:IPOE_RUN_DIR
        $env:IPOE_RUN_DIR = $runDir
        Start-TestAgent
    }

    AfterEach {
        $env:IPOE_RUN_DIR = $savedRunDir
        if (Get-Variable -Scope Script -Name agent -ErrorAction SilentlyContinue) {
            if ($agent -and -not $agent.HasExited) { & kill -CONT $agent.Id 2>$null; $agent.Kill($true); $null = $agent.WaitForExit(5000) }
            Remove-Variable -Scope Script -Name agent
        }
        if (Get-Variable -Scope Script -Name ns -ErrorAction SilentlyContinue) { & ip netns delete $ns 2>$null; Remove-Variable -Scope Script -Name ns }
    }

    It 'plans with the agent (its firewall is its own, not drift) and says so' {
        $verbose = Get-IpoePlan -Namespace $ns -All -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        "$verbose" | Should -Match "Through ipoe-agent, pid $($agent.Id)"
        $plan = Get-IpoePlan -Namespace $ns -All
        ($plan | Where-Object Kind -EQ 'Firewall').Outcome | Should -Be 'NoChange'
        ($plan | Where-Object Outcome -EQ 'Pending').Reason | Should -Contain 'delegation hgw holds no prefix yet'
        $plan[0] | Should -BeOfType ([IpoeRouter.Control.PlanItem])
    }

    It 'reconciles through the agent, and the agent follows an edit of its document by itself' {
        $report = Invoke-IpoeReconcile -Namespace $ns -Confirm:$false
        $report.AgentPid | Should -Be $agent.Id
        $report.Outcome | Should -Be 'Pending'
        ($report | Format-List | Out-String) | Should -Match "ipoe-agent, pid $($agent.Id)"

        Get-NsSysctl 'net/ipv4/ip_forward' | Should -Be '0'
        Set-IpoeSysctlSetting -Path $doc -Name net.ipv4.ip_forward -Value 1
        Wait-Until { (Get-NsSysctl 'net/ipv4/ip_forward') -eq '1' } -Seconds 5 -Because 'the agent applies a new document within seconds'
    }

    It 'puts a new version on probation with -ConfirmWithin: unconfirmed it goes back, confirmed it stays' {
        Set-IpoeSysctlSetting -Path $doc -Name net.ipv4.ip_forward -Value 1
        Wait-Until { (Get-NsSysctl 'net/ipv4/ip_forward') -eq '1' } -Because 'the edit is applied'

        $report = Invoke-IpoeReconcile -Namespace $ns -ConfirmWithin 2 -Confirm:$false -WarningAction SilentlyContinue
        $report.ConfirmationId | Should -Not -BeNullOrEmpty
        Wait-Until { (Get-NsSysctl 'net/ipv4/ip_forward') -eq '0' } -Seconds 10 -Because 'unconfirmed, the agent goes back to the version before'
        (Get-IpoeStatus -SocketPath (Join-Path $runDir 'agent.sock')).Document.RefusedErrors | Should -Match 'rolled back'

        Set-IpoeSysctlSetting -Path $doc -Name net.ipv4.conf.all.rp_filter -Value 2
        Wait-Until { (Get-NsSysctl 'net/ipv4/conf/all/rp_filter') -eq '2' } -Because 'a new edit is taken again'
        $report = Invoke-IpoeReconcile -Namespace $ns -ConfirmWithin 3 -Confirm:$false -WarningAction SilentlyContinue
        $confirmed = Confirm-IpoeReconcile -Namespace $ns
        $confirmed.State | Should -Be 'Confirmed'
        $confirmed.Id | Should -Be $report.ConfirmationId
        Start-Sleep -Seconds 4
        Get-NsSysctl 'net/ipv4/conf/all/rp_filter' | Should -Be '2'
        { Confirm-IpoeReconcile -Namespace $ns -ErrorAction Stop } | Should -Throw -ErrorId 'ConfirmationNotFound,IpoeRouter.Commands.ConfirmIpoeReconcileCommand'
    }

    It 'goes back from an apply on probation when the agent is killed and started again inside its window' {
        Set-IpoeSysctlSetting -Path $doc -Name net.ipv4.ip_forward -Value 1
        Wait-Until { (Get-NsSysctl 'net/ipv4/ip_forward') -eq '1' } -Because 'the edit is applied'
        $report = Invoke-IpoeReconcile -Namespace $ns -ConfirmWithin 300 -Confirm:$false -WarningAction SilentlyContinue
        Test-Path (Join-Path $runDir "held/$($report.ConfirmationId).json") | Should -BeTrue -Because 'the way back is on disk'

        $agent.Kill($true); $null = $agent.WaitForExit(5000)
        Get-NsSysctl 'net/ipv4/ip_forward' | Should -Be '1'
        Start-TestAgent
        Wait-Until { (Get-NsSysctl 'net/ipv4/ip_forward') -eq '0' } -Seconds 10 -Because 'nobody confirmed it: the restarted agent goes back'
        Test-Path (Join-Path $runDir "held/$($report.ConfirmationId).json") | Should -BeFalse
    }

    It 'refuses a direct apply beside an agent that does not answer (AgentRunning), and changes nothing' {
        & kill -STOP $agent.Id
        try {
            { Invoke-IpoeReconcile -Namespace $ns -AgentTimeoutSec 2 -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'AgentRunning,IpoeRouter.Commands.InvokeIpoeReconcileCommand'
        }
        finally { & kill -CONT $agent.Id }
    }
}
