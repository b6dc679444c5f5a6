using Microsoft.Extensions.Logging;

namespace Detect.Engine;

/// <summary>
/// The logger a running task gets: lines go to the program's log as before and, through <c>onLine</c>, into the
/// task's own log in the run history (Information and above, plus whatever the program's log level shows).
/// </summary>
internal sealed class TaskLogger(ILogger inner, Action<LogLevel, string> onLine) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information || inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (inner.IsEnabled(logLevel)) inner.Log(logLevel, eventId, state, exception, formatter);
        if (!IsEnabled(logLevel)) return;
        var message = formatter(state, exception);
        if (exception is not null) message += Environment.NewLine + exception;
        onLine(logLevel, message);
    }
}
