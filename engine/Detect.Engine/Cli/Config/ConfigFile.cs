using System.Globalization;
using System.Text.Json;
using Detect.Engine.Parameters;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Detect.Engine.Cli.Config;

/// <summary>One <c>key = value</c> of a config file: its section, the key as written, the value as parameter text, and where it stands.</summary>
public sealed record ConfigEntry(string Section, string Key, string Text, string File, int Line)
{
    /// <summary><c>detect.toml:7</c> — for messages and <c>describe</c>.</summary>
    public string Where => $"{System.IO.Path.GetFileName(File)}:{Line}";
}

/// <summary>
/// A TOML config file in Luigi's shape: <c>[core]</c> for the run options, a section per task family for its
/// parameters (<c>[Heatmap] batch_size = 4096</c>). Parsed with Tomlyn's syntax tree, so every value keeps its line.
/// Values become parameter text (a TOML date → <c>2019-01-01</c>, an array → a list); what they mean is checked
/// where they are applied (<see cref="ConfigSettings"/>). Anything but plain sections of plain keys is an error.
/// </summary>
public sealed class ConfigFile
{
    public const string CoreSection = "core";

    private ConfigFile(string path, IReadOnlyList<ConfigEntry> entries, IReadOnlyDictionary<string, int> sections)
    {
        Path = path;
        Entries = entries;
        Sections = sections;
    }

    public string Path { get; }
    public IReadOnlyList<ConfigEntry> Entries { get; }

    /// <summary>Every section, with the line of its header.</summary>
    public IReadOnlyDictionary<string, int> Sections { get; }

    public string Name => System.IO.Path.GetFileName(Path);

    public static ConfigFile Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ParameterException($"The config file '{path}' cannot be read: {e.Message}");
        }
        return Parse(text, path);
    }

    /// <exception cref="ParameterException">Not TOML, or TOML that is not plain sections of keys; the message names file:line.</exception>
    public static ConfigFile Parse(string text, string path)
    {
        var name = System.IO.Path.GetFileName(path);
        var document = SyntaxParser.Parse(text, name, true);
        if (document.HasErrors)
        {
            var first = document.Diagnostics.First(d => d.Kind == DiagnosticMessageKind.Error);
            throw new ParameterException(
                $"{name}:{first.Span.Start.Line + 1}: {first.Message.TrimEnd('.')} — the config file is TOML: " +
                "[section] lines, then key = value with text in quotes (store = \"s3://bucket/prefix\").");
        }
        if (document.KeyValues.ChildrenCount > 0)
        {
            var stray = document.KeyValues.GetChild(0)!;
            throw new ParameterException(
                $"{name}:{Line(stray)}: '{(stray.Key is { } k ? KeyText(k) : "")}' stands before any section: put run options under [core] " +
                "and task parameters under [<Task>] (e.g. [Heatmap]).");
        }
        var entries = new List<ConfigEntry>();
        var sections = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var table in document.Tables)
        {
            var section = table.Name is { } key ? KeyText(key) : "";
            var headerLine = table.Span.Start.Line + 1;
            if (table is TableArraySyntax || table.Name?.DotKeys.ChildrenCount > 0)
                throw new ParameterException($"{name}:{headerLine}: [{table.Name?.ToString()?.Trim()}] is not a plain section: use [core] or [<Task>] with key = value lines.");
            if (sections.TryGetValue(section, out var firstLine))
                throw new ParameterException($"{name}:{headerLine}: the section [{section}] appears a second time (first at line {firstLine}): merge them.");
            sections[section] = headerLine;
            foreach (var item in table.Items)
            {
                if (item.Key is null || item.Key.DotKeys.ChildrenCount > 0)
                    throw new ParameterException($"{name}:{Line(item)}: dotted keys are not used in [{section}]: write key = value.");
                var keyText = KeyText(item.Key);
                entries.Add(new ConfigEntry(section, keyText, ValueText(item.Value, name, Line(item), section, keyText), path, Line(item)));
            }
        }
        return new ConfigFile(path, entries, sections);
    }

    private static int Line(SyntaxNode node) => node.Span.Start.Line + 1;

    private static string KeyText(KeySyntax key) => key.Key switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? "",
        StringValueSyntax quoted => quoted.Value ?? "",
        var other => other?.ToString()?.Trim() ?? "",
    };

    private static string ValueText(ValueSyntax? value, string file, int line, string section, string key) => value switch
    {
        StringValueSyntax s => s.Value ?? "",
        IntegerValueSyntax i => i.Value.ToString(CultureInfo.InvariantCulture),
        FloatValueSyntax f => f.Value.ToString("R", CultureInfo.InvariantCulture),
        BooleanValueSyntax b => b.Value ? "true" : "false",
        DateTimeValueSyntax { Value.Kind: Tomlyn.TomlDateTimeKind.LocalDate } d => d.Value.DateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeValueSyntax => throw new ParameterException($"{file}:{line}: [{section}] {key} is a date-time: write a date YYYY-MM-DD (dates are whole days)."),
        ArraySyntax a => JsonSerializer.Serialize(a.Items.Select(item => ValueText(item.Value, file, line, section, key)).ToArray()),
        _ => throw new ParameterException($"{file}:{line}: [{section}] {key} has a value of a kind Detect does not read (an inline table?): use text, a number, true/false, a date or a list."),
    };
}
