using System.Collections.Concurrent;
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
    private readonly ConcurrentDictionary<Target, bool> _known = new();

    public bool Exists(Target target) =>
        _known.TryGetValue(target, out var exists) ? exists
            : throw new InvalidOperationException($"Existence of {target.Identity} was not checked.");

    public void Record(Target target, bool exists) => _known[target] = exists;

    public async Task CheckAsync(IEnumerable<Target> targets, CancellationToken ct)
    {
        var (folders, others) = Group(targets);
        foreach (var target in others) _known[target] = await resolver.ExistsAsync(target, ct);
        await Parallel.ForEachAsync(folders, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (group, token) =>
            {
                var (store, folder) = group.Key;
                var items = group.Value;
                if (items.Count >= listingThreshold)
                {
                    var listed = new HashSet<string>(await store.ListAsync(folder, token), StringComparer.Ordinal);
                    foreach (var (target, key) in items) _known[target] = listed.Contains(key);
                }
                else
                {
                    foreach (var (target, key) in items) _known[target] = await store.ExistsAsync(key, token);
                }
            });
    }

    /// <summary>The targets not known yet, by store and folder (and those not in a store).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (Dictionary<(IObjectStore Store, string Folder), List<(Target Target, string Key)>>, List<Target>) Group(IEnumerable<Target> targets)
    {
        var folders = new Dictionary<(IObjectStore, string), List<(Target, string)>>();
        var others = new List<Target>();
        var seen = new HashSet<Target>();
        foreach (var target in targets)
        {
            if (_known.ContainsKey(target) || !seen.Add(target)) continue;
            var (store, key) = target switch
            {
                StoreTarget s => (resolver.StoreFor(s.StoreUri), s.Key),
                FlagTarget f => (resolver.StoreFor(f.StoreUri), f.Marker.Key),
                _ => ((IObjectStore?)null, ""),
            };
            if (store is null) { others.Add(target); continue; }
            var folder = (store, StoreKeys.Parent(key));
            if (!folders.TryGetValue(folder, out var items)) folders[folder] = items = [];
            items.Add((target, key));
        }
        return (folders, others);
    }
}
