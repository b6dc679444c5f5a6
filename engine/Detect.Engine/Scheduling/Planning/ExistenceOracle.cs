using System.Runtime.CompilerServices;
using Detect.Engine.Storage;

namespace Detect.Engine.Scheduling.Planning;

/// <summary>
/// Answers "does this target exist?" for many targets at once: targets that share a store folder are
/// answered by one listing of that folder (kept, and asked again for every target in it); lone targets by one
/// existence request each. The scheduler records what it publishes or deletes, which overrides the listing.
/// </summary>
internal sealed class ExistenceOracle(TargetResolver resolver, int listingThreshold = 2, int parallelism = 8)
{
    private readonly Dictionary<FolderKey, HashSet<string>> _listings = new();
    private readonly Dictionary<Target, bool> _known = new();
    private readonly Lock _lock = new();

    public bool Exists(Target target)
    {
        lock (_lock)
        {
            if (_known.TryGetValue(target, out var exists)) return exists;
            if (Locate(target) is var (store, key) && store is not null
                && _listings.TryGetValue(new FolderKey(store, key), out var listed)) return listed.Contains(key);
        }
        throw new InvalidOperationException($"Existence of {target.Identity} was not checked.");
    }

    public void Record(Target target, bool exists)
    {
        lock (_lock) _known[target] = exists;
    }

    public async Task CheckAsync(IEnumerable<Target> targets, CancellationToken ct)
    {
        var (folders, others) = Unchecked(targets);
        foreach (var target in others) Record(target, await resolver.ExistsAsync(target, ct));
        await Parallel.ForEachAsync(folders, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (group, token) =>
            {
                var folder = group.Key;
                var items = group.Value;
                if (items.Count >= listingThreshold)
                {
                    var listed = new HashSet<string>(await folder.Store.ListAsync(folder.Folder, token), StringComparer.Ordinal);
                    lock (_lock) _listings[folder] = listed;
                }
                else
                {
                    foreach (var (target, key) in items) Record(target, await folder.Store.ExistsAsync(key, token));
                }
            });
    }

    /// <summary>The targets not answered yet, by store folder (and those not in a store).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one long loop over every target of a graph
    private (Dictionary<FolderKey, List<(Target Target, string Key)>>, List<Target>) Unchecked(IEnumerable<Target> targets)
    {
        var folders = new Dictionary<FolderKey, List<(Target, string)>>();
        var others = new List<Target>();
        lock (_lock)
        {
            foreach (var target in targets)
            {
                if (_known.ContainsKey(target)) continue;
                var (store, key) = Locate(target);
                if (store is null) { others.Add(target); continue; }
                var folder = new FolderKey(store, key);
                if (_listings.ContainsKey(folder)) continue;
                if (!folders.TryGetValue(folder, out var items)) folders[folder] = items = [];
                items.Add((target, key));
            }
        }
        return (folders, others);
    }

    private (IObjectStore? Store, string Key) Locate(Target target) => target switch
    {
        StoreTarget s => (resolver.StoreFor(s.StoreUri), s.Key),
        FlagTarget f => (resolver.StoreFor(f.StoreUri), f.Marker.Key),
        _ => (null, ""),
    };

    /// <summary>A store and the folder part of a key (up to its last '/'), compared without cutting the key.</summary>
    private readonly struct FolderKey(IObjectStore store, string key) : IEquatable<FolderKey>
    {
        private readonly int _length = key.LastIndexOf('/') + 1;
        public IObjectStore Store { get; } = store;
        public string Folder => key[.._length];
        private ReadOnlySpan<char> Span => key.AsSpan(0, _length);
        public bool Equals(FolderKey other) => ReferenceEquals(Store, other.Store) && Span.SequenceEqual(other.Span);
        public override bool Equals(object? obj) => obj is FolderKey f && Equals(f);
        public override int GetHashCode() => HashCode.Combine(Store, string.GetHashCode(Span, StringComparison.Ordinal));
    }
}
