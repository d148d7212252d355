namespace IpoeRouter.Engine.Installation;

/// <summary>What an install finds before it acts.</summary>
public enum AgentInstallState
{
    /// <summary>Neither the binary nor the unit is there.</summary>
    NotInstalled,

    /// <summary>The same binary and unit are installed and enabled: nothing to do.</summary>
    Unchanged,

    /// <summary>A different binary or unit is there (replaced only with -Force), or the unit is not enabled.</summary>
    Differs,
}
