using System.Management.Automation;
using IpoeRouter.Engine.Diagnostics;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// Diagnoses the router the document describes, on the host or in a network namespace, and outputs
/// one object per check (Check, Status Pass/Warn/Fail, Target, Evidence, Remedy), Fail first: who holds
/// the DHCP and DNS ports (process and pid), systemd-networkd or netplan managing the router's links,
/// forwarding with accept_ra below 2 on an interface that should take RAs, tentative or dadfailed
/// addresses, a tunnel without its local address, the hand-built router's cron watchdogs, and the
/// serving ipoe-agent's reconcile outcome and tunnel states. Changes nothing. Root only.
/// </summary>
/// <example>
/// <code>Test-IpoeRouter | Where-Object Status -NE Pass</code>
/// <para>Needs root: reads the host's sockets, /proc and the agent's control socket.</para>
/// <para>Shows only what is wrong with the router the default document describes, each with a remedy.</para>
/// </example>
/// <example>
/// <code>Test-IpoeRouter -Path ./router.yaml -Namespace rtr | Format-List</code>
/// <para>Needs root, and a namespace made with 'ip netns add rtr'.</para>
/// <para>Diagnoses a lab router in the namespace rtr, with every check's evidence in full.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Test, "IpoeRouter")]
[OutputType(typeof(RouterCheck))]
public sealed class TestIpoeRouterCommand : DocumentCmdlet
{
    /// <summary>A network namespace made with <c>ip netns add</c> to diagnose instead of the host's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    /// <summary>How long to wait for the agent's status, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 300)]
    public int AgentTimeoutSec { get; set; } = 5;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        RequireRoot();
        RouterDocument document = LoadDocument().Loaded.Effective;
        RouterFacts facts;
        try
        {
            facts = RouterProbe.Gather(document, Namespace, TimeSpan.FromSeconds(AgentTimeoutSec), CancellationToken);
        }
        catch (IpoeException e)
        {
            ThrowTerminating(e);
            throw;
        }

        foreach (RouterCheck check in RouterCheckScan.Decide(facts, DocumentPorts.NeededBy(document)))
        {
            WriteObject(check);
        }
    }
}
