namespace IpoeRouter.Engine.Installation;

/// <summary>
/// Where an installed agent lives, on the machine itself (<see cref="Root"/> null) or in an image
/// mounted at <see cref="Root"/>: the binary, the unit, and the symlink <c>systemctl enable</c> makes.
/// Paths inside the image (what the unit names) are the <c>*InImage</c> constants; the properties
/// are where the files are on this machine.
/// </summary>
public sealed record AgentLayout(string? Root)
{
    /// <summary>The agent's path as the unit names it.</summary>
    public const string BinaryInImage = "/usr/local/sbin/ipoe-agent";

    /// <summary>The unit's name.</summary>
    public const string UnitName = "ipoe-agent.service";

    /// <summary>The unit's path.</summary>
    public const string UnitInImage = "/etc/systemd/system/" + UnitName;

    /// <summary>The symlink <c>systemctl enable</c> makes for <c>WantedBy=multi-user.target</c>.</summary>
    public const string WantsLinkInImage = "/etc/systemd/system/multi-user.target.wants/" + UnitName;

    /// <summary>The document the unit names unless told otherwise.</summary>
    public const string DefaultDocument = "/etc/ipoe/router.yaml";

    /// <summary>The binary's file on this machine.</summary>
    public string BinaryPath => OnThisMachine(BinaryInImage);

    /// <summary>The unit's file on this machine.</summary>
    public string UnitPath => OnThisMachine(UnitInImage);

    /// <summary>The enable symlink's path on this machine.</summary>
    public string WantsLinkPath => OnThisMachine(WantsLinkInImage);

    /// <summary><paramref name="pathInImage"/> as seen from this machine (below <see cref="Root"/> when there is one).</summary>
    public string OnThisMachine(string pathInImage) =>
        Root is null ? pathInImage : Path.Join(Path.TrimEndingDirectorySeparator(Root), pathInImage);

    /// <summary>The <c>systemctl</c> arguments for <paramref name="verb"/> on the agent's unit (<c>--root=</c> first in an image).</summary>
    public IReadOnlyList<string> Systemctl(string verb) =>
        Root is null ? [verb, UnitName] : [$"--root={Root}", verb, UnitName];
}
