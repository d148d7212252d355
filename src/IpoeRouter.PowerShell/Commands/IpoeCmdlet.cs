using System.Management.Automation;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// The base of every IpoeRouter cmdlet: the one mapping from <see cref="IpoeException"/> to
/// <see cref="ErrorRecord"/> (stable id, accurate category, exception kept, target set), and a
/// cancellation token that Ctrl+C cancels.
/// </summary>
public abstract class IpoeCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled when the user stops the pipeline.</summary>
    protected CancellationToken CancellationToken => _stopping.Token;

    /// <inheritdoc/>
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>The error record for <paramref name="e"/>.</summary>
    protected static ErrorRecord ToErrorRecord(IpoeException e) =>
        new(e, e.ErrorId, CategoryOf(e.Kind), e.Target);

    /// <summary>Reports a failure of one item; the pipeline goes on.</summary>
    protected void WriteError(IpoeException e) => WriteError(ToErrorRecord(e));

    /// <summary>Reports a failure after which nothing can go on.</summary>
    protected void ThrowTerminating(IpoeException e) => ThrowTerminatingError(ToErrorRecord(e));

    /// <summary><see cref="ThrowTerminating"/> for the module's helpers.</summary>
    internal void Terminate(IpoeException e) => ThrowTerminating(e);

    /// <summary><see cref="CancellationToken"/> for the module's helpers.</summary>
    internal CancellationToken Cancellation => CancellationToken;

    /// <summary>The PowerShell category of an error kind.</summary>
    protected static ErrorCategory CategoryOf(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidData => ErrorCategory.InvalidData,
        ErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        ErrorKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        ErrorKind.ResourceExists => ErrorCategory.ResourceExists,
        ErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        ErrorKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        ErrorKind.InvalidOperation => ErrorCategory.InvalidOperation,
        ErrorKind.NotImplemented => ErrorCategory.NotImplemented,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>True when the caller bound <paramref name="parameter"/> (so that <c>-Dhcp4:$false</c> differs from leaving it out).</summary>
    protected bool IsBound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

    /// <summary>Ends the cmdlet with <c>NotRoot</c> unless the caller is root: the kernel's network configuration needs CAP_NET_ADMIN.</summary>
    protected void RequireRoot()
    {
        bool root = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))
            ?.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(2) == "0";
        if (!root)
        {
            ThrowTerminating(new IpoeException(Engine.EngineErrorIds.NotRoot, ErrorKind.PermissionDenied,
                "Reading and changing the kernel's network configuration needs root (CAP_NET_ADMIN). Run pwsh as root, e.g. 'sudo pwsh'."));
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
