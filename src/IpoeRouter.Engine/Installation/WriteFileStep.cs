namespace IpoeRouter.Engine.Installation;

/// <summary>Writes a file atomically (temporary file, fsync, mode, rename) from <see cref="SourcePath"/> or <see cref="Content"/>.</summary>
/// <param name="Target">The file written.</param>
/// <param name="Action">What -WhatIf shows.</param>
/// <param name="SourcePath">The file copied, or null to write <see cref="Content"/>.</param>
/// <param name="Content">The text written when there is no source file.</param>
/// <param name="Mode">The new file's permission bits.</param>
public sealed record WriteFileStep(string Target, string Action, string? SourcePath, string? Content, UnixFileMode Mode) : InstallStep(Target, Action);
