using System.Management.Automation;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// Shows what the running agent sees: the WAN's addresses and its RA default route with the lifetime
/// left, the delegated prefix with its state and lifetimes, each LAN's /64 and when it was last
/// announced, and the health of each embedded service. Read from ipoe-agent's control socket, which
/// only root can open.
/// </summary>
/// <example>
/// <code>Get-IpoeStatus</code>
/// <para>Needs a running agent (and root).</para>
/// <para>Shows the WAN addresses, the delegation and its lifetimes, each LAN's /64 and the health of the services.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "IpoeStatus")]
[OutputType(typeof(RouterStatus))]
public sealed class GetIpoeStatusCommand : IpoeCmdlet
{
    /// <summary>The agent's control socket (default: $IPOE_RUN_DIR/agent.sock, else /run/ipoe/agent.sock).</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? SocketPath { get; set; }

    /// <summary>How long to wait for the agent's answer, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 300)]
    public int TimeoutSec { get; set; } = 5;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        string path = SocketPath is null ? AgentClient.PathFromEnvironment() : GetUnresolvedProviderPathFromPSPath(SocketPath);
        try
        {
            WriteObject(new AgentClient(path, TimeSpan.FromSeconds(TimeoutSec)).GetStatusAsync(CancellationToken).GetAwaiter().GetResult());
        }
        catch (IpoeException e)
        {
            ThrowTerminating(e);
        }
    }
}
