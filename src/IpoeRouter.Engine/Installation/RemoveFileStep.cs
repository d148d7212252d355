namespace IpoeRouter.Engine.Installation;

/// <summary>Removes a file (or a symlink, not what it points to).</summary>
/// <param name="Target">The file removed.</param>
/// <param name="Action">What -WhatIf shows.</param>
public sealed record RemoveFileStep(string Target, string Action) : InstallStep(Target, Action);
