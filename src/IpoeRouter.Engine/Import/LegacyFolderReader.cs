using IpoeRouter.Model;
using IpoeRouter.Model.Import;

namespace IpoeRouter.Engine.Import;

/// <summary>
/// The I/O half of importing a hand-built router: lists a folder (laid out like /etc, or flat like
/// the seed's), keeps the files <see cref="LegacySourceLayout"/> recognises and reads them, for
/// <see cref="RouterImporter"/> to turn into a document.
/// </summary>
public static class LegacyFolderReader
{
    private const int MaxFileBytes = 1 << 20;

    /// <summary>What was read, and the files that were passed over (not recognised, or excluded).</summary>
    public sealed record Result(IReadOnlyList<(LegacySourceKind Kind, SourceText Source)> Sources, IReadOnlyList<string> Skipped);

    /// <summary>
    /// Reads the recognised files under <paramref name="folder"/> (up to four levels deep), each
    /// named by its path relative to the folder, except those <paramref name="excluded"/> says to
    /// leave out (it gets the relative path). Directories the caller may not list are passed over
    /// (a real /etc has some); a recognised file that cannot be read is an error.
    /// </summary>
    /// <exception cref="IpoeException"><see cref="EngineErrorIds.FileUnavailable"/> when the folder or a file cannot be read.</exception>
    public static Result Read(string folder, Func<string, bool> excluded)
    {
        if (!Directory.Exists(folder))
        {
            throw new IpoeException(EngineErrorIds.FileUnavailable, ErrorKind.ObjectNotFound, $"The source folder {folder} does not exist.", folder);
        }

        var sources = new List<(LegacySourceKind, SourceText)>();
        var skipped = new List<string>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 4, IgnoreInaccessible = true };
        try
        {
            foreach (string path in Directory.EnumerateFiles(folder, "*", options).Order(StringComparer.Ordinal))
            {
                string relative = Path.GetRelativePath(folder, path);
                if (excluded(relative) || LegacySourceLayout.Classify(relative) is not { } kind || new FileInfo(path).Length > MaxFileBytes)
                {
                    skipped.Add(relative);
                    continue;
                }

                sources.Add((kind, new SourceText(relative, File.ReadAllText(path))));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IpoeException(EngineErrorIds.FileUnavailable, e is UnauthorizedAccessException ? ErrorKind.PermissionDenied : ErrorKind.ResourceUnavailable,
                $"Cannot read the source folder {folder}: {e.Message}", folder, e);
        }

        return new Result(sources, skipped);
    }
}
