using Detect.Engine.Storage;
using Detect.Tasks.Geo;
using Detect.Tasks.Imagery;
using Detect.Tasks.Tests.Native.Gdal;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Tests.Imagery;

public sealed class StacTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly LocalObjectStore _store;
    private readonly SceneFactory _scenes;

    public StacTests()
    {
        _store = new LocalObjectStore(_dir.File("store"));
        _scenes = new SceneFactory(_store, _dir.File("scratch"));
    }

    public void Dispose() => _dir.Dispose();

    private const string ItemJson = """
        {"type":"Feature","stac_version":"1.0.0","id":"S2A_TEST",
         "geometry":{"type":"Polygon","coordinates":[[[115,-9],[116,-9],[116,-8],[115,-8],[115,-9]]]},
         "bbox":[115,-9,116,-8],
         "properties":{"datetime":"2020-03-04T02:30:00Z"},
         "assets":{ASSETS}}
        """;

    private static string Assets(Func<string, string?> href) => "{" + string.Join(",",
        SentinelBands.RequiredAssets.Select(a => (a, h: href(a))).Where(x => x.h is not null)
            .Select(x => $"\"{x.a}\":{{\"href\":\"{x.h}\"}}")) + "}";

    [Fact]
    public void Relative_and_absolute_hrefs_resolve_against_the_item()
    {
        var json = ItemJson.Replace("{ASSETS}", Assets(a => a switch
        {
            "blue" => "s3://other/b02.tif",
            "green" => "https://example.org/b03.tif",
            "red" => "file:///data/b04.tif",
            _ => $"../assets/S2A_TEST/{a}.tif",
        }));

        var item = StacItemParser.Parse(json, "s3://bucket/pre/imagery/items/S2A_TEST.json");

        item.Id.Should().Be("S2A_TEST");
        item.Datetime.Should().Be(new DateTimeOffset(2020, 3, 4, 2, 30, 0, TimeSpan.Zero));
        item.AssetUris["nir"].Should().Be("s3://bucket/pre/imagery/assets/S2A_TEST/nir.tif");
        item.GdalPath("nir").Should().Be("/vsis3/bucket/pre/imagery/assets/S2A_TEST/nir.tif");
        item.GdalPath("blue").Should().Be("/vsis3/other/b02.tif");
        item.GdalPath("green").Should().Be("/vsicurl/https://example.org/b03.tif");
        item.GdalPath("red").Should().Be("/data/b04.tif");

        var local = StacItemParser.Parse(json, "file:///srv/store/imagery/items/S2A_TEST.json");
        local.GdalPath("cloud").Should().Be("/srv/store/imagery/assets/S2A_TEST/cloud.tif");
        item.Footprint.Area.Should().BeApproximately(1.0, 1e-9);
    }

    [Fact]
    public void Missing_asset_names_item_and_asset()
    {
        var json = ItemJson.Replace("{ASSETS}", Assets(a => a == "nir08" ? null : $"{a}.tif"));
        var act = () => StacItemParser.Parse(json, "file:///s/imagery/items/x.json");
        act.Should().Throw<ImageryException>().WithMessage("*S2A_TEST*nir08*");
    }

    [Fact]
    public void Item_without_datetime_is_an_error_naming_it()
    {
        var json = ItemJson.Replace("{ASSETS}", Assets(a => $"{a}.tif")).Replace("\"datetime\":\"2020-03-04T02:30:00Z\"", "\"datetime\":null");
        var act = () => StacItemParser.Parse(json, "file:///s/imagery/items/x.json");
        act.Should().Throw<ImageryException>().WithMessage("*S2A_TEST*datetime*");
    }

    [Fact]
    public async Task Catalog_keeps_items_in_the_roi_and_date_range_in_time_order()
    {
        await _scenes.WriteAsync("late", new DateTimeOffset(2020, 5, 1, 0, 0, 0, TimeSpan.Zero), (b, _, _) => 1000, (_, _) => 0);
        await _scenes.WriteAsync("early", new DateTimeOffset(2020, 1, 10, 0, 0, 0, TimeSpan.Zero), (b, _, _) => 1000, (_, _) => 0);
        await _scenes.WriteAsync("outside_dates", new DateTimeOffset(2020, 7, 1, 0, 0, 0, TimeSpan.Zero), (b, _, _) => 1000, (_, _) => 0);
        var sceneFootprint = GridFootprint.Wgs84(SceneFactory.GridAt(10));
        var inside = sceneFootprint.Centroid.Buffer(0.001);
        var far = new GeometryFactory(new PrecisionModel(), 4326).ToGeometry(new Envelope(100, 101, 10, 11));

        var found = await SceneCatalog.FindAsync(_store, inside, new DateOnly(2020, 1, 1), new DateOnly(2020, 7, 1));
        var none = await SceneCatalog.FindAsync(_store, far, new DateOnly(2020, 1, 1), new DateOnly(2020, 7, 1));

        found.Select(i => i.Id).Should().Equal("early", "late");
        none.Should().BeEmpty();
        SceneCatalog.EnsureReadable(found[0]);
    }

    [Fact]
    public async Task Unreadable_asset_is_an_error_naming_item_and_asset()
    {
        await _scenes.WriteAsync("broken", new DateTimeOffset(2020, 2, 1, 0, 0, 0, TimeSpan.Zero), (b, _, _) => 1000, (_, _) => 0);
        File.WriteAllText(_store.PathOf("imagery/assets/broken/swir16.tif"), "not a tiff");
        var item = await SceneCatalog.ReadItemAsync(_store, "imagery/items/broken.json");

        var act = () => SceneCatalog.EnsureReadable(item);

        act.Should().Throw<ImageryException>().WithMessage("*broken*swir16*swir16.tif*");
    }

    [Fact]
    public async Task Broken_item_json_in_the_store_fails_naming_its_key()
    {
        await _store.TryCreateExclusiveAsync("imagery/items/bad.json", "{\"id\": 3"u8.ToArray());
        var act = () => SceneCatalog.FindAsync(_store, GridFootprint.Wgs84(SceneFactory.GridAt(10)), new DateOnly(2020, 1, 1), new DateOnly(2021, 1, 1));
        await act.Should().ThrowAsync<ImageryException>().WithMessage("*imagery/items/bad.json*");
    }
}
