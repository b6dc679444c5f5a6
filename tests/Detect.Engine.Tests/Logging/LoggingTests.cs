using Detect.Engine.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Detect.Engine.Tests.Logging;

/// <summary>The console log: one compact line per event, Information by default, Debug with -v, libraries quiet.</summary>
public sealed class LoggingTests
{
    private static string Format(LogLevel level, string message, Exception? exception = null)
    {
        var writer = new StringWriter();
        var entry = new LogEntry<string>(level, "Detect.Test", new EventId(0), message, exception, (m, _) => m);
        new CompactConsoleFormatter().Write(entry, null, writer);
        return writer.ToString();
    }

    [Theory]
    [InlineData(LogLevel.Information, "INFO ")]
    [InlineData(LogLevel.Warning, "WARN ")]
    [InlineData(LogLevel.Error, "ERROR")]
    [InlineData(LogLevel.Debug, "DEBUG")]
    public void An_event_is_one_line_of_time_level_and_message(LogLevel level, string shown) =>
        Format(level, "start Heatmap_x").Should().MatchRegex($@"^\d\d:\d\d:\d\d {shown} start Heatmap_x{Environment.NewLine}$");

    [Fact]
    public void An_exception_follows_its_line_and_an_empty_message_writes_nothing()
    {
        var lines = Format(LogLevel.Error, "failed", new InvalidOperationException("boom")).Split(Environment.NewLine);

        lines[0].Should().EndWith("ERROR failed");
        lines[1].Should().Be("System.InvalidOperationException: boom");
        Format(LogLevel.Information, "").Should().BeEmpty();
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Debug_is_on_with_verbose_only_and_libraries_log_warnings_and_up(bool verbose, bool debug)
    {
        using var factory = DetectLogging.Create(verbose, "compact");

        factory.CreateLogger("Detect.Tasks").IsEnabled(LogLevel.Debug).Should().Be(debug);
        factory.CreateLogger("Detect.Tasks").IsEnabled(LogLevel.Information).Should().BeTrue();
        foreach (var library in new[] { "System.Net.Http", "Microsoft.Extensions.Hosting", "Amazon.S3" })
        {
            factory.CreateLogger(library).IsEnabled(LogLevel.Information).Should().BeFalse(library + " is quiet below Warning");
            factory.CreateLogger(library).IsEnabled(LogLevel.Warning).Should().BeTrue();
        }
    }
}
