using Detect.Engine.Scheduling.Planning;
using Detect.Engine.Storage;

namespace Detect.Engine.Tests.Storage;

public sealed class ExistenceBatchingTests : IDisposable
{
    private readonly TempStore _env = new();
    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task Targets_sharing_a_folder_are_answered_by_one_listing()
    {
        var counting = new CountingStore(_env.Store);
        using var resolver = new TargetResolver(counting, _env.Cache);
        for (var i = 0; i < 50; i += 2) await File.WriteAllTextAsync(Directory.CreateDirectory(_env.PathOf("a")).FullName + $"/{i}.txt", "x");
        var oracle = new ExistenceOracle(resolver);
        var targets = Enumerable.Range(0, 50).Select(i => new StoreTarget($"a/{i}.txt")).Append(new StoreTarget("b/lonely.txt")).ToList();

        await oracle.CheckAsync(targets, CancellationToken.None);

        counting.Lists.Should().Be(1);
        counting.Heads.Should().Be(1, "the lone target in b/ is checked by itself");
        targets.Take(50).Select(t => oracle.Exists(t)).Should().Equal(Enumerable.Range(0, 50).Select(i => i % 2 == 0));
        oracle.Exists(targets[^1]).Should().BeFalse();
    }
}

public sealed class LocalObjectStoreTests : IDisposable
{
    private readonly TempStore _env = new();
    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task Listing_returns_every_key_under_the_prefix_and_nothing_beside_it()
    {
        foreach (var key in new[] { "a/x.txt", "a/sub/y.txt", "ab/z.txt", "b/w.txt" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_env.PathOf(key))!);
            await File.WriteAllTextAsync(_env.PathOf(key), key);
        }

        (await _env.Store.ListAsync("a/")).Should().Equal("a/sub/y.txt", "a/x.txt");
        (await _env.Store.ListAsync("a")).Should().Equal("a/sub/y.txt", "a/x.txt", "ab/z.txt");
        (await _env.Store.ListAsync("nothing/")).Should().BeEmpty();
    }

    [Fact]
    public async Task Exclusive_create_succeeds_once()
    {
        (await _env.Store.TryCreateExclusiveAsync("locks/l.json", "1"u8.ToArray())).Should().BeTrue();
        (await _env.Store.TryCreateExclusiveAsync("locks/l.json", "2"u8.ToArray())).Should().BeFalse();
        (await File.ReadAllTextAsync(_env.PathOf("locks/l.json"))).Should().Be("1");
    }

    [Fact]
    public async Task Reading_a_missing_key_names_its_uri()
    {
        var act = () => _env.Store.OpenReadAsync("no/such.json");
        (await act.Should().ThrowAsync<ObjectNotFoundException>()).Which.Message.Should().Contain("no/such.json");
    }
}
