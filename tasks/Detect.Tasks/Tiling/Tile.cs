using System.Globalization;
using System.Text.RegularExpressions;
using Detect.Tasks.Geo;
using Detect.Tasks.Native.Gdal;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Tiling;

/// <summary>
/// A tile of the UTM grid: zone CRS (EPSG 326zz/327zz), column <see cref="X"/> and row <see cref="Y"/> of
/// the core grid, counted from the zone's false origin (easting 0, northing 0; rows grow northwards).
/// Its id, e.g. <c>32750_x0037_y1056</c>, identifies it completely: <see cref="Parse"/> rebuilds it.
/// </summary>
public sealed partial record Tile(int Epsg, int X, int Y, TileScheme Scheme)
{
    public string Id => $"{Epsg}_x{X:D4}_y{Y:D4}";

    public override string ToString() => Id;

    /// <summary>Left, bottom, right, top of the core, in the zone's metres.</summary>
    public (double MinX, double MinY, double MaxX, double MaxY) CoreBounds =>
        (X * Scheme.CoreMetres, Y * Scheme.CoreMetres, (X + 1) * Scheme.CoreMetres, (Y + 1) * Scheme.CoreMetres);

    /// <summary>The core grid (TileSize px square), without padding.</summary>
    public RasterGrid CoreGrid =>
        new(Epsg, GeoTransform.NorthUp(CoreBounds.MinX, CoreBounds.MaxY, Scheme.Resolution), Scheme.TileSize, Scheme.TileSize);

    /// <summary>The padded grid (TileSize + 2·Pad px square): what is read, mosaicked and written.</summary>
    public RasterGrid PaddedGrid
    {
        get
        {
            var pad = Scheme.Pad * Scheme.Resolution;
            return new(Epsg, GeoTransform.NorthUp(CoreBounds.MinX - pad, CoreBounds.MaxY + pad, Scheme.Resolution),
                Scheme.PaddedSize, Scheme.PaddedSize);
        }
    }

    /// <summary>The core as a polygon in the tile's UTM CRS.</summary>
    public Polygon CorePolygon(GeometryFactory? factory = null)
    {
        var (minX, minY, maxX, maxY) = CoreBounds;
        var f = factory ?? new GeometryFactory(new PrecisionModel(), Epsg);
        return (Polygon)f.ToGeometry(new Envelope(minX, maxX, minY, maxY));
    }

    /// <summary>The padded tile's footprint in WGS84 (edges densified so the curved outline is followed).</summary>
    public Geometry PaddedFootprintWgs84() => GridFootprint.Wgs84(PaddedGrid);

    public bool IsNorth => Epsg / 100 == 326;
    public int Zone => Epsg % 100;

    [GeneratedRegex(@"^(32[67]\d\d)_x(\d+)_y(\d+)$")]
    private static partial Regex IdPattern();

    public static Tile Parse(string id, TileScheme? scheme = null)
    {
        var match = IdPattern().Match(id ?? "");
        if (!match.Success)
            throw new ArgumentException($"'{id}' is not a tile id: expected EPSG_xCOL_yROW such as 32750_x0037_y1056.");
        var epsg = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        if (epsg % 100 is < 1 or > 60) throw new ArgumentException($"Tile id '{id}' names EPSG:{epsg}, which is not a UTM zone.");
        return new Tile(epsg, int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture), scheme ?? TileScheme.Default);
    }
}
