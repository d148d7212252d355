using System.Buffers.Binary;
using System.Net;
using IpoeRouter.Protocols.Dhcp4;

namespace IpoeRouter.Services.Dhcp4Client;

/// <summary>The messages the client builds and the lease it reads out of an ACK.</summary>
public sealed partial class Dhcp4Client
{
    private Dhcp4Message Build(Dhcp4MessageType type, DateTimeOffset now, bool broadcast, IPAddress clientAddress, List<Dhcp4Option> specific, bool requestList)
    {
        var options = new List<Dhcp4Option>
        {
            new MessageTypeOption(type),
            new ClientIdentifierOption(ClientIdentifierOption.Ethernet, config.HardwareAddress),
        };
        options.AddRange(specific);
        bool ending = type is Dhcp4MessageType.Release or Dhcp4MessageType.Decline; // RFC 2131 table 5: no host name, no request list
        if (config.HostName is { Length: > 0 } name && !ending)
        {
            options.Add(new HostNameOption(name));
        }

        if (requestList)
        {
            options.Add(new ParameterRequestListOption(Dhcp4ClientConfig.RequestedOptions));
        }

        double seconds = ending ? 0 : (now - _exchangeStart).TotalSeconds;
        return new Dhcp4Message
        {
            Op = Dhcp4OpCode.BootRequest,
            TransactionId = _xid,
            Seconds = (ushort)Math.Clamp(seconds, 0, ushort.MaxValue),
            Flags = broadcast ? Dhcp4Flags.Broadcast : Dhcp4Flags.None,
            ClientAddress = clientAddress,
            HardwareAddress = config.HardwareAddress,
            Options = options,
        };
    }

    /// <summary>
    /// The lease an ACK grants, or null when it lacks what a lease needs (RFC 2131 §4.3.1: yiaddr,
    /// option 51, option 54). T1/T2 default to 0.5 and 0.875 of the lease (§4.4.5) unless the server
    /// sent a consistent pair. Options the ACK leaves out keep their values from <paramref name="previous"/>
    /// for the same address.
    /// </summary>
    private Dhcp4Lease? LeaseFrom(Dhcp4Message ack, Dhcp4Lease? previous)
    {
        IPAddress? server = ack.Find<ServerIdentifierOption>()?.Address ?? previous?.ServerId;
        if (ack.YourAddress.Equals(IPAddress.Any) || ack.Find<LeaseTimeOption>() is not { } leaseTime || server is null)
        {
            return null;
        }

        if (previous is not null && !previous.Address.Equals(ack.YourAddress))
        {
            previous = null;
        }

        TimeSpan duration = Dhcp4Lease.FromWire(leaseTime.Seconds);
        TimeSpan t1 = duration == TimeSpan.MaxValue ? TimeSpan.MaxValue : duration * 0.5;
        TimeSpan t2 = duration == TimeSpan.MaxValue ? TimeSpan.MaxValue : duration * 0.875;
        if (ack.Find<RenewalTimeOption>() is { } r1 && ack.Find<RebindingTimeOption>() is { } r2
            && Dhcp4Lease.FromWire(r1.Seconds) is var s1 && Dhcp4Lease.FromWire(r2.Seconds) is var s2
            && s1 <= s2 && s2 <= duration)
        {
            (t1, t2) = (s1, s2);
        }
        else if (ack.Find<RenewalTimeOption>() is { } only && Dhcp4Lease.FromWire(only.Seconds) is var o && o <= t2)
        {
            t1 = o;
        }

        return new Dhcp4Lease(
            ack.YourAddress,
            PrefixLength(ack.Find<SubnetMaskOption>()?.Mask, ack.YourAddress),
            server,
            ack.Find<RouterOption>()?.Routers ?? previous?.Routers ?? [],
            ack.Find<DomainNameServerOption>()?.Servers ?? previous?.DnsServers ?? [],
            ack.Find<DomainNameOption>()?.Name.TrimEnd('\0') ?? previous?.DomainName,
            duration,
            t1,
            t2,
            _requestSentAt);
    }

    /// <summary>The mask's length; a missing or non-contiguous mask falls back to the address's class (RFC 1122 §3.3.1.1 hosts without a mask), as other clients do.</summary>
    private static byte PrefixLength(IPAddress? mask, IPAddress address)
    {
        if (mask is not null)
        {
            uint m = BinaryPrimitives.ReadUInt32BigEndian(mask.GetAddressBytes());
            int ones = System.Numerics.BitOperations.LeadingZeroCount(~m);
            if (ones == 32 || m << ones == 0)
            {
                return (byte)ones;
            }
        }

        byte first = address.GetAddressBytes()[0];
        return first < 128 ? (byte)8 : first < 192 ? (byte)16 : (byte)24;
    }

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;
}
