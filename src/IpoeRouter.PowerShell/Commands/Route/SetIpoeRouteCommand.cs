using System.Management.Automation;
using System.Net;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Commands.Transformation;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Declares a static route or changes it; <c>-Absent</c> asks for the route not to exist.</summary>
/// <example>
/// <code>Set-IpoeRoute -Destination 198.51.100.0/24 -Gateway 192.168.1.254 -Interface enp2s0</code>
/// <para>Routes 198.51.100.0/24 through a gateway on the LAN.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "IpoeRoute", SupportsShouldProcess = true)]
[OutputType(typeof(Route))]
public sealed class SetIpoeRouteCommand : ClearableSetCmdlet<Route>
{
    /// <summary>The destination prefix, e.g. <c>192.0.2.0/24</c>.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [RouteDestinationTransformation]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = string.Empty;

    /// <summary>The next hop.</summary>
    [Parameter]
    public IPAddress? Gateway { get; set; }

    /// <summary>The outgoing interface or tunnel.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(InterfaceNameCompleter))]
    public string? Interface { get; set; }

    /// <summary>The metric.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Metric { get; set; }

    /// <summary>The route must not exist.</summary>
    [Parameter]
    public SwitchParameter Absent { get; set; }

    /// <inheritdoc/>
    protected override string Key => Normalize(Destination);

    /// <summary>The canonical text of a destination (<c>2001:0db8::/32</c> → <c>2001:db8::/32</c>); other text unchanged.</summary>
    internal static string Normalize(string destination) =>
        PrefixMath.TryParsePrefix(destination, out IPNetwork p) ? PrefixMath.Format(p) : destination;

    /// <inheritdoc/>
    protected override string What => "route to";

    /// <inheritdoc/>
    protected override Route? Find(RouterDocument document, string key) => document.Routes.FirstOrDefault(r => r.Key == key);

    /// <inheritdoc/>
    protected override RouterDocument With(RouterDocument document, Route item) => document.WithRoute(item);

    /// <inheritdoc/>
    protected override Route Build(Route? existing, RouterDocument document)
    {
        if (!PrefixMath.TryParsePrefix(Destination, out IPNetwork destination))
        {
            throw Invalid(nameof(Destination), Destination, "a prefix in CIDR form with no host bits, such as 192.0.2.0/24 or 0.0.0.0/0.");
        }

        if (Gateway is not null && Gateway.AddressFamily != destination.BaseAddress.AddressFamily)
        {
            throw Invalid(nameof(Gateway), Gateway.ToString(), "the gateway must be of the destination's address family.");
        }

        Route current = existing ?? new Route(destination);
        return current with
        {
            Gateway = Pick(nameof(Gateway), Gateway, current.Gateway),
            Interface = Pick(nameof(Interface), Interface, current.Interface),
            Metric = Pick(nameof(Metric), (int?)Metric, current.Metric),
            Exist = Pick(nameof(Absent), !Absent.IsPresent, current.Exist),
        };
    }
}
