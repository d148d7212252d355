using IpoeRouter.Model;
using IpoeRouter.Model.Yaml;

namespace IpoeRouter.Engine.Documents;

/// <summary>
/// A document as read from <see cref="Path"/>, with the exact bytes read, so that a later write can
/// tell whether someone else changed the file in between.
/// </summary>
public sealed record DocumentSnapshot(string Path, LoadedDocument Loaded, byte[]? Bytes)
{
    /// <summary>True when the file did not exist and the snapshot is an empty document.</summary>
    public bool IsNew => Bytes is null;

    /// <summary>The document as declared.</summary>
    public RouterDocument Document => Loaded.Declared;
}
