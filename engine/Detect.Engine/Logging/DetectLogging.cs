using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Detect.Engine.Logging;

/// <summary>Console logging to stderr: one compact line per event (or JSON), Information by default, Debug with -v.</summary>
public static class DetectLogging
{
    public static ILoggerFactory Create(bool verbose, string format)
    {
        var json = string.Equals(format, "json", StringComparison.OrdinalIgnoreCase);
        return LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information);
            builder.AddFilter("System", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning).AddFilter("Amazon", LogLevel.Warning);
            builder.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            if (json)
                builder.AddJsonConsole(o => { o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ"; o.UseUtcTimestamp = true; });
            else
                builder.AddConsole(o => o.FormatterName = CompactConsoleFormatter.FormatterName)
                    .AddConsoleFormatter<CompactConsoleFormatter, ConsoleFormatterOptions>();
        });
    }
}
