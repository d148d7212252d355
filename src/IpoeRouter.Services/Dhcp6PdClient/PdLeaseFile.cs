using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using IpoeRouter.Protocols.Dhcp6;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Services.Dhcp6PdClient;

/// <summary>What the PD client keeps across restarts: its DUID (so the server recognises it) and its lease.</summary>
public sealed record PdClientRecord(Duid ClientId, PdLease? Lease);

/// <summary>A lease file that cannot be read, with the file and what is wrong.</summary>
public sealed class PdLeaseFileException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The lease file's format: one JSON object holding the client's DUID (hex of its wire form) and the
/// lease, times as absolute UTC instants and lifetimes in seconds (null = infinite). Only the format
/// lives here; the agent writes the bytes with the engine's atomic file replace (temp, fsync, rename,
/// directory fsync), so a crash leaves the old record or the new one, never a torn file.
/// </summary>
public static class PdLeaseFile
{
    /// <summary>The record as the file's bytes.</summary>
    public static byte[] Serialize(PdClientRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(ToDto(record), PdLeaseJson.Default.RecordDto);

    /// <summary>Reads a record; a damaged one throws <see cref="PdLeaseFileException"/> naming <paramref name="source"/> and, for JSON errors, line:column.</summary>
    public static PdClientRecord Deserialize(ReadOnlySpan<byte> json, string source)
    {
        try
        {
            RecordDto dto = JsonSerializer.Deserialize(json, PdLeaseJson.Default.RecordDto)
                ?? throw new PdLeaseFileException($"{source}: empty lease record");
            return FromDto(dto);
        }
        catch (JsonException e)
        {
            throw new PdLeaseFileException($"{source}:{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}: the lease file is not valid: {e.Message}", e);
        }
        catch (Exception e) when (e is FormatException or WireFormatException or ArgumentException)
        {
            throw new PdLeaseFileException($"{source}: the lease file holds a bad value: {e.Message}", e);
        }
    }

    private static RecordDto ToDto(PdClientRecord r) => new(
        Hex(r.ClientId),
        r.Lease is not { } l ? null : new LeaseDto(
            Hex(l.ServerId),
            Seconds(l.T1),
            Seconds(l.T2),
            l.Since,
            l.Prefixes.Select(p => new PrefixDto($"{p.Prefix}/{p.Length}", Seconds(p.Preferred), Seconds(p.Valid), p.Since)).ToList(),
            l.DnsServers.Select(a => a.ToString()).ToList(),
            l.AftrName));

    private static PdClientRecord FromDto(RecordDto d) => new(
        ParseDuid(d.ClientId),
        d.Lease is not { } l ? null : new PdLease(
            ParseDuid(l.ServerId),
            Span(l.T1),
            Span(l.T2),
            l.Since,
            l.Prefixes.Select(p =>
            {
                IPNetwork net = IPNetwork.Parse(p.Prefix);
                return new LeasedPrefix(net.BaseAddress, (byte)net.PrefixLength, Span(p.Preferred), Span(p.Valid), p.Since);
            }).ToList(),
            l.DnsServers.Select(IPAddress.Parse).ToList(),
            l.AftrName));

    private static string Hex(Duid duid) => Convert.ToHexStringLower(duid.ToArray());

    private static Duid ParseDuid(string hex)
    {
        var r = new WireReader(Convert.FromHexString(hex));
        return Duid.Parse(ref r);
    }

    private static long? Seconds(TimeSpan t) => t == TimeSpan.MaxValue ? null : (long)t.TotalSeconds;

    private static TimeSpan Span(long? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s) : TimeSpan.MaxValue;

    internal sealed record RecordDto(string ClientId, LeaseDto? Lease);

    internal sealed record LeaseDto(string ServerId, long? T1, long? T2, DateTimeOffset Since, List<PrefixDto> Prefixes, List<string> DnsServers, string? AftrName);

    internal sealed record PrefixDto(string Prefix, long? Preferred, long? Valid, DateTimeOffset Since);
}

/// <summary>Source-generated JSON for the lease file (no reflection: the agent is published with NativeAOT).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(PdLeaseFile.RecordDto))]
internal sealed partial class PdLeaseJson : JsonSerializerContext;
