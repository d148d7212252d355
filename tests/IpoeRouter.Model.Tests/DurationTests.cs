using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace IpoeRouter.Model.Tests;

public sealed class DurationTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("4h", 4 * 3600)]
    [InlineData("1h30m", 5400)]
    [InlineData("2d", 2 * 86400)]
    [InlineData("5400s", 5400)]
    [InlineData("1d2h3m4s", 86400 + 7200 + 180 + 4)]
    [InlineData("0s", 0)]
    public void TryParse_TextWithUnits_GivesSeconds(string text, long seconds)
    {
        Assert.True(Duration.TryParse(text, out TimeSpan value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData(90, "1m30s")]
    [InlineData(4 * 3600, "4h")]
    [InlineData(5400, "1h30m")]
    [InlineData(2 * 86400, "2d")]
    [InlineData(86400 + 4, "1d4s")]
    [InlineData(0, "0s")]
    public void Format_WholeSeconds_GivesCanonicalText(long seconds, string expected) =>
        Assert.Equal(expected, Duration.Format(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Format_5400sParsed_GivesHoursAndMinutes()
    {
        Assert.True(Duration.TryParse("5400s", out TimeSpan value));
        Assert.Equal("1h30m", Duration.Format(value));
    }

    [Theory]
    [InlineData("5400")]
    [InlineData("h")]
    [InlineData("5s3h")]
    [InlineData("1h1h")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("-1s")]
    [InlineData("1.5h")]
    [InlineData("3w")]
    [InlineData("1h 30m")]
    [InlineData(null)]
    public void TryParse_NotADurationWithUnits_IsRefused(string? text)
    {
        Assert.False(Duration.TryParse(text, out TimeSpan value));
        Assert.Equal(default, value);
    }

    [Property(Arbitrary = [typeof(WholeSecondsArbitrary)])]
    public void Format_ThenTryParse_GivesBackTheSameWholeSeconds(WholeSeconds seconds)
    {
        TimeSpan original = TimeSpan.FromSeconds(seconds.Value);

        Assert.True(Duration.TryParse(Duration.Format(original), out TimeSpan parsed));
        Assert.Equal(original, parsed);
    }

    /// <summary>A non-negative whole number of seconds, up to about 68 years.</summary>
    public sealed record WholeSeconds(long Value);

    public static class WholeSecondsArbitrary
    {
        public static Arbitrary<WholeSeconds> Seconds() =>
            Gen.OneOf(
                    Gen.Choose(0, 200_000).Select(s => (long)s),
                    Gen.Choose(0, int.MaxValue).Select(s => (long)s),
                    Gen.Elements(0L, 59L, 60L, 3599L, 3600L, 86399L, 86400L, 5400L))
                .Select(s => new WholeSeconds(s))
                .ToArbitrary();
    }
}
