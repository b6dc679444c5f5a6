using System.Text.Json;
using System.Text.Json.Nodes;
using Detect.Tasks.Imagery;
using Detect.Tasks.Imagery.Stac;
using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Tests.Imagery.Stac;

/// <summary>
/// The real STAC documents in ../shared/stac (Earth Search, CDSE, Planetary Computer, stactools): items parse to the
/// values the files hold, search pages page exactly as the recorded follow-up requests did, and the real L1C
/// MSK_CLASSI mask decodes with GDAL.
/// </summary>
public sealed class StacDocumentTests
{
    private static string Dir => Path.Combine(RepositoryRoot.SharedData, "stac");
    private static string Text(string file) => File.ReadAllText(Path.Combine(Dir, file));
    private static StacItem Item(string file, IReadOnlyList<string>? required = null) =>
        StacItemParser.Parse(Text(file), "https://example.org/items/" + file, required ?? []);
    private static readonly string[] Bands = SentinelBands.All.Select(b => b.Asset).ToArray();

    public static IEnumerable<object[]> JsonFiles() =>
        Directory.GetFiles(Dir, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(f => new object[] { f! });

    [Theory]
    [MemberData(nameof(JsonFiles))]
    public void Every_shared_document_is_understood(string file)
    {
        using var doc = JsonDocument.Parse(Text(file));
        var root = doc.RootElement;
        // Older collection documents (Planetary Computer, 2021) have no "type": an "extent" makes them one.
        var type = root.TryGetProperty("type", out var t) ? t.GetString() : root.TryGetProperty("extent", out _) ? "Collection" : null;
        switch (type)
        {
            case "Feature":
                var item = StacItemParser.Parse(root, "https://example.org/" + file, []);
                item.Datetime.Year.Should().BeInRange(2015, 2026);
                item.Footprint.IsEmpty.Should().BeFalse();
                if (item.Collection?.Contains("l1c") == true) item.AssetUris.Keys.Should().Contain(Bands, file);
                if (item.Collection?.Contains("l2a") == true) item.AssetUris.Should().ContainKey(SentinelBands.SclAsset, file);
                break;
            case "FeatureCollection":
                var features = root.GetProperty("features").EnumerateArray().ToList();
                foreach (var feature in features)
                    StacItemParser.Parse(feature, "https://example.org/" + file, []).Id.Should().NotBeNullOrEmpty();
                var next = StacPaging.Next(root, new StacRequest(HttpMethod.Post, new Uri("https://example.org/search"), new JsonObject()));
                if (features.Count == 0) next.Should().BeNull("an empty page ends the search");
                break;
            case "Collection":
                root.GetProperty("id").GetString().Should().NotBeNullOrEmpty();
                if (root.TryGetProperty("item_assets", out var itemAssets) && file.Contains("l1c"))
                {
                    var keys = itemAssets.EnumerateObject().Select(a => a.Name).ToHashSet();
                    SentinelBands.All.Should().OnlyContain(b => keys.Contains(b.Asset) || keys.Contains(b.Band), "L1C collections describe all 12 bands");
                }
                break;
            case "Catalog":
                root.GetProperty("conformsTo").EnumerateArray().Select(c => c.GetString()).Should().Contain(c => c!.Contains("item-search"));
                break;
            default:
                file.Should().EndWith("request-body.json", "only request bodies have no STAC type");
                root.ValueKind.Should().Be(JsonValueKind.Object);
                break;
        }
    }

    [Fact]
    public void Earth_search_l1c_item_has_its_jp2_bands_baseline_offset_and_grid()
    {
        var item = Item("earth-search-v1_sentinel-2-l1c_S2B_20EPT_20250731_0_L1C.json", Bands);

        item.Id.Should().Be("S2B_20EPT_20250731_0_L1C");
        item.Collection.Should().Be("sentinel-2-l1c");
        item.Datetime.Should().Be(DateTimeOffset.Parse("2025-07-31T13:19:22.930Z"));
        item.GridCode.Should().Be("20EPT");
        item.CloudCover.Should().Be(0);
        item.Baseline.Should().Be("05.11");
        item.RasterOffsetDn.Should().Be(1000, "raster:bands offset −0.1 at scale 0.0001");
        item.Offset.Should().Be(1000);
        item.AssetUris["coastal"].Should().Be("s3://sentinel-s2-l1c/tiles/20/E/PT/2025/7/31/0/B01.jp2");
        item.AssetUris["nir08"].Should().Be("s3://sentinel-s2-l1c/tiles/20/E/PT/2025/7/31/0/B8A.jp2");
        item.AssetUris["swir22"].Should().EndWith("/B12.jp2");
        item.AssetUris.Should().NotContainKey(SentinelBands.SclAsset).And.NotContainKey(SentinelBands.CloudAsset, "L1C items carry no mask");
    }

    [Fact]
    public void Both_earth_search_l2a_siblings_pair_with_the_l1c_scene_one_by_derived_from_one_by_grid_and_time()
    {
        var l1c = Item("earth-search-v1_sentinel-2-l1c_S2B_20EPT_20250731_0_L1C.json", Bands);
        var l2a = Item("earth-search-v1_sentinel-2-l2a_S2B_20EPT_20250731_0_L2A.json");
        var c1 = Item("earth-search-v1_sentinel-2-c1-l2a_S2B_T20EPT_20250731T131905_L2A.json");

        l2a.DerivedFrom.Should().Be(l1c.Id);
        l2a.AssetUris[SentinelBands.SclAsset].Should().StartWith("https://sentinel-cogs.s3.us-west-2.amazonaws.com/").And.EndWith("/SCL.tif");
        c1.DerivedFrom.Should().BeNull();
        (c1.GridCode, c1.Datetime).Should().Be((l1c.GridCode, l1c.Datetime));
        c1.StorageRegion.Should().Be("us-west-2");
        c1.RequesterPays.Should().BeFalse();

        var (byLink, _) = SceneSearch.PairWithSiblings([l1c], [l2a], "sentinel-2-l2a");
        byLink.Single().Mask.Should().Be(new SceneMask(CloudMaskMode.Scl, l2a.Id, l2a.AssetUris["scl"]));
        var (byGridAndTime, _) = SceneSearch.PairWithSiblings([l1c], [c1], "sentinel-2-c1-l2a");
        byGridAndTime.Single().Mask.Item.Should().Be(c1.Id);
        var (none, skipped) = SceneSearch.PairWithSiblings([l1c], [], "sentinel-2-l2a");
        none.Should().BeEmpty();
        skipped.Single().Id.Should().Be(l1c.Id);
    }

    [Fact]
    public void A_reprocessed_duplicate_keeps_the_newest_baseline_whatever_the_date_says()
    {
        var old = Item("earth-search-v1_sentinel-2-l2a_S2A_32TMT_20200305_0_L2A_pb0214.json");
        var reprocessed = Item("earth-search-v1_sentinel-2-l2a_S2A_32TMT_20200305_1_L2A_pb0500.json");
        (reprocessed.Datetime - old.Datetime).Should().Be(TimeSpan.FromMilliseconds(1), "reprocessing moved the datetime by 1 ms");
        var laterPass = old with { Id = "S2B_32TMT_20200310_0_L2A", Datetime = old.Datetime.AddDays(5) };

        (old.Baseline, old.Offset).Should().Be(("02.14", 0));
        (reprocessed.Baseline, reprocessed.Offset).Should().Be(("05.00", 1000), "a 2020 acquisition reprocessed at 05.00 carries the offset");
        SceneSearch.Newest([old, reprocessed]).Single().Id.Should().Be(reprocessed.Id);
        SceneSearch.Newest([reprocessed, old]).Single().Id.Should().Be(reprocessed.Id);
        SceneSearch.Newest([old, laterPass, reprocessed]).Select(i => i.Id).Should().BeEquivalentTo([reprocessed.Id, laterPass.Id]);
    }

    [Fact]
    public void Cdse_items_name_bands_b01_to_b12_and_state_their_baseline_as_processing_version()
    {
        var l1c = Item("cdse_sentinel-2-l1c_S2A_MSIL1C_20240116T000741_N0510_R130_T51CVP_20240116T010505_eometadatatool-example.json", Bands);
        l1c.Baseline.Should().Be("05.10");
        l1c.Offset.Should().Be(1000);
        l1c.GridCode.Should().Be("51CVP");
        l1c.AssetUris["red"].Should().StartWith("s3://eodata/Sentinel-2/MSI/L1C/2024/01/16/").And.EndWith("_B04.jp2");
        l1c.AssetUris["nir08"].Should().EndWith("_B8A.jp2");

        var l2a = Item("cdse_sentinel-2-l2a_S2A_MSIL2A_20241107T113311_N0511_R080_T32VKR_20241107T123948.json");
        l2a.AssetUris[SentinelBands.SclAsset].Should().Contain("SCL_20m");
        l2a.Offset.Should().Be(1000);
    }

    [Fact]
    public void Planetary_computer_and_stactools_items_without_raster_offsets_go_by_their_baseline()
    {
        var pc = Item("planetary-computer_sentinel-2-l2a_S2B_MSIL2A_20200705T101559_R065_T32TMT_20200825T083452.json");
        (pc.Baseline, pc.Offset, pc.GridCode).Should().Be(("02.12", 0, "32TMT"));
        pc.AssetUris[SentinelBands.SclAsset].Should().StartWith("https://sentinel2l2a01.blob.core.windows.net/");
        pc.AssetUris["coastal"].Should().EndWith("_B01_60m.tif");

        var sinergise = Item("stactools-sentinel2_expected-output_L1C_sinergise-tile_T10SDG_20181231_pb0207.json", Bands);
        (sinergise.Baseline, sinergise.Offset).Should().Be(("02.07", 0));
        sinergise.AssetUris["blue"].Should().StartWith("https://example.org/items/", "relative hrefs resolve against the item");
    }

    [Theory]
    [InlineData("earth-search-v1_search_page1_response.json", "earth-search-v1_search_page1_request-body.json", "earth-search-v1_search_page2_request-body.json")]
    [InlineData("earth-search-v1_search_sentinel-2-l2a_2020_page1_response.json", "earth-search-v1_search_sentinel-2-l2a_2020_page1_request-body.json",
        "earth-search-v1_search_sentinel-2-l2a_2020_page2_request-body.json")]
    [InlineData("earth-search-v1_search_sentinel-2-l2a_2020_page2_response.json", "earth-search-v1_search_sentinel-2-l2a_2020_page2_request-body.json",
        "earth-search-v1_search_sentinel-2-l2a_2020_page3_request-body.json")]
    [InlineData("planetary-computer_search_naip_token-paging_page1_response.json", "planetary-computer_search_naip_token-paging_page1_request-body.json",
        "planetary-computer_search_naip_token-paging_page2_request-body.json")]
    public void The_next_request_is_exactly_what_the_client_sent_for_the_following_page(string page, string sent, string followedBy)
    {
        using var response = JsonDocument.Parse(Text(page));
        var current = new StacRequest(HttpMethod.Post, new Uri("https://earth-search.aws.element84.com/v1/search"), (JsonObject)JsonNode.Parse(Text(sent))!);

        var next = StacPaging.Next(response.RootElement, current);

        next.Should().NotBeNull();
        next!.Method.Should().Be(HttpMethod.Post);
        JsonNode.DeepEquals(next.Body, JsonNode.Parse(Text(followedBy))).Should().BeTrue($"{next.Body!.ToJsonString()} vs {Text(followedBy)}");
    }

    [Fact]
    public void The_empty_third_page_and_pages_without_a_next_link_end_the_search()
    {
        var current = new StacRequest(HttpMethod.Post, new Uri("https://example.org/search"), new JsonObject());
        using var empty = JsonDocument.Parse(Text("earth-search-v1_search_sentinel-2-l2a_2020_page3_response-empty.json"));
        using var cdse = JsonDocument.Parse(Text("cdse_search_sentinel-2-l2a_response.json"));

        StacPaging.Next(empty.RootElement, current).Should().BeNull();
        StacPaging.Next(cdse.RootElement, current).Should().BeNull("CDSE's single page has no next link");
    }

    [Fact]
    public void The_real_msk_classi_mask_decodes_with_gdal()
    {
        using var mask = GdalDataset.Open(Path.Combine(Dir, "cdse-eometadatatool-testdata_S2A_MSIL1C_20230216T044851_N0509_R076_T46UEU_MSK_CLASSI_B00.jp2"));

        (mask.Width, mask.Height, mask.BandCount).Should().Be((1830, 1830, 3));
        mask.DataType(1).Should().Be(GdalDataType.Byte);
        mask.SpatialReference().Epsg.Should().Be(32646);
        mask.GeoTransform.PixelWidth.Should().Be(60);
        double Mean(int band) => mask.ReadBand<byte>(band).Average(v => (double)v);
        Mean(1).Should().BeApproximately(0.070757, 0.0005, "band 1 = opaque clouds, CLOUDY_PIXEL_PERCENTAGE 7.0757");
        Mean(2).Should().Be(0, "band 2 = cirrus: none in this granule");
        Mean(3).Should().BeApproximately(0.4345, 0.001, "band 3 = snow, SNOW_PIXEL_PERCENTAGE 43.45");
    }
}
