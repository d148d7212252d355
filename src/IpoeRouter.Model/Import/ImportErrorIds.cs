namespace IpoeRouter.Model.Import;

/// <summary>The stable error ids of importing a hand-built router's configuration.</summary>
public static class ImportErrorIds
{
    /// <summary>A configuration file cannot be parsed at all (its syntax is broken); the message names file:line:col.</summary>
    public const string ImportSourceSyntaxError = nameof(ImportSourceSyntaxError);

    /// <summary>Two files define the same interface or tunnel (e.g. two variants of one netplan file); import one of them.</summary>
    public const string ImportSourceConflict = nameof(ImportSourceConflict);

    /// <summary>The source folder holds no file the importer recognises.</summary>
    public const string ImportSourceEmpty = nameof(ImportSourceEmpty);
}
