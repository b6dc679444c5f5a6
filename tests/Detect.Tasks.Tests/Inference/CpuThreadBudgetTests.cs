using Detect.Tasks.Inference;

namespace Detect.Tasks.Tests.Inference;

public sealed class CpuThreadBudgetTests
{
    [Fact]
    public async Task Concurrent_runs_never_hold_more_threads_than_there_are_cores_and_a_wide_run_is_not_starved()
    {
        var capacity = CpuThreadBudget.Capacity;
        int held = 0, peak = 0, wideRuns = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        void Run(int threads)
        {
            using var lease = CpuThreadBudget.Acquire(threads);
            var now = Interlocked.Add(ref held, lease.Slots);
            InterlockedMax(ref peak, now);
            Thread.SpinWait(20_000);
            Interlocked.Add(ref held, -lease.Slots);
        }
        // Single-thread batches from several "tasks" keep the budget busy; a run as wide as the machine must still get in.
        var narrow = Enumerable.Range(0, capacity + 2).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested && Volatile.Read(ref wideRuns) < 20) Run(1);
        })).ToList();
        var wide = Task.Run(() => { for (var i = 0; i < 20; i++) { Run(capacity); Interlocked.Increment(ref wideRuns); } });

        await Task.WhenAll(narrow.Append(wide));

        wideRuns.Should().Be(20, "the many-thread run is served in turn, not starved by single-thread ones");
        peak.Should().BeLessThanOrEqualTo(capacity);
        peak.Should().BeGreaterThanOrEqualTo(Math.Min(2, capacity), "narrow runs do run side by side");
        using var clamped = CpuThreadBudget.Acquire(capacity * 4);
        clamped.Slots.Should().Be(capacity, "a session with more threads than cores is clamped");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
