using System.ComponentModel.DataAnnotations;
using Detect.Engine.Parameters;

namespace Detect.Tasks.Models;

/// <summary>
/// A parameter that names a model of the models manifest (of <see cref="Kind"/> when given), or with
/// <see cref="Ensemble"/> an ensemble: checked before anything runs, with the name to use for a Keras file name.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class KnownModelAttribute : ValidationAttribute, IDescribedRule
{
    /// <summary>The model must be of this kind (pixel or patch); null: any.</summary>
    public ModelKind? Kind { get; }

    /// <summary>The value names an ensemble, not a model.</summary>
    public bool Ensemble { get; init; }

    public KnownModelAttribute() { }

    public KnownModelAttribute(ModelKind kind) => Kind = kind;

    public string Description => Ensemble ? "an ensemble of the models manifest (`detect models list`)"
        : $"a {(Kind is { } k ? ParameterParsing.ToKebab(k.ToString()) + " " : "")}model of the models manifest (`detect models list`)";

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var name = value as string ?? "";
        var manifest = ModelManifest.Default;
        if (Ensemble)
        {
            var ensembles = manifest.Ensembles.Select(e => e.Name).ToList();
            return ensembles.Contains(name) ? ValidationResult.Success
                : new ValidationResult($"is not an ensemble of the models manifest{ModelManifest.NameHint(name, ensembles)}; known ensembles: {string.Join(", ", ensembles)}");
        }
        var candidates = manifest.Models.Where(m => Kind is null || m.Kind == Kind).Select(m => m.Name).ToList();
        if (candidates.Contains(name)) return ValidationResult.Success;
        var what = Kind is { } kind ? $"a {ParameterParsing.ToKebab(kind.ToString())} model" : "a model";
        var other = manifest.Models.FirstOrDefault(m => m.Name == name);
        return new ValidationResult(other is not null
            ? $"is a {ParameterParsing.ToKebab(other.Kind.ToString())} model, not {what}: use one of {string.Join(", ", candidates)}"
            : $"is not {what} of the models manifest{ModelManifest.NameHint(name, candidates)}; known: {string.Join(", ", candidates)}");
    }
}
