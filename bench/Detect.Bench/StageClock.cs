using System.Diagnostics;

namespace Detect.Bench;

/// <summary>Wall and process CPU time of one stage (CPU: every thread of the process, so GC and ONNX Runtime threads count).</summary>
internal readonly record struct StageTime(TimeSpan Wall, TimeSpan Cpu)
{
    public static readonly StageTime Zero = new(TimeSpan.Zero, TimeSpan.Zero);
    public static StageTime operator +(StageTime a, StageTime b) => new(a.Wall + b.Wall, a.Cpu + b.Cpu);
}

/// <summary>
/// A stopwatch that also reads the process's CPU time: on a shared machine the wall time of a stage measures the load
/// as much as the work, its CPU seconds mostly the work.
/// </summary>
internal sealed class StageClock
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private TimeSpan _cpuAtStart = Environment.CpuUsage.TotalTime;

    public StageTime Elapsed => new(_wall.Elapsed, Environment.CpuUsage.TotalTime - _cpuAtStart);

    public void Restart()
    {
        _wall.Restart();
        _cpuAtStart = Environment.CpuUsage.TotalTime;
    }
}
