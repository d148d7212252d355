using System.Diagnostics;
using IpoeRouter.Engine.Journal;

namespace IpoeRouter.Commands;

/// <summary>
/// Starts the process that rolls a confirmed apply back at its deadline. It runs in a session of
/// its own (setsid), with no terminal, so it outlives the SSH session the apply may cut; it logs
/// beside the pending file. Paths travel in environment variables, never through shell quoting,
/// and pwsh is started the way this one runs: as an executable, or as pwsh.dll under dotnet.
/// </summary>
internal static class ConfirmationWatcher
{
    public static int Start(PendingConfirmation pending, string pwshDll, string modulePath)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown");
        bool underDotnet = Path.GetFileNameWithoutExtension(self) == "dotnet";
        var psi = new ProcessStartInfo("setsid") { UseShellExecute = false };
        psi.Environment["IPOE_WATCH_EXE"] = self;
        psi.Environment["IPOE_WATCH_DLL"] = underDotnet ? pwshDll : string.Empty;
        psi.Environment["IPOE_WATCH_MODULE"] = modulePath;
        psi.Environment["IPOE_WATCH_ID"] = pending.Id;
        psi.Environment["IPOE_WATCH_LOG"] = Path.ChangeExtension(pending.FilePath, ".log");
        const string command = "Import-Module $env:IPOE_WATCH_MODULE; Undo-IpoeReconcile -Id $env:IPOE_WATCH_ID -AtDeadline";
        foreach (string a in new[]
        {
            "sh", "-c",
            "if [ -n \"$IPOE_WATCH_DLL\" ]; then set -- \"$IPOE_WATCH_DLL\"; else set --; fi; "
            + "umask 077; " // its log beside the pending file says what was undone: private as the journal
            + $"exec \"$IPOE_WATCH_EXE\" \"$@\" -NoProfile -NonInteractive -Command '{command}' >>\"$IPOE_WATCH_LOG\" 2>&1 </dev/null",
        })
        {
            psi.ArgumentList.Add(a);
        }

        Process p = Process.Start(psi) ?? throw new InvalidOperationException("setsid could not be started");
        // A watcher that cannot start (no such executable) dies at once: say so instead of promising a rollback.
        if (p.WaitForExit(TimeSpan.FromMilliseconds(300)))
        {
            string log = File.Exists(psi.Environment["IPOE_WATCH_LOG"]) ? File.ReadAllText(psi.Environment["IPOE_WATCH_LOG"]!) : string.Empty;
            throw new InvalidOperationException($"the watcher exited at once ({p.ExitCode}): {log.Trim()}");
        }

        return p.Id;
    }

    /// <summary>Stops the watcher this session started (<paramref name="pid"/>; 0 for none), when it is no longer needed.</summary>
    public static void Stop(int pid)
    {
        if (pid <= 0)
        {
            return;
        }

        try
        {
            using Process watcher = Process.GetProcessById(pid);
            watcher.Kill();
            watcher.WaitForExit(5000);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // gone already
        }
    }
}
