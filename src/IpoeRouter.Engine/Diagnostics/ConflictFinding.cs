namespace IpoeRouter.Engine.Diagnostics;

/// <summary>
/// One thing on the machine that gets in the router's way: which check found it (a
/// <see cref="ConflictChecks"/> id), how much it matters, the program responsible (its process
/// name and pid, when they could be read), what was seen, and what to do about it.
/// </summary>
/// <param name="Check">The check's stable id, e.g. <see cref="ConflictChecks.PortHeld"/>.</param>
/// <param name="Severity">Fail when it breaks what the document needs, else Warning.</param>
/// <param name="Holder">The program (<c>/proc/PID/comm</c>, e.g. <c>dnsmasq</c>), or null when it could not be read.</param>
/// <param name="Pid">Its process id, or null when it could not be read.</param>
/// <param name="Evidence">What was seen, e.g. <c>udp 0.0.0.0:53 is bound (uid 0)</c>.</param>
/// <param name="Remedy">What to do, naming the file or command.</param>
public sealed record ConflictFinding(string Check, ConflictSeverity Severity, string? Holder, int? Pid, string Evidence, string Remedy)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Severity} {Check}: {Evidence}{(Holder is null ? "" : $", by {Holder}{(Pid is { } p ? $" (pid {p})" : "")}")}. {Remedy}";
}
