using System.Management.Automation;
using System.Net;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// Declares a DHCPv6 prefix delegation or changes it. <c>-Downstream enp2s0 -SubnetId 1</c> gives
/// that LAN the /64 with id 1 (adding or replacing its entry); the number of /64s follows from the
/// delegated length, so nobody sets sla-len.
/// </summary>
/// <example>
/// <code>Set-IpoePrefixDelegation -Name hgw -Interface enp1s0 -PrefixLength 60 -Downstream enp2s0 -SubnetId 1</code>
/// <para>Asks the HGW on enp1s0 for a /60 and gives the LAN enp2s0 the /64 with subnet id 1.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "IpoePrefixDelegation", SupportsShouldProcess = true)]
[OutputType(typeof(PrefixDelegation))]
public sealed class SetIpoePrefixDelegationCommand : ClearableSetCmdlet<PrefixDelegation>
{
    /// <summary>The delegation's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>The WAN interface the DHCPv6 client runs on (new delegations default to the only WAN).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(InterfaceNameCompleter))]
    public string? Interface { get; set; }

    /// <summary>The length expected from upstream: 60 behind an HGW, 56 directly on the NGN.</summary>
    [Parameter]
    [ValidateRange(32, 64)]
    public int PrefixLength { get; set; }

    /// <summary>The DUID type (default Ll).</summary>
    [Parameter]
    public DuidType Duid { get; set; }

    /// <summary>Ask for Rapid Commit.</summary>
    [Parameter]
    public SwitchParameter RapidCommit { get; set; }

    /// <summary>A LAN interface that gets a /64 of the delegation.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(InterfaceNameCompleter))]
    public string? Downstream { get; set; }

    /// <summary>Which /64 the downstream gets, counted from 0.</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int SubnetId { get; set; }

    /// <summary>The router's interface identifier in that /64 (default ::1).</summary>
    [Parameter]
    public IPAddress? DownstreamHost { get; set; }

    /// <summary>LAN interfaces that no longer get a /64.</summary>
    [Parameter]
    public string[]? RemoveDownstream { get; set; }

    /// <inheritdoc/>
    protected override string Key => Name;

    /// <inheritdoc/>
    protected override string What => "prefix delegation";

    /// <inheritdoc/>
    protected override PrefixDelegation? Find(RouterDocument document, string key) => document.PrefixDelegations.FirstOrDefault(p => p.Name == key);

    /// <inheritdoc/>
    protected override RouterDocument With(RouterDocument document, PrefixDelegation item) => document.WithPrefixDelegation(item);

    /// <inheritdoc/>
    protected override PrefixDelegation Build(PrefixDelegation? existing, RouterDocument document)
    {
        if (!Names.IsValidResourceName(Name))
        {
            throw Invalid(nameof(Name), Name, "a name starts with a letter or digit, then letters, digits, '.', '_' or '-'.");
        }

        string wan = Interface ?? existing?.Interface ?? document.SingleWan()?.Name
            ?? throw Required(nameof(Interface), "the document does not have exactly one WAN interface, so it cannot tell which one runs the DHCPv6 client.");
        PrefixDelegation current = existing ?? new PrefixDelegation(Name, wan);
        ValueList<Downstream> downstreams = current.Downstreams;
        if (RemoveDownstream is not null)
        {
            downstreams = downstreams.RemoveAll(d => RemoveDownstream.Contains(d.Interface));
        }

        if (Downstream is not null)
        {
            if (!IsBound(nameof(SubnetId)))
            {
                throw Invalid(nameof(Downstream), Downstream, "say which /64 it gets with -SubnetId.");
            }

            int at = RouterDocument.IndexOf(downstreams, d => d.Interface == Downstream);
            var entry = new Downstream(Downstream, SubnetId) { Host = DownstreamHost ?? (at >= 0 ? downstreams[at].Host : null) };
            downstreams = at >= 0 ? downstreams.SetItem(at, entry) : downstreams.Add(entry);
        }
        else if (IsBound(nameof(SubnetId)) || DownstreamHost is not null)
        {
            throw Invalid(nameof(SubnetId), SubnetId.ToString(System.Globalization.CultureInfo.InvariantCulture), "-SubnetId and -DownstreamHost go with -Downstream, naming the LAN they are for.");
        }

        return current with
        {
            Interface = wan,
            PrefixLength = Pick(nameof(PrefixLength), (int?)PrefixLength, current.PrefixLength),
            Duid = Pick(nameof(Duid), (DuidType?)Duid, current.Duid),
            RapidCommit = Pick(nameof(RapidCommit), (bool?)RapidCommit.IsPresent, current.RapidCommit),
            Downstreams = downstreams,
        };
    }
}
