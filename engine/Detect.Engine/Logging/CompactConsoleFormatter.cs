using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Detect.Engine.Logging;

/// <summary>One short line per event: <c>08:02:36 INFO  start Heatmap_...</c>.</summary>
internal sealed class CompactConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "detect-compact";

    public override void Write<TState>(in LogEntry<TState> entry, IExternalScopeProvider? scopes, TextWriter writer)
    {
        var message = entry.Formatter(entry.State, entry.Exception);
        if (string.IsNullOrEmpty(message) && entry.Exception is null) return;
        var level = entry.LogLevel switch
        {
            LogLevel.Trace => "TRACE", LogLevel.Debug => "DEBUG", LogLevel.Information => "INFO ",
            LogLevel.Warning => "WARN ", LogLevel.Error => "ERROR", _ => "CRIT ",
        };
        writer.Write(DateTime.Now.ToString("HH:mm:ss "));
        writer.Write(level);
        writer.Write(' ');
        writer.WriteLine(message);
        if (entry.Exception is not null) writer.WriteLine(entry.Exception.ToString());
    }
}
