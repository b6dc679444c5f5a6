using System.Runtime.CompilerServices;
using Detect.Engine.Storage;

namespace Detect.Engine.Scheduling.Planning;

/// <summary>
/// Answers "does this target exist?" for many targets at once: targets that share a store folder are
/// answered by one listing of that folder; lone targets by one existence request each.
/// Answers are remembered; the scheduler records what it publishes or deletes.
/// </summary>
internal sealed class ExistenceOracle(TargetResolver resolver, int listingThreshold = 2, int parallelism = 8)
{
    private readonly Dictionary<Target, bool> _known = new();
    private readonly Lock _lock = new();

    public bool Exists(Target target)
    {
        lock (_lock)
            if (_known.TryGetValue(target, out var exists)) return exists;
        throw new InvalidOperationException($"Existence of {target.Identity} was not checked.");
    }

    public void Record(Target target, bool exists)
    {
        lock (_lock) _known[target] = exists;
    }

    public async Task CheckAsync(IEnumerable<Target> targets, CancellationToken ct)
    {
        var (folders, others) = Group(targets);
        foreach (var target in others) Record(target, await resolver.ExistsAsync(target, ct));
        await Parallel.ForEachAsync(folders, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (group, token) =>
            {
                var (store, folder) = (group.Key.Store, group.Key.Folder);
                var items = group.Value;
                if (items.Count >= listingThreshold)
                {
                    var listed = new HashSet<string>(await store.ListAsync(folder, token), StringComparer.Ordinal);
                    lock (_lock)
                        foreach (var (target, key) in items) _known[target] = listed.Contains(key);
                }
                else
                {
                    foreach (var (target, key) in items) Record(target, await store.ExistsAsync(key, token));
                }
            });
    }

    /// <summary>The targets not known yet, by store and folder (and those not in a store).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (Dictionary<FolderKey, List<(Target Target, string Key)>>, List<Target>) Group(IEnumerable<Target> targets)
    {
        var folders = new Dictionary<FolderKey, List<(Target, string)>>();
        var others = new List<Target>();
        var seen = new HashSet<Target>();
        foreach (var target in targets)
        {
            bool known;
            lock (_lock) known = _known.ContainsKey(target);
            if (known || !seen.Add(target)) continue;
            var (store, key) = target switch
            {
                StoreTarget s => (resolver.StoreFor(s.StoreUri), s.Key),
                FlagTarget f => (resolver.StoreFor(f.StoreUri), f.Marker.Key),
                _ => ((IObjectStore?)null, ""),
            };
            if (store is null) { others.Add(target); continue; }
            var folder = new FolderKey(store, key, key.LastIndexOf('/') + 1);
            if (!folders.TryGetValue(folder, out var items)) folders[folder] = items = [];
            items.Add((target, key));
        }
        return (folders, others);
    }

    /// <summary>A store and the folder part of a key (its first <c>Length</c> characters), compared without cutting the key.</summary>
    private readonly struct FolderKey(IObjectStore store, string key, int length) : IEquatable<FolderKey>
    {
        public IObjectStore Store { get; } = store;
        public string Folder => key[..length];
        public bool Equals(FolderKey other) => ReferenceEquals(Store, other.Store) && key.AsSpan(0, length).SequenceEqual(other.Key);
        private ReadOnlySpan<char> Key => key.AsSpan(0, length);
        public override bool Equals(object? obj) => obj is FolderKey f && Equals(f);
        public override int GetHashCode() => HashCode.Combine(Store, string.GetHashCode(Key, StringComparison.Ordinal));
    }
}
