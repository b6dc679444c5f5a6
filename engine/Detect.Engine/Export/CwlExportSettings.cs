namespace Detect.Engine.Export;

/// <summary>How an exported CWL workflow runs its steps.</summary>
public sealed record CwlExportSettings
{
    /// <summary>The store every step works on, as text (a workflow input, so a runner never stages its objects).</summary>
    public required string StoreUri { get; init; }

    /// <summary>The container image of every step (a DockerRequirement hint); null: <c>detect</c> from each node's PATH.</summary>
    public string? Image { get; init; }

    /// <summary>The program the steps run (on PATH in the image or on the node).</summary>
    public string Program { get; init; } = "detect";

    public required StepResources Cores { get; init; }
    public required StepResources RamMiB { get; init; }

    /// <summary>What GPU steps ask of a node (cwltool:CUDARequirement).</summary>
    public string CudaVersionMin { get; init; } = "13.0";
    public string CudaComputeCapability { get; init; } = "7.5";

    /// <summary>The most jobs (scatter elements) one step has; a step with more tasks runs several per job.</summary>
    public int MaxJobsPerStep { get; init; } = 100;

    /// <summary>Words every step gets before its own parameters (the export's per-family defaults).</summary>
    public IReadOnlyList<string> SharedArguments { get; init; } = [];

    /// <summary>A line for the header comment: what the workflow was made from.</summary>
    public string? Provenance { get; init; }
}
