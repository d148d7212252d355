using System.Management.Automation;

namespace IpoeRouter.Commands;

/// <summary>
/// A Set- cmdlet whose optional properties can be un-declared with <c>-Clear Mtu, HopLimit</c>,
/// giving them back their defaults (or leaving them to the system).
/// </summary>
public abstract class ClearableSetCmdlet<T> : SetResourceCmdlet<T>
    where T : class
{
    /// <summary>Optional properties to un-declare, named by their parameter.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Clear { get; set; }

    /// <inheritdoc/>
    protected override string[]? ClearNames => Clear;
}
