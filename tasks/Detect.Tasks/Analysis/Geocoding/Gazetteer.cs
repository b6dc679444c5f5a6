using System.Globalization;
using Detect.Tasks.Geo.GeoJson;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;

namespace Detect.Tasks.Analysis.Geocoding;

/// <summary>The offline gazetteer files built by <c>scripts/fetch-gazetteer.sh</c>: populated places (GeoNames) and
/// country polygons (Natural Earth), indexed for nearest-place and point-in-country queries.</summary>
public sealed class Gazetteer
{
    public const string DefaultDirectory = ".deps/gazetteer";
    internal readonly record struct Place(string Name, double Lat, double Lon, string CountryCode, string Admin1);
    internal readonly record struct Country(string Name, string Code, IPreparedGeometry Geometry);

    private readonly Place[] _places;
    private readonly Dictionary<(int, int), int[]> _grid; // 1° cells → place indexes
    private readonly STRtree<int> _countryIndex = new();
    private readonly Country[] _countries;
    private readonly Dictionary<string, string> _countryNames;
    private static readonly GeometryFactory Factory = new();

    private Gazetteer(Place[] places, Country[] countries)
    {
        _places = places;
        _grid = places.Select((p, i) => (p, i))
            .GroupBy(x => Cell(x.p.Lat, x.p.Lon), x => x.i)
            .ToDictionary(g => g.Key, g => g.ToArray());
        _countries = countries;
        for (int i = 0; i < countries.Length; i++) _countryIndex.Insert(countries[i].Geometry.Geometry.EnvelopeInternal, i);
        _countryIndex.Build();
        _countryNames = countries.Where(c => c.Code.Length > 0).GroupBy(c => c.Code).ToDictionary(g => g.Key, g => g.First().Name);
    }

    public int PlaceCount => _places.Length;
    public int CountryCount => _countries.Length;

    /// <summary>Loads <c>places.tsv</c> and <c>countries.geojson</c> from <paramref name="directory"/>.</summary>
    public static Gazetteer Load(string directory)
    {
        string placesPath = Path.Combine(directory, "places.tsv"), countriesPath = Path.Combine(directory, "countries.geojson");
        if (!File.Exists(placesPath) || !File.Exists(countriesPath))
            throw new FileNotFoundException(
                $"Offline gazetteer not found in '{Path.GetFullPath(directory)}' (needs places.tsv and countries.geojson). " +
                "Build it with scripts/fetch-gazetteer.sh (part of scripts/setup.sh), or choose the Nominatim geocoder.");
        // the two files are independent: parse the country polygons while the places are read
        var countriesTask = Task.Run(() => GeoJsonReader.ReadFeaturesFile(countriesPath)
            .Where(f => f.Geometry is { Dimension: Dimension.Surface })
            .Select(f => new Country(f.GetString("name") ?? "", f.GetString("country_code") ?? "", PreparedGeometryFactory.Prepare(f.Geometry)))
            .ToArray());
        var places = new List<Place>(200_000);
        int lineNo = 0;
        foreach (var line in File.ReadLines(placesPath))
        {
            if (lineNo++ == 0 || line.Length == 0) continue;
            var f = line.Split('\t');
            if (f.Length < 5) throw new FormatException($"{placesPath}:{lineNo}: expected 5 tab-separated fields (name, lat, lng, country_code, admin1).");
            places.Add(new Place(f[0], double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture), f[3], f[4]));
        }
        return new Gazetteer(places.ToArray(), countriesTask.GetAwaiter().GetResult());
    }

    /// <summary>The country polygon that contains the point (boundary counts as inside); first in file order on overlaps.</summary>
    internal Country? CountryAt(double lat, double lon)
    {
        var point = Factory.CreatePoint(new Coordinate(lon, lat));
        int best = -1;
        foreach (int i in _countryIndex.Query(point.EnvelopeInternal))
            if ((best < 0 || i < best) && _countries[i].Geometry.Covers(point)) best = i;
        return best < 0 ? null : _countries[best];
    }

    internal string? CountryName(string code) => _countryNames.GetValueOrDefault(code);

    /// <summary>The nearest place within <paramref name="cutoffKm"/> (great-circle), ties broken by file order.</summary>
    internal (Place Place, double DistanceKm)? NearestPlace(double lat, double lon, double cutoffKm)
    {
        double latSpan = cutoffKm / 111.0;
        double cosLat = Math.Cos(lat * Math.PI / 180);
        double lonSpan = cosLat < 1e-6 ? 360 : Math.Min(360, cutoffKm / (111.0 * cosLat));
        var (cLat0, cLon0) = Cell(lat - latSpan, lon - lonSpan);
        var (cLat1, cLon1) = Cell(lat + latSpan, lon + lonSpan);
        int bestIndex = -1;
        double bestKm = double.MaxValue;
        int lonCells = Math.Min(360, cLon1 - cLon0 + 1);
        for (int cy = Math.Max(-90, cLat0); cy <= Math.Min(90, cLat1); cy++)
            for (int n = 0; n < lonCells; n++)
            {
                int cx = ((cLon0 + n) % 360 + 360 + 180) % 360 - 180; // wrap across the antimeridian
                if (!_grid.TryGetValue((cy, cx), out var bucket)) continue;
                foreach (int i in bucket)
                {
                    double d = HaversineKm(lat, lon, _places[i].Lat, _places[i].Lon);
                    if (d < bestKm || (d == bestKm && i < bestIndex)) { bestKm = d; bestIndex = i; }
                }
            }
        return bestIndex >= 0 && bestKm <= cutoffKm ? (_places[bestIndex], bestKm) : null;
    }

    private static (int, int) Cell(double lat, double lon) => ((int)Math.Floor(lat), (int)Math.Floor(lon));

    internal static double HaversineKm(double lat1, double lon1, double lat2, double lon2)
    {
        const double R = 6371.0088; // mean Earth radius
        double p1 = lat1 * Math.PI / 180, p2 = lat2 * Math.PI / 180;
        double dp = p2 - p1, dl = (lon2 - lon1) * Math.PI / 180;
        double h = Math.Sin(dp / 2) * Math.Sin(dp / 2) + Math.Cos(p1) * Math.Cos(p2) * Math.Sin(dl / 2) * Math.Sin(dl / 2);
        return 2 * R * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
