using System.Net;
using IpoeRouter.Protocols.Dhcp6;

namespace IpoeRouter.Services.Dhcp6InfoServer;

/// <summary>What the stateless DHCPv6 server hands out on one LAN.</summary>
public sealed record InfoServerConfig(Duid ServerId, IReadOnlyList<IPAddress> DnsServers, IReadOnlyList<string> DomainList, TimeSpan InformationRefresh);

/// <summary>
/// The stateless DHCPv6 server's decision (RFC 8415 §18.3.6, RFC 3646): an Information-Request gets a
/// Reply with our server id, the client's id echoed, and DNS servers and domain list (when asked for
/// in the ORO, or always when there is no ORO). Pure: request in, reply (or null: ignore) out.
/// </summary>
public static class InfoServer
{
    /// <summary>OPTION_INFORMATION_REFRESH_TIME (RFC 8415 §21.23).</summary>
    public const ushort InformationRefreshTime = 32;

    /// <summary>The reply to <paramref name="request"/>, or null when it is not ours to answer.</summary>
    public static Dhcp6Message? Answer(Dhcp6Message request, InfoServerConfig config)
    {
        if (request.Type != Dhcp6MessageType.InformationRequest)
        {
            return null; // a stateless server answers nothing else
        }

        // RFC 8415 §16.12: an Information-Request that names another server, or asks for leases, is discarded.
        if (request.Find<ServerIdOption>() is { } named && !named.Duid.Equals(config.ServerId))
        {
            return null;
        }

        if (request.Options.Any(o => o is IaPdOption || o.Code is 3 or 4))
        {
            return null;
        }

        IReadOnlyList<ushort>? asked = request.Find<OroOption>()?.Codes;
        bool Wants(ushort code) => asked is null || asked.Contains(code);
        var options = new List<Dhcp6Option> { new ServerIdOption(config.ServerId) };
        if (request.Find<ClientIdOption>() is { } client)
        {
            options.Add(client);
        }

        if (Wants(Dhcp6OptionCode.DnsServers) && config.DnsServers.Count > 0)
        {
            options.Add(new DnsServersOption(config.DnsServers));
        }

        if (Wants(Dhcp6OptionCode.DomainList) && config.DomainList.Count > 0)
        {
            options.Add(new DomainListOption(config.DomainList));
        }

        byte[] refresh = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(refresh, (uint)config.InformationRefresh.TotalSeconds);
        options.Add(new RawOption(InformationRefreshTime, new Protocols.Wire.ByteString(refresh)));
        return new Dhcp6Message(Dhcp6MessageType.Reply, request.TransactionId, options);
    }
}
