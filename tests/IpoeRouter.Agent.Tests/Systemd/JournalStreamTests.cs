using System.Diagnostics;
using IpoeRouter.Agent.Systemd;
using Xunit;

namespace IpoeRouter.Agent.Tests.Systemd;

/// <summary>JOURNAL_STREAM against a real fstat(2): the device and inode of a file, as stat(1) prints them.</summary>
public sealed class JournalStreamTests : IDisposable
{
    private readonly string _file = Path.GetTempFileName();

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void IsJournal_DeviceAndInodeOfTheOpenFile_IsTrue_AnotherInode_IsFalse()
    {
        using var stream = new FileStream(_file, FileMode.Open, FileAccess.ReadWrite);
        int fd = (int)stream.SafeFileHandle.DangerousGetHandle();
        string[] stat = StatDeviceAndInode(_file);

        Assert.Equal((ulong.Parse(stat[0]), ulong.Parse(stat[1])), JournalStream.Identity(fd));
        Assert.True(JournalStream.IsJournal($"{stat[0]}:{stat[1]}", fd));
        Assert.False(JournalStream.IsJournal($"{stat[0]}:{ulong.Parse(stat[1]) + 1}", fd));
        Assert.False(JournalStream.IsJournal($"{ulong.Parse(stat[0]) + 1}:{stat[1]}", fd));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12")]
    [InlineData(":34")]
    [InlineData("12:")]
    [InlineData("12:34:56")]
    [InlineData("-1:34")]
    [InlineData("0x12:34")]
    public void TryParse_NotTwoDecimalNumbers_IsFalse(string? value) =>
        Assert.False(JournalStream.TryParse(value, out _, out _));

    [Fact]
    public void TryParse_DeviceColonInode_ReadsBoth()
    {
        Assert.True(JournalStream.TryParse("64769:1234567", out ulong device, out ulong inode));
        Assert.Equal((64769ul, 1234567ul), (device, inode));
    }

    [Fact]
    public void Identity_ClosedDescriptor_IsNull() => Assert.Null(JournalStream.Identity(-1));

    private static string[] StatDeviceAndInode(string path)
    {
        var psi = new ProcessStartInfo("stat", ["-c", "%d %i", path]) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return output.Split(' ');
    }
}
