using IpoeRouter.Engine.Documents;
using IpoeRouter.Model;
using Xunit;

namespace IpoeRouter.Engine.Tests;

public sealed class DocumentStoreTests : IDisposable
{
    private const string Valid = """
        version: 1
        # the WAN
        interfaces:
          - { name: wan0, role: wan }
          - { name: lan0, role: lan, addresses: [192.0.2.1/24] }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("ipoe-store-").FullName;

    private string PathOf(string name) => Path.Combine(_dir, name);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteFile(string name, string text)
    {
        string path = PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Load_MissingFile_ThrowsDocumentNotFound()
    {
        var e = Assert.Throws<IpoeException>(() => DocumentStore.Load(PathOf("absent.yaml")));
        Assert.Equal(EngineErrorIds.DocumentNotFound, e.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, e.Kind);
    }

    [Fact]
    public void LoadOrEmpty_MissingFile_GivesEmptyNewDocument()
    {
        DocumentSnapshot s = DocumentStore.LoadOrEmpty(PathOf("sub/dir/absent.yaml"));
        Assert.True(s.IsNew);
        Assert.Equal(RouterDocument.Empty, s.Document);
    }

    [Fact]
    public void Load_InvalidFile_ThrowsWithFileLineAndColumn()
    {
        string path = WriteFile("bad.yaml", "version: 1\ninterfaces:\n  - name: wan0\n    mtux: 1500\n");
        var e = Assert.Throws<DocumentException>(() => DocumentStore.Load(path));
        Assert.Equal(DiagnosticIds.UnknownKey, e.ErrorId);
        Assert.Equal(new SourceLocation(path, 4, 5), e.Errors.First().Location);
    }

    [Fact]
    public void Save_ValidChange_WritesCanonicalTextThatLoadsBack()
    {
        string path = WriteFile("router.yaml", Valid);
        DocumentSnapshot s = DocumentStore.Load(path);
        RouterDocument next = s.Document.WithInterface(new Interface("lan0") { Role = InterfaceRole.Lan, Mtu = 1454, Addresses = [new StaticAddress(new InterfaceAddress(System.Net.IPAddress.Parse("192.0.2.1"), 24))] });

        DocumentStore.Save(s, next);

        Assert.Equal(next, DocumentStore.Load(path).Document);
        Assert.Contains("mtu: 1454", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal(1, s.Loaded.CommentCount);
    }

    [Fact]
    public void Save_InvalidDocument_ThrowsAndLeavesFileByteIdentical()
    {
        string path = WriteFile("router.yaml", Valid);
        byte[] before = File.ReadAllBytes(path);
        DocumentSnapshot s = DocumentStore.Load(path);
        RouterDocument broken = s.Document.WithDhcpScope(new DhcpScope("lan0", "lan0") { Range = new AddressRange(System.Net.IPAddress.Parse("198.51.100.10"), System.Net.IPAddress.Parse("198.51.100.20")) });

        var e = Assert.Throws<DocumentException>(() => DocumentStore.Save(s, broken));

        Assert.Equal(DiagnosticIds.DhcpRangeOutsideSubnet, e.ErrorId);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Save_FileChangedSinceRead_ThrowsDocumentChangedAndKeepsTheOtherWrite()
    {
        string path = WriteFile("router.yaml", Valid);
        DocumentSnapshot s = DocumentStore.Load(path);
        string other = Valid + "\nsysctl:\n  - { name: net.ipv4.ip_forward, value: 1 }\n";
        File.WriteAllText(path, other);

        var e = Assert.Throws<IpoeException>(() => DocumentStore.Save(s, s.Document.WithoutInterface("lan0")));

        Assert.Equal(EngineErrorIds.DocumentChanged, e.ErrorId);
        Assert.Equal(other, File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Save_FileCreatedSinceEmptyRead_ThrowsDocumentChanged()
    {
        string path = PathOf("router.yaml");
        DocumentSnapshot s = DocumentStore.LoadOrEmpty(path);
        File.WriteAllText(path, Valid);

        var e = Assert.Throws<IpoeException>(() => DocumentStore.Save(s, RouterDocument.Empty.WithInterface(new Interface("wan0"))));
        Assert.Equal(EngineErrorIds.DocumentChanged, e.ErrorId);
        Assert.Equal(Valid, File.ReadAllText(path));
    }

    [Fact]
    public void Save_KeepsThePermissionBitsOfTheOldFile()
    {
        string path = WriteFile("router.yaml", Valid);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        DocumentSnapshot s = DocumentStore.Load(path);

        DocumentStore.Save(s, s.Document.WithoutInterface("lan0"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Save_NewFile_CreatesDirectoriesAndReadableFile()
    {
        string path = PathOf("etc/ipoe/router.yaml");
        DocumentSnapshot s = DocumentStore.LoadOrEmpty(path);

        DocumentStore.Save(s, s.Document.WithInterface(new Interface("wan0") { Role = InterfaceRole.Wan }));

        Assert.Equal("wan0", Assert.Single(DocumentStore.Load(path).Document.Interfaces).Name);
        Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.OtherRead));
    }

    [Fact]
    public void AtomicWrite_FailureBeforeRename_LeavesOldContentAndNoTemporaryFile()
    {
        string path = WriteFile("data", "old");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, "new"u8, () => throw new InvalidOperationException("crash")));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    [Fact]
    public void Install_KeepsTheImportedBytesAndComments()
    {
        string source = WriteFile("import.yaml", Valid);
        string target = PathOf("router.yaml");

        DocumentStore.Install(target, DocumentStore.Load(source));

        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(target));
    }
}

[Collection(nameof(EnvironmentCollection))]
public sealed class DocumentPathTests
{
    [Fact]
    public void ResolvePath_PrefersExplicitThenEnvironmentThenDefault()
    {
        string? saved = Environment.GetEnvironmentVariable(DocumentStore.PathVariable);
        try
        {
            Environment.SetEnvironmentVariable(DocumentStore.PathVariable, "/tmp/from-env.yaml");
            Assert.Equal("/tmp/given.yaml", DocumentStore.ResolvePath("/tmp/given.yaml"));
            Assert.Equal("/tmp/from-env.yaml", DocumentStore.ResolvePath(null));
            Environment.SetEnvironmentVariable(DocumentStore.PathVariable, null);
            Assert.Equal(DocumentStore.DefaultPath, DocumentStore.ResolvePath(null));
        }
        finally
        {
            Environment.SetEnvironmentVariable(DocumentStore.PathVariable, saved);
        }
    }
}

[CollectionDefinition(nameof(EnvironmentCollection), DisableParallelization = true)]
public sealed class EnvironmentCollection;

public sealed class DocumentStoreConcurrencyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ipoe-race-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Save_TwoWritersFromOneSnapshot_ExactlyOneWinsEveryTime()
    {
        string path = Path.Combine(_dir, "router.yaml");
        File.WriteAllText(path, "version: 1\n");
        for (int round = 0; round < 30; round++)
        {
            DocumentSnapshot basis = DocumentStore.Load(path);
            var names = new[] { $"a{round}", $"b{round}" };
            using var start = new Barrier(2);
            var outcomes = names.AsParallel().WithDegreeOfParallelism(2).Select(name =>
            {
                start.SignalAndWait();
                try
                {
                    DocumentStore.Save(basis, basis.Document with { Interfaces = [new Interface(name)] });
                    return name;
                }
                catch (IpoeException e) when (e.ErrorId == EngineErrorIds.DocumentChanged)
                {
                    return null;
                }
            }).ToList();

            string winner = Assert.Single(outcomes.OfType<string>());
            Assert.Equal(winner, Assert.Single(DocumentStore.Load(path).Document.Interfaces).Name);
        }
    }

    [Fact]
    public void Save_DocumentBehindASymlink_WritesTheTargetAndKeepsTheLink()
    {
        string real = Path.Combine(_dir, "repo", "router.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(real)!);
        File.WriteAllText(real, "version: 1\n");
        string link = Path.Combine(_dir, "router.yaml");
        File.CreateSymbolicLink(link, real);

        DocumentSnapshot s = DocumentStore.Load(link);
        DocumentStore.Save(s, s.Document.WithInterface(new Interface("wan0") { Role = InterfaceRole.Wan }));

        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Contains("wan0", File.ReadAllText(real), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DirectoryPath_ThrowsDocumentUnreadable()
    {
        var e = Assert.Throws<IpoeException>(() => DocumentStore.Load(_dir));
        Assert.Equal(EngineErrorIds.DocumentUnreadable, e.ErrorId);
    }

    [Fact]
    public void Check_ValueTheReaderRefuses_ThrowsWithDocumentPathAndNoFileLocation()
    {
        RouterDocument doc = RouterDocument.Empty.WithSysctl(new SysctlSetting("net.ipv4.ip_forward", "1"))
            .WithInterface(new Interface("lan0") { Addresses = [new StaticAddress(new InterfaceAddress(System.Net.IPAddress.Parse("192.0.2.1"), 24))] })
            .WithDhcpScope(new DhcpScope("lan0", "lan0") { DnsServers = [System.Net.IPAddress.Parse("2001:db8::53")] });

        var e = Assert.Throws<DocumentException>(() => DocumentStore.Check(doc, Path.Combine(_dir, "x.yaml")));

        Diagnostic d = e.Errors.First();
        Assert.Equal(DiagnosticIds.AddressFamilyMismatch, d.Id);
        Assert.Equal("dhcpScopes[0].dnsServers[0]", d.Path);
        Assert.Null(d.Location);
    }
}
