namespace IpoeRouter.Agent.Systemd;

/// <summary>How severe a log line is; the values are the syslog priorities journald reads from a <c>&lt;N&gt;</c> prefix (sd-daemon(3)).</summary>
public enum AgentLogLevel
{
    /// <summary>Something failed (<c>&lt;3&gt;</c>, LOG_ERR).</summary>
    Error = 3,

    /// <summary>Something is wrong but the agent carries on (<c>&lt;4&gt;</c>, LOG_WARNING).</summary>
    Warning = 4,

    /// <summary>What the agent does (<c>&lt;6&gt;</c>, LOG_INFO).</summary>
    Info = 6,

    /// <summary>Detail for finding a fault (<c>&lt;7&gt;</c>, LOG_DEBUG).</summary>
    Debug = 7,
}
