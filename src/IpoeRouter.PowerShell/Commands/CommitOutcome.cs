namespace IpoeRouter.Commands;

/// <summary>What became of a document change.</summary>
public enum CommitOutcome
{
    /// <summary>The document was written.</summary>
    Written,

    /// <summary>Only shown, under <c>-WhatIf</c>; the change itself was valid.</summary>
    WhatIf,

    /// <summary>The user said no at <c>-Confirm</c>.</summary>
    Declined,

    /// <summary>The change was invalid or the write failed; an error was written.</summary>
    Failed,
}
