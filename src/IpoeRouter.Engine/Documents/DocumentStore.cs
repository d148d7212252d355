using System.Text;
using IpoeRouter.Model;
using IpoeRouter.Model.Yaml;

namespace IpoeRouter.Engine.Documents;

/// <summary>
/// The router's document on disk: where it is, reading it (validated, with file:line:col errors),
/// and writing it only when valid, atomically, and only if nobody changed it since it was read.
/// </summary>
public static class DocumentStore
{
    /// <summary>Where the document lives unless told otherwise.</summary>
    public const string DefaultPath = "/etc/ipoe/router.yaml";

    /// <summary>The environment variable that overrides <see cref="DefaultPath"/>.</summary>
    public const string PathVariable = "IPOE_DOCUMENT";

    /// <summary>The path to use: the one given, else <c>$IPOE_DOCUMENT</c>, else <see cref="DefaultPath"/>.</summary>
    public static string ResolvePath(string? path) =>
        !string.IsNullOrEmpty(path) ? path
        : Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } env ? env
        : DefaultPath;

    /// <summary>Reads and validates the document; throws when it is missing or invalid.</summary>
    public static DocumentSnapshot Load(string path)
    {
        byte[] bytes = ReadBytes(path) ?? throw new IpoeException(EngineErrorIds.DocumentNotFound, ErrorKind.ObjectNotFound,
            $"The document {path} does not exist. Create it with a Set-Ipoe* cmdlet or Import-IpoeDocument, or point -Path or ${PathVariable} at it.", path);
        return Parse(path, bytes);
    }

    /// <summary>Reads the document, or an empty one when the file does not exist yet (for cmdlets that create it).</summary>
    public static DocumentSnapshot LoadOrEmpty(string path)
    {
        byte[]? bytes = ReadBytes(path);
        return bytes is null
            ? new DocumentSnapshot(path, DocumentLoader.Check(RouterDocument.Empty), null)
            : Parse(path, bytes);
    }

    /// <summary>Reads and validates a document from text that came from <paramref name="path"/>.</summary>
    public static DocumentSnapshot Parse(string path, byte[] bytes) =>
        new(path, DocumentLoader.Load(Encoding.UTF8.GetString(bytes), path), bytes);

    /// <summary>
    /// Validates <paramref name="next"/> and writes it in place of <paramref name="basis"/>'s file.
    /// Nothing is written when the document is invalid (<see cref="DocumentException"/>) or when the
    /// file changed since <paramref name="basis"/> was read (<see cref="EngineErrorIds.DocumentChanged"/>).
    /// </summary>
    public static LoadedDocument Save(DocumentSnapshot basis, RouterDocument next)
    {
        LoadedDocument checkedDoc = Check(next, basis.Path);
        Write(basis.Path, next, () =>
        {
            byte[]? now = ReadBytes(basis.Path);
            bool same = now is null ? basis.Bytes is null : basis.Bytes is not null && now.AsSpan().SequenceEqual(basis.Bytes);
            if (!same)
            {
                throw new IpoeException(EngineErrorIds.DocumentChanged, ErrorKind.InvalidOperation,
                    $"{basis.Path} changed on disk since it was read; nothing was written. Run the command again.", basis.Path);
            }
        });
        return checkedDoc;
    }

    /// <summary>Validates <paramref name="document"/> and writes it to <paramref name="path"/>, replacing whatever is there.</summary>
    public static LoadedDocument SaveAs(string path, RouterDocument document)
    {
        LoadedDocument checkedDoc = Check(document, path);
        Write(path, document, null);
        return checkedDoc;
    }

    /// <summary>
    /// Everything <see cref="Save"/> checks before writing, without writing: the document is valid,
    /// and its YAML reads back as the same document. Cmdlets call it before asking for confirmation.
    /// </summary>
    public static LoadedDocument Check(RouterDocument document, string path)
    {
        LoadedDocument checkedDoc = DocumentLoader.Check(document, path);
        _ = Render(document, path);
        return checkedDoc;
    }

    /// <summary>Writes a validated document's original bytes to <paramref name="path"/> (an import keeps its comments).</summary>
    public static void Install(string path, DocumentSnapshot validated) =>
        WriteBytes(path, validated.Bytes ?? Encoding.UTF8.GetBytes(Render(validated.Document, path)), null);

    private static void Write(string path, RouterDocument document, Action? beforeRename) =>
        WriteBytes(path, Encoding.UTF8.GetBytes(Render(document, path)), beforeRename);

    /// <summary>
    /// The text of <paramref name="document"/>, checked to read back as the same document, so that a
    /// value the reader would refuse (a name or number the cmdlets let through) is never written.
    /// </summary>
    internal static string Render(RouterDocument document, string path)
    {
        string text = DocumentWriter.Write(document);
        DocumentReadResult reread = DocumentReader.Read(text, path);
        if (reread.Document is null)
        {
            // The locations point into text that is not on disk; the document paths say where.
            throw new DocumentException(reread.Diagnostics.Select(d => d with { Location = null }).ToList(), path);
        }

        if (!reread.Document.Equals(document))
        {
            throw new IpoeException(EngineErrorIds.DocumentNotRepresentable, ErrorKind.InvalidData,
                $"The change cannot be written to {path}: its YAML would read back differently. Nothing was written.", path);
        }

        return text;
    }

    private static void WriteBytes(string path, byte[] content, Action? beforeRename)
    {
        try
        {
            AtomicFile.Write(path, content, beforeRename);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IpoeException(EngineErrorIds.DocumentAccessDenied, ErrorKind.PermissionDenied,
                $"Cannot write {path}: {e.Message} The router's document is usually root's; run as root or choose another -Path.", path, e);
        }
        catch (IOException e)
        {
            throw new IpoeException(EngineErrorIds.DocumentWriteFailed, ErrorKind.ResourceUnavailable,
                $"Writing {path} failed: {e.Message} The previous document is unchanged.", path, e);
        }
    }

    private static byte[]? ReadBytes(string path)
    {
        if (Directory.Exists(path))
        {
            throw new IpoeException(EngineErrorIds.DocumentUnreadable, ErrorKind.InvalidArgument,
                $"{path} is a directory; the document is a file such as {System.IO.Path.Combine(path, "router.yaml")}.", path);
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IpoeException(EngineErrorIds.DocumentAccessDenied, ErrorKind.PermissionDenied,
                $"Cannot read {path}: {e.Message} Run as root or choose another -Path.", path, e);
        }
        catch (IOException e)
        {
            throw new IpoeException(EngineErrorIds.DocumentUnreadable, ErrorKind.ResourceUnavailable, $"Cannot read {path}: {e.Message}", path, e);
        }
    }
}
