namespace IpoeRouter.Services.Storage;

/// <summary>
/// The modes of what the services, the engine and the agent keep on disk: leases (MACs, host names), DUIDs, the
/// way back from applies. Files are 0600 and the directories that hold them 0700, so none of it is
/// readable beyond root.
/// </summary>
public static class PrivateState
{
    /// <summary>The mode of a state file: read and write for the owner only.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The mode of a state directory: the owner only.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Makes <paramref name="directory"/> (and missing parents) 0700, and narrows it to 0700 when it
    /// exists with more (made by an older version, or by hand): it holds state only.
    /// </summary>
    public static void EnsureDirectory(string directory)
    {
        Directory.CreateDirectory(directory, DirectoryMode);
        if ((File.GetUnixFileMode(directory) & ~DirectoryMode) != 0)
        {
            File.SetUnixFileMode(directory, DirectoryMode);
        }
    }

    /// <summary>Narrows an existing file to 0600 (one written by an older version); nothing when it does not exist.</summary>
    public static void NarrowFile(string path)
    {
        if (File.Exists(path) && (File.GetUnixFileMode(path) & ~FileMode) != 0)
        {
            File.SetUnixFileMode(path, FileMode);
        }
    }
}
