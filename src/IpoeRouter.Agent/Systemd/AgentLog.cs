using System.Globalization;
using System.Text;

namespace IpoeRouter.Agent.Systemd;

/// <summary>
/// The agent's log sink, on standard error. Under journald (see <see cref="JournalStream"/>) each
/// line starts with its syslog priority (<c>&lt;3&gt;</c> error, <c>&lt;4&gt;</c> warning,
/// <c>&lt;6&gt;</c> info, <c>&lt;7&gt;</c> debug; sd-daemon(3)) and carries no time, which journald
/// records itself; otherwise a line is <c>yyyy-MM-ddTHH:mm:ss.fffZ LEVEL text</c> in UTC. A message
/// of several lines (an exception's stack) gets the prefix on every line, so journald files each at
/// the message's priority. One lock and one write per message: lines from threads never interleave.
/// </summary>
public sealed class AgentLog
{
    private readonly TextWriter _writer;
    private readonly TimeProvider _time;
    private readonly AgentLogLevel _maximum;
    private readonly Lock _gate = new();

    /// <summary>A log writing to <paramref name="writer"/>, in journald's form when <paramref name="journal"/>.</summary>
    /// <param name="writer">Where lines go (standard error for the agent).</param>
    /// <param name="journal">True for journald's form (priority prefix, no time).</param>
    /// <param name="time">The clock of the plain form's time stamps; the system's when null.</param>
    /// <param name="maximum">The least severe level written (<see cref="AgentLogLevel.Debug"/>: everything).</param>
    public AgentLog(TextWriter writer, bool journal, TimeProvider? time = null, AgentLogLevel maximum = AgentLogLevel.Debug)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        IsJournal = journal;
        _time = time ?? TimeProvider.System;
        _maximum = maximum;
    }

    /// <summary>True when lines are written in journald's form.</summary>
    public bool IsJournal { get; }

    /// <summary>The agent's log: standard error, in journald's form when standard error is the stream <c>$JOURNAL_STREAM</c> names.</summary>
    public static AgentLog ToStandardError(AgentLogLevel maximum = AgentLogLevel.Debug) =>
        new(Console.Error, JournalStream.IsStandardErrorJournal(), TimeProvider.System, maximum);

    /// <summary>Writes <paramref name="text"/> at <paramref name="level"/> (nothing when the level is below the log's maximum).</summary>
    public void Write(AgentLogLevel level, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (level > _maximum)
        {
            return;
        }

        string message = Format(level, text);
        lock (_gate)
        {
            _writer.Write(message);
            _writer.Flush();
        }
    }

    /// <summary>Writes an error.</summary>
    public void Error(string text) => Write(AgentLogLevel.Error, text);

    /// <summary>Writes a warning.</summary>
    public void Warning(string text) => Write(AgentLogLevel.Warning, text);

    /// <summary>Writes what the agent does.</summary>
    public void Info(string text) => Write(AgentLogLevel.Info, text);

    /// <summary>Writes detail for finding a fault.</summary>
    public void Debug(string text) => Write(AgentLogLevel.Debug, text);

    /// <summary>This log as the <c>Action&lt;string&gt;</c> the engine and the services take, writing at <paramref name="level"/>.</summary>
    public Action<string> AsAction(AgentLogLevel level = AgentLogLevel.Info) => text => Write(level, text);

    private string Format(AgentLogLevel level, string text)
    {
        var line = new StringBuilder(text.Length + 32);
        if (IsJournal)
        {
            string prefix = string.Create(CultureInfo.InvariantCulture, $"<{(int)level}>");
            foreach (string part in text.ReplaceLineEndings("\n").Split('\n'))
            {
                line.Append(prefix).Append(part).Append('\n');
            }
        }
        else
        {
            line.Append(_time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
                .Append(' ').Append(Name(level)).Append(' ').Append(text).Append('\n');
        }

        return line.ToString();
    }

    private static string Name(AgentLogLevel level) => level switch
    {
        AgentLogLevel.Error => "error",
        AgentLogLevel.Warning => "warning",
        AgentLogLevel.Info => "info",
        _ => "debug",
    };
}
