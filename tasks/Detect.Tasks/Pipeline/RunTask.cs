using System.ComponentModel.DataAnnotations;
using Detect.Engine;
using Detect.Engine.Parameters;

namespace Detect.Tasks.Pipeline;

/// <summary>
/// The parameters every imagery task of a Detect run shares, with the original pipeline's defaults, plus the
/// imagery parameters (<see cref="ImageryTask"/>). All artifacts of a run live under <c>runs/&lt;run_id&gt;/</c>.
/// </summary>
public abstract class RunTask : ImageryTask, IValidatesParameters
{
    [Parameter(Help = "run id: the folder runs/<run_id>/ all artifacts of the run live in"), StoreKeyName(AllowEmpty = true)]
    public string RunId { get; init; } = "";

    [Parameter(Help = "region of interest: boundaries/<roi>.geojson in the store"), StoreKeyName]
    public string Roi { get; init; } = "test_patch";

    [Parameter(Help = "first day of imagery (inclusive)")]
    public DateOnly StartDate { get; init; } = new(2019, 1, 1);

    [Parameter(Help = "last day of imagery (exclusive)")]
    public DateOnly EndDate { get; init; } = new(2021, 6, 1);

    [Parameter(Help = "months per cloud-free mosaic"), Range(1, 120)]
    public int MosaicPeriod { get; init; } = 3;

    protected string RunFolder => RunId.Length > 0
        ? $"runs/{RunId}/"
        : throw new ParameterException($"{Family}: --run-id is required (Detect derives it; give it when running {Family} alone).");

    protected RoiFile RoiInput => new() { Roi = Roi };

    /// <summary>The run's dates hold at least one mosaic period; the imagery parameters name a source.</summary>
    public virtual void ValidateParameters()
    {
        RunDates.Validate(Family, StartDate, EndDate, MosaicPeriod, null);
        _ = ImageryOptions;
    }

    private static readonly IReadOnlyList<TaskParameter> RunParameters = TaskSchema.Of(typeof(RunTask)).Parameters;

    /// <summary>
    /// <paramref name="task"/> with this task's run parameters (run id, ROI, dates, mosaic period, imagery) copied in,
    /// so a task asks for another of the same run without repeating them.
    /// </summary>
    protected T Shared<T>(T task) where T : RunTask
    {
        foreach (var parameter in RunParameters) parameter.SetValue(task, parameter.GetValue(this));
        return task;
    }
}
