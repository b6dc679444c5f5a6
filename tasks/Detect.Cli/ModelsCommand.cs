using Detect.Engine.Cli;
using Detect.Engine.Storage;
using Detect.Tasks.Models;

namespace Detect.Cli;

/// <summary>`detect models import &lt;dir&gt; [--store URI]` and `detect models list`.</summary>
internal static class ModelsCommand
{
    public static async Task<int> RunAsync(CliApp app, string[] args)
    {
        if (args is ["list"])
        {
            foreach (var m in ModelManifest.Default.Models)
                await app.Out.WriteLineAsync($"{m.Name,-48} {m.Kind,-16} models/{m.OnnxFile}");
            return CliApp.Success;
        }
        if (args.Length < 2 || args[0] != "import")
        {
            await app.Error.WriteLineAsync("usage: detect models import <dir with .h5 or .onnx files> [--store URI] | detect models list");
            return CliApp.UsageError;
        }
        if (!Directory.Exists(args[1]))
        {
            await app.Error.WriteLineAsync($"error: models import {args[1]}: no such folder. Give the folder of the Keras .h5 (or ONNX) files, e.g. ../shared/models/keras.");
            return CliApp.UsageError;
        }
        var store = app.DefaultStoreUri;
        for (var i = 2; i < args.Length; i++)
        {
            if (args[i] == "--store" && i + 1 < args.Length) store = args[++i];
            else
            {
                await app.Error.WriteLineAsync($"error: unexpected argument '{args[i]}' (only --store URI is accepted).");
                return CliApp.UsageError;
            }
        }
        using var target = StoreFactory.Open(store);
        try
        {
            var imported = await new ModelImporter().ImportAsync(args[1], target);
            foreach (var m in imported) await app.Out.WriteLineAsync($"imported {m.Name} → {target.UriOf(m.StoreKey)}");
            return CliApp.Success;
        }
        catch (Exception e) when (e is ModelIntegrityException or DirectoryNotFoundException or InvalidOperationException)
        {
            await app.Error.WriteLineAsync("error: " + e.Message);
            return CliApp.Failure;
        }
    }
}
