using IpoeRouter.Engine.Journal;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// Checks the <c>-Id</c> values of Confirm-/Undo-IpoeReconcile before anything uses them: an id
/// not in the form the engine makes (<see cref="ConfirmationId"/>) is reported as
/// <c>ConfirmationIdInvalid</c> and left out, so it names neither a file nor an apply.
/// </summary>
internal static class ConfirmationIdFilter
{
    /// <summary>
    /// Null when no id was given (the cmdlet then acts on every pending apply); otherwise the
    /// well-formed ids, with one error written through <paramref name="writeError"/> for each other.
    /// </summary>
    public static string[]? WellFormed(string[]? ids, Action<IpoeException> writeError)
    {
        if (ids is null)
        {
            return null;
        }

        var kept = new List<string>(ids.Length);
        foreach (string id in ids)
        {
            try
            {
                ConfirmationId.Require(id);
                kept.Add(id);
            }
            catch (IpoeException e)
            {
                writeError(e);
            }
        }

        return [.. kept];
    }
}
