using System.Net;
using System.Text;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Dhcp6;

/// <summary>
/// Walks DHCPv6 options with bounds checks (the odhcp6c iterator, in C#) and decodes the ones this
/// build knows; any other code is kept raw. Every error names the field and its offset in the packet.
/// </summary>
public static class Dhcp6OptionParser
{
    /// <summary>Reads options until <paramref name="r"/> is exhausted.</summary>
    public static List<Dhcp6Option> ParseAll(ref WireReader r)
    {
        var options = new List<Dhcp6Option>();
        while (!r.End)
        {
            int at = r.Offset;
            ushort code = r.ReadUInt16("option code");
            ushort length = r.ReadUInt16("option length");
            if (length > r.Remaining)
            {
                WireReader.Throw($"option {code}", at, $"length {length} runs past the end ({r.Remaining} byte(s) left)");
            }

            int bodyOffset = r.Offset;
            var body = new WireReader(r.ReadBytes(length, "option body"), bodyOffset);
            options.Add(Parse(code, ref body));
        }

        return options;
    }

    private static Dhcp6Option Parse(ushort code, ref WireReader r)
    {
        Dhcp6Option option = code switch
        {
            Dhcp6OptionCode.ClientId => new ClientIdOption(Duid.Parse(ref r)),
            Dhcp6OptionCode.ServerId => new ServerIdOption(Duid.Parse(ref r)),
            Dhcp6OptionCode.IaPd => ParseIaPd(ref r),
            Dhcp6OptionCode.IaPrefix => ParseIaPrefix(ref r),
            Dhcp6OptionCode.Oro => ParseOro(ref r),
            Dhcp6OptionCode.ElapsedTime => new ElapsedTimeOption(r.ReadUInt16("elapsed time")),
            Dhcp6OptionCode.StatusCode => new StatusCodeOption((Dhcp6Status)r.ReadUInt16("status code"), Encoding.UTF8.GetString(r.ReadRest())),
            Dhcp6OptionCode.Preference => new PreferenceOption(r.ReadByte("preference")),
            Dhcp6OptionCode.RapidCommit => new RapidCommitOption(),
            Dhcp6OptionCode.ReconfigureAccept => new ReconfigureAcceptOption(),
            Dhcp6OptionCode.SolMaxRt => new SolMaxRtOption(r.ReadUInt32("SOL_MAX_RT")),
            Dhcp6OptionCode.DnsServers => ParseDnsServers(ref r),
            Dhcp6OptionCode.DomainList => ParseDomainList(ref r),
            Dhcp6OptionCode.AftrName => new AftrNameOption(DomainName.Read(ref r)),
            _ => new RawOption(code, new ByteString(r.ReadRest().ToArray())),
        };
        r.ExpectEnd($"option {code}");
        return option;
    }

    private static IaPdOption ParseIaPd(ref WireReader r)
    {
        uint iaid = r.ReadUInt32("IA_PD IAID");
        uint t1 = r.ReadUInt32("IA_PD T1");
        uint t2 = r.ReadUInt32("IA_PD T2");
        return new IaPdOption(iaid, t1, t2, ParseAll(ref r));
    }

    private static IaPrefixOption ParseIaPrefix(ref WireReader r)
    {
        uint preferred = r.ReadUInt32("IAPREFIX preferred lifetime");
        uint valid = r.ReadUInt32("IAPREFIX valid lifetime");
        int at = r.Offset;
        byte length = r.ReadByte("IAPREFIX prefix length");
        if (length > 128)
        {
            WireReader.Throw("IAPREFIX prefix length", at, $"{length} is more than 128");
        }

        IPAddress prefix = r.ReadIPv6("IAPREFIX prefix");
        return new IaPrefixOption(preferred, valid, length, prefix, ParseAll(ref r));
    }

    private static OroOption ParseOro(ref WireReader r)
    {
        if (r.Remaining % 2 != 0)
        {
            WireReader.Throw("ORO", r.Offset, $"length {r.Remaining} is odd");
        }

        var codes = new List<ushort>();
        while (!r.End)
        {
            codes.Add(r.ReadUInt16("ORO code"));
        }

        return new OroOption(codes);
    }

    private static DnsServersOption ParseDnsServers(ref WireReader r)
    {
        if (r.Remaining % 16 != 0)
        {
            WireReader.Throw("DNS servers", r.Offset, $"length {r.Remaining} is not a multiple of 16");
        }

        var servers = new List<IPAddress>();
        while (!r.End)
        {
            servers.Add(r.ReadIPv6("DNS server"));
        }

        return new DnsServersOption(servers);
    }

    private static DomainListOption ParseDomainList(ref WireReader r)
    {
        var names = new List<string>();
        while (!r.End)
        {
            names.Add(DomainName.Read(ref r));
        }

        return new DomainListOption(names);
    }
}
