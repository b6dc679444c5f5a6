using System.Text;

namespace Detect.Engine.Tests.Storage.Local;

/// <summary>Leases on a local store: created by link(2) from a spare file, released by renaming back to a spare.</summary>
public sealed class LocalExclusiveFilesTests : IDisposable
{
    private readonly TempStore _env = new();
    public void Dispose() => _env.Dispose();

    private string Spares => _env.PathOf(".detect/spare");

    [Fact]
    public async Task Exclusive_create_release_and_create_again_keep_exact_content_and_reuse_the_file()
    {
        (await _env.Store.TryCreateExclusiveAsync("leases/a.json", "first holder, a long line of content"u8.ToArray())).Should().BeTrue();
        (await _env.Store.TryCreateExclusiveAsync("leases/a.json", "second"u8.ToArray())).Should().BeFalse();
        (await File.ReadAllTextAsync(_env.PathOf("leases/a.json"))).Should().Be("first holder, a long line of content");

        await _env.Store.ReleaseExclusiveAsync("leases/a.json");
        File.Exists(_env.PathOf("leases/a.json")).Should().BeFalse("a released lease is gone at once");
        var sparesAfterRelease = Directory.GetFiles(Spares).Length;

        (await _env.Store.TryCreateExclusiveAsync("leases/b.json", "short"u8.ToArray())).Should().BeTrue();
        (await File.ReadAllTextAsync(_env.PathOf("leases/b.json"))).Should().Be("short", "a reused file is cut to the new content");
        if (OperatingSystem.IsLinux())
            Directory.GetFiles(Spares).Length.Should().Be(sparesAfterRelease - 1, "the released file became the new lease (no new file)");
    }

    [Fact]
    public async Task Racing_exclusive_creates_on_a_local_store_have_exactly_one_winner()
    {
        for (var round = 0; round < 5; round++)
        {
            var key = $"leases/race-{round}.json";
            var stores = Enumerable.Range(0, 4).Select(_ => new Detect.Engine.Storage.LocalObjectStore(_env.Store.Root)).ToList();
            var results = await Task.WhenAll(stores.SelectMany((s, i) => Enumerable.Range(0, 4).Select(j =>
                Task.Run(() => s.TryCreateExclusiveAsync(key, Encoding.UTF8.GetBytes($"owner-{i}-{j}"))))));
            results.Count(created => created).Should().Be(1);
            (await File.ReadAllTextAsync(_env.PathOf(key))).Should().StartWith("owner-");
            foreach (var s in stores) s.Dispose();
        }
    }

    [Fact]
    public async Task Closing_the_store_deletes_its_spare_files()
    {
        using (var store = new Detect.Engine.Storage.LocalObjectStore(_env.Store.Root))
        {
            (await store.TryCreateExclusiveAsync("leases/x.json", "1"u8.ToArray())).Should().BeTrue();
            await store.ReleaseExclusiveAsync("leases/x.json");
        }
        (Directory.Exists(Spares) ? Directory.GetFiles(Spares) : []).Should().BeEmpty();
    }
}
