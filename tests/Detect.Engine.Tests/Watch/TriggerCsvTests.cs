using System.Text;
using Detect.Engine.Watch;

namespace Detect.Engine.Tests.Watch;

public sealed class TriggerCsvTests
{
    private static TriggerTable Read(string text) => TriggerCsv.Read(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Quoted_fields_keep_commas_doubled_quotes_and_line_breaks_and_blank_lines_are_skipped()
    {
        var table = Read("\uFEFFname, start_date ,note\r\nbali,2021-06-01,\"a, b\"\r\n\r\n\"java \"\"west\"\"\",2021-07-01,\"two\nlines\"\n");
        table.Header.Should().Equal("name", "start_date", "note");
        table.Rows.Should().HaveCount(2);
        table.Rows[0].Cells.Should().Equal("bali", "2021-06-01", "a, b");
        table.Rows[1].Cells.Should().Equal("java \"west\"", "2021-07-01", "two\nlines");
        table.Rows.Select(r => (r.Number, r.Line)).Should().Equal((1, 2L), (2, 4L));
    }

    [Fact]
    public void A_header_without_rows_is_a_table_without_rows() =>
        Read("name,count\n").Rows.Should().BeEmpty();

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData(" \r\n\n", "it is empty")]
    [InlineData("name,count\nbali,1,extra\n", "line 2")]
    [InlineData("name,count\n\"bali,1\n", "not valid CSV")]
    [InlineData("name,count\nba\"li,1\n", "not valid CSV")]
    public void Malformed_files_are_refused_with_the_line_and_the_fix(string text, string expected)
    {
        var act = () => Read(text);
        act.Should().Throw<TriggerFormatException>().Which.Message.Should().Contain(expected);
    }

    [Fact]
    public void Binary_content_is_not_a_CSV_file()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D];
        var act = () => TriggerCsv.Read(png);
        act.Should().Throw<TriggerFormatException>().Which.Message.Should().Contain("not a CSV text file (binary content at byte 0");
        var nul = () => TriggerCsv.Read(Encoding.UTF8.GetBytes("name\nab\0c\n"));
        nul.Should().Throw<TriggerFormatException>().Which.Message.Should().Contain("byte 7");
    }
}

public sealed class TriggerNamesTests
{
    [Fact]
    public void Triggers_match_the_glob_within_the_prefix_and_never_the_files_they_become()
    {
        var names = new TriggerNames("*raw.csv");
        names.IsTrigger("batch1.raw.csv").Should().BeTrue();
        names.IsTrigger("sub/batch1.raw.csv").Should().BeFalse("* stops at '/'");
        names.IsTrigger("batch1.raw.processing-20261201T143000.123Z.csv").Should().BeFalse();
        names.IsTrigger(TriggerClaims.KeyOf("batch1.raw")).Should().BeFalse();
        new TriggerNames("*.csv").IsTrigger("b.success-20261201T143000.123Z.csv").Should().BeFalse("result files are never triggers");

        var stamp = TriggerNames.Stamp(new DateTimeOffset(2026, 12, 1, 14, 30, 0, 123, TimeSpan.Zero));
        stamp.Should().Be("20261201T143000.123Z");
        var processing = TriggerNames.FileOf(TriggerNames.StemOf("batch1.raw.csv"), TriggerNames.Processing, stamp);
        processing.Should().Be("batch1.raw.processing-20261201T143000.123Z.csv");
        TriggerNames.Derived(processing).Should().Be(("batch1.raw", "processing", stamp));
        names.TriggerKeyOf("batch1.raw").Should().Be("batch1.raw.csv");
        new TriggerNames("*.txt").TriggerKeyOf("a.txt").Should().Be("a.txt");
    }

    [Fact]
    public void Idle_polls_back_off_by_doubling_to_the_interval_and_a_busy_poll_resets()
    {
        var backoff = new PollBackoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60));
        Enumerable.Range(0, 6).Select(_ => backoff.Idle().TotalSeconds).Should().Equal(5, 10, 20, 40, 60, 60);
        backoff.Busy().TotalSeconds.Should().Be(5);
        backoff.Idle().TotalSeconds.Should().Be(10);
    }
}
