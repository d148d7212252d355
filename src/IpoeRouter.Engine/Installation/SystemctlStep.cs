namespace IpoeRouter.Engine.Installation;

/// <summary>Runs <c>systemctl</c> with <see cref="Arguments"/>.</summary>
/// <param name="Target">The unit (or the manager, for daemon-reload).</param>
/// <param name="Action">What -WhatIf shows: the whole command line.</param>
/// <param name="Arguments">The arguments after <c>systemctl</c>.</param>
public sealed record SystemctlStep(string Target, string Action, IReadOnlyList<string> Arguments) : InstallStep(Target, Action)
{
    /// <summary>A step for <c>systemctl ARGUMENTS</c> acting on <paramref name="target"/>.</summary>
    public static SystemctlStep For(string target, IReadOnlyList<string> arguments) =>
        new(target, "Run systemctl " + string.Join(' ', arguments), arguments);
}
