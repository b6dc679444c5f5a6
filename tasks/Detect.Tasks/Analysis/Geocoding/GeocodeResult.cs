namespace Detect.Tasks.Analysis.Geocoding;

/// <summary>Address fields of a site. <see cref="Source"/> is "offline" or "nominatim".</summary>
public sealed record GeocodeResult(
    string? Country, string? CountryCode, string? State, string? City,
    string? NearestPlace, double? DistanceKm, string Source, string? DisplayName = null)
{
    /// <summary>The fields as GeoJSON properties (always the same keys, null when unknown).</summary>
    public IReadOnlyDictionary<string, object?> ToProperties() => new Dictionary<string, object?>
    {
        ["country"] = Country,
        ["country_code"] = CountryCode,
        ["state"] = State,
        ["city"] = City,
        ["nearest_place"] = NearestPlace,
        ["distance_km"] = DistanceKm is { } d ? Math.Round(d, 3) : null,
        ["display_name"] = DisplayName,
        ["geocoder"] = Source,
    };
}

public interface IReverseGeocoder
{
    /// <summary>Address fields for a WGS84 point. Implementations do not throw for lookup failures.</summary>
    Task<GeocodeResult> ReverseAsync(double lat, double lon, CancellationToken cancellationToken = default);
}
