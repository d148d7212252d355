namespace IpoeRouter.Model;

/// <summary>
/// The policies of the base chains (YAML <c>firewall</c>). Undeclared policies take the safe
/// defaults: input and forward drop, output accept.
/// </summary>
public sealed record FirewallPolicy
{
    /// <summary>Policy of the input chain.</summary>
    public ChainPolicy? Input { get; init; }

    /// <summary>Policy of the forward chain.</summary>
    public ChainPolicy? Forward { get; init; }

    /// <summary>Policy of the output chain.</summary>
    public ChainPolicy? Output { get; init; }

    /// <summary>Clamp TCP MSS to the route MTU on traffic through tunnels (null: yes).</summary>
    public bool? ClampMss { get; init; }
}
