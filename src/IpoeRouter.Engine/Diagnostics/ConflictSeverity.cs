namespace IpoeRouter.Engine.Diagnostics;

/// <summary>How much a conflict matters to this router.</summary>
public enum ConflictSeverity
{
    /// <summary>Something another program does that this router's document does not need (yet): worth knowing, nothing breaks.</summary>
    Warning,

    /// <summary>Something that stops a service the document needs, or fights the agent over a link: fix it before starting the agent.</summary>
    Fail,
}
