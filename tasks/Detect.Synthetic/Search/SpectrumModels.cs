using Detect.Tasks.Inference;
using Detect.Tasks.Models;

namespace Detect.Synthetic.Search;

/// <summary>The real models the synthetic sites are searched against: the default pixel model, the contour ensemble and the patch classifier.</summary>
public sealed record SpectrumModels(PixelModel Pixel, EnsembleModel Ensemble, PatchModel Patch)
{
    public const string PixelModelName = "spectrogram_v0.0.11_2021-07-13";
    public const string EnsembleName = "v0.0.11_ensemble-8-25-21";
    public const string PatchModelName = "v1.1.0_4-23-21_patch_classifier_45px_patch";

    /// <summary>Loads the three from a folder of converted models laid out as the manifest's <c>onnx.file</c> paths.</summary>
    public static SpectrumModels FromOnnxDirectory(string directory, InferenceSettings? settings = null)
    {
        var manifest = ModelManifest.Default;
        string PathOf(string name)
        {
            var path = Path.Combine(directory, manifest.Get(name).OnnxFile);
            if (!File.Exists(path))
                throw new FileNotFoundException(
                    $"Converted model {path} is missing: convert the Keras models first (models-manifest/convert.py --all <keras dir> {directory}).", path);
            return path;
        }
        return new SpectrumModels(
            new PixelModel(PathOf(PixelModelName), settings),
            new EnsembleModel(manifest.MembersOf(EnsembleName).Select(m => PathOf(m.Name)), settings),
            new PatchModel(PathOf(PatchModelName), settings));
    }

    /// <summary>log(p / (1 − p)): the difference of the two class logits of a softmax output, clamped where float32 saturates.</summary>
    public static double Logit(double p)
    {
        p = Math.Clamp(p, 1e-7, 1 - 1e-7);
        return Math.Log(p / (1 - p));
    }
}
