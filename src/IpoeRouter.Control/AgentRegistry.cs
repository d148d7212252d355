using System.Text.Json;

namespace IpoeRouter.Control;

/// <summary>A running agent, as it registers itself: which router (network namespace) it serves and where its control socket is.</summary>
/// <param name="Pid">The agent's pid.</param>
/// <param name="SocketPath">Its control socket.</param>
/// <param name="Namespace">The network namespace it serves (inode@boot).</param>
/// <param name="DocumentPath">The document it runs.</param>
public sealed record AgentRegistration(int Pid, string SocketPath, string Namespace, string DocumentPath);

/// <summary>
/// Where running agents say which router they serve (<c>$IPOE_RUN_DIR/agents/</c>, one file per
/// namespace), so a cmdlet acting on a router finds the agent that owns it — and never applies beside it.
/// A registration whose process is gone (or is no longer an ipoe-agent) does not count.
/// </summary>
public static class AgentRegistry
{
    /// <summary>The directory of registrations.</summary>
    public static string Directory => Path.Combine(AgentClient.RunDirectory(), "agents");

    /// <summary>Registers <paramref name="registration"/> (atomically; the directory is made private).</summary>
    public static void Register(AgentRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        const UnixFileMode owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        System.IO.Directory.CreateDirectory(Directory, owner);
        if ((File.GetUnixFileMode(Directory) & ~owner) != 0)
        {
            File.SetUnixFileMode(Directory, owner); // made wider by an older version: it is ours alone
        }

        string file = FileFor(registration.Namespace);
        string temporary = $"{file}.{registration.Pid}.tmp";
        using (var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            stream.Write(JsonSerializer.SerializeToUtf8Bytes(registration, ControlJson.Default.AgentRegistration));
        }

        File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite); // a leftover temporary of an older version

        File.Move(temporary, file, overwrite: true);
    }

    /// <summary>Removes the registration, if it is still this agent's.</summary>
    public static void Unregister(AgentRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (Read(FileFor(registration.Namespace)) is { } current && current.Pid == registration.Pid)
        {
            File.Delete(FileFor(registration.Namespace));
        }
    }

    /// <summary>The live agent serving <paramref name="namespaceIdentity"/>, or null.</summary>
    public static AgentRegistration? Find(string namespaceIdentity) =>
        Read(FileFor(namespaceIdentity)) is { } r && IsAgent(r.Pid) ? r : null;

    private static bool IsAgent(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim() == "ipoe-agent";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static AgentRegistration? Read(string file)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(file), ControlJson.Default.AgentRegistration);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private static string FileFor(string namespaceIdentity) =>
        Path.Combine(Directory, new string([.. namespaceIdentity.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]) + ".json");
}
