using IpoeRouter.Engine;
using IpoeRouter.Engine.Documents;
using IpoeRouter.Model;

namespace IpoeRouter.Agent.Hosting;

/// <summary>
/// Takes a state directory for one agent alone: an advisory lock on <c>agent.lock</c> (released when
/// the process ends, however it ends) and the holder's pid in <c>agent.pid</c>. Two agents on one
/// state would fight over leases and RAs.
/// </summary>
internal static class StateDirectoryLock
{
    /// <summary>Takes the lock; throws <see cref="IpoeException"/> (<see cref="EngineErrorIds.AgentAlreadyRunning"/>) naming the holder.</summary>
    public static FileStream Take(string stateDirectory)
    {
        string path = Path.Combine(stateDirectory, "agent.lock");
        string pidFile = Path.Combine(stateDirectory, "agent.pid");
        FileStream file;
        try
        {
            file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None, // flock(LOCK_EX | LOCK_NB)
                UnixCreateMode = Services.Storage.PrivateState.FileMode,
            });
        }
        catch (IOException e)
        {
            string holder = File.Exists(pidFile) ? File.ReadAllText(pidFile).Trim() : "?";
            throw new IpoeException(EngineErrorIds.AgentAlreadyRunning, ErrorKind.ResourceUnavailable,
                $"Another ipoe-agent (pid {holder}) is running with the state directory {stateDirectory}; stop it first.", path, e);
        }

        try
        {
            Services.Storage.PrivateState.NarrowFile(path);
            AtomicFile.WritePrivate(pidFile, System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
        }
        catch
        {
            file.Dispose();
            throw;
        }

        return file;
    }
}
