using Detect.Tasks.Analysis.Geocoding;

namespace Detect.Tasks.Tests.Analysis.Geocoding;

public sealed class OfflineGeocoderTests : IDisposable
{
    private readonly TestGazetteer _files = new();
    private readonly OfflineGeocoder _geocoder;

    public OfflineGeocoderTests() => _geocoder = OfflineGeocoder.Load(_files.Directory);

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Point_inside_a_country_near_a_place_gets_all_fields()
    {
        var r = _geocoder.Reverse(0.12, 0.12);
        r.Country.Should().Be("Aland");
        r.CountryCode.Should().Be("AA");
        r.City.Should().Be("Alpha Town");
        r.NearestPlace.Should().Be("Alpha Town");
        r.State.Should().Be("North Province");
        r.DistanceKm.Should().BeApproximately(Math.Sqrt(2) * 0.02 * 111.2, 0.1);
        r.Source.Should().Be("offline");
    }

    [Fact]
    public void At_sea_the_country_comes_from_the_nearest_place()
    {
        var r = _geocoder.Reverse(0.1, 1.9); // sea between Aland and Bland; Beta City is 33 km away
        r.CountryCode.Should().Be("BB");
        r.Country.Should().Be("Bland");
        r.City.Should().Be("Beta City");
    }

    [Fact]
    public void Far_from_everything_gives_no_place_and_no_country()
    {
        var r = _geocoder.Reverse(-40, -120);
        r.Should().Be(new GeocodeResult(null, null, null, null, null, null, "offline"));
    }

    [Fact]
    public void Places_beyond_the_cutoff_are_ignored_but_the_country_polygon_still_answers()
    {
        var r = new OfflineGeocoder(Gazetteer.Load(_files.Directory), cutoffKm: 5).Reverse(0.9, 0.9);
        r.CountryCode.Should().Be("AA");
        r.NearestPlace.Should().BeNull();
        r.DistanceKm.Should().BeNull();
    }

    [Fact]
    public void Nearest_place_is_found_across_the_antimeridian()
    {
        var r = _geocoder.Reverse(10, -179.98);
        r.NearestPlace.Should().Be("Far East");
        r.DistanceKm.Should().BeLessThan(10);
        r.State.Should().Be("Island Region");
    }

    [Fact]
    public void Answers_are_deterministic_including_ties()
    {
        // exactly between Twin One and Twin Two: the first in file order wins, every time
        var answers = Enumerable.Range(0, 5).Select(_ => _geocoder.Reverse(20, 20)).ToList();
        answers.Should().OnlyContain(a => a == answers[0]);
        answers[0].NearestPlace.Should().Be("Twin One");
    }

    [Fact]
    public void Missing_gazetteer_names_the_setup_script()
    {
        var act = () => OfflineGeocoder.Load(Path.Combine(_files.Directory, "nope"));
        act.Should().Throw<FileNotFoundException>().WithMessage("*scripts/fetch-gazetteer.sh*");
    }

    [Fact]
    public void Properties_have_fixed_keys()
    {
        _geocoder.Reverse(0.12, 0.12).ToProperties().Keys.Should().Equal(
            "country", "country_code", "state", "city", "nearest_place", "distance_km", "display_name", "geocoder");
    }
}

/// <summary>The real gazetteer built by scripts/fetch-gazetteer.sh (setup builds it; the test says so when it is missing).</summary>
public class BundledGazetteerTests
{
    private static readonly Lazy<OfflineGeocoder> Geocoder = new(() => OfflineGeocoder.Load(Path.Combine(RepoRoot(), ".deps", "gazetteer")));

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Detect.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root (Detect.sln) not found above " + AppContext.BaseDirectory);
    }

    [Theory]
    [InlineData(-1.2864, 36.8172, "KE", "Nairobi")]
    [InlineData(6.4541, 3.3947, "NG", "Lagos")]
    [InlineData(52.5200, 13.4050, "DE", "Berlin")]
    public void Known_cities_resolve_to_their_country_and_name(double lat, double lon, string code, string place)
    {
        var r = Geocoder.Value.Reverse(lat, lon);
        r.CountryCode.Should().Be(code);
        r.Country.Should().NotBeNullOrEmpty();
        new[] { r.NearestPlace, r.State }.Should().Contain(s => s != null && s.Contains(place), "the place or its admin area is " + place);
        r.DistanceKm.Should().BeLessThan(5);
    }

    [Fact]
    public void Open_ocean_has_no_address()
    {
        var r = Geocoder.Value.Reverse(0, -150);
        r.CountryCode.Should().BeNull();
        r.NearestPlace.Should().BeNull();
    }
}
