using System.Reflection;
using System.Text.Json;

namespace Detect.Tasks.Models;

public enum ModelKind { Pixel, Patch, EnsembleMember }

/// <summary>One ONNX file of a model (store key <c>models/&lt;File&gt;</c>) and the sha256 the manifest pins.</summary>
public sealed record ModelArtifact(string File, string Sha256)
{
    public string StoreKey => "models/" + File;
}

/// <summary>One model of <c>models-manifest/manifest.json</c>: its ONNX file (store key <c>models/&lt;OnnxFile&gt;</c>) pinned by sha256.</summary>
public sealed record ModelEntry(
    string Name,
    ModelKind Kind,
    string? Ensemble,
    string OnnxFile,
    string OnnxSha256,
    string SourceFile,
    string SourceSha256,
    string InputName,
    IReadOnlyList<long> InputShape,
    string OutputName,
    int ClassIndex,
    ModelArtifact? Grid = null)
{
    public string StoreKey => "models/" + OnnxFile;

    public ModelArtifact Onnx => new(OnnxFile, OnnxSha256);

    /// <summary>The model's ONNX files: the model itself, plus the tile ("grid") form of the patch model.</summary>
    public IReadOnlyList<ModelArtifact> Artifacts => Grid is null ? [Onnx] : [Onnx, Grid];

    /// <summary>Floats per input item: 24 for a pixel pair, 45 * 45 * 12 for a patch.</summary>
    public int InputLength => (int)InputShape.Skip(1).Aggregate(1L, (a, b) => a * b);
}

public sealed record EnsembleEntry(string Name, IReadOnlyList<string> Members, string Combine);

/// <summary>A model name the manifest does not know: a parameter error (the CLI exits 2), naming the known ones.</summary>
public sealed class UnknownModelException(string message) : Detect.Engine.Parameters.ParameterException(message);

/// <summary>
/// The models manifest (models-manifest/manifest.json, embedded in this assembly at build time): which ONNX
/// files the pipeline accepts, their sha256, input layout and output class.
/// </summary>
public sealed class ModelManifest
{
    private const string ResourceName = "Detect.models-manifest.json";
    private static readonly Lazy<ModelManifest> Embedded = new(LoadEmbedded);

    private ModelManifest(IReadOnlyList<ModelEntry> models, IReadOnlyList<EnsembleEntry> ensembles)
    {
        Models = models;
        Ensembles = ensembles;
    }

    /// <summary>The manifest this build was made with.</summary>
    public static ModelManifest Default => Embedded.Value;

    public IReadOnlyList<ModelEntry> Models { get; }
    public IReadOnlyList<EnsembleEntry> Ensembles { get; }

    public ModelEntry Get(string name) =>
        Models.FirstOrDefault(m => m.Name == name)
        ?? throw new UnknownModelException(
            $"Unknown model '{name}'{NameHint(name, Models.Select(m => m.Name))}. Known models: {string.Join(", ", Models.Select(m => m.Name))}.");

    public EnsembleEntry GetEnsemble(string name) =>
        Ensembles.FirstOrDefault(e => e.Name == name)
        ?? throw new UnknownModelException(
            $"Unknown ensemble model '{name}'{NameHint(name, Ensembles.Select(e => e.Name))}. Known ensembles: {string.Join(", ", Ensembles.Select(e => e.Name))}.");

    /// <summary>
    /// The original pipeline named models by their Keras files (<c>spectrogram_v0.0.11_2021-07-13.h5</c>); here a model
    /// is its manifest name, so a file name (with .h5 or .onnx, or a path) gets the name to use instead.
    /// </summary>
    internal static string NameHint(string name, IEnumerable<string> known)
    {
        var bare = Path.GetFileNameWithoutExtension(name.Replace('\\', '/').Split('/')[^1]);
        if (bare != name && known.Contains(bare))
            return $": the manifest names models without a file extension or folder — use '{bare}'";
        return Detect.Engine.Cli.Suggestions.Closest(name, known) is { } near ? $" (did you mean '{near}'?)" : "";
    }

    public IReadOnlyList<ModelEntry> MembersOf(string ensemble) => GetEnsemble(ensemble).Members.Select(Get).ToList();

    public static ModelManifest Load(string path) => Parse(File.ReadAllText(path), path);

    public static ModelManifest Parse(string json, string origin)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var models = root.GetProperty("models").EnumerateArray().Select(ParseModel).ToList();
            var ensembles = root.GetProperty("ensembles").EnumerateArray().Select(e => new EnsembleEntry(
                e.GetProperty("name").GetString()!,
                e.GetProperty("members").EnumerateArray().Select(m => m.GetString()!).ToList(),
                e.GetProperty("combine").GetString()!)).ToList();
            return new ModelManifest(models, ensembles);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"Models manifest {origin} is malformed: {e.Message}", e);
        }
    }

    private static ModelEntry ParseModel(JsonElement m)
    {
        var onnx = m.GetProperty("onnx");
        var source = m.GetProperty("source");
        var input = m.GetProperty("input");
        var output = m.GetProperty("output");
        return new ModelEntry(
            m.GetProperty("name").GetString()!,
            m.GetProperty("kind").GetString() switch
            {
                "pixel" => ModelKind.Pixel,
                "patch" => ModelKind.Patch,
                "ensemble_member" => ModelKind.EnsembleMember,
                var k => throw new InvalidDataException($"unknown model kind '{k}'"),
            },
            m.TryGetProperty("ensemble", out var ens) ? ens.GetString() : null,
            onnx.GetProperty("file").GetString()!,
            onnx.GetProperty("sha256").GetString()!,
            source.GetProperty("file").GetString()!,
            source.GetProperty("sha256").GetString()!,
            input.GetProperty("name").GetString()!,
            input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToList(),
            output.GetProperty("name").GetString()!,
            output.GetProperty("class_index").GetInt32(),
            m.TryGetProperty("grid", out var grid)
                ? new ModelArtifact(grid.GetProperty("file").GetString()!, grid.GetProperty("sha256").GetString()!)
                : null);
    }

    private static ModelManifest LoadEmbedded()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The models manifest resource {ResourceName} is missing from this build.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "models-manifest/manifest.json (embedded)");
    }
}
