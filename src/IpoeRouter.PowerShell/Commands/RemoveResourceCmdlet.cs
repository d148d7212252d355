using System.Management.Automation;
using IpoeRouter.Engine.Documents;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Remove-Ipoe*: takes one resource out of the document. The engine removes what it had made for it on the next reconcile.</summary>
public abstract class RemoveResourceCmdlet : DocumentCmdlet
{
    /// <summary>The key of the resource to remove.</summary>
    protected abstract string Key { get; }

    /// <summary>What the resource is called in messages ("tunnel").</summary>
    protected abstract string What { get; }

    /// <summary>The not-found error id.</summary>
    protected abstract string NotFoundId { get; }

    /// <summary>True when the document has the resource.</summary>
    protected abstract bool Contains(RouterDocument document, string key);

    /// <summary>The document without the resource.</summary>
    protected abstract RouterDocument Without(RouterDocument document, string key);

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        DocumentSnapshot snapshot = LoadDocument();
        if (!Contains(snapshot.Document, Key))
        {
            WriteError(NotFound(NotFoundId, What, Key));
            return;
        }

        Commit(snapshot, Without(snapshot.Document, Key), $"{What} {Key}", "Remove");
    }
}
