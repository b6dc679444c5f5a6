using System.Globalization;
using Detect.Tasks.Analysis.H3;

namespace Detect.Tasks.Tests.Analysis.H3;

public class H3IndexTests
{
    /// <summary>Rows of h3-reference.csv, produced by h3-js 4.5.0 through generate-reference.mjs.</summary>
    public static IEnumerable<object[]> Reference()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Analysis", "H3", "h3-reference.csv");
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var f = line.Split(',');
            yield return [double.Parse(f[0], CultureInfo.InvariantCulture), double.Parse(f[1], CultureInfo.InvariantCulture),
                int.Parse(f[2], CultureInfo.InvariantCulture), f[3], f[4]];
        }
    }

    [Fact]
    public void Reference_table_covers_the_required_cases()
    {
        var rows = Reference().ToList();
        rows.Count(r => (int)r[2] == 7).Should().BeGreaterThanOrEqualTo(150);
        rows.Should().Contain(r => Math.Abs((double)r[0]) >= 89.9);
        rows.Should().Contain(r => (string)r[4] == "antimeridian" && Math.Abs((double)r[1]) >= 179.99);
        rows.Should().Contain(r => (string)r[4] == "pentagon");
        rows.Select(r => (int)r[2]).Distinct().Should().HaveCount(16);
    }

    [Fact]
    public void Every_reference_cell_matches_h3_js()
    {
        var mismatches = Reference()
            .Select(r => (Lat: (double)r[0], Lng: (double)r[1], Res: (int)r[2], Expected: (string)r[3], Kind: (string)r[4]))
            .Select(r => (r, Actual: H3Index.LatLngToCellString(r.Lat, r.Lng, r.Res)))
            .Where(x => x.Actual != x.r.Expected)
            .Select(x => $"{x.r.Kind} ({x.r.Lat}, {x.r.Lng}) res {x.r.Res}: expected {x.r.Expected}, got {x.Actual}")
            .ToList();
        mismatches.Should().BeEmpty(string.Join("\n", mismatches));
    }

    [Fact]
    public void Index_fields_and_string_form()
    {
        ulong cell = H3Index.LatLngToCell(37.7749295, -122.4194155, 7);
        H3Index.GetResolution(cell).Should().Be(7);
        H3Index.ToString(cell).Should().HaveLength(15).And.MatchRegex("^[0-9a-f]{15}$").And.EndWith("ffffff");
        H3Index.GetResolution(H3Index.LatLngToCell(0, 0, 0)).Should().Be(0);
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        ((Action)(() => H3Index.LatLngToCell(0, 0, 16))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*0..15*");
        ((Action)(() => H3Index.LatLngToCell(double.NaN, 0, 7))).Should().Throw<ArgumentException>().WithMessage("*finite*");
    }
}
