using IpoeRouter.Engine.Kernel;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Rtnl;

namespace IpoeRouter.Engine.Planning;

/// <summary>What an apply did: the items applied, and on failure the item that failed, why, and anything the rollback could not undo.</summary>
public sealed record ApplyReport(IReadOnlyList<ResourceDiff> Applied, ResourceDiff? Failed, Exception? Error, IReadOnlyList<string> RollbackFailures)
{
    /// <summary>True when every approved item was applied.</summary>
    public bool Succeeded => Failed is null;

    /// <summary>The undo steps of everything applied, last first: what a confirmed apply rolls back when not confirmed in time.</summary>
    public IReadOnlyList<KernelOperation> Journal { get; init; } = [];
}

/// <summary>
/// Executes a plan in order, journaling the inverse of each item. On the first failure the items
/// already applied are undone in reverse (and the failed item's own partial work), so the kernel
/// is left as it was; the report says what failed and why.
/// </summary>
public static class Applier
{
    /// <summary>Applies the actionable items of <paramref name="plan"/> that <paramref name="approve"/> accepts (all when null).</summary>
    public static ApplyReport Apply(Plan plan, IKernel kernel, Func<ResourceDiff, bool>? approve = null)
    {
        var applied = new List<ResourceDiff>();
        var journal = new List<KernelOperation>();
        foreach (ResourceDiff item in plan.Actionable)
        {
            if (approve is not null && !approve(item))
            {
                continue;
            }

            int done = 0;
            try
            {
                foreach (KernelOperation op in item.Operations)
                {
                    op.Execute(kernel);
                    done++;
                }
            }
            catch (Exception e) when (IsKernelFailure(e))
            {
                var undo = (done > 0 ? item.Inverse : []).Concat(journal).ToList();
                return new ApplyReport(applied, item, e, Undo(kernel, undo));
            }

            applied.Add(item);
            journal.InsertRange(0, item.Inverse);
        }

        return new ApplyReport(applied, null, null, []) { Journal = journal };
    }

    /// <summary>Runs undo steps in order; one that fails is reported and the rest still run.</summary>
    public static IReadOnlyList<string> Undo(IKernel kernel, IEnumerable<KernelOperation> steps)
    {
        var failures = new List<string>();
        foreach (KernelOperation step in steps)
        {
            try
            {
                step.Execute(kernel);
            }
            catch (Exception e) when (IsKernelFailure(e))
            {
                failures.Add($"{step}: {e.Message}");
            }
        }

        return failures;
    }

    /// <summary>Failures the kernel reports for a request; anything else is a bug and is not caught.</summary>
    public static bool IsKernelFailure(Exception e) =>
        e is NetlinkException or MissingKernelModuleException or NetlinkDumpInterruptedException or NetlinkFormatException or Linux.Nft.NftException
            or IOException or UnauthorizedAccessException or TimeoutException;
}
