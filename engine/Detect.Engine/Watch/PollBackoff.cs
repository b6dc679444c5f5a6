namespace Detect.Engine.Watch;

/// <summary>
/// How long to sleep between polls: <see cref="Shortest"/> after a poll that found work, doubling after each idle
/// poll up to <see cref="Longest"/> (the progressive sleeps of a message-bus consumer: quick after activity,
/// cheap when nothing comes).
/// </summary>
public sealed class PollBackoff(TimeSpan shortest, TimeSpan longest)
{
    private TimeSpan _next = shortest;

    public TimeSpan Shortest { get; } = shortest;
    public TimeSpan Longest { get; } = longest;

    /// <summary>The sleep after an idle poll (the first is <see cref="Shortest"/>).</summary>
    public TimeSpan Idle()
    {
        var sleep = _next;
        _next = TimeSpan.FromTicks(Math.Min(Longest.Ticks, _next.Ticks * 2));
        return sleep;
    }

    /// <summary>The sleep after a poll that found work: back to <see cref="Shortest"/>.</summary>
    public TimeSpan Busy()
    {
        _next = Shortest;
        return Idle();
    }
}
