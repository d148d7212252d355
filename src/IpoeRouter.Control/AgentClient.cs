using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using IpoeRouter.Model;

namespace IpoeRouter.Control;

/// <summary>
/// A client of the agent's control socket: one connection per call, one JSON-RPC request line, one
/// response line. Failures to reach the agent are <see cref="IpoeException"/>s with
/// <see cref="ControlErrorIds.AgentUnavailable"/>; the engine's own refusals keep their error ids.
/// </summary>
/// <param name="socketPath">The control socket.</param>
/// <param name="timeout">How long one call may take (a reconcile answers when its pass has ended).</param>
public sealed class AgentClient(string socketPath, TimeSpan timeout)
{
    /// <summary>Where the socket lives unless <c>$IPOE_RUN_DIR</c> says otherwise.</summary>
    public const string DefaultDirectory = "/run/ipoe";

    /// <summary>The socket path in effect: <c>$IPOE_RUN_DIR/agent.sock</c>, else <c>/run/ipoe/agent.sock</c>.</summary>
    public static string PathFromEnvironment() => Path.Combine(RunDirectory(), "agent.sock");

    /// <summary>The agent's run directory: <c>$IPOE_RUN_DIR</c>, else <c>/run/ipoe</c>.</summary>
    public static string RunDirectory() => Environment.GetEnvironmentVariable("IPOE_RUN_DIR") is { Length: > 0 } d ? d : DefaultDirectory;

    /// <summary>The socket this client calls.</summary>
    public string SocketPath { get; } = socketPath;

    /// <summary>The router as the agent sees it.</summary>
    public Task<RouterStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        CallAsync(ControlMethods.GetStatus, null, ControlJson.Default.RouterStatus, cancellationToken);

    /// <summary>The plan the agent would apply now.</summary>
    public Task<PlanResult> GetPlanAsync(CancellationToken cancellationToken = default) =>
        CallAsync(ControlMethods.GetPlan, null, ControlJson.Default.PlanResult, cancellationToken);

    /// <summary>One pass now; answers when it has ended.</summary>
    public Task<ReconcileReport> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken = default) =>
        CallAsync(ControlMethods.Reconcile, JsonSerializer.SerializeToElement(request, ControlJson.Default.ReconcileRequest), ControlJson.Default.ReconcileReport, cancellationToken);

    /// <summary>Confirms pending applies (all when <paramref name="ids"/> is null).</summary>
    public Task<ApplyIdsResult> ConfirmAsync(IReadOnlyList<string>? ids, CancellationToken cancellationToken = default) =>
        CallAsync(ControlMethods.Confirm, JsonSerializer.SerializeToElement(new ApplyIdsRequest(ids), ControlJson.Default.ApplyIdsRequest), ControlJson.Default.ApplyIdsResult, cancellationToken);

    /// <summary>Rolls pending applies back now (all when <paramref name="ids"/> is null).</summary>
    public Task<ApplyIdsResult> UndoAsync(IReadOnlyList<string>? ids, CancellationToken cancellationToken = default) =>
        CallAsync(ControlMethods.Undo, JsonSerializer.SerializeToElement(new ApplyIdsRequest(ids), ControlJson.Default.ApplyIdsRequest), ControlJson.Default.ApplyIdsResult, cancellationToken);

    /// <summary>Reads the document again.</summary>
    public Task<ReloadResult> ReloadAsync(CancellationToken cancellationToken = default) =>
        CallAsync(ControlMethods.Reload, null, ControlJson.Default.ReloadResult, cancellationToken);

    /// <summary>Calls <paramref name="method"/> and decodes its result.</summary>
    public async Task<T> CallAsync<T>(string method, JsonElement? parameters, JsonTypeInfo<T> result, CancellationToken cancellationToken = default)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        JsonRpcResponse response;
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), deadline.Token).ConfigureAwait(false);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            byte[] request = JsonSerializer.SerializeToUtf8Bytes(new JsonRpcRequest("2.0", 1, method) { Params = parameters }, ControlJson.Default.JsonRpcRequest);
            await stream.WriteAsync((byte[])[.. request, (byte)'\n'], deadline.Token).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            string line = await reader.ReadLineAsync(deadline.Token).ConfigureAwait(false)
                ?? throw new IOException("the agent closed the connection without answering");
            response = JsonSerializer.Deserialize(line, ControlJson.Default.JsonRpcResponse) ?? throw new IOException("the agent's answer was empty");
        }
        catch (SocketException e)
        {
            string why = e.SocketErrorCode switch
            {
                SocketError.AddressNotAvailable or SocketError.ConnectionRefused => "no agent is listening there (is ipoe-agent running?)",
                SocketError.AccessDenied => "only root may open it",
                _ => e.Message,
            };
            throw new IpoeException(ControlErrorIds.AgentUnavailable, ErrorKind.ResourceUnavailable, $"Cannot reach the agent at {SocketPath}: {why}.", SocketPath, e);
        }
        catch (Exception e) when (e is IOException or JsonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            string why = e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : e.Message;
            throw new IpoeException(ControlErrorIds.AgentUnavailable, ErrorKind.ResourceUnavailable, $"Cannot read the agent's answer to {method} at {SocketPath}: {why}.", SocketPath, e);
        }

        if (response.Error is { } error)
        {
            throw error.Code switch
            {
                JsonRpcError.PermissionDenied => new IpoeException(ControlErrorIds.AgentPermissionDenied, ErrorKind.PermissionDenied, error.Message, SocketPath),
                JsonRpcError.EngineError when error.Data is { Length: > 0 } id =>
                    new IpoeException(id, Enum.TryParse(error.Kind, out ErrorKind kind) ? kind : ErrorKind.InvalidOperation, error.Message, error.Target),
                _ => new IpoeException(ControlErrorIds.AgentUnavailable, ErrorKind.ResourceUnavailable, $"The agent at {SocketPath} answered {method} with error {error.Code}: {error.Message}", SocketPath),
            };
        }

        return response.Result is { } r
            ? r.Deserialize(result) ?? throw new IpoeException(ControlErrorIds.AgentUnavailable, ErrorKind.ResourceUnavailable, $"The agent's answer to {method} was null.", SocketPath)
            : throw new IpoeException(ControlErrorIds.AgentUnavailable, ErrorKind.ResourceUnavailable, $"The agent's answer to {method} had no result.", SocketPath);
    }
}
