namespace IpoeRouter.Engine.Installation;

/// <summary>
/// One step of installing or removing the agent: what it acts on (a file, or the unit for a
/// <c>systemctl</c> command) and what it does, in words <c>-WhatIf</c> shows as they are.
/// </summary>
/// <param name="Target">The file or unit acted on.</param>
/// <param name="Action">What is done to it, e.g. <c>Copy /opt/.../ipoe-agent (mode 0755)</c>.</param>
public abstract record InstallStep(string Target, string Action);
