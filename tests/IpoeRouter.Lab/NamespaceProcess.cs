using System.Diagnostics;
using System.Text;

namespace IpoeRouter.Lab;

/// <summary>Programs the labs run inside a namespace with <c>ip netns exec</c> (which execs in place: the pid is the program's).</summary>
public static class NamespaceProcess
{
    /// <summary>Starts <paramref name="program"/> in <paramref name="ns"/>; its stdout and stderr lines go to <paramref name="output"/> (locked) when given.</summary>
    public static Process Start(string ns, string program, IEnumerable<string> args, StringBuilder? output = null, IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "netns", "exec", ns, program }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        var p = Process.Start(psi)!;
        DataReceivedEventHandler sink = (_, e) =>
        {
            if (output is not null && e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        };
        p.OutputDataReceived += sink;
        p.ErrorDataReceived += sink;
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>Stops <paramref name="p"/> by its pid if it still runs (never by name).</summary>
    public static void Stop(Process? p)
    {
        try
        {
            if (p is { HasExited: false })
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // not started, or already reaped
        }
    }
}
