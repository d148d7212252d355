using IpoeRouter.Engine;
using IpoeRouter.Engine.Journal;
using IpoeRouter.Model;
using Xunit;

namespace IpoeRouter.Engine.Tests.Journal;

/// <summary>A confirmation id given by a caller names a pending apply only when it has the form the engine makes.</summary>
public sealed class ConfirmationIdTests
{
    [Fact]
    public void New_IsValid_AndSortsByTime()
    {
        string early = ConfirmationId.New(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.FromHours(9)));
        string late = ConfirmationId.New(new DateTimeOffset(2026, 1, 1, 12, 0, 1, TimeSpan.FromHours(9)));

        Assert.True(ConfirmationId.IsValid(early));
        Assert.StartsWith("20260101T030000Z-", early, StringComparison.Ordinal);
        Assert.True(string.CompareOrdinal(early, late) < 0);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("../../etc/ipoe/held/20260101T120000Z-0123abcd")]
    [InlineData("/tmp/x")]
    [InlineData("20260101T120000Z-0123ABCD")]
    [InlineData("20260101T120000Z-0123abcd/")]
    [InlineData("20260101T120000Z-0123abcd.json")]
    [InlineData("")]
    public void LoadAndClaim_MalformedId_ThrowConfirmationIdInvalid(string id)
    {
        var load = Assert.Throws<IpoeException>(() => PendingConfirmation.Load(id));
        var claim = Assert.Throws<IpoeException>(() => PendingConfirmation.Claim(id, "confirmed"));

        Assert.Equal(EngineErrorIds.ConfirmationIdInvalid, load.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, load.Kind);
        Assert.Equal(EngineErrorIds.ConfirmationIdInvalid, claim.ErrorId);
    }
}
