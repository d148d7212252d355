using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using IpoeRouter.Protocols.Dns;

namespace IpoeRouter.Services.Tests;

/// <summary>
/// A DNS server of the test's own on a loopback address, UDP and TCP on one port: the test's
/// handler decides every reply, also bogus ones (a wrong ID, from another port or address). It
/// records each query's ID and source port. Disposing closes the sockets, which ends its threads.
/// </summary>
internal sealed class LoopbackDnsServer : IDisposable
{
    private readonly Socket _udp, _tcp;
    private readonly Func<DnsMessage, bool, IEnumerable<Reply>> _handler;
    private readonly List<(ushort Id, int SourcePort, bool Tcp)> _queries = [];

    private LoopbackDnsServer(IPAddress address, int port, Func<DnsMessage, bool, IEnumerable<Reply>> handler)
    {
        _handler = handler;
        Address = address;
        _udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _udp.Bind(new IPEndPoint(address, port));
            _tcp.Bind(new IPEndPoint(address, ((IPEndPoint)_udp.LocalEndPoint!).Port));
            _tcp.Listen(4);
        }
        catch
        {
            Dispose();
            throw;
        }

        new Thread(ServeUdp) { IsBackground = true, Name = $"dns {address} udp" }.Start();
        new Thread(ServeTcp) { IsBackground = true, Name = $"dns {address} tcp" }.Start();
    }

    /// <summary>Where a reply is sent from.</summary>
    public enum From
    {
        /// <summary>The server's own address and port.</summary>
        Self,

        /// <summary>The server's address, another port.</summary>
        OtherPort,

        /// <summary>Another loopback address (127.0.0.250), the server's port.</summary>
        OtherAddress,
    }

    public IPAddress Address { get; }

    public int Port => ((IPEndPoint)_udp.LocalEndPoint!).Port;

    /// <summary>The queries seen so far: ID, source port, and whether over TCP.</summary>
    public IReadOnlyList<(ushort Id, int SourcePort, bool Tcp)> Queries
    {
        get
        {
            lock (_queries)
            {
                return [.. _queries];
            }
        }
    }

    /// <summary>
    /// One server per handler on 127.0.0.1, 127.0.0.2, … with one port for all (the resolver has one
    /// port option); a handler of null leaves that address without a listener (ICMP port unreachable).
    /// </summary>
    public static LoopbackDnsServer?[] Start(params Func<DnsMessage, bool, IEnumerable<Reply>>?[] handlers)
    {
        for (int attempt = 0; ; attempt++)
        {
            var servers = new LoopbackDnsServer?[handlers.Length];
            int port = 0;
            try
            {
                for (int i = 0; i < handlers.Length; i++)
                {
                    var address = IPAddress.Parse($"127.0.0.{i + 1}");
                    if (handlers[i] is { } h)
                    {
                        servers[i] = new LoopbackDnsServer(address, port, h);
                        port = servers[i]!.Port;
                    }
                }

                return port != 0 ? servers : throw new ArgumentException("at least one server needs a handler", nameof(handlers));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < 20)
            {
                foreach (LoopbackDnsServer? s in servers)
                {
                    s?.Dispose();
                }
            }
        }
    }

    /// <summary>Replies to <paramref name="q"/> with these answer records and NOERROR.</summary>
    public static DnsMessage Answer(DnsMessage q, params DnsRecord[] answers) =>
        new() { Id = q.Id, Flags = DnsMessage.ResponseFlags(q, DnsResponseCode.NoError, authoritative: false), Questions = q.Questions, Answers = answers };

    /// <summary>An empty reply to <paramref name="q"/> with <paramref name="code"/>.</summary>
    public static DnsMessage Code(DnsMessage q, DnsResponseCode code) =>
        new() { Id = q.Id, Flags = DnsMessage.ResponseFlags(q, code, authoritative: false), Questions = q.Questions };

    /// <summary>An empty NOERROR reply to <paramref name="q"/> with TC set.</summary>
    public static DnsMessage Truncated(DnsMessage q) =>
        new() { Id = q.Id, Flags = DnsMessage.WithTruncated(DnsMessage.ResponseFlags(q, DnsResponseCode.NoError, authoritative: false)), Questions = q.Questions };

    private void ServeUdp()
    {
        byte[] buffer = new byte[4096];
        EndPoint client = new IPEndPoint(Address.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        try
        {
            while (true)
            {
                int n = _udp.ReceiveFrom(buffer, ref client);
                DnsMessage q = DnsMessage.Parse(buffer.AsSpan(0, n));
                Record(q, ((IPEndPoint)client).Port, tcp: false);
                foreach (Reply r in _handler(q, false))
                {
                    Send(r, client);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // closed
        }
    }

    private void Send(Reply r, EndPoint client)
    {
        if (r.Sender == From.Self)
        {
            _udp.SendTo(r.Bytes, client);
            return;
        }

        using var other = new Socket(Address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        other.Bind(r.Sender == From.OtherPort ? new IPEndPoint(Address, 0) : new IPEndPoint(IPAddress.Parse("127.0.0.250"), Port));
        other.SendTo(r.Bytes, client);
    }

    private void ServeTcp()
    {
        try
        {
            while (true)
            {
                using Socket c = _tcp.Accept();
                byte[] prefix = ReadExactly(c, 2);
                DnsMessage q = DnsMessage.Parse(ReadExactly(c, BinaryPrimitives.ReadUInt16BigEndian(prefix)));
                Record(q, ((IPEndPoint)c.RemoteEndPoint!).Port, tcp: true);
                foreach (Reply r in _handler(q, true))
                {
                    byte[] framed = new byte[r.Bytes.Length + 2];
                    BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)r.Bytes.Length);
                    r.Bytes.CopyTo(framed, 2);
                    c.Send(framed);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // closed
        }
    }

    private void Record(DnsMessage q, int port, bool tcp)
    {
        lock (_queries)
        {
            _queries.Add((q.Id, port, tcp));
        }
    }

    private static byte[] ReadExactly(Socket s, int count)
    {
        byte[] b = new byte[count];
        for (int read = 0; read < count;)
        {
            int n = s.Receive(b, read, count - read, SocketFlags.None);
            read += n > 0 ? n : throw new SocketException((int)SocketError.ConnectionReset);
        }

        return b;
    }

    public void Dispose()
    {
        _udp.Dispose();
        _tcp.Dispose();
    }

    /// <summary>One datagram (or TCP message) to send back, and where from.</summary>
    public sealed record Reply(byte[] Bytes, From Sender = From.Self)
    {
        public static implicit operator Reply(DnsMessage m) => new(m.ToArray());
    }
}
