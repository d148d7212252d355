using System.Diagnostics;
using System.Text;
using System.Text.Json;
using IpoeRouter.Agent.Control;
using IpoeRouter.Model;
using Xunit;

namespace IpoeRouter.Agent.Tests;

/// <summary>The control socket's JSON-RPC, on a real Unix socket in a temporary directory, with a router that answers from fixed values.</summary>
public sealed class ControlSocketTests : IDisposable
{
    private static readonly RouterStatus s_status = new(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero), "/etc/ipoe/router.yaml", 42,
        [new WanStatus("wan0", [new WanAddress("2001:db8:ff::2", 64, "global", 14400, 12600)], [new WanDefaultRoute("fe80::1", "ra", 5390)])],
        [new DelegationStatus("hgw", "wan0", "Bound", "2001:db8:1200::/60", null, null, null, null, ["2001:db8::53"], "dslite.example.net", "00:03:00:01:02:00:0d:b8:00:01")],
        [new LanStatus("lan0", "2001:db8:1200:1::/64", [], null, 3, true, 1)],
        [new ServiceStatus("pd:hgw", "Running", null)],
        new ReconcileStatus(null, "Converged", [], null) { Causes = ["address: address 2001:db8:1200:1::1/64 deleted on index 3"], DurationMs = 4.2, Passes = 7 });

    private readonly string _dir = Directory.CreateTempSubdirectory("ipoe-ctl-").FullName;

    [Fact]
    public async Task GetStatus_RoundTripsTheStatus_OverAUnixSocketOnlyItsOwnerMayOpen()
    {
        string path = Path.Combine(_dir, "run", "agent.sock");
        using var stop = new CancellationTokenSource();
        Task serving = ControlServer.ServeAsync(path, new ControlHandlers(() => new FixedRouter()), _ => { }, stop.Token);
        await WaitForFile(path);

        RouterStatus got = await new AgentClient(path, TimeSpan.FromSeconds(5)).GetStatusAsync();

        Assert.Equal(JsonSerializer.Serialize(s_status, ControlJson.Default.RouterStatus), JsonSerializer.Serialize(got, ControlJson.Default.RouterStatus));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        await stop.CancelAsync();
        await serving.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(File.Exists(path)); // removed on the way out
    }

    [Fact]
    public async Task EngineRefusals_KeepTheirErrorIdAndKind_ThroughTheSocket()
    {
        string path = Path.Combine(_dir, "agent.sock");
        using var stop = new CancellationTokenSource();
        Task serving = ControlServer.ServeAsync(path, new ControlHandlers(() => new FixedRouter()), _ => { }, stop.Token);
        await WaitForFile(path);

        var e = await Assert.ThrowsAsync<IpoeException>(() => new AgentClient(path, TimeSpan.FromSeconds(5)).ReconcileAsync(new ReconcileRequest(30)));

        Assert.Equal("NothingToConfirm", e.ErrorId);
        Assert.Equal(ErrorKind.InvalidOperation, e.Kind);
        await stop.CancelAsync();
        await serving.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [IpoeRouter.Lab.NetnsFact] // root, to run a client as another uid (python3-minimal is on every machine of this kind)
    public async Task ACallerThatIsNotRoot_IsRefused_ByItsCredentials_EvenWhenTheSocketModeLetsItIn()
    {
        string path = Path.Combine(_dir, "open", "agent.sock");
        using var stop = new CancellationTokenSource();
        Task serving = ControlServer.ServeAsync(path, new ControlHandlers(() => new FixedRouter()), _ => { }, stop.Token);
        await WaitForFile(path);
        File.SetUnixFileMode(path, (UnixFileMode)0x1FF); // 0777: only the peer check stands in the way
        File.SetUnixFileMode(Path.GetDirectoryName(path)!, (UnixFileMode)0x1FF);
        File.SetUnixFileMode(_dir, (UnixFileMode)0x1FF);

        // A client running as nobody (uid 65534) asks for the status.
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[]
        {
            "-c",
            "import os,socket,sys; os.setgid(65534); os.setuid(65534); s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); "
            + "s.sendall(b'{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"getStatus\"}\\n'); print(s.makefile().readline())",
            path,
        })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        string answer = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();

        JsonRpcResponse response = JsonSerializer.Deserialize(answer, ControlJson.Default.JsonRpcResponse)!;
        Assert.Equal(JsonRpcError.PermissionDenied, response.Error?.Code);
        Assert.Null(response.Result);
        Assert.Contains("65534", response.Error!.Message, StringComparison.Ordinal);
        await stop.CancelAsync();
        await serving.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("not json", -32600, null)]
    [InlineData("{\"jsonrpc\":\"1.0\",\"id\":7,\"method\":\"getStatus\"}", -32600, 7L)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"reboot\"}", -32601, 8L)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"confirm\",\"params\":{\"ids\":5}}", -32602, 9L)]
    public async Task BadRequests_GetJsonRpcErrors_WithTheirId(string line, int code, long? id)
    {
        JsonRpcResponse response = await new ControlHandlers(() => new FixedRouter()).AnswerAsync(line, CancellationToken.None);
        Assert.Equal(code, response.Error?.Code);
        Assert.Equal(id, response.Id);
        Assert.Null(response.Result);
    }

    [Fact]
    public async Task AHostStillStarting_IsAnAgentStartingError_NotAnEmptyAnswer()
    {
        JsonRpcResponse response = await new ControlHandlers(() => null).AnswerAsync("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"getPlan\"}", CancellationToken.None);
        Assert.Equal(JsonRpcError.EngineError, response.Error?.Code);
        Assert.Equal("AgentStarting", response.Error?.Data);
    }

    [Fact]
    public async Task NoAgent_IsAnAgentUnavailableError_NamingThePath()
    {
        string path = Path.Combine(_dir, "nobody.sock");
        var e = await Assert.ThrowsAsync<IpoeException>(() => new AgentClient(path, TimeSpan.FromSeconds(2)).GetStatusAsync());
        Assert.Equal(ControlErrorIds.AgentUnavailable, e.ErrorId);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("ipoe-agent", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task WaitForFile(string path)
    {
        for (int i = 0; i < 100 && !File.Exists(path); i++)
        {
            await Task.Delay(20);
        }
    }

    /// <summary>A router that answers the status and refuses a probation (it has no earlier document), as a fresh agent does.</summary>
    private sealed class FixedRouter : IRouterControl
    {
        public RouterStatus Status() => s_status;

        public PlanResult Plan() => new([], "/etc/ipoe/router.yaml", 42);

        public Task<ReconcileReport> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken) =>
            request.ConfirmWithinSeconds is null
                ? Task.FromResult(new ReconcileReport("Converged", [], [], "/etc/ipoe/router.yaml", null))
                : throw new IpoeException("NothingToConfirm", ErrorKind.InvalidOperation, "no earlier version");

        public ApplyIdsResult Confirm(IReadOnlyList<string>? ids) => new([]);

        public Task<ApplyIdsResult> UndoAsync(IReadOnlyList<string>? ids, CancellationToken cancellationToken) => Task.FromResult(new ApplyIdsResult([]));

        public Task<ReloadResult> ReloadAsync(CancellationToken cancellationToken) => Task.FromResult(new ReloadResult(true, "/etc/ipoe/router.yaml", []));
    }
}
