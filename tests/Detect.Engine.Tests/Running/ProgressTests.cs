using Microsoft.Extensions.Logging;

namespace Detect.Engine.Tests.Running;

public sealed class ProgressTests
{
    [Fact]
    public void Progress_reports_done_total_percent_rate_and_eta()
    {
        var logger = new ListLogger();
        var reporter = new ProgressReporter("Heatmap_x", 200, "tiles", new ProgressSink(logger, liveTerminal: false, TimeSpan.FromHours(1)));

        reporter.Advance(50);

        reporter.Describe().Should().MatchRegex(@"^50/200 tiles \(25%\), [0-9.]+[kM]? tiles/s, ETA \d\d:\d\d:\d\d$");
        reporter.Done.Should().Be(50);
    }

    [Fact]
    public void Without_a_terminal_progress_is_logged_periodically_and_at_the_end()
    {
        var logger = new ListLogger();
        using (var reporter = new ProgressReporter("T", 1000, "px", new ProgressSink(logger, liveTerminal: false, TimeSpan.FromHours(1))))
            for (var i = 0; i < 1000; i++) reporter.Advance();

        logger.Lines.Should().HaveCount(2, "one line when work starts, none until the interval passes, one at the end");
        logger.Lines[^1].Should().Contain("1000/1000 px (100%)");
    }

    [Fact]
    public async Task The_runs_progress_counts_dynamic_requirements_found_as_it_goes()
    {
        using var env = new TempStore();
        var logger = new ListLogger();
        var scheduler = new Detect.Engine.Scheduling.Scheduler(TempStore.Registry, env.Resolver,
            new Detect.Engine.Scheduling.SchedulerOptions { StagingDirectory = env.Staging }, logger);

        (await scheduler.RunAsync(new UsesDynamic { Scope = env.Scope })).RootComplete.Should().BeTrue();

        // The plan has 2 tasks (UsesDynamic, DynamicCollector); the collector asks for 2 more while it runs.
        logger.Lines.Should().Contain(l => l.StartsWith("progress run ") && l.Contains(": 4/4 tasks (100%)"), string.Join("\n", logger.Lines));
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines) Lines.Add(formatter(state, exception));
        }
    }
}
