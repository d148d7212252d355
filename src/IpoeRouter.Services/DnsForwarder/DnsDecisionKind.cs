namespace IpoeRouter.Services.DnsForwarder;

/// <summary>The kinds of <see cref="DnsDecision"/>.</summary>
public enum DnsDecisionKind
{
    /// <summary>Answered here (local names, cache, or an error).</summary>
    Answer,

    /// <summary>Needs an upstream.</summary>
    Forward,

    /// <summary>Not answered.</summary>
    Drop,
}
