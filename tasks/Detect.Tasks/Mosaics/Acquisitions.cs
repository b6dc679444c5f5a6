using Detect.Tasks.Imagery;

namespace Detect.Tasks.Mosaics;

/// <summary>
/// Groups scenes into acquisitions: the granules (MGRS tiles) one satellite pass cut from one strip of imagery. Where
/// two MGRS tiles overlap (9.8 km bands between neighbours, more across UTM zones), a catalog lists the pass once per
/// tile, with the same pixels in the overlap; counting both would make every overlap pixel's observations double
/// and its reads twice as many.
/// </summary>
public static class Acquisitions
{
    /// <summary>
    /// Granules of one pass are sensed seconds apart (a few seconds per 100 km along track); the next pass over the
    /// same ground is at least one orbit (~100 minutes) later. Five minutes tells them apart with a wide margin.
    /// </summary>
    public static readonly TimeSpan SamePass = TimeSpan.FromMinutes(5);

    /// <summary>The scenes in time order (ties by id), cut where consecutive scenes are more than <see cref="SamePass"/> apart.</summary>
    public static IReadOnlyList<IReadOnlyList<RecordedScene>> Of(IEnumerable<RecordedScene> scenes)
    {
        var groups = new List<IReadOnlyList<RecordedScene>>();
        List<RecordedScene>? current = null;
        foreach (var scene in scenes.OrderBy(s => s.Datetime).ThenBy(s => s.Id, StringComparer.Ordinal))
        {
            if (current is null || scene.Datetime - current[^1].Datetime > SamePass)
            {
                current = [];
                groups.Add(current);
            }
            current.Add(scene);
        }
        return groups;
    }
}
