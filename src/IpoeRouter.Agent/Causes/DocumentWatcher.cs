using IpoeRouter.Engine.Loop;

namespace IpoeRouter.Agent.Causes;

/// <summary>
/// Hears the document being replaced: the cmdlets write by rename (a temporary file, then rename over
/// the document), an editor may write in place, and the document may be a symlink into a git checkout.
/// So the directory is watched (inotify), and the symlink's target directory too, for any change to
/// the file's name; each becomes a <see cref="CauseKind.Document"/> cause, and the pass decides whether
/// the bytes are a new valid version.
/// </summary>
internal sealed class DocumentWatcher : IDisposable
{
    private readonly List<FileSystemWatcher> _watchers = [];

    private DocumentWatcher(string path, ReconcileLoop loop, TimeProvider time, Action<string> log)
    {
        var names = new HashSet<(string Directory, string Name)>();
        string full = Path.GetFullPath(path);
        names.Add((Path.GetDirectoryName(full)!, Path.GetFileName(full)));
        if (File.ResolveLinkTarget(full, returnFinalTarget: true) is { } target)
        {
            names.Add((Path.GetDirectoryName(target.FullName)!, target.Name));
        }

        foreach (var (directory, name) in names)
        {
            if (!Directory.Exists(directory))
            {
                log($"document: {directory} does not exist; edits of {name} are heard on SIGHUP or the next resync only");
                continue;
            }

            var watcher = new FileSystemWatcher(directory, name)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            void Changed(string what) => loop.Post(new Cause(CauseKind.Document, $"{Path.Combine(directory, name)} {what}", time.GetUtcNow()));
            watcher.Changed += (_, _) => Changed("written");
            watcher.Created += (_, _) => Changed("replaced");
            watcher.Renamed += (_, e) => Changed(e.Name == name ? "replaced" : "renamed away");
            watcher.Deleted += (_, _) => Changed("deleted");
            watcher.Error += (_, e) =>
            {
                log($"document: watching {directory} failed ({e.GetException().Message}); reading the document again");
                Changed("watch overflowed");
            };
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    /// <summary>Starts watching <paramref name="path"/> for <paramref name="loop"/>.</summary>
    public static DocumentWatcher Start(string path, ReconcileLoop loop, TimeProvider time, Action<string> log) => new(path, loop, time, log);

    /// <inheritdoc/>
    public void Dispose() => _watchers.ForEach(w => w.Dispose());
}
