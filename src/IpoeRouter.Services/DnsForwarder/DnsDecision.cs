using IpoeRouter.Protocols.Dns;

namespace IpoeRouter.Services.DnsForwarder;

/// <summary>What to do with one query: answer with <see cref="Response"/>, forward it upstream, or drop it.</summary>
public sealed record DnsDecision(DnsDecisionKind Kind, DnsMessage? Response)
{
    /// <summary>Forward the query upstream.</summary>
    public static DnsDecision Forward { get; } = new(DnsDecisionKind.Forward, null);

    /// <summary>Send nothing (a response, or garbage, arrived on the query port).</summary>
    public static DnsDecision Drop { get; } = new(DnsDecisionKind.Drop, null);

    /// <summary>Answer with <paramref name="response"/>.</summary>
    public static DnsDecision Answer(DnsMessage response) => new(DnsDecisionKind.Answer, response);
}
