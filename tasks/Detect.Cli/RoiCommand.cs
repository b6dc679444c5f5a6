using Detect.Engine.Cli;
using Detect.Engine.Storage;
using Detect.Tasks.Geo;
using Detect.Tasks.Geo.GeoJson;

namespace Detect.Cli;

/// <summary>
/// `detect roi add &lt;name&gt; &lt;file.geojson&gt; [--store URI] [--replace]`: checks a region of interest (WGS84
/// polygons; invalid rings repaired with a warning) and writes it atomically to <c>boundaries/&lt;name&gt;.geojson</c>;
/// `detect roi list [--store URI]`: the ROIs a store has.
/// </summary>
public static class RoiCommand
{
    public const string Usage = "usage: detect roi add <name> <file.geojson> [--store URI] [--replace] | detect roi list [--store URI]";

    public static async Task<int> RunAsync(CliApp app, string[] args)
    {
        if (args.Length == 0 || args[0] is not ("add" or "list")) return await UsageAsync(app, "name a subcommand: add or list.");
        var positional = new List<string>();
        var store = app.DefaultStoreUri;
        var replace = false;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--store" when i + 1 < args.Length: store = args[++i]; break;
                case "--replace" when args[0] == "add": replace = true; break;
                case var a when a.StartsWith("--", StringComparison.Ordinal): return await UsageAsync(app, $"unknown option '{a}'.");
                default: positional.Add(args[i]); break;
            }
        }
        using var target = StoreFactory.Open(store);
        if (args[0] == "list")
        {
            if (positional.Count > 0) return await UsageAsync(app, $"unexpected argument '{positional[0]}'.");
            foreach (var key in await target.ListAsync(Prefix))
                if (key.EndsWith(".geojson", StringComparison.Ordinal)) await app.Out.WriteLineAsync($"{key[Prefix.Length..^".geojson".Length],-24} {target.UriOf(key)}");
            return CliApp.Success;
        }
        if (positional.Count != 2) return await UsageAsync(app, "add takes a name and a GeoJSON file.");
        return await AddAsync(app, target, positional[0], positional[1], replace);
    }

    public const string Prefix = "boundaries/";

    public static string Key(string name) => $"{Prefix}{name}.geojson";

    /// <summary>Adds one ROI; 0 when added (or already there, identical), 2 for a bad name or file.</summary>
    public static async Task<int> AddAsync(CliApp app, IObjectStore store, string name, string file, bool replace = false)
    {
        if (!RoiDocument.IsValidName(name))
            return await UsageAsync(app, $"'{name}' is not an ROI name: use letters, digits, '.', '_' or '-', starting with a letter or digit " +
                                         "(it becomes boundaries/<name>.geojson; no '/', no '..').");
        if (!File.Exists(file)) return await UsageAsync(app, $"no file '{file}': give the GeoJSON file of the region.");
        string text;
        try { text = await File.ReadAllTextAsync(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return await UsageAsync(app, $"the GeoJSON file '{file}' cannot be read ({e.Message}): give user '{Environment.UserName}' read permission, or copy it somewhere readable.");
        }
        RoiDocument roi;
        try { roi = RoiDocument.Parse(text, file); }
        catch (FormatException e) { return await UsageAsync(app, e.Message); }
        foreach (var warning in roi.Warnings) await app.Error.WriteLineAsync("warning: " + warning);

        var key = Key(name);
        var json = roi.ToGeoJson(name);
        if (await store.ExistsAsync(key))
        {
            string existing;
            await using (var s = await store.OpenReadAsync(key))
            using (var reader = new StreamReader(s)) existing = await reader.ReadToEndAsync();
            if (existing == json || SameArea(existing, roi, store.UriOf(key)))
            {
                await app.Out.WriteLineAsync($"{store.UriOf(key)} already holds this ROI.");
                return CliApp.Success;
            }
            if (!replace)
                return await UsageAsync(app, $"{store.UriOf(key)} exists with other polygons: pass --replace to overwrite it " +
                                             $"(runs with --roi {name} then use the new region), or choose another name.");
        }
        var staged = Path.Combine(Path.GetTempPath(), $"detect-roi-{Guid.NewGuid():N}.geojson");
        try
        {
            await File.WriteAllTextAsync(staged, json); // UTF-8 without a byte order mark (RFC 8259 §8.1)
            await store.PublishFileAsync(key, staged); // atomic: readers see the old ROI or the new one, never half
        }
        finally { File.Delete(staged); }
        await app.Out.WriteLineAsync($"added ROI '{name}' → {store.UriOf(key)} ({roi.Geometry.NumGeometries} polygon(s))");
        return CliApp.Success;
    }

    /// <summary>An ROI written by an earlier version (other member order, say) counts as this one when its polygons are the same (whatever the winding or first vertex of a ring).</summary>
    private static bool SameArea(string existingJson, RoiDocument roi, string source)
    {
        try { return GeoJsonReader.ReadArea(existingJson, source).EqualsNormalized(roi.Geometry); }
        catch (FormatException) { return false; }
    }

    private static async Task<int> UsageAsync(CliApp app, string message)
    {
        await app.Error.WriteLineAsync("error: " + message);
        await app.Error.WriteLineAsync(Usage);
        return CliApp.UsageError;
    }
}
