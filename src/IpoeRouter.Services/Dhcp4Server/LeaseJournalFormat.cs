using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Services.Dhcp4Server;

/// <summary>A lease journal that cannot be read: names the file and the 1-based line that is damaged.</summary>
/// <param name="message">What is wrong, prefixed with <c>file:line:</c>.</param>
/// <param name="path">The journal file.</param>
/// <param name="line">The damaged line, counting from 1.</param>
/// <param name="inner">The parse error, if any.</param>
public sealed class LeaseJournalException(string message, string path, int line, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The journal file.</summary>
    public string Path { get; } = path;

    /// <summary>The damaged line, counting from 1.</summary>
    public int Line { get; } = line;
}

/// <summary>
/// One journal line: <c>{"address":"192.0.2.10","lease":{...}}</c>, or <c>"lease":null</c> for a removal.
/// The lease holds its address, the client key and hardware address as lower-case hex (no colons),
/// the host name, the state in lower case and the expiry as an ISO-8601 UTC instant.
/// </summary>
internal static class LeaseJournalFormat
{
    private static readonly Dictionary<string, Dhcp4LeaseState> s_states =
        Enum.GetValues<Dhcp4LeaseState>().ToDictionary(s => Name(s), s => s, StringComparer.Ordinal);

    /// <summary>Writes <paramref name="change"/> as one line, newline included.</summary>
    public static void WriteLine(Stream to, Dhcp4LeaseChange change)
    {
        JsonSerializer.Serialize(to, ToDto(change), LeaseJournalJson.Default.LineDto);
        to.WriteByte((byte)'\n');
    }

    /// <summary>Reads one line (without its newline); throws <see cref="JsonException"/> or <see cref="FormatException"/> when it is damaged.</summary>
    public static Dhcp4LeaseChange ReadLine(ReadOnlySpan<byte> line)
    {
        LineDto dto = JsonSerializer.Deserialize(line, LeaseJournalJson.Default.LineDto)
            ?? throw new FormatException("the line is null");
        IPAddress address = IPAddress.Parse(dto.Address);
        if (dto.Lease is not { } l)
        {
            return new Dhcp4LeaseChange(address, null);
        }

        var lease = new Dhcp4Lease(
            IPAddress.Parse(l.Address),
            l.ClientKey is { } key ? new Dhcp4ClientKey(new ByteString(Convert.FromHexString(key))) : null,
            new ByteString(Convert.FromHexString(l.HardwareAddress)),
            l.HostName,
            s_states.TryGetValue(l.State, out Dhcp4LeaseState state) ? state : throw new FormatException($"unknown lease state '{l.State}'"),
            l.Expiry.Kind == DateTimeKind.Utc ? new DateTimeOffset(l.Expiry) : throw new FormatException($"expiry '{l.Expiry:O}' is not UTC (it must end in Z)"));
        if (!lease.Address.Equals(address))
        {
            throw new FormatException($"the line is for {address} but its lease is for {lease.Address}");
        }

        return new Dhcp4LeaseChange(address, lease);
    }

    private static LineDto ToDto(Dhcp4LeaseChange c) => new(
        c.Address.ToString(),
        c.Lease is not { } l ? null : new LeaseDto(
            l.Address.ToString(),
            l.ClientKey is { } key ? Convert.ToHexStringLower(key.Bytes.Span) : null,
            Convert.ToHexStringLower(l.HardwareAddress.Span),
            l.HostName,
            Name(l.State),
            l.Expiry.UtcDateTime));

    private static string Name(Dhcp4LeaseState state) => state.ToString().ToLowerInvariant();

    internal sealed record LineDto(string Address, LeaseDto? Lease);

    /// <summary>The lease; <see cref="Expiry"/> is a UTC <see cref="DateTime"/> so it is written with a trailing <c>Z</c>.</summary>
    internal sealed record LeaseDto(string Address, string? ClientKey, string HardwareAddress, string? HostName, string State, DateTime Expiry);
}

/// <summary>Source-generated JSON for the lease journal (no reflection: the agent is published with NativeAOT). One line per object, so not indented.</summary>
[JsonSourceGenerationOptions(WriteIndented = false, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(LeaseJournalFormat.LineDto))]
internal sealed partial class LeaseJournalJson : JsonSerializerContext;
