using System.Management.Automation;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Commands.Transformation;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// The parameters Add-IpoeFirewallRule and Set-IpoeFirewallRule share: one per match of the
/// document's vocabulary. Only bound parameters change an existing rule.
/// </summary>
public abstract class FirewallRuleCmdlet : ClearableSetCmdlet<FirewallRule>
{
    /// <summary>The rule's name, unique in the document.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>input, forward, output, or a user chain.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string? Chain { get; set; }

    /// <summary>Inet (both), Ip or Ip6.</summary>
    [Parameter]
    public FirewallFamily Family { get; set; }

    /// <summary>Incoming interface (iif).</summary>
    [Parameter]
    [Alias("Iif")]
    [ArgumentCompleter(typeof(InterfaceNameCompleter))]
    public string? InputInterface { get; set; }

    /// <summary>Outgoing interface (oif).</summary>
    [Parameter]
    [Alias("Oif")]
    [ArgumentCompleter(typeof(InterfaceNameCompleter))]
    public string? OutputInterface { get; set; }

    /// <summary>tcp, udp, icmp, icmpv6, ... or a number.</summary>
    [Parameter]
    public string? Protocol { get; set; }

    /// <summary>Source ports or ranges (<c>1024-65535</c>).</summary>
    [Parameter]
    [Alias("Sport")]
    [ValidateNotNullOrEmpty]
    public string[]? SourcePort { get; set; }

    /// <summary>Destination ports or ranges.</summary>
    [Parameter]
    [Alias("Dport")]
    [ValidateNotNullOrEmpty]
    public string[]? DestinationPort { get; set; }

    /// <summary>ICMP types, by number or name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? IcmpType { get; set; }

    /// <summary>ICMPv6 types, by number or name (<c>nd-router-advert</c>).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Icmpv6Type { get; set; }

    /// <summary>Source: a prefix, or <c>@{ delegatedPrefix='hgw' }</c>, <c>@{ lanSubnet='enp2s0' }</c>, <c>@{ tunnelRemote='ip6tnl1' }</c>.</summary>
    [Parameter]
    [AddressMatchTransformation]
    public AddressMatch? Source { get; set; }

    /// <summary>Destination, as <see cref="Source"/>.</summary>
    [Parameter]
    [AddressMatchTransformation]
    public AddressMatch? Destination { get; set; }

    /// <summary>Connection tracking states.</summary>
    [Parameter]
    [Alias("CtState")]
    [ValidateNotNullOrEmpty]
    public ConnectionState[]? ConnectionState { get; set; }

    /// <summary>TCP flags to look at (with <see cref="TcpFlagSet"/>: those that must be set).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public TcpFlag[]? TcpFlagMask { get; set; }

    /// <summary>TCP flags that must be set among <see cref="TcpFlagMask"/>.</summary>
    [Parameter]
    public TcpFlag[]? TcpFlagSet { get; set; }

    /// <summary>A rate such as <c>10/second</c>.</summary>
    [Parameter]
    public string? Limit { get; set; }

    /// <summary>Burst above the rate.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int LimitBurst { get; set; }

    /// <summary>Match packets above the rate instead of below.</summary>
    [Parameter]
    public SwitchParameter LimitOver { get; set; }

    /// <summary>One rate bucket per source address.</summary>
    [Parameter]
    public SwitchParameter LimitPerSource { get; set; }

    /// <summary>Log matching packets with this prefix.</summary>
    [Parameter]
    public string? LogPrefix { get; set; }

    /// <summary>Accept, Drop, Reject or Return.</summary>
    [Parameter]
    public RuleVerdict Action { get; set; }

    /// <summary>A user chain to jump to.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string? Jump { get; set; }

    /// <summary>Free text kept with the rule.</summary>
    [Parameter]
    public string? Comment { get; set; }

    /// <inheritdoc/>
    protected override string Key => Name;

    /// <inheritdoc/>
    protected override string What => "firewall rule";

    /// <inheritdoc/>
    protected override FirewallRule? Find(RouterDocument document, string key) => document.FirewallRules.FirstOrDefault(r => r.Name == key);

    /// <summary>The rule after applying the bound parameters to <paramref name="current"/>.</summary>
    protected FirewallRule Apply(FirewallRule current)
    {
        if (!Names.IsValidResourceName(Name))
        {
            throw Invalid(nameof(Name), Name, "a name starts with a letter or digit, then letters, digits, '.', '_' or '-'.");
        }

        string? protocol = null;
        if (Protocol is not null && !ValueText.TryParseProtocol(Protocol, out protocol))
        {
            throw Invalid(nameof(Protocol), Protocol, $"one of {string.Join(", ", ValueText.ProtocolNames)}, or a number 0-255.");
        }

        RateLimit? limit = current.Limit;
        if (Limit is not null)
        {
            RateLimit parsed = ValueText.TryParseRate(Limit, out RateLimit? rate) ? rate : throw Invalid(nameof(Limit), Limit, "a rate such as 10/second.");
            limit = (limit ?? parsed) with { Count = parsed.Count, Unit = parsed.Unit };
        }

        if (limit is null && (IsBound(nameof(LimitBurst)) || IsBound(nameof(LimitOver)) || IsBound(nameof(LimitPerSource))))
        {
            throw Invalid(nameof(LimitBurst), Name, "-LimitBurst, -LimitOver and -LimitPerSource refine a rate; give one with -Limit.");
        }

        if (limit is not null)
        {
            limit = limit with
            {
                Burst = Pick(nameof(LimitBurst), (int?)LimitBurst, limit.Burst),
                Over = Pick(nameof(LimitOver), LimitOver.IsPresent, limit.Over),
                PerSource = Pick(nameof(LimitPerSource), LimitPerSource.IsPresent, limit.PerSource),
            };
        }

        bool jumping = IsBound(nameof(Jump));
        bool acting = IsBound(nameof(Action));
        return current with
        {
            Chain = Chain ?? current.Chain,
            Family = Pick(nameof(Family), (FirewallFamily?)Family, current.Family),
            InputInterface = Pick(nameof(InputInterface), InputInterface, current.InputInterface),
            OutputInterface = Pick(nameof(OutputInterface), OutputInterface, current.OutputInterface),
            Protocol = Pick(nameof(Protocol), protocol, current.Protocol),
            SourcePorts = Pick(nameof(SourcePort), SourcePort is null ? current.SourcePorts : Ports(nameof(SourcePort), SourcePort), current.SourcePorts, ValueList<PortRange>.Empty),
            DestinationPorts = Pick(nameof(DestinationPort), DestinationPort is null ? current.DestinationPorts : Ports(nameof(DestinationPort), DestinationPort), current.DestinationPorts, ValueList<PortRange>.Empty),
            IcmpTypes = Pick(nameof(IcmpType), IcmpType is null ? current.IcmpTypes : IcmpTypes(nameof(IcmpType), IcmpType, v6: false), current.IcmpTypes, ValueList<int>.Empty),
            Icmpv6Types = Pick(nameof(Icmpv6Type), Icmpv6Type is null ? current.Icmpv6Types : IcmpTypes(nameof(Icmpv6Type), Icmpv6Type, v6: true), current.Icmpv6Types, ValueList<int>.Empty),
            Source = Pick(nameof(Source), Source, current.Source),
            Destination = Pick(nameof(Destination), Destination, current.Destination),
            ConnectionStates = Pick(nameof(ConnectionState), ValueList<ConnectionState>.From(ConnectionState), current.ConnectionStates, ValueList<ConnectionState>.Empty),
            TcpFlags = Pick(nameof(TcpFlagMask), TcpFlags(current.TcpFlags), TcpFlags(current.TcpFlags)),
            Limit = Pick(nameof(Limit), limit, limit),
            Log = Pick(nameof(LogPrefix), LogPrefix is null ? current.Log : new LogAction(LogPrefix), current.Log),
            Action = Pick(nameof(Action), (RuleVerdict?)Action, jumping ? null : current.Action),
            Jump = Pick(nameof(Jump), Jump, acting ? null : current.Jump),
            Comment = Pick(nameof(Comment), Comment, current.Comment),
        };
    }

    private TcpFlagsMatch? TcpFlags(TcpFlagsMatch? current)
    {
        if (TcpFlagMask is not null)
        {
            return new TcpFlagsMatch(ValueList<TcpFlag>.From(TcpFlagMask), TcpFlagSet is null ? current?.Set ?? [] : ValueList<TcpFlag>.From(TcpFlagSet));
        }

        if (TcpFlagSet is null)
        {
            return current;
        }

        return current is not null
            ? current with { Set = ValueList<TcpFlag>.From(TcpFlagSet) }
            : throw Invalid(nameof(TcpFlagSet), string.Join(",", TcpFlagSet), "say which flags to look at with -TcpFlagMask.");
    }

    private ValueList<PortRange> Ports(string parameter, string[] values) =>
        ValueList<PortRange>.From(values.Select(v => ValueText.TryParsePort(v, out PortRange? p) ? p : throw Invalid(parameter, v, "a port 0-65535 or a range such as 1024-65535.")));

    private ValueList<int> IcmpTypes(string parameter, string[] values, bool v6) =>
        ValueList<int>.From(values.Select(v => IcmpTypeNames.Parse(v, v6) ?? throw Invalid(parameter, v, $"a type number 0-255 or a name such as {(v6 ? "nd-router-advert" : "echo-request")}.")));
}
