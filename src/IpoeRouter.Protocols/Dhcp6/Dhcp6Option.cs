using System.Net;
using System.Text;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Dhcp6;

/// <summary>A DHCPv6 option (RFC 8415 §21.1): 16-bit code, 16-bit length, body.</summary>
public abstract record Dhcp6Option
{
    /// <summary>The option code.</summary>
    public abstract ushort Code { get; }

    /// <summary>Writes the body (without code and length).</summary>
    protected abstract void WriteBody(WireWriter w);

    /// <summary>Writes the whole option; the length is back-patched.</summary>
    public void WriteTo(WireWriter w)
    {
        int token = w.BeginOption(Code);
        WriteBody(w);
        w.EndOption(token);
    }

    /// <summary>Writes a list of options.</summary>
    internal static void WriteAll(WireWriter w, IEnumerable<Dhcp6Option> options)
    {
        foreach (Dhcp6Option o in options)
        {
            o.WriteTo(w);
        }
    }
}

/// <summary>An option this build does not interpret (and the S46 containers 94–96), kept byte for byte.</summary>
public sealed record RawOption(ushort RawCode, ByteString Data) : Dhcp6Option
{
    /// <inheritdoc/>
    public override ushort Code => RawCode;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => w.WriteBytes(Data.Span);
}

/// <summary>OPTION_CLIENTID (RFC 8415 §21.2).</summary>
public sealed record ClientIdOption(Duid Duid) : Dhcp6Option
{
    /// <inheritdoc/>
    public override ushort Code => Dhcp6OptionCode.ClientId;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => Duid.WriteTo(w);
}

/// <summary>OPTION_SERVERID (RFC 8415 §21.3).</summary>
public sealed record ServerIdOption(Duid Duid) : Dhcp6Option
{
    /// <inheritdoc/>
    public override ushort Code => Dhcp6OptionCode.ServerId;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => Duid.WriteTo(w);
}

/// <summary>OPTION_IA_PD (RFC 8415 §21.21): IAID, T1, T2, and IAPREFIX/STATUS_CODE options.</summary>
public sealed record IaPdOption(uint Iaid, uint T1, uint T2, IReadOnlyList<Dhcp6Option> Options) : Dhcp6Option
{
    /// <inheritdoc/>
    public override ushort Code => Dhcp6OptionCode.IaPd;

    /// <summary>The delegated prefixes (some may carry lifetimes 0: being withdrawn).</summary>
    public IEnumerable<IaPrefixOption> Prefixes => Options.OfType<IaPrefixOption>();

    /// <summary>The IA's status, when the server gave one.</summary>
    public StatusCodeOption? Status => Options.OfType<StatusCodeOption>().FirstOrDefault();

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w)
    {
        w.WriteUInt32(Iaid);
        w.WriteUInt32(T1);
        w.WriteUInt32(T2);
        WriteAll(w, Options);
    }
}

/// <summary>OPTION_IAPREFIX (RFC 8415 §21.22): preferred and valid lifetime, prefix length, prefix, options.</summary>
public sealed record IaPrefixOption(uint PreferredLifetime, uint ValidLifetime, byte PrefixLength, IPAddress Prefix, IReadOnlyList<Dhcp6Option> Options) : Dhcp6Option
{
    /// <summary>The fixed part: 4 + 4 + 1 + 16.</summary>
    public const int FixedLength = 25;

    /// <inheritdoc/>
    public override ushort Code => Dhcp6OptionCode.IaPrefix;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w)
    {
        w.WriteUInt32(PreferredLifetime);
        w.WriteUInt32(ValidLifetime);
        w.WriteByte(PrefixLength);
        w.WriteIPv6(Prefix);
        WriteAll(w, Options);
    }
}

/// <summary>OPTION_ORO (RFC 8415 §21.7): the options a client asks for.</summary>
public sealed record OroOption(IReadOnlyList<ushort> Codes) : Dhcp6Option
{
    /// <inheritdoc/>
    public override ushort Code => Dhcp6OptionCode.Oro;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w)
    {
        foreach (ushort c in Codes)
        {
            w.WriteUInt16(c);
        }
    }
}

/// <summary>OPTION_ELAPSED_TIME (RFC 8415 §21.9), in hundredths of a second.</summary>
public sealed record ElapsedTimeOption(ushort Hundredths) : Dhcp6Option
{
    /// <inheritdoc/>
    public override ushort Code => Dhcp6OptionCode.ElapsedTime;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => w.WriteUInt16(Hundredths);
}

/// <summary>OPTION_STATUS_CODE (RFC 8415 §21.13): code and a UTF-8 message.</summary>
public sealed record StatusCodeOption(Dhcp6Status Status, string Message) : Dhcp6Option
{
    /// <inheritdoc/>
    public override ushort Code => Dhcp6OptionCode.StatusCode;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w)
    {
        w.WriteUInt16((ushort)Status);
        w.WriteBytes(Encoding.UTF8.GetBytes(Message));
    }
}

/// <summary>OPTION_PREFERENCE (RFC 8415 §21.8).</summary>
public sealed record PreferenceOption(byte Value) : Dhcp6Option
{
    /// <inheritdoc/>
    public override ushort Code => Dhcp6OptionCode.Preference;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => w.WriteByte(Value);
}

/// <summary>OPTION_RAPID_COMMIT (RFC 8415 §21.14), empty.</summary>
public sealed record RapidCommitOption : Dhcp6Option
{
    /// <inheritdoc/>
    public override ushort Code => Dhcp6OptionCode.RapidCommit;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w)
    {
    }
}

/// <summary>OPTION_RECONF_ACCEPT (RFC 8415 §21.20), empty.</summary>
public sealed record ReconfigureAcceptOption : Dhcp6Option
{
    /// <inheritdoc/>
    public override ushort Code => Dhcp6OptionCode.ReconfigureAccept;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w)
    {
    }
}

/// <summary>OPTION_SOL_MAX_RT (RFC 8415 §21.24): the server's cap on Solicit retransmission, seconds.</summary>
public sealed record SolMaxRtOption(uint Seconds) : Dhcp6Option
{
    /// <inheritdoc/>
    public override ushort Code => Dhcp6OptionCode.SolMaxRt;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => w.WriteUInt32(Seconds);
}

/// <summary>OPTION_DNS_SERVERS (RFC 3646 §3): IPv6 addresses of recursive name servers.</summary>
public sealed record DnsServersOption(IReadOnlyList<IPAddress> Servers) : Dhcp6Option
{
    /// <inheritdoc/>
    public override ushort Code => Dhcp6OptionCode.DnsServers;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w)
    {
        foreach (IPAddress a in Servers)
        {
            w.WriteIPv6(a);
        }
    }
}

/// <summary>OPTION_DOMAIN_LIST (RFC 3646 §4): search domains in DNS wire format, uncompressed.</summary>
public sealed record DomainListOption(IReadOnlyList<string> Domains) : Dhcp6Option
{
    /// <inheritdoc/>
    public override ushort Code => Dhcp6OptionCode.DomainList;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w)
    {
        foreach (string d in Domains)
        {
            DomainName.Write(w, d);
        }
    }
}

/// <summary>OPTION_AFTR_NAME (RFC 6334 §3): the DS-Lite AFTR's FQDN.</summary>
public sealed record AftrNameOption(string Fqdn) : Dhcp6Option
{
    /// <inheritdoc/>
    public override ushort Code => Dhcp6OptionCode.AftrName;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => DomainName.Write(w, Fqdn);
}
