using System.Net;
using System.Net.Sockets;
using IpoeRouter.Services.Hosting;
using Xunit;

namespace IpoeRouter.Services.Tests;

public sealed class PortHolderSocketsTests
{
    [Theory]
    [InlineData("00000000:0035", "0.0.0.0", 53)]
    [InlineData("3500007F:0035", "127.0.0.53", 53)]
    [InlineData("350200C0:0043", "192.0.2.53", 67)]
    [InlineData("00000000000000000000000000000000:0222", "::", 546)]
    [InlineData("00000000000000000000000001000000:0223", "::1", 547)]
    [InlineData("B80D0120000000000000000001000000:0035", "2001:db8::1", 53)]
    [InlineData("000080FE00000000FF591102FE2D19B1:0222", "fe80::211:59ff:b119:2dfe", 546)]
    public void ParseProcNetAddress_HostOrderWords_GiveTheAddressAndPort(string text, string address, int port)
    {
        (IPAddress a, int p) = PortHolder.ParseProcNetAddress(text);
        Assert.Equal((IPAddress.Parse(address), port), (a, p));
    }

    [Theory]
    [InlineData("0035")]
    [InlineData("0000000:0035")]
    [InlineData("0000000000:0035")]
    public void ParseProcNetAddress_OddLength_Throws(string text) =>
        Assert.Throws<FormatException>(() => PortHolder.ParseProcNetAddress(text));

    [Fact]
    public void BoundUdp_OurOwnSocket_IsFoundWithItsAddressAndUs()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)socket.LocalEndPoint!).Port;

        BoundSocket found = Assert.Single(PortHolder.BoundUdp(new HashSet<int> { port }));

        Assert.Equal(("udp", IPAddress.Loopback, port), (found.Protocol, found.LocalAddress, found.Port));
        Assert.True(found.IsLoopback);
        Assert.Contains(found.Holders, h => h.Pid == Environment.ProcessId);
    }

    [Fact]
    public void ListeningTcp_ListenerIsFound_ItsAcceptedConnectionIsNot()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using Socket accepted = listener.Accept();

        BoundSocket found = Assert.Single(PortHolder.ListeningTcp(new HashSet<int> { port }));

        Assert.Equal(("tcp", port), (found.Protocol, found.Port));
    }
}
