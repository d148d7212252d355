using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using IpoeRouter.Control;

namespace IpoeRouter.Agent.Control;

/// <summary>
/// The agent's control socket: a Unix stream socket in a 0700 directory, mode 0600, speaking JSON-RPC
/// 2.0 with one message per line. Every connection's peer credentials are checked (SO_PEERCRED): only
/// root is answered, whatever the socket's mode says. Methods: <see cref="ControlMethods.All"/>.
/// </summary>
internal static class ControlServer
{
    private const int SolSocket = 1;   // SOL_SOCKET
    private const int SoPeerCred = 17; // SO_PEERCRED: struct ucred { pid_t pid; uid_t uid; gid_t gid; }

    /// <summary>Serves <paramref name="handle"/> on <paramref name="path"/> until <paramref name="stop"/>; removes the socket file afterwards.</summary>
    public static async Task ServeAsync(string path, ControlHandlers handle, Action<string> log, CancellationToken stop)
    {
        string directory = Path.GetDirectoryName(path)!;
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
        listener.Listen(16);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                Socket client = await listener.AcceptAsync(stop).ConfigureAwait(false);
                _ = Task.Run(() => ServeClientAsync(client, handle, log, stop), CancellationToken.None);
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

    /// <summary>The uid of the process at the other end of <paramref name="client"/>, null when the kernel does not say.</summary>
    public static uint? PeerUid(Socket client)
    {
        Span<byte> credentials = stackalloc byte[12];
        try
        {
            int length = client.GetRawSocketOption(SolSocket, SoPeerCred, credentials);
            return length >= 8 ? BinaryPrimitives.ReadUInt32LittleEndian(credentials[4..]) : null;
        }
        catch (SocketException)
        {
            return null;
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

    private static async Task ServeClientAsync(Socket client, ControlHandlers handle, Action<string> log, CancellationToken stop)
    {
        using (client)
        await using (var stream = new NetworkStream(client, ownsSocket: false))
        {
            uint? uid = PeerUid(client);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            try
            {
                while (await reader.ReadLineAsync(stop).ConfigureAwait(false) is { } line)
                {
                    JsonRpcResponse response = uid == 0
                        ? await handle.AnswerAsync(line, stop).ConfigureAwait(false)
                        : new JsonRpcResponse("2.0", null, null, new JsonRpcError(JsonRpcError.PermissionDenied,
                            $"Only root may use the agent's control socket (the caller's uid is {uid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"})."));
                    byte[] json = JsonSerializer.SerializeToUtf8Bytes(response, ControlJson.Default.JsonRpcResponse);
                    await stream.WriteAsync((byte[])[.. json, (byte)'\n'], stop).ConfigureAwait(false);
                    if (uid != 0)
                    {
                        log($"control: refused a caller with uid {uid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}");
                        return;
                    }
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
}
