using System.Management.Automation;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// Get-Ipoe*: lists the resources of one kind in the document, filtered by key with wildcards; a
/// key without wildcards that matches nothing is a non-terminating not-found error.
/// </summary>
public abstract class GetResourceCmdlet<T> : DocumentCmdlet
    where T : class
{
    /// <summary>The keys (wildcards allowed) given by the caller; null lists everything.</summary>
    protected abstract string[]? Keys { get; }

    /// <summary>What the resource is called in messages ("tunnel").</summary>
    protected abstract string What { get; }

    /// <summary>The not-found error id.</summary>
    protected abstract string NotFoundId { get; }

    /// <summary>The resources of this kind.</summary>
    protected abstract IEnumerable<T> Select(RouterDocument document);

    /// <summary>The key of <paramref name="item"/>.</summary>
    protected abstract string KeyOf(T item);

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        RouterDocument document = LoadDocument().Document;
        List<T> items = Select(document).ToList();
        if (Keys is null || Keys.Length == 0)
        {
            items.ForEach(WriteResource);
            return;
        }

        var written = new HashSet<T>(ReferenceEqualityComparer.Instance);
        foreach (string key in Keys)
        {
            var pattern = new WildcardPattern(key, WildcardOptions.None);
            var matches = items.Where(i => pattern.IsMatch(KeyOf(i))).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(key))
            {
                WriteError(NotFound(NotFoundId, What, key));
            }

            foreach (T match in matches.Where(written.Add))
            {
                WriteResource(match);
            }
        }
    }
}
