using Detect.Engine.Storage;
using Detect.Tasks.Imagery;
using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Tests.Imagery;

/// <summary>Writes small test scenes in zone 50S: every band at its native resolution (10/20/60 m).</summary>
internal sealed class SceneFactory(IObjectStore store, string scratch)
{
    public const int Epsg = 32750;
    // Scene extent: 1200 m square (a multiple of 60 m), top-left corner below.
    public const double Left = 318_000, Top = 9_060_000, Size = 1200;

    /// <summary>A 60 × 60 px, 10 m tile grid 300 m inside the scenes' top-left corner (eastings Left + 300 … Left + 900).</summary>
    public static readonly RasterGrid TileGrid = new(Epsg, GeoTransform.NorthUp(Left + 300, Top - 300, 10), 60, 60);

    /// <summary>Every item written to the store so far.</summary>
    public async Task<List<StacItem>> ItemsAsync() =>
        [.. await Task.WhenAll((await store.ListAsync(SceneCatalog.ItemsPrefix)).Select(k => SceneCatalog.ReadItemAsync(store, k)))];

    public static RasterGrid GridAt(double resolution) =>
        new(Epsg, GeoTransform.NorthUp(Left, Top, resolution), (int)(Size / resolution), (int)(Size / resolution));

    /// <param name="value">DN of band b at the 10 m pixel (col, row) of the scene grid; sampled at the centre of each native pixel.</param>
    /// <param name="cloud">Cloud mask value at the 10 m pixel (col, row); the mask is written at 10 m.</param>
    public Task<string> WriteAsync(string id, DateTimeOffset datetime, Func<int, double, double, ushort> value, Func<int, int, byte> cloud)
    {
        var assets = new Dictionary<string, AssetRaster>();
        for (var b = 0; b < SentinelBands.Count; b++)
        {
            var band = SentinelBands.All[b];
            var grid = GridAt(band.ResolutionMetres);
            var dns = new ushort[grid.PixelCount];
            for (var r = 0; r < grid.Height; r++)
            for (var c = 0; c < grid.Width; c++)
            {
                var (x, y) = grid.Transform.PixelCenter(c, r);
                dns[r * grid.Width + c] = value(b, x, y);
            }
            assets[band.Asset] = AssetRaster.Band(grid, dns, band.Band);
        }
        var maskGrid = GridAt(10);
        var mask = new byte[maskGrid.PixelCount];
        for (var r = 0; r < maskGrid.Height; r++)
        for (var c = 0; c < maskGrid.Width; c++)
            mask[r * maskGrid.Width + c] = cloud(c, r);
        assets[SentinelBands.CloudAsset] = AssetRaster.CloudMask(maskGrid, mask);
        return StacSceneWriter.WriteAsync(store, id, datetime, assets, scratch);
    }
}
