namespace Detect.Tasks.Tiling;

/// <summary>
/// How a ROI is cut into tiles. A tile is a <see cref="TileSize"/> × <see cref="TileSize"/> px core on a
/// <see cref="Resolution"/> m grid in a UTM zone, read with <see cref="Pad"/> px of context on every side
/// (the Descartes Labs DLTile convention the original pipeline used: tilesize + 2·pad px are read).
/// </summary>
/// <remarks>
/// Default: pad 22 px = ⌊45 / 2⌋, half the patch classifier's 45 px window, so a window centred on any core
/// pixel lies inside the padded tile; core 856 px = 900 − 2·22, so the padded tile is exactly the original's
/// 900 px (810,000 px, 39 MB as 12 float32 bands). Cores of neighbouring tiles abut without overlap, so every
/// ROI pixel belongs to exactly one tile's core; the padded borders overlap neighbours by 44 px.
/// </remarks>
public sealed record TileScheme(int TileSize = TileScheme.DefaultTileSize, int Pad = TileScheme.DefaultPad, double Resolution = 10)
{
    public const int OriginalTileSize = 900;
    public const int PatchWindow = 45;
    public const int DefaultPad = PatchWindow / 2;
    public const int DefaultTileSize = OriginalTileSize - 2 * DefaultPad;

    public static TileScheme Default { get; } = new();

    /// <summary>Width of a tile core in metres.</summary>
    public double CoreMetres => TileSize * Resolution;

    /// <summary>Pixels per side of the padded tile (what is read and mosaicked).</summary>
    public int PaddedSize => TileSize + 2 * Pad;

    public void Validate()
    {
        if (TileSize <= 0) throw new ArgumentException($"Tile size must be positive, not {TileSize} px.");
        if (Pad < 0) throw new ArgumentException($"Tile padding must be zero or positive, not {Pad} px.");
        if (Resolution <= 0) throw new ArgumentException($"Tile resolution must be positive, not {Resolution} m.");
    }
}
