namespace IpoeRouter.Commands;

/// <summary>What Install-IpoeAgent or Uninstall-IpoeAgent did (or, under -WhatIf, would do).</summary>
/// <param name="Result"><c>Installed</c>, <c>Updated</c>, <c>Unchanged</c> or <c>Removed</c>.</param>
/// <param name="Applied">False under -WhatIf (or when a step was declined): the steps were only shown.</param>
/// <param name="AgentPath">The agent binary on this machine.</param>
/// <param name="UnitPath">The unit file on this machine.</param>
/// <param name="DocumentPath">The document the unit names (as the installed system sees it); null after an uninstall.</param>
/// <param name="Root">The image root the files went into, or null for this machine.</param>
/// <param name="Enabled">True when the unit's enable symlink (multi-user.target.wants) is there afterwards.</param>
/// <param name="Started">True when the service was (re)started.</param>
/// <param name="Steps">The steps taken (or shown), in order.</param>
public sealed record AgentInstallation(
    string Result,
    bool Applied,
    string AgentPath,
    string UnitPath,
    string? DocumentPath,
    string? Root,
    bool Enabled,
    bool Started,
    IReadOnlyList<string> Steps);
