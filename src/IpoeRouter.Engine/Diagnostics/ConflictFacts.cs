using IpoeRouter.Services.Hosting;

namespace IpoeRouter.Engine.Diagnostics;

/// <summary>
/// What a conflict scan saw on the machine, gathered by <see cref="ConflictProbe"/> (or written by a
/// test): the sockets bound to the embedded services' ports, systemd-networkd's state per link, and
/// the known programs that run (systemd-networkd among them when it manages this namespace).
/// </summary>
/// <param name="Sockets">Sockets on the watched ports held by other programs (the scanning process's own are left out).</param>
/// <param name="NetworkdLinks">networkd's state files, by link index.</param>
/// <param name="Programs">Running processes of the programs <see cref="ConflictRemedies.KnownPorts"/> names.</param>
public sealed record ConflictFacts(IReadOnlyList<BoundSocket> Sockets, IReadOnlyList<NetworkdLinkState> NetworkdLinks, IReadOnlyList<RunningProgram> Programs)
{
    /// <summary>Nothing in the way.</summary>
    public static ConflictFacts None { get; } = new([], [], []);

    /// <summary>The systemd-networkd process, or null when it does not run.</summary>
    public RunningProgram? Networkd => Programs.FirstOrDefault(p => p.Name == ConflictRemedies.NetworkdComm);
}
