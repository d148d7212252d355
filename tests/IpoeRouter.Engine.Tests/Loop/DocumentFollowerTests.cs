using IpoeRouter.Engine.Documents;
using IpoeRouter.Model;
using IpoeRouter.Model.Yaml;
using Xunit;

namespace IpoeRouter.Engine.Tests.Loop;

/// <summary>The agent's document follower on real files: new valid versions taken, invalid ones refused with file:line:col, the way back kept.</summary>
public sealed class DocumentFollowerTests : IDisposable
{
    private const string V1 = "version: 1\ninterfaces:\n  - { name: lan0, role: lan, addresses: [192.0.2.1/24] }\n";
    private const string V2 = "version: 1\ninterfaces:\n  - { name: lan0, role: lan, addresses: [192.0.2.1/24], mtu: 1400 }\n";
    private const string Broken = "version: 1\ninterfaces:\n  - { name: lan0, role: lan, adresses: [192.0.2.1/24] }\n";
    private readonly string _dir = Directory.CreateTempSubdirectory("ipoe-follow-").FullName;

    [Fact]
    public void ANewValidVersion_IsTaken_AndTheOneBeforeIsKept()
    {
        DocumentFollower follower = Start(V1, out string path);
        string first = follower.RunningFingerprint;
        File.WriteAllText(path, V2);

        Assert.Equal(ReloadOutcome.Accepted, follower.Reload());
        Assert.Equal(1400, follower.Running.Document.Interfaces[0].Mtu);
        Assert.Equal(first, DocumentFollower.Fingerprint(follower.Previous!.Bytes));
        Assert.Equal(ReloadOutcome.Unchanged, follower.Reload());
    }

    [Fact]
    public void AnInvalidVersion_IsRefused_WithItsLineAndColumn_AndTheRunningOneStays()
    {
        DocumentFollower follower = Start(V1, out string path);
        File.WriteAllText(path, Broken);

        Assert.Equal(ReloadOutcome.Refused, follower.Reload());

        Assert.Null(follower.Running.Document.Interfaces[0].Mtu);
        Assert.NotNull(follower.RefusedAt);
        string error = Assert.Single(follower.RefusedErrors);
        Assert.Contains($"{path}:3:", error, StringComparison.Ordinal);
        Assert.Equal(ReloadOutcome.Unchanged, follower.Reload()); // refused once, not again and again

        File.WriteAllText(path, V2);
        Assert.Equal(ReloadOutcome.Accepted, follower.Reload());
        Assert.Null(follower.RefusedAt);
    }

    [Fact]
    public void AGoneFile_IsRefused_AndTheRunningVersionStays()
    {
        DocumentFollower follower = Start(V1, out string path);
        File.Delete(path);

        Assert.Equal(ReloadOutcome.Refused, follower.Reload());
        Assert.Equal("lan0", follower.Running.Document.Interfaces[0].Name);
    }

    [Fact]
    public void RollingBack_RunsTheVersionBefore_AndTreatsTheFileAsRefused_UntilItChanges()
    {
        DocumentFollower follower = Start(V1, out string path);
        File.WriteAllText(path, V2);
        follower.Reload();

        follower.RollBackTo(follower.Previous!, "not confirmed");

        Assert.Null(follower.Running.Document.Interfaces[0].Mtu);
        Assert.Equal(["not confirmed"], follower.RefusedErrors);
        Assert.Equal(ReloadOutcome.Unchanged, follower.Reload()); // V2 stays back
        File.WriteAllText(path, V2.Replace("1400", "1380", StringComparison.Ordinal));
        Assert.Equal(ReloadOutcome.Accepted, follower.Reload());
    }

    [Fact]
    public void ServiceShape_TellsAVersionThatChangesTheServices_FromOneTheReconcilerTakesInPlace()
    {
        RouterDocument v1 = DocumentLoader.Load(V1, "a.yaml").Effective;
        Assert.Null(ServiceShape.Differs(v1, DocumentLoader.Load(V2, "a.yaml").Effective)); // an MTU: the reconciler's
        Assert.Equal("interfaces", ServiceShape.Differs(v1, DocumentLoader.Load(V1.Replace("192.0.2.1", "192.0.2.2", StringComparison.Ordinal), "a.yaml").Effective));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private DocumentFollower Start(string text, out string path)
    {
        path = Path.Combine(_dir, "router.yaml");
        File.WriteAllText(path, text);
        return new DocumentFollower(DocumentStore.Load(path), TimeProvider.System);
    }
}
