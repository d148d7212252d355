namespace IpoeRouter.Services.DsLite;

/// <summary>What an answer did to an <see cref="AftrNameSchedule"/>.</summary>
public enum AftrNameOutcome
{
    /// <summary>The query was begun before the name or the servers changed: the answer was ignored.</summary>
    Stale,

    /// <summary>An answer with the address already in use: nothing for the tunnel to do.</summary>
    Confirmed,

    /// <summary>An answer with another address than before (or the first): the tunnel's remote is now this one.</summary>
    Changed,

    /// <summary>No address this time: the last good one (if any) is kept and a retry is scheduled.</summary>
    Failed,
}
