using System.Text.RegularExpressions;
using IpoeRouter.Model;

namespace IpoeRouter.Engine.Journal;

/// <summary>
/// The form of an apply's confirmation id, <c>yyyyMMddTHHmmssZ-xxxxxxxx</c> (UTC time of the apply,
/// then eight lower-case hex digits): made here for direct applies and the agent's held ones alike,
/// and checked here before an id given by a caller names a file, so an id such as <c>../x</c> can
/// never reach outside the pending directory.
/// </summary>
public static partial class ConfirmationId
{
    /// <summary>A new id for an apply made at <paramref name="now"/>: sortable by time, unique.</summary>
    public static string New(DateTimeOffset now) =>
        $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>True when <paramref name="id"/> has the form <see cref="New"/> makes.</summary>
    public static bool IsValid(string? id) => id is not null && Form().IsMatch(id);

    /// <summary>Throws <see cref="EngineErrorIds.ConfirmationIdInvalid"/> unless <paramref name="id"/> has the form <see cref="New"/> makes.</summary>
    /// <exception cref="IpoeException">The id is malformed; it names the id.</exception>
    public static void Require(string? id)
    {
        if (!IsValid(id))
        {
            throw new IpoeException(EngineErrorIds.ConfirmationIdInvalid, ErrorKind.InvalidArgument,
                $"'{id}' is not a confirmation id: one looks like 20260101T120000Z-0123abcd, as Invoke-IpoeReconcile -ConfirmWithin prints it.", id);
        }
    }

    [GeneratedRegex(@"\A[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Form();
}
