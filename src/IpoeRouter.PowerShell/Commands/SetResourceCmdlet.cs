using System.Management.Automation;
using IpoeRouter.Engine.Documents;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// Set-Ipoe* (and Add-): creates or updates one resource in the document from the bound
/// parameters; properties not bound keep their value. The whole document is validated before
/// anything is asked or written; an unchanged resource writes nothing.
/// </summary>
public abstract class SetResourceCmdlet<T> : DocumentCmdlet
    where T : class
{
    /// <summary>Output the resource as it is (or would be, under -WhatIf) afterwards.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>The key of the resource being set.</summary>
    protected abstract string Key { get; }

    /// <summary>What the resource is called in messages ("tunnel").</summary>
    protected abstract string What { get; }

    /// <summary>The resource with <paramref name="key"/>, or null.</summary>
    protected abstract T? Find(RouterDocument document, string key);

    /// <summary>The resource after the change. Throws <see cref="IpoeException"/> for parameters that do not make one.</summary>
    protected abstract T Build(T? existing, RouterDocument document);

    /// <summary>The document with <paramref name="item"/> in it.</summary>
    protected abstract RouterDocument With(RouterDocument document, T item);

    /// <summary>Whether a missing document file is created (true for Set-, which starts a document).</summary>
    protected virtual bool CreatesDocument => true;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        DocumentSnapshot snapshot = LoadDocument(createIfMissing: CreatesDocument);
        T? existing = Find(snapshot.Document, Key);
        T item;
        _clearable.Clear();
        try
        {
            item = Build(existing, snapshot.Document);
            CheckClearNames();
        }
        catch (IpoeException e)
        {
            WriteError(e);
            return;
        }

        RouterDocument next = With(snapshot.Document, item);
        if (next.Equals(snapshot.Document))
        {
            WriteVerbose($"The {What} '{Key}' in {snapshot.Path} already is as requested; nothing to write.");
            if (PassThru)
            {
                WriteResource(item);
            }

            return;
        }

        string action = existing is null ? "Add" : "Update";
        CommitOutcome outcome = Commit(snapshot, next, $"{What} {Key}", action);
        if (PassThru && outcome is CommitOutcome.Written or CommitOutcome.WhatIf)
        {
            WriteResource(item);
        }
    }

    /// <summary>An error for a property a new resource cannot do without.</summary>
    protected IpoeException Required(string parameter, string why) =>
        new(Engine.EngineErrorIds.ParameterRequired, ErrorKind.InvalidArgument,
            $"The {What} '{Key}' is new, so -{parameter} is required: {why}", Key);

    /// <summary>An error for a parameter value that is not valid.</summary>
    protected IpoeException Invalid(string parameter, string value, string expected) =>
        new(Engine.EngineErrorIds.InvalidParameter, ErrorKind.InvalidArgument,
            $"-{parameter} '{value}' is not valid: {expected}", value);

    /// <summary>Names of properties to un-declare; null where the cmdlet offers no -Clear.</summary>
    protected virtual string[]? ClearNames => null;

    private readonly HashSet<string> _clearable = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The new value of one property: <paramref name="bound"/> when its parameter was given,
    /// <paramref name="cleared"/> when -Clear names it, else <paramref name="current"/>.
    /// </summary>
    protected TValue Pick<TValue>(string parameter, TValue bound, TValue current, TValue cleared = default!)
    {
        _clearable.Add(parameter);
        if (ClearNames?.Contains(parameter, StringComparer.OrdinalIgnoreCase) == true)
        {
            return IsBound(parameter)
                ? throw Invalid(parameter, parameter, $"-{parameter} is both given and named in -Clear.")
                : cleared;
        }

        return IsBound(parameter) ? bound : current;
    }

    /// <summary>Refuses -Clear names that no property of this cmdlet answers to.</summary>
    private void CheckClearNames()
    {
        var unknown = (ClearNames ?? []).Where(n => !_clearable.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            throw Invalid("Clear", string.Join(", ", unknown), $"these can be cleared: {string.Join(", ", _clearable.Order(StringComparer.Ordinal))}.");
        }
    }
}
