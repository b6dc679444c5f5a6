namespace Detect.Tasks.Mosaics;

/// <summary>
/// What one scene says about one grid pixel. "No data" (outside the scene's data) and "hidden" (cloud, cirrus, shadow)
/// are told apart because another granule of the same acquisition may have data where this one has none, but shows
/// the same clouds where both have data.
/// </summary>
public static class PixelState
{
    public const byte NoData = 0, Clear = 1, Hidden = 2;
}
