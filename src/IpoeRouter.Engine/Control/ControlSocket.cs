using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using IpoeRouter.Engine.Runtime;
using IpoeRouter.Model;

namespace IpoeRouter.Engine.Control;

/// <summary>
/// The agent's control socket: a Unix stream socket only root can open (mode 0600, in a 0700
/// directory), speaking JSON-RPC 2.0 with one message per line. Methods: <c>getStatus</c>.
/// </summary>
public static class ControlSocket
{
    /// <summary>Where the socket lives unless <c>$IPOE_RUN_DIR</c> says otherwise.</summary>
    public const string DefaultDirectory = "/run/ipoe";

    /// <summary>The method that returns <see cref="RouterStatus"/>.</summary>
    public const string GetStatus = "getStatus";

    /// <summary>The socket path in effect.</summary>
    public static string PathFromEnvironment() =>
        System.IO.Path.Combine(Environment.GetEnvironmentVariable("IPOE_RUN_DIR") is { Length: > 0 } d ? d : DefaultDirectory, "agent.sock");

    /// <summary>Serves <paramref name="status"/> on <paramref name="path"/> until <paramref name="stop"/>; removes the socket file afterwards.</summary>
    public static async Task ServeAsync(string path, Func<RouterStatus> status, Action<string> log, CancellationToken stop)
    {
        string directory = System.IO.Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory))
        {
            // Only a directory made here is made private; an existing one (/run, /tmp) is not ours to chmod.
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (File.Exists(path))
        {
            if (await AnswersAsync(path).ConfigureAwait(false))
            {
                throw new IOException($"another agent answers on {path}; not taking its control socket");
            }

            File.Delete(path); // a stale socket of a run that ended without removing it
        }

        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // before Listen: nobody else connects meanwhile
        listener.Listen(8);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                Socket client = await listener.AcceptAsync(stop).ConfigureAwait(false);
                _ = Task.Run(() => ServeClientAsync(client, status, log, stop), CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<bool> AnswersAsync(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await probe.ConnectAsync(new UnixDomainSocketEndPoint(path)).WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            return false;
        }
    }

    private static async Task ServeClientAsync(Socket client, Func<RouterStatus> status, Action<string> log, CancellationToken stop)
    {
        using (client)
        await using (var stream = new NetworkStream(client, ownsSocket: false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            try
            {
                while (await reader.ReadLineAsync(stop).ConfigureAwait(false) is { } line)
                {
                    byte[] answer = Answer(line, status);
                    await stream.WriteAsync(answer, stop).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                if (!stop.IsCancellationRequested)
                {
                    log($"control: a client went away: {e.Message}");
                }
            }
        }
    }

    /// <summary>The response line to one request line.</summary>
    public static byte[] Answer(string line, Func<RouterStatus> status)
    {
        JsonRpcResponse response;
        JsonRpcRequest? request = null;
        try
        {
            request = JsonSerializer.Deserialize(line, ControlJson.Default.JsonRpcRequest);
        }
        catch (JsonException)
        {
        }

        if (request is null || request.JsonRpc != "2.0" || string.IsNullOrEmpty(request.Method))
        {
            response = new JsonRpcResponse("2.0", request?.Id, null, new JsonRpcError(-32600, "Invalid Request: expected {\"jsonrpc\":\"2.0\",\"id\":N,\"method\":\"...\"} on one line"));
        }
        else if (request.Method == GetStatus)
        {
            try
            {
                JsonElement result = JsonSerializer.SerializeToElement(status(), ControlJson.Default.RouterStatus);
                response = new JsonRpcResponse("2.0", request.Id, result, null);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or NotSupportedException)
            {
                response = new JsonRpcResponse("2.0", request.Id, null, new JsonRpcError(-32603, $"Internal error: {e.Message}"));
            }
        }
        else
        {
            response = new JsonRpcResponse("2.0", request.Id, null, new JsonRpcError(-32601, $"Method not found: {request.Method} (known: {GetStatus})"));
        }

        byte[] json = JsonSerializer.SerializeToUtf8Bytes(response, ControlJson.Default.JsonRpcResponse);
        return [.. json, (byte)'\n'];
    }

    /// <summary>
    /// Asks the agent at <paramref name="path"/> for its status. Throws <see cref="IpoeException"/>
    /// (<see cref="EngineErrorIds.AgentUnavailable"/>) when no agent listens there or the caller may not open it.
    /// </summary>
    public static async Task<RouterStatus> GetStatusAsync(string path, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), deadline.Token).ConfigureAwait(false);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            byte[] request = JsonSerializer.SerializeToUtf8Bytes(new JsonRpcRequest("2.0", 1, GetStatus), ControlJson.Default.JsonRpcRequest);
            await stream.WriteAsync((byte[])[.. request, (byte)'\n'], deadline.Token).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            string line = await reader.ReadLineAsync(deadline.Token).ConfigureAwait(false)
                ?? throw new IOException("the agent closed the connection without answering");
            JsonRpcResponse response = JsonSerializer.Deserialize(line, ControlJson.Default.JsonRpcResponse)
                ?? throw new IOException("the agent's answer was empty");
            if (response.Error is { } error)
            {
                throw new IOException($"the agent answered error {error.Code}: {error.Message}");
            }

            return response.Result?.Deserialize(ControlJson.Default.RouterStatus) ?? throw new IOException("the agent's answer had no result");
        }
        catch (SocketException e)
        {
            string why = e.SocketErrorCode switch
            {
                SocketError.AddressNotAvailable or SocketError.ConnectionRefused => "no agent is listening there (is ipoe-agent running?)",
                SocketError.AccessDenied => "only root may open it",
                _ => e.Message,
            };
            throw new IpoeException(EngineErrorIds.AgentUnavailable, ErrorKind.ResourceUnavailable, $"Cannot reach the agent at {path}: {why}.", path, e);
        }
        catch (Exception e) when (e is IOException or JsonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            string why = e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : e.Message;
            throw new IpoeException(EngineErrorIds.AgentUnavailable, ErrorKind.ResourceUnavailable, $"Cannot read the agent's status at {path}: {why}.", path, e);
        }
    }
}
