namespace Detect.Tasks.Analysis.Blobs;

/// <summary>Parameters of <see cref="BlobDetector"/>; defaults are the original pipeline's.</summary>
public sealed record BlobOptions
{
    /// <summary>Heatmap values below this are set to 0 before detection.</summary>
    public float PredThreshold { get; init; } = 0.75f;
    public double MinSigma { get; init; } = 3.5;
    public double MaxSigma { get; init; } = 100;
    /// <summary>Number of scales, linearly spaced from <see cref="MinSigma"/> to <see cref="MaxSigma"/>.</summary>
    public int NumSigma { get; init; } = 10;
    /// <summary>Absolute lower bound for scale-space maxima (the original's <c>area_threshold</c>).</summary>
    public double Threshold { get; init; } = 0.0025;
    /// <summary>Blobs overlapping by more than this area fraction lose their smaller member.</summary>
    public double Overlap { get; init; } = 0.5;
    /// <summary>Peaks within this many pixels of the raster edge are ignored (0 = none, as blob_doh does); like
    /// <c>peak_local_max</c>'s <c>exclude_border</c> on rows and columns only, they are removed before the peaks are ordered.</summary>
    public int ExcludeBorder { get; init; }

    internal void Validate()
    {
        if (!(MinSigma >= 1)) throw new ArgumentException($"BlobOptions.MinSigma must be >= 1 (got {MinSigma}); the box-filter Hessian needs a kernel of at least 3 px.");
        if (!(MaxSigma >= MinSigma)) throw new ArgumentException($"BlobOptions.MaxSigma ({MaxSigma}) must be >= MinSigma ({MinSigma}).");
        if (NumSigma < 1) throw new ArgumentException($"BlobOptions.NumSigma must be >= 1 (got {NumSigma}).");
        if (Overlap is < 0 or > 1) throw new ArgumentException($"BlobOptions.Overlap must be in [0, 1] (got {Overlap}).");
        if (ExcludeBorder < 0) throw new ArgumentException($"BlobOptions.ExcludeBorder must be >= 0 (got {ExcludeBorder}).");
    }

    /// <summary>The scales searched: numpy <c>linspace(MinSigma, MaxSigma, NumSigma)</c>.</summary>
    public double[] Sigmas()
    {
        var s = new double[NumSigma];
        if (NumSigma == 1) { s[0] = MinSigma; return s; }
        double step = (MaxSigma - MinSigma) / (NumSigma - 1);
        for (int i = 0; i < NumSigma; i++) s[i] = MinSigma + i * step;
        s[^1] = MaxSigma;
        return s;
    }
}

/// <summary>A blob centred on pixel (<paramref name="Row"/>, <paramref name="Col"/>) found at scale <paramref name="Sigma"/>
/// (its radius is about Sigma·√2).</summary>
public readonly record struct Blob(int Row, int Col, double Sigma);
