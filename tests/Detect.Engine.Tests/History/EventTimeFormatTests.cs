using System.Globalization;
using System.Text;
using Detect.Engine.History;

namespace Detect.Engine.Tests.History;

/// <summary>The event log's times are written digit by digit; they must read exactly as the format string writes them.</summary>
public sealed class EventTimeFormatTests
{
    public static TheoryData<string> Times() =>
    [
        "2026-12-01T10:44:58.8389999+00:00", // milliseconds truncated, never rounded up
        "2026-01-09T00:00:00.0000000+00:00",
        "2026-12-31T23:59:59.9999999+00:00",
        "0987-03-04T05:06:07.0080000+00:00", // a year below 1000 keeps four digits
        "9999-12-31T23:59:59.0010000+00:00",
        "2026-06-15T08:30:00.5000000+05:30", // not UTC: written as UTC
    ];

    [Theory]
    [MemberData(nameof(Times))]
    public void A_time_is_written_as_the_utc_format_string_writes_it(string text)
    {
        var time = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
        Span<byte> buffer = stackalloc byte[32];
        var written = Encoding.ASCII.GetString(EventLineWriter.FormatTime(time, buffer));
        written.Should().Be(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Random_times_over_four_centuries_agree_with_the_format_string()
    {
        var random = new Random(13);
        Span<byte> buffer = stackalloc byte[32];
        for (var i = 0; i < 10_000; i++)
        {
            var time = new DateTimeOffset(new DateTime(1800, 1, 1).Ticks + random.NextInt64(TimeSpan.FromDays(365.25 * 400).Ticks), TimeSpan.Zero);
            Encoding.ASCII.GetString(EventLineWriter.FormatTime(time, buffer))
                .Should().Be(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        }
    }
}
