namespace Detect.Tasks.Analysis.Geocoding;

/// <summary>
/// Reverse geocoding from the bundled gazetteer: the country whose Natural Earth polygon contains the point (else the
/// country of the nearest place), the nearest GeoNames place within <see cref="CutoffKm"/> as city/nearest_place with
/// its distance, and that place's first-level admin area as state. Deterministic; no network.
/// </summary>
public sealed class OfflineGeocoder(Gazetteer gazetteer, double cutoffKm = OfflineGeocoder.DefaultCutoffKm) : IReverseGeocoder
{
    public const double DefaultCutoffKm = 50;
    public double CutoffKm { get; } = cutoffKm > 0 ? cutoffKm : throw new ArgumentOutOfRangeException(nameof(cutoffKm), cutoffKm, "Cutoff must be > 0 km.");

    public static OfflineGeocoder Load(string directory = Gazetteer.DefaultDirectory) => new(Gazetteer.Load(directory));

    public GeocodeResult Reverse(double lat, double lon)
    {
        if (!double.IsFinite(lat) || !double.IsFinite(lon) || Math.Abs(lat) > 90)
            throw new ArgumentException($"Cannot geocode lat {lat}, lon {lon}: not a WGS84 position.");
        var country = gazetteer.CountryAt(lat, lon);
        var nearest = gazetteer.NearestPlace(lat, lon, CutoffKm);
        string? code = country is { Code.Length: > 0 } c ? c.Code : nearest?.Place.CountryCode;
        string? name = country?.Name ?? (code is null ? null : gazetteer.CountryName(code));
        string? state = nearest is { } n && n.Place.CountryCode == code && n.Place.Admin1.Length > 0 ? n.Place.Admin1 : null;
        return new GeocodeResult(
            Country: string.IsNullOrEmpty(name) ? null : name,
            CountryCode: string.IsNullOrEmpty(code) ? null : code,
            State: state,
            City: nearest?.Place.Name,
            NearestPlace: nearest?.Place.Name,
            DistanceKm: nearest?.DistanceKm,
            Source: "offline");
    }

    public Task<GeocodeResult> ReverseAsync(double lat, double lon, CancellationToken cancellationToken = default) =>
        Task.FromResult(Reverse(lat, lon));
}
