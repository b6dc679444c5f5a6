using System.ComponentModel.DataAnnotations;
using Detect.Engine;
using Detect.Engine.Parameters;

namespace Detect.Tasks.Pipeline;

/// <summary>
/// The parameters every imagery task of a Detect run shares, plus the imagery parameters (<see cref="ImageryTask"/>);
/// their defaults are <see cref="Detect"/>'s. All artifacts of a run live under <c>runs/&lt;run_id&gt;/</c>.
/// A task asks for another of the same run with <see cref="WorkflowTask.Clone{T}(Func{T})"/>.
/// </summary>
public abstract class RunTask : ImageryTask, IValidatesParameters
{
    [Parameter(Help = "run id: the folder runs/<run_id>/ all artifacts of the run live in"), StoreKeyName(AllowEmpty = true)]
    public string RunId { get; init; } = "";

    [Parameter(Help = "region of interest: boundaries/<roi>.geojson in the store"), StoreKeyName]
    public string Roi { get; init; } = "";

    [Parameter(Help = "first day of imagery (inclusive)")]
    public DateOnly StartDate { get; init; }

    [Parameter(Help = "last day of imagery (exclusive)")]
    public DateOnly EndDate { get; init; }

    [Parameter(Help = "months per cloud-free mosaic"), Range(1, 120)]
    public int MosaicPeriod { get; init; }

    protected string RunFolder => RunId.Length > 0
        ? $"runs/{RunId}/"
        : throw new ParameterException($"{Family}: --run-id is required (Detect derives it; give it when running {Family} alone).");

    protected RoiFile RoiInput => Clone<RoiFile>();

    /// <summary>The run's dates hold at least one mosaic period; the imagery parameters name a source.</summary>
    public virtual void ValidateParameters()
    {
        RunDates.Validate(Family, StartDate, EndDate, MosaicPeriod, null);
        _ = ImageryOptions;
    }
}
