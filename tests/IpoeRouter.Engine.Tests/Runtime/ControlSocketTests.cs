using System.Text;
using System.Text.Json;
using IpoeRouter.Engine.Control;
using IpoeRouter.Engine.Runtime;
using IpoeRouter.Model;
using Xunit;

namespace IpoeRouter.Engine.Tests.Runtime;

/// <summary>The control socket's JSON-RPC, on a real Unix socket in a temporary directory.</summary>
public sealed class ControlSocketTests : IDisposable
{
    private static readonly RouterStatus s_status = new(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero), "/etc/ipoe/router.yaml", 42,
        [new WanStatus("wan0", [new WanAddress("2001:db8:ff::2", 64, "global", 14400, 12600)], [new WanDefaultRoute("fe80::1", "ra", 5390)])],
        [new DelegationStatus("hgw", "wan0", "Bound", "2001:db8:1200::/60", null, null, null, null, ["2001:db8::53"], "dslite.example.net", "00:03:00:01:02:00:0d:b8:00:01")],
        [new LanStatus("lan0", "2001:db8:1200:1::/64", [], null, 3, true, 1)],
        [new ServiceStatus("pd:hgw", "Running", null)],
        new ReconcileStatus(null, "Converged", [], null));

    private readonly string _dir = Directory.CreateTempSubdirectory("ipoe-ctl-").FullName;

    [Fact]
    public async Task GetStatus_RoundTripsTheStatus_OverAUnixSocketOnlyItsOwnerMayOpen()
    {
        string path = Path.Combine(_dir, "run", "agent.sock");
        using var stop = new CancellationTokenSource();
        Task serving = ControlSocket.ServeAsync(path, () => s_status, _ => { }, stop.Token);
        await WaitForFile(path);

        RouterStatus got = await ControlSocket.GetStatusAsync(path, TimeSpan.FromSeconds(5));

        Assert.Equal(JsonSerializer.Serialize(s_status, ControlJson.Default.RouterStatus), JsonSerializer.Serialize(got, ControlJson.Default.RouterStatus));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        await stop.CancelAsync();
        await serving.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(File.Exists(path)); // removed on the way out
    }

    [Theory]
    [InlineData("not json", -32600, null)]
    [InlineData("{\"jsonrpc\":\"1.0\",\"id\":7,\"method\":\"getStatus\"}", -32600, 7L)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"reboot\"}", -32601, 8L)]
    public void BadRequests_GetJsonRpcErrors_WithTheirId(string line, int code, long? id)
    {
        JsonRpcResponse response = JsonSerializer.Deserialize(Encoding.UTF8.GetString(ControlSocket.Answer(line, () => s_status)), ControlJson.Default.JsonRpcResponse)!;
        Assert.Equal(code, response.Error?.Code);
        Assert.Equal(id, response.Id);
        Assert.Null(response.Result);
    }

    [Fact]
    public async Task NoAgent_IsAnAgentUnavailableError_NamingThePath()
    {
        string path = Path.Combine(_dir, "nobody.sock");
        var e = await Assert.ThrowsAsync<IpoeException>(() => ControlSocket.GetStatusAsync(path, TimeSpan.FromSeconds(2)));
        Assert.Equal(EngineErrorIds.AgentUnavailable, e.ErrorId);
        Assert.Contains(path, e.Message);
        Assert.Contains("ipoe-agent", e.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task WaitForFile(string path)
    {
        for (int i = 0; i < 100 && !File.Exists(path); i++)
        {
            await Task.Delay(20);
        }
    }
}
