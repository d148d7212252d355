using IpoeRouter.Engine;
using IpoeRouter.Engine.Journal;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// The pending confirmation of a direct apply (-ConfirmWithin, no agent), written journal first:
/// before the reconciler's first change the undo steps are on disk and the watcher that runs them
/// at the deadline is started, so an apply killed half way still has its way back armed. Once the
/// apply is over the journal is narrowed to what was applied, or withdrawn when the apply failed
/// (the reconciler rolled it back) or changed nothing.
/// </summary>
internal sealed class DirectConfirmation(string? networkNamespace, int seconds, string pwshDll, string modulePath)
{
    /// <summary>The confirmation written, once the first pass was about to change something.</summary>
    public PendingConfirmation? Pending { get; private set; }

    /// <summary>The watcher's pid, once started.</summary>
    public int WatcherPid { get; private set; }

    /// <summary>
    /// What the reconciler calls before each pass changes anything: writes (the first time: creates,
    /// and starts the watcher) the confirmation with <paramref name="undo"/>.
    /// </summary>
    /// <exception cref="IpoeException"><see cref="EngineErrorIds.ConfirmationJournalFailed"/>: nothing of the pass may be applied.</exception>
    public void JournalFirst(IReadOnlyList<KernelOperation> undo)
    {
        if (Pending is { } written)
        {
            Pending = written with { Undo = undo };
            if (!Pending.Update())
            {
                throw new IpoeException(EngineErrorIds.ConfirmationJournalFailed, ErrorKind.InvalidOperation,
                    $"Apply {written.Id} stopped waiting for confirmation while it was being applied (its deadline passed); the rest is not applied.", written.Id);
            }

            return;
        }

        var pending = new PendingConfirmation(PendingConfirmation.NewId(), networkNamespace, DateTimeOffset.UtcNow.AddSeconds(seconds), undo);
        try
        {
            pending.Save();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IpoeException(EngineErrorIds.ConfirmationJournalFailed, ErrorKind.ResourceUnavailable,
                $"The undo journal {pending.FilePath} could not be written ({e.Message}); nothing was applied.", pending.FilePath, e);
        }

        try
        {
            WatcherPid = ConfirmationWatcher.Start(pending, pwshDll, modulePath);
        }
        catch (InvalidOperationException e)
        {
            // Without a watcher nothing would roll back at the deadline: apply nothing rather than promise it.
            pending.Withdraw();
            throw new IpoeException(EngineErrorIds.ConfirmationJournalFailed, ErrorKind.ResourceUnavailable,
                $"The rollback watcher did not start ({e.Message}); nothing was applied.", pending.Id, e);
        }

        Pending = pending;
    }

    /// <summary>After a successful apply: the journal becomes exactly <paramref name="applied"/>'s undo steps. False when the deadline took it meanwhile.</summary>
    public bool Settle(IReadOnlyList<KernelOperation> applied)
    {
        if (Pending is not { } written)
        {
            return false;
        }

        Pending = written with { Undo = applied };
        return Pending.Update();
    }

    /// <summary>After a failed apply (already rolled back) or one that changed nothing: the confirmation goes and its watcher is stopped.</summary>
    public void Withdraw()
    {
        Pending?.Withdraw();
        Pending = null;
        ConfirmationWatcher.Stop(WatcherPid);
        WatcherPid = 0;
    }
}
