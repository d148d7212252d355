using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>What Test-IpoeDocument -Detailed reports about one document.</summary>
public sealed record DocumentTestResult(string Path, bool IsValid, IReadOnlyList<Diagnostic> Errors, IReadOnlyList<Diagnostic> Warnings);
