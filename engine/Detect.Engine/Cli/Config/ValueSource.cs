namespace Detect.Engine.Cli.Config;

/// <summary>Where an effective value came from, as <c>describe</c> shows it and error messages name it.</summary>
public sealed record ValueSource(string Text)
{
    public static readonly ValueSource Default = new("default");
    public static readonly ValueSource CommandLine = new("command line");

    public static ValueSource Environment(string variable) => new($"environment {variable}");
    public static ValueSource CommandLineFamily(string option) => new($"command line {option}");
    public static ValueSource Config(ConfigEntry entry) => new($"{entry.Where} [{entry.Section}]");

    public override string ToString() => Text;
}
