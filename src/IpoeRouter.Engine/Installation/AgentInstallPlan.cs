namespace IpoeRouter.Engine.Installation;

/// <summary>An install or uninstall as data: where, the state found, and the steps in order (none when there is nothing to do).</summary>
/// <param name="Layout">Where the agent is (or goes).</param>
/// <param name="DocumentPath">The document the unit names (as the image sees it), or null for an uninstall.</param>
/// <param name="State">What was found.</param>
/// <param name="Steps">What to do, in order.</param>
public sealed record AgentInstallPlan(AgentLayout Layout, string? DocumentPath, AgentInstallState State, IReadOnlyList<InstallStep> Steps);
