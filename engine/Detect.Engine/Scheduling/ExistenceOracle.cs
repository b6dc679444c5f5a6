using System.Collections.Concurrent;
using Detect.Engine.Storage;

namespace Detect.Engine.Scheduling;

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
        var pending = targets.Where(t => !_known.ContainsKey(t)).Distinct().ToList();
        var storeKeys = new List<(Target Target, IObjectStore Store, string Key)>();
        var others = new List<Target>();
        foreach (var target in pending)
        {
            var located = target switch
            {
                StoreTarget s => (resolver.StoreFor(s.StoreUri), s.Key),
                FlagTarget f => (resolver.StoreFor(f.StoreUri), f.Marker.Key),
                _ => ((IObjectStore?)null, ""),
            };
            if (located.Item1 is null) others.Add(target);
            else storeKeys.Add((target, located.Item1, located.Item2));
        }

        foreach (var target in others) _known[target] = await resolver.ExistsAsync(target, ct);

        var groups = storeKeys.GroupBy(x => (x.Store, Folder: StoreKeys.Parent(x.Key))).ToList();
        await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (group, token) =>
            {
                if (group.Count() >= listingThreshold)
                {
                    var listed = new HashSet<string>(await group.Key.Store.ListAsync(group.Key.Folder, token), StringComparer.Ordinal);
                    foreach (var item in group) _known[item.Target] = listed.Contains(item.Key);
                }
                else
                {
                    foreach (var item in group) _known[item.Target] = await item.Store.ExistsAsync(item.Key, token);
                }
            });
    }
}
