using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IpoeRouter.Services.Dhcp4Client;

/// <summary>A DHCPv4 lease file that cannot be read, with the file and what is wrong.</summary>
public sealed class Dhcp4LeaseFileException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The DHCPv4 client's lease file: one JSON object with the lease, addresses as text, times as
/// absolute UTC instants and durations in seconds (null = infinite). A restart reads it and confirms
/// the address with INIT-REBOOT while the lease is valid. Only the format lives here; the agent writes
/// the bytes with the engine's atomic file replace and deletes the file when the lease is gone.
/// </summary>
public static class Dhcp4ClientLeaseFile
{
    /// <summary>The lease as the file's bytes.</summary>
    public static byte[] Serialize(Dhcp4Lease lease) =>
        JsonSerializer.SerializeToUtf8Bytes(ToDto(lease), Dhcp4LeaseJson.Default.LeaseDto);

    /// <summary>Reads a lease; a damaged one throws <see cref="Dhcp4LeaseFileException"/> naming <paramref name="source"/> and, for JSON errors, line:column.</summary>
    public static Dhcp4Lease Deserialize(ReadOnlySpan<byte> json, string source)
    {
        try
        {
            LeaseDto dto = JsonSerializer.Deserialize(json, Dhcp4LeaseJson.Default.LeaseDto)
                ?? throw new Dhcp4LeaseFileException($"{source}: empty lease record");
            return FromDto(dto);
        }
        catch (JsonException e)
        {
            throw new Dhcp4LeaseFileException($"{source}:{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}: the lease file is not valid: {e.Message}", e);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new Dhcp4LeaseFileException($"{source}: the lease file holds a bad value: {e.Message}", e);
        }
    }

    private static LeaseDto ToDto(Dhcp4Lease l) => new(
        $"{l.Address}/{l.PrefixLength}",
        l.ServerId.ToString(),
        l.Routers.Select(a => a.ToString()).ToList(),
        l.DnsServers.Select(a => a.ToString()).ToList(),
        l.DomainName,
        Seconds(l.LeaseTime),
        Seconds(l.T1),
        Seconds(l.T2),
        l.Acquired);

    private static Dhcp4Lease FromDto(LeaseDto d)
    {
        int slash = d.Address.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !byte.TryParse(d.Address.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out byte length) || length > 32)
        {
            throw new FormatException($"address '{d.Address}' is not ADDRESS/LENGTH with a length of 0 to 32");
        }

        return new Dhcp4Lease(
            V4(d.Address[..slash]),
            length,
            V4(d.ServerId),
            d.Routers.Select(V4).ToList(),
            d.DnsServers.Select(V4).ToList(),
            d.DomainName,
            Span(d.LeaseTime),
            Span(d.T1),
            Span(d.T2),
            d.Acquired);
    }

    private static IPAddress V4(string text)
    {
        IPAddress a = IPAddress.Parse(text);
        return a.AddressFamily == AddressFamily.InterNetwork ? a : throw new FormatException($"'{text}' is not an IPv4 address");
    }

    private static long? Seconds(TimeSpan t) => t == TimeSpan.MaxValue ? null : (long)t.TotalSeconds;

    private static TimeSpan Span(long? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s) : TimeSpan.MaxValue;

    internal sealed record LeaseDto(string Address, string ServerId, List<string> Routers, List<string> DnsServers, string? DomainName, long? LeaseTime, long? T1, long? T2, DateTimeOffset Acquired);
}

/// <summary>Source-generated JSON for the DHCPv4 lease file (no reflection: the agent is published with NativeAOT).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(Dhcp4ClientLeaseFile.LeaseDto))]
internal sealed partial class Dhcp4LeaseJson : JsonSerializerContext;
