using System.Reflection;
using System.Xml.Linq;
using Xunit;

namespace IpoeRouter.Architecture.Tests;

public sealed class DependencyTests
{
    private static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "IpoeIaC.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("IpoeIaC.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static TheoryData<string> SourceProjects()
    {
        var data = new TheoryData<string>();
        foreach (string csproj in Directory.GetFiles(Path.Combine(RepoRoot, "src"), "*.csproj", SearchOption.AllDirectories).Order())
        {
            data.Add(Path.GetFileNameWithoutExtension(csproj));
        }

        return data;
    }

    /// <summary>Every project the rules name: each must exist, so a renamed or removed layer cannot leave its rules checking nothing.</summary>
    public static TheoryData<string> ExpectedProjects()
    {
        var data = new TheoryData<string>();
        foreach (string project in DependencyRules.Allowed.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(project);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ExpectedProjects))]
    public void ExpectedProject_IsInSrc(string project)
    {
        string csproj = Path.Combine(RepoRoot, "src", project, project + ".csproj");
        Assert.True(File.Exists(csproj),
            $"{csproj} is missing: the dependency rules name {project}; if it was renamed or removed, change DependencyRules.Allowed with it.");
    }

    [Theory]
    [MemberData(nameof(ExpectedProjects))]
    public void ExpectedProject_IsBuiltBesideTheTests(string project)
    {
        string? built = File.Exists(Path.Combine(AppContext.BaseDirectory, project + ".dll"))
            ? Path.Combine(AppContext.BaseDirectory, project + ".dll")
            : BuiltExecutable(project);
        Assert.True(built is not null && File.Exists(built),
            $"no assembly of {project} beside the tests or in its bin/: reference it from Architecture.Tests.csproj (or build it), so its references are checked.");
    }

    [Fact]
    public void SourceProjects_AreExactlyTheProjectsTheRulesName()
    {
        var inSrc = Directory.GetFiles(Path.Combine(RepoRoot, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(DependencyRules.Allowed.Keys.Order(StringComparer.Ordinal), inSrc);
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void ProjectReferences_FollowTheOneWayRules(string project)
    {
        string csproj = Path.Combine(RepoRoot, "src", project, project + ".csproj");
        var references = XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')));
        Assert.Empty(DependencyRules.Violations(project, references));
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void CompiledAssembly_ReferencesOnlyAllowedAssemblies(string project)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, project + ".dll");
        if (!File.Exists(dll) && BuiltExecutable(project) is { } exe)
        {
            dll = exe; // an executable (the agent) is not referenced by tests: read it from its own output
        }

        Assert.True(File.Exists(dll), $"{project}.dll is not beside the tests: add a ProjectReference to it in Architecture.Tests.csproj.");
        var references = AssemblyName.GetAssemblyName(dll) is { } name
            ? Assembly.LoadFrom(dll).GetReferencedAssemblies().Select(a => a.Name!)
            : [];
        Assert.Empty(DependencyRules.Violations(project, references));
    }

    /// <summary>The newest build of an executable project whose csproj names its assembly (ipoe-agent), or null.</summary>
    private static string? BuiltExecutable(string project)
    {
        string csproj = Path.Combine(RepoRoot, "src", project, project + ".csproj");
        string? assembly = File.Exists(csproj) ? XDocument.Load(csproj).Descendants("AssemblyName").FirstOrDefault()?.Value : null;
        string bin = Path.Combine(RepoRoot, "src", project, "bin");
        return assembly is null || !Directory.Exists(bin) ? null
            : Directory.GetFiles(bin, assembly + ".dll", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();
    }

    [Fact]
    public void Protocols_HasNoPackageReferences()
    {
        string csproj = Path.Combine(RepoRoot, "src", "IpoeRouter.Protocols", "IpoeRouter.Protocols.csproj");
        Assert.True(File.Exists(csproj), $"{csproj} is missing: the rule that Protocols needs no package must follow a rename.");
        Assert.Empty(XDocument.Load(csproj).Descendants("PackageReference"));
    }

    [Fact]
    public void Violations_LinuxReferencingModel_IsReported()
    {
        var found = DependencyRules.Violations("IpoeRouter.Linux", ["IpoeRouter.Model", "Tmds.LibC"]).ToList();
        Assert.Single(found);
        Assert.Contains("IpoeRouter.Model", found[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Violations_PowerShellReferencingServices_IsReported() =>
        Assert.Single(DependencyRules.Violations("IpoeRouter.PowerShell", ["IpoeRouter.Engine", "IpoeRouter.Services"]));

    [Fact]
    public void Violations_UnknownProject_IsReported() =>
        Assert.Single(DependencyRules.Violations("IpoeRouter.Gadget", []));

    [Fact]
    public void Violations_EngineReferencingItsAllowedLayers_IsClean() =>
        Assert.Empty(DependencyRules.Violations("IpoeRouter.Engine", ["IpoeRouter.Model", "IpoeRouter.Linux", "IpoeRouter.Services", "YamlDotNet"]));
}
