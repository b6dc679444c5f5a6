using System.Text.Json;
using System.Text.Json.Nodes;

namespace Detect.Tasks.Imagery.Stac;

/// <summary>One HTTP request of a search: method, absolute URL and (for POST) the JSON body.</summary>
public sealed record StacRequest(HttpMethod Method, Uri Url, JsonObject? Body);

/// <summary>
/// STAC API item-search paging (radiantearth/stac-api-spec item-search): the <c>rel=next</c> link is followed
/// exactly as given — its method (default GET), href and body; with <c>merge: true</c> its body is merged over the
/// previous request's body, otherwise it replaces it (Earth Search repeats the whole body plus a <c>next</c> token,
/// Planetary Computer a <c>token</c>). Paging stops on a page without features or without a next link.
/// </summary>
public static class StacPaging
{
    /// <summary>The request for the page after <paramref name="page"/>, or null when the search is done.</summary>
    public static StacRequest? Next(JsonElement page, StacRequest current)
    {
        if (!page.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array || features.GetArrayLength() == 0)
            return null;
        if (!page.TryGetProperty("links", out var links) || links.ValueKind != JsonValueKind.Array) return null;
        foreach (var link in links.EnumerateArray())
        {
            if (!link.TryGetProperty("rel", out var rel) || rel.GetString() != "next") continue;
            if (!link.TryGetProperty("href", out var hrefElement) || hrefElement.GetString() is not { Length: > 0 } href) return null;
            var url = new Uri(current.Url, href);
            var method = link.TryGetProperty("method", out var m) && m.GetString() is { Length: > 0 } name
                ? new HttpMethod(name.ToUpperInvariant()) : HttpMethod.Get;
            if (method == HttpMethod.Get) return new StacRequest(HttpMethod.Get, url, null);
            var merge = link.TryGetProperty("merge", out var mg) && mg.ValueKind == JsonValueKind.True;
            var linkBody = link.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.Object
                ? (JsonObject)JsonNode.Parse(b.GetRawText())! : null;
            JsonObject body;
            if (linkBody is null) body = Clone(current.Body);
            else if (!merge) body = linkBody;
            else
            {
                body = Clone(current.Body);
                foreach (var (key, value) in linkBody) body[key] = value?.DeepClone();
            }
            return new StacRequest(method, url, body);
        }
        return null;
    }

    private static JsonObject Clone(JsonObject? body) => body is null ? new JsonObject() : (JsonObject)body.DeepClone();
}
