using System.Net;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp4Server;
using Xunit;

namespace IpoeRouter.Services.Tests;

/// <summary>The lease journal names the LAN's hosts (MACs, host names): it is 0600 in a 0700 directory, also after compaction and when an older version left it wider.</summary>
public sealed class LeaseJournalModeTests : IDisposable
{
    private const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerDirectory = Owner | UnixFileMode.UserExecute;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lease-mode-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Dhcp4LeaseChange Put(int host) => new(new IPAddress([192, 0, 2, (byte)host]), new Dhcp4Lease(
        new IPAddress([192, 0, 2, (byte)host]), new Dhcp4ClientKey(new ByteString([1, 2, 0, 0x5e, 0, 0x53, (byte)host])), new ByteString([2, 0, 0x5e, 0, 0x53, (byte)host]),
        "host" + host, Dhcp4LeaseState.Bound, new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero)));

    [Fact]
    public async Task NewJournal_IsOwnerOnly_InAnOwnerOnlyDirectory_AlsoAfterCompaction()
    {
        string path = Path.Combine(_dir, "state", "dhcp4-lan0.leases");
        await using (LeaseJournal journal = LeaseJournal.Open(path, compactAfterLines: 2))
        {
            for (int i = 0; i < 6; i++)
            {
                await journal.CommitAsync([Put(10 + (i % 2))]); // rewrites of the same two leases: compaction runs
            }

            Assert.True(journal.Compactions > 0);
        }

        Assert.Equal(Owner, File.GetUnixFileMode(path));
        Assert.Equal(OwnerDirectory, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Fact]
    public async Task JournalLeftWorldReadable_IsNarrowedWhenOpened()
    {
        string dir = Path.Combine(_dir, "old");
        Directory.CreateDirectory(dir, OwnerDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        string path = Path.Combine(dir, "dhcp4-lan0.leases");
        File.WriteAllText(path, string.Empty);
        File.SetUnixFileMode(path, Owner | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using (LeaseJournal journal = LeaseJournal.Open(path))
        {
            await journal.CommitAsync([Put(10)]);
        }

        Assert.Equal(Owner, File.GetUnixFileMode(path));
        Assert.Equal(OwnerDirectory, File.GetUnixFileMode(dir));
    }
}
