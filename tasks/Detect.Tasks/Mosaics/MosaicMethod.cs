namespace Detect.Tasks.Mosaics;

/// <summary>Per-pixel reduction over the clear observations of a window.</summary>
public enum MosaicMethod
{
    /// <summary>Per-band minimum (what the pixel model was trained on): streams, constant memory.</summary>
    Min,
    /// <summary>Per-band median (mean of the two middle values for an even count): keeps every scene of the window.</summary>
    Median,
}
