using System.Diagnostics;
using IpoeRouter.Engine.Journal;

namespace IpoeRouter.Commands;

/// <summary>
/// Starts the process that rolls a confirmed apply back at its deadline. It runs in a session of
/// its own (setsid), with no terminal, so it outlives the SSH session the apply may cut; it logs
/// beside the pending file.
/// </summary>
internal static class ConfirmationWatcher
{
    public static int Start(PendingConfirmation pending, string pwshDll, string modulePath)
    {
        foreach (string path in new[] { pwshDll, modulePath, pending.FilePath })
        {
            if (path.Contains('\'', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Cannot start the rollback watcher: the path {path} contains a quote.");
            }
        }

        string log = Path.ChangeExtension(pending.FilePath, ".log");
        string command = $"Import-Module '{modulePath}'; Undo-IpoeReconcile -Id {pending.Id} -AtDeadline";
        var psi = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = false,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };
        foreach (string a in new[] { "sh", "-c", $"exec dotnet '{pwshDll}' -NoProfile -NonInteractive -Command \"{command}\" >>'{log}' 2>&1 </dev/null" })
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("Cannot start the rollback watcher.");
        return p.Id;
    }
}
