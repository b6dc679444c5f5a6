using System.Diagnostics;
using System.Text.Json.Nodes;
using Detect.Tasks.Imagery;
using Detect.Tasks.Imagery.Stac;

namespace Detect.Tasks.Tests.Imagery.Stac;

/// <summary>The STAC API client against the fixture server over real HTTP: paging, retries, Retry-After, errors.</summary>
public sealed class StacApiClientTests : IDisposable
{
    private readonly StacApiServer _server = new(pageSize: 4);
    private static readonly StacApiOptions Fast = new() { RetryBaseDelay = TimeSpan.FromMilliseconds(10), MaxRetryDelay = TimeSpan.FromSeconds(5) };

    public StacApiClientTests()
    {
        _server.Collections["c"] = Enumerable.Range(0, 10).Select(i => new JsonObject
        {
            ["type"] = "Feature", ["id"] = $"item-{i:00}",
            ["geometry"] = new JsonObject { ["type"] = "Polygon", ["coordinates"] = JsonNode.Parse("[[[0,0],[1,0],[1,1],[0,1],[0,0]]]") },
            ["properties"] = new JsonObject { ["datetime"] = $"2020-01-{i + 1:00}T10:00:00Z" },
            ["assets"] = new JsonObject(),
        }).ToList();
    }

    public void Dispose() => _server.Dispose();

    private static JsonObject Body() => new() { ["collections"] = new JsonArray("c"), ["limit"] = 100 };

    [Fact]
    public async Task A_search_follows_every_next_link_until_an_empty_page()
    {
        using var client = new StacApiClient(new Uri(_server.Root), Fast);

        var items = await client.SearchAsync(Body());

        items.Select(i => i.GetProperty("id").GetString()).Should().BeEquivalentTo(Enumerable.Range(0, 10).Select(i => $"item-{i:00}"));
        _server.SearchRequests.Should().Be(4, "pages of 4, 4 and 2, then the empty page the last next link leads to");
        _server.Requests.Should().OnlyContain(r => r.UserAgent.StartsWith("Detect/"));
        _server.Requests.Skip(1).Should().OnlyContain(r => r.Body.Contains("\"next\""), "follow-ups send the next link's body");
    }

    [Fact]
    public async Task A_429_is_retried_after_the_time_its_retry_after_header_asks_for()
    {
        _server.ThrottleNextSearch(retryAfterSeconds: 2);
        using var client = new StacApiClient(new Uri(_server.Root), Fast);
        var clock = Stopwatch.StartNew();

        var items = await client.SearchAsync(Body());

        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(1.9), "Retry-After: 2 wins over the 10 ms backoff");
        items.Should().HaveCount(10);
        client.RequestCount.Should().Be(5, "one throttled request, then the four pages");
    }

    [Fact]
    public async Task Five_hundreds_are_retried_and_three_of_them_fail_the_search_naming_the_url()
    {
        _server.FailNextSearches(2);
        using (var client = new StacApiClient(new Uri(_server.Root), Fast))
            (await client.SearchAsync(Body())).Should().HaveCount(10, "two 500s are within the three attempts");

        _server.FailNextSearches(3);
        using var failing = new StacApiClient(new Uri(_server.Root), Fast);
        var act = () => failing.SearchAsync(Body());

        (await act.Should().ThrowAsync<ImageryException>()).WithMessage($"*POST {_server.Root}/search answered 500*after 3 attempt(s)*");
        failing.RequestCount.Should().Be(3);
    }

    [Fact]
    public async Task An_unknown_collection_lists_the_collections_there_are()
    {
        using var client = new StacApiClient(new Uri(_server.Root), Fast);

        var act = () => client.GetCollectionAsync("nope");

        (await act.Should().ThrowAsync<ImageryException>()).WithMessage("*no collection 'nope'*Its collections: c*");
    }
}
