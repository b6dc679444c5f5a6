using Detect.Engine.Parameters;

namespace Detect.Tasks.Imagery;

/// <summary>
/// Where scenes come from (<c>--imagery</c>): <c>store</c>, the static STAC catalog under <c>imagery/items/</c> of
/// the run's store; <c>earth-search</c>, the Earth Search v1 STAC API; or any STAC API root URL.
/// </summary>
public sealed record ImagerySource
{
    public const string Store = "store";
    public const string EarthSearch = "earth-search";
    public const string EarthSearchRoot = "https://earth-search.aws.element84.com/v1";

    public const string AcceptedForms = "store (the store's imagery/items/ catalog), earth-search (" + EarthSearchRoot +
                                        ") or a STAC API root URL (http://… or https://…)";

    private ImagerySource(string name, Uri? apiRoot) => (Name, ApiRoot) = (name, apiRoot);

    /// <summary>The value as given (preset name or URL).</summary>
    public string Name { get; }

    /// <summary>The STAC API root; null for the store's static catalog.</summary>
    public Uri? ApiRoot { get; }

    public bool IsStore => ApiRoot is null;

    /// <summary>Parses <c>--imagery</c>; anything else is a usage error naming the value and the accepted forms.</summary>
    public static ImagerySource Parse(string value)
    {
        var text = value.Trim();
        if (text.Equals(Store, StringComparison.OrdinalIgnoreCase)) return new ImagerySource(Store, null);
        if (text.Equals(EarthSearch, StringComparison.OrdinalIgnoreCase)) return new ImagerySource(EarthSearch, new Uri(EarthSearchRoot));
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
            && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment))
            return new ImagerySource(text.TrimEnd('/'), new Uri(uri.AbsoluteUri.TrimEnd('/')));
        throw new ParameterException($"--imagery '{value}' is neither a preset nor a URL: use {AcceptedForms}.");
    }

    public override string ToString() => ApiRoot is null ? Store : ApiRoot.AbsoluteUri.TrimEnd('/');
}

/// <summary>How cloud and shadow pixels are found (<c>--cloud-mask</c>).</summary>
public enum CloudMaskMode
{
    /// <summary><see cref="Scl"/> for STAC APIs, <see cref="Asset"/> for the store's static catalog.</summary>
    Auto,
    /// <summary>The SCL layer of the sibling L2A item: classes 3, 8, 9, 10 are cloud or shadow, 0 is nodata.</summary>
    Scl,
    /// <summary>The item's own <c>cloud</c> asset (1 cloud/shadow, 0 clear, 255 nodata).</summary>
    Asset,
    /// <summary>No mask: every pixel with band data counts.</summary>
    None,
}
