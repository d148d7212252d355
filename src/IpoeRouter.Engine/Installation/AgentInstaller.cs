using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using IpoeRouter.Model;

namespace IpoeRouter.Engine.Installation;

/// <summary>
/// Installs ipoe-agent as a systemd service, and removes it. Planning reads what is there and
/// returns the steps (<see cref="AgentInstallPlan"/>), so <c>-WhatIf</c> shows exactly what
/// <see cref="Execute"/> would do. On the machine itself the steps end with <c>systemctl
/// daemon-reload</c> and <c>enable</c>; in an image (<see cref="AgentLayout.Root"/>) with
/// <c>systemctl --root=ROOT enable</c>, which needs no running systemd.
/// </summary>
public static class AgentInstaller
{
    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101; // 0755
    private const UnixFileMode Readable = (UnixFileMode)0b110_100_100;   // 0644

    /// <summary>
    /// True when systemd is the init system (sd_booted(3): <c>/run/systemd/system</c> exists), so
    /// <c>systemctl daemon-reload</c>, <c>enable</c> and <c>start</c> can work.
    /// </summary>
    public static bool IsSystemdRunning() => Directory.Exists("/run/systemd/system");

    /// <summary>
    /// Refuses (<c>SystemdUnavailable</c>) to act on this machine when systemd does not run it:
    /// daemon-reload and enable would fail after the files were written. An image (a root given) needs no running systemd.
    /// </summary>
    public static void RequireSystemd(AgentLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (layout.Root is null && !IsSystemdRunning())
        {
            throw new IpoeException(EngineErrorIds.SystemdUnavailable, ErrorKind.ResourceUnavailable,
                "systemd is not the init system here (no /run/systemd/system), so 'systemctl daemon-reload' and 'enable' cannot work; nothing was changed. "
                + "To prepare the files anyway, install into a root directory: -Root / enables the unit offline with 'systemctl --root=/'.", "systemd");
        }
    }

    /// <summary>
    /// The steps that install <paramref name="sourceBinary"/> and the unit made from
    /// <paramref name="template"/> for <paramref name="documentPath"/> into <paramref name="layout"/>;
    /// <c>AgentInstallationDiffers</c> when a different binary or unit is there and <paramref name="force"/> is not set.
    /// </summary>
    public static AgentInstallPlan PlanInstall(string sourceBinary, string template, AgentLayout layout, string documentPath, bool force, bool start)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (start && layout.Root is not null)
        {
            throw new IpoeException(EngineErrorIds.InvalidParameter, ErrorKind.InvalidArgument,
                $"A service in an image ({layout.Root}) cannot be started from here: leave out -Start, or -Root.", layout.Root);
        }

        if (!File.Exists(sourceBinary))
        {
            throw new IpoeException(EngineErrorIds.AgentPackageIncomplete, ErrorKind.ResourceUnavailable,
                $"The agent binary {sourceBinary} is missing from the module: build it with 'build.ps1 Build', or reinstall the module.", sourceBinary);
        }

        string unit = AgentUnit.Render(template, AgentLayout.BinaryInImage, documentPath);
        bool binaryThere = File.Exists(layout.BinaryPath), unitThere = File.Exists(layout.UnitPath);
        bool binarySame = binaryThere && SameContent(sourceBinary, layout.BinaryPath);
        bool unitSame = unitThere && File.ReadAllText(layout.UnitPath) == unit;
        bool enabled = IsLinkOrFile(layout.WantsLinkPath);
        var differs = new List<string>();
        if (binaryThere && !binarySame)
        {
            differs.Add(layout.BinaryPath);
        }

        if (unitThere && !unitSame)
        {
            differs.Add(layout.UnitPath);
        }

        if (differs.Count > 0 && !force)
        {
            throw new IpoeException(EngineErrorIds.AgentInstallationDiffers, ErrorKind.ResourceExists,
                $"{string.Join(" and ", differs)} differ{(differs.Count == 1 ? "s" : "")} from what would be installed; nothing was changed. Use -Force to replace {(differs.Count == 1 ? "it" : "them")}.",
                differs[0]);
        }

        var steps = new List<InstallStep>();
        if (!binarySame)
        {
            steps.Add(new WriteFileStep(layout.BinaryPath, $"{(binaryThere ? "Replace" : "Install")} the agent from {sourceBinary} (mode 0755)", sourceBinary, null, Executable));
        }

        if (!unitSame)
        {
            steps.Add(new WriteFileStep(layout.UnitPath, $"{(unitThere ? "Replace" : "Write")} the unit: ExecStart={AgentLayout.BinaryInImage} --document {documentPath} (mode 0644)", null, unit, Readable));
        }

        if (layout.Root is null && steps.Count > 0)
        {
            steps.Add(SystemctlStep.For("systemd", ["daemon-reload"]));
        }

        if (!enabled || !unitSame)
        {
            steps.Add(SystemctlStep.For(AgentLayout.UnitName, layout.Systemctl("enable")));
        }

        if (start)
        {
            steps.Add(SystemctlStep.For(AgentLayout.UnitName, layout.Systemctl("restart")));
        }

        AgentInstallState state = !binaryThere && !unitThere ? AgentInstallState.NotInstalled
            : steps.Count == 0 || (binarySame && unitSame && enabled) ? AgentInstallState.Unchanged
            : AgentInstallState.Differs;
        return new AgentInstallPlan(layout, documentPath, state, steps);
    }

    /// <summary>
    /// The steps that disable, stop and remove the agent (the state directory, the run directory and
    /// the document stay); <c>AgentNotInstalled</c> when neither its unit nor its binary is there.
    /// </summary>
    public static AgentInstallPlan PlanUninstall(AgentLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        bool unitThere = File.Exists(layout.UnitPath), binaryThere = File.Exists(layout.BinaryPath);
        bool linkThere = IsLinkOrFile(layout.WantsLinkPath);
        if (!unitThere && !binaryThere && !linkThere)
        {
            throw new IpoeException(EngineErrorIds.AgentNotInstalled, ErrorKind.ObjectNotFound,
                $"ipoe-agent is not installed{(layout.Root is null ? "" : $" in {layout.Root}")}: neither {layout.UnitPath} nor {layout.BinaryPath} exists.", layout.UnitPath);
        }

        var steps = new List<InstallStep>();
        if (unitThere)
        {
            steps.Add(SystemctlStep.For(AgentLayout.UnitName, layout.Systemctl("disable")));
            if (layout.Root is null)
            {
                steps.Add(SystemctlStep.For(AgentLayout.UnitName, layout.Systemctl("stop")));
            }

            steps.Add(new RemoveFileStep(layout.UnitPath, "Remove the unit"));
        }
        else if (linkThere)
        {
            steps.Add(new RemoveFileStep(layout.WantsLinkPath, "Remove the enable symlink left without its unit"));
        }

        if (binaryThere)
        {
            steps.Add(new RemoveFileStep(layout.BinaryPath, "Remove the agent"));
        }

        if (layout.Root is null)
        {
            steps.Add(SystemctlStep.For("systemd", ["daemon-reload"]));
        }

        return new AgentInstallPlan(layout, null, AgentInstallState.Differs, steps);
    }

    /// <summary>Performs <paramref name="step"/>; returns what systemctl printed (empty for file steps).</summary>
    public static string Execute(InstallStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        switch (step)
        {
            case WriteFileStep write:
                WriteAtomically(write);
                return string.Empty;
            case RemoveFileStep remove:
                try
                {
                    File.Delete(remove.Target);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new IpoeException(EngineErrorIds.FileUnavailable, ErrorKind.ResourceUnavailable, $"Cannot remove {remove.Target}: {e.Message}", remove.Target, e);
                }

                return string.Empty;
            case SystemctlStep systemctl:
                return RunSystemctl(systemctl);
            default:
                throw new ArgumentException($"unknown step {step.GetType().Name}", nameof(step));
        }
    }

    private static void WriteAtomically(WriteFileStep step)
    {
        string dir = Path.GetDirectoryName(step.Target)!;
        string temp = Path.Combine(dir, $".{Path.GetFileName(step.Target)}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.tmp");
        try
        {
            Directory.CreateDirectory(dir, Executable);
            using (var target = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                if (step.SourcePath is not null)
                {
                    using var source = new FileStream(step.SourcePath, FileMode.Open, FileAccess.Read, FileShare.Read);
                    source.CopyTo(target);
                }
                else
                {
                    target.Write(System.Text.Encoding.UTF8.GetBytes(step.Content ?? string.Empty));
                }

                target.Flush(flushToDisk: true);
            }

            File.SetUnixFileMode(temp, step.Mode);
            File.Move(temp, step.Target, overwrite: true); // a rename: a running agent keeps its old file
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IpoeException(EngineErrorIds.FileUnavailable, ErrorKind.ResourceUnavailable, $"Cannot write {step.Target}: {e.Message}", step.Target, e);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static string RunSystemctl(SystemctlStep step)
    {
        var psi = new ProcessStartInfo("systemctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in step.Arguments)
        {
            psi.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new Win32Exception("systemctl did not start");
        }
        catch (Win32Exception e)
        {
            throw new IpoeException(EngineErrorIds.SystemdUnavailable, ErrorKind.ResourceUnavailable, $"Cannot run systemctl: {e.Message}", "systemctl", e);
        }

        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            string stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            string output = (stdout.GetAwaiter().GetResult() + stderr).Trim();
            return process.ExitCode == 0 ? output
                : throw new IpoeException(EngineErrorIds.SystemctlFailed, ErrorKind.ResourceUnavailable,
                    $"'systemctl {string.Join(' ', step.Arguments)}' failed (exit code {process.ExitCode}): {output}", step.Target);
        }
    }

    /// <summary>True for a symlink (whatever it points to: in an image, /etc/... names the image's file) or a file.</summary>
    private static bool IsLinkOrFile(string path) => new FileInfo(path) is { } info && (info.LinkTarget is not null || info.Exists);

    private static bool SameContent(string a, string b)
    {
        using var left = new FileStream(a, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var right = new FileStream(b, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (left.Length != right.Length)
        {
            return false;
        }

        byte[] x = new byte[81920], y = new byte[81920];
        while (true)
        {
            int n = left.ReadAtLeast(x, x.Length, throwOnEndOfStream: false);
            int m = right.ReadAtLeast(y, y.Length, throwOnEndOfStream: false);
            if (n != m || !x.AsSpan(0, n).SequenceEqual(y.AsSpan(0, m)))
            {
                return false;
            }

            if (n == 0)
            {
                return true;
            }
        }
    }
}
