using Detect.Tasks.Tiling;

namespace Detect.Tasks.Tests.Tiling;

public sealed class TileGroupsTests
{
    private static Tile T(string id) => Tile.Parse(id);

    [Fact]
    public void Tiles_group_in_aligned_two_by_two_blocks_per_zone_in_cover_order()
    {
        var cover = new[]
        {
            T("32750_x0037_y1057"), T("32750_x0036_y1056"), T("32750_x0037_y1056"), // block (18, 528)
            T("32750_x0038_y1056"),                                               // block (19, 528): alone
            T("32750_x0036_y1055"),                                               // block (18, 527)
            T("32751_x0037_y1057"),                                               // another zone: its own group
        };

        var groups = TileGroups.Of(cover);

        groups["32750_x0036_y1056"].Select(t => t.Id).Should().Equal("32750_x0037_y1057", "32750_x0036_y1056", "32750_x0037_y1056");
        groups["32750_x0037_y1057"].Should().BeSameAs(groups["32750_x0036_y1056"]);
        groups["32750_x0038_y1056"].Select(t => t.Id).Should().Equal("32750_x0038_y1056");
        groups["32750_x0036_y1055"].Select(t => t.Id).Should().Equal(["32750_x0036_y1055"], "y 1055 is in the block of 1054-1055, not of 1056-1057");
        groups["32751_x0037_y1057"].Select(t => t.Id).Should().Equal("32751_x0037_y1057");
        groups.Should().HaveCount(cover.Length);
    }
}
