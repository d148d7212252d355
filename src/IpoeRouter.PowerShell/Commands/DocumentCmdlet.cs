using System.Management.Automation;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Documents;
using IpoeRouter.Model;
using IpoeRouter.Model.Yaml;

namespace IpoeRouter.Commands;

/// <summary>
/// A cmdlet that reads or edits the router's document at <see cref="Path"/>. Edits are validated
/// as a whole document before <c>ShouldProcess</c>, and written atomically only when confirmed.
/// </summary>
public abstract class DocumentCmdlet : IpoeCmdlet
{
    /// <summary>The name of the note property that carries the document path on output objects.</summary>
    public const string DocumentPathProperty = "DocumentPath";

    /// <summary>The document; default <c>$env:IPOE_DOCUMENT</c>, else <c>/etc/ipoe/router.yaml</c>.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, HelpMessage = "The router's document. Default: $env:IPOE_DOCUMENT, else /etc/ipoe/router.yaml.")]
    [Alias(DocumentPathProperty)]
    [ValidateNotNullOrEmpty]
    public virtual string? Path { get; set; }

    /// <summary>The absolute document path in effect.</summary>
    protected string DocumentFile => GetUnresolvedProviderPathFromPSPath(DocumentStore.ResolvePath(Path));

    /// <summary>Reads the document; a missing or invalid document ends the cmdlet.</summary>
    protected DocumentSnapshot LoadDocument(bool createIfMissing = false)
    {
        try
        {
            DocumentSnapshot snapshot = createIfMissing ? DocumentStore.LoadOrEmpty(DocumentFile) : DocumentStore.Load(DocumentFile);
            return snapshot;
        }
        catch (IpoeException e)
        {
            ThrowTerminating(e);
            throw; // not reached: ThrowTerminatingError does not return
        }
    }

    /// <summary>
    /// Validates <paramref name="next"/>, asks <c>ShouldProcess</c> with a message that names the
    /// target, and writes it. Says what happened: written, only shown (<c>-WhatIf</c>), declined,
    /// or failed (already reported as an error).
    /// </summary>
    protected CommitOutcome Commit(DocumentSnapshot basis, RouterDocument next, string target, string action)
    {
        LoadedDocument checkedDoc;
        try
        {
            checkedDoc = DocumentStore.Check(next, basis.Path);
        }
        catch (IpoeException e)
        {
            WriteError(new ErrorRecord(e, e.ErrorId, CategoryOf(e.Kind), target));
            return CommitOutcome.Failed;
        }

        foreach (Diagnostic warning in checkedDoc.Warnings)
        {
            WriteWarning($"{warning.Id}: {warning.Message} (at {warning.Path})");
        }

        if (basis.Loaded.CommentCount > 0)
        {
            WriteWarning($"{basis.Path} holds {basis.Loaded.CommentCount} comment(s); rewriting the document drops them (Import-IpoeDocument keeps a file's comments).");
        }

        string what = $"{action} {target} in {basis.Path}";
        if (!ShouldProcess(what, what + "?", "Confirm", out ShouldProcessReason reason))
        {
            return reason == ShouldProcessReason.WhatIf ? CommitOutcome.WhatIf : CommitOutcome.Declined;
        }

        try
        {
            DocumentStore.Save(basis, next);
            return CommitOutcome.Written;
        }
        catch (IpoeException e)
        {
            WriteError(e);
            return CommitOutcome.Failed;
        }
    }

    /// <summary>Writes <paramref name="item"/> with the document path attached, so it can be piped to another IpoeRouter cmdlet.</summary>
    protected void WriteResource(object item)
    {
        var ps = PSObject.AsPSObject(item);
        ps.Properties.Remove(DocumentPathProperty);
        ps.Properties.Add(new PSNoteProperty(DocumentPathProperty, DocumentFile));
        WriteObject(ps);
    }

    /// <summary>An error for a resource that is not in the document.</summary>
    protected IpoeException NotFound(string errorId, string what, string key) =>
        new(errorId, ErrorKind.ObjectNotFound, $"The document {DocumentFile} has no {what} '{key}'.", key);
}
